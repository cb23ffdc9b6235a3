package metrics_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/metrics"
)

// nullStore stores nothing, so that the benchmarks time the counting alone.
type nullStore struct{ desk.Store }

func (nullStore) CreateTicket(context.Context, *desk.Ticket, []desk.Event, *desk.IdempotencyKey, ...desk.Timer) (*desk.Ticket, error) {
	return nil, nil
}

// BenchmarkMetrics_CountCreate is what metrics add to one ticket creation
// in the store decorator: the created counter and a look at its events.
func BenchmarkMetrics_CountCreate(b *testing.B) {
	m := metrics.New(metrics.Sources{}, nil)
	s := m.Store(nullStore{})
	now := time.Now()
	t := &desk.Ticket{Channel: desk.ChannelPortal, Priority: desk.P3, CreatedAt: now}
	events := []desk.Event{{Kind: desk.EventCreated, Changes: []desk.Change{{Field: "state", New: "new"},
		{Field: "impact", New: "medium"}, {Field: "urgency", New: "medium"}, {Field: "priority", New: "P3"},
		{Field: "group", New: "Service Desk"}, {Field: "channel", New: "portal"}}}}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		s.CreateTicket(ctx, t, events, nil)
	}
}

// BenchmarkMetrics_HTTP is a request through the request histogram, and
// the same request without it.
func BenchmarkMetrics_HTTP(b *testing.B) {
	m := metrics.New(metrics.Sources{}, nil)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/tickets", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(201) })
	for _, c := range []struct {
		name string
		h    http.Handler
	}{{"without", mux}, {"with", m.HTTP(mux)}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/api/v1/tickets", nil))
			}
		})
	}
}
