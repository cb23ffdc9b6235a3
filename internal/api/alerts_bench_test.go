package api

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// Alert storm: 10,000 alerts over 50 dedup keys, posted by 8 concurrent
// HTTP clients (keep-alive connections) to the real API over a real store.
// Each iteration is a fresh storm on a fresh integration; it must open
// exactly 50 incidents. Two shapes: generic JSON, one alert a request; and
// Alertmanager notifications of 10 alerts of one group each.
const (
	stormAlerts  = 10_000
	stormKeys    = 50
	stormClients = 8
)

// stormShape makes the request bodies of one storm.
type stormShape struct {
	name   string
	kind   desk.IntegrationKind
	bodies func() [][]byte
}

var stormShapes = []stormShape{
	{"generic-1", desk.KindGeneric, func() [][]byte {
		out := make([][]byte, 0, stormAlerts)
		for i := range stormAlerts {
			out = append(out, fmt.Appendf(nil, `{"summary":"Service %d down","dedup_key":"svc-%d","severity":"critical","labels":{"n":"%d"}}`,
				i%stormKeys, i%stormKeys, i))
		}
		return out
	}},
	{"alertmanager-10", desk.KindAlertmanager, func() [][]byte {
		const per = 10
		out := make([][]byte, 0, stormAlerts/per)
		for i := range stormAlerts / per {
			g := i % stormKeys
			var alerts []string
			for j := range per {
				alerts = append(alerts, fmt.Sprintf(`{"status":"firing","labels":{"alertname":"Down%d","instance":"h%d"},`+
					`"annotations":{"summary":"Host h%d down"},"startsAt":"2026-11-26T14:54:34Z","endsAt":"0001-01-01T00:00:00Z",`+
					`"generatorURL":"","fingerprint":"%04x%04x"}`, g, (i*per+j)%40, (i*per+j)%40, g, (i*per+j)%40))
			}
			out = append(out, fmt.Appendf(nil, `{"version":"4","groupKey":"{}:{alertname=\"Down%d\"}","status":"firing",`+
				`"receiver":"tierdesk","alerts":[%s],"groupLabels":{"alertname":"Down%d"},"truncatedAlerts":0}`,
				g, strings.Join(alerts, ","), g))
		}
		return out
	}},
}

func BenchmarkAlertStorm(b *testing.B) {
	for _, be := range testdb.Backends {
		for _, shape := range stormShapes {
			b.Run(be.Name+"/"+shape.name, func(b *testing.B) { benchStorm(b, be.Open(b), shape) })
		}
		// The same storm with group commit off: one transaction a request.
		b.Run(be.Name+"/"+stormShapes[0].name+"/no-group-commit", func(b *testing.B) {
			benchStorm(b, be.Open(b, sqlstore.WithAlertBatch(1)), stormShapes[0])
		})
	}
}

func benchStorm(b *testing.B, st *sqlstore.Store, shape stormShape) {
	d := desk.New(st, desk.SystemClock{}, desk.DefaultConfig)
	admin, _, err := d.Bootstrap(context.Background(), desk.UserInput{Email: "admin@example.com", Name: "Ada", Role: desk.RoleAdmin}, false)
	if err != nil {
		b.Fatal(err)
	}
	ctx := desk.WithActor(context.Background(), admin)
	srv := httptest.NewServer(New(d, nil, Options{}))
	defer srv.Close()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: stormClients}}
	var total time.Duration
	var lat []time.Duration
	var incidents int64
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		ig, token, err := d.CreateIntegration(ctx, desk.IntegrationInput{Kind: shape.kind, Name: fmt.Sprintf("storm %d", i)})
		if err != nil {
			b.Fatal(err)
		}
		bodies := shape.bodies()
		b.StartTimer()
		took, l := storm(b, hc, srv.URL+"/api/v1/alerts?token="+token, bodies)
		b.StopTimer()
		total += took
		lat = append(lat, l...)
		got, err := d.Integration(ctx, ig.ID)
		if err != nil {
			b.Fatal(err)
		}
		if s := got.Stats; s.IncidentsOpened != stormKeys || s.AlertsReceived != stormAlerts || s.AlertsOverflow != 0 {
			b.Fatalf("storm %d: %+v, want %d incidents from %d alerts", i, s, stormKeys, stormAlerts)
		}
		incidents += got.Stats.IncidentsOpened
		b.StartTimer()
	}
	storms := float64(len(lat)) / float64(len(shape.bodies()))
	slices.Sort(lat)
	b.ReportMetric(storms*stormAlerts/total.Seconds(), "alerts/s")
	b.ReportMetric(float64(len(lat))/total.Seconds(), "requests/s")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(incidents)/storms, "incidents/storm")
}

// storm posts the alerts from the clients and returns the wall time and
// every request's latency.
func storm(b *testing.B, hc *http.Client, url string, payloads [][]byte) (time.Duration, []time.Duration) {
	bodies := make(chan []byte, len(payloads))
	for _, p := range payloads {
		bodies <- p
	}
	close(bodies)
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	start := time.Now()
	for range stormClients {
		wg.Go(func() {
			mine := make([]time.Duration, 0, len(payloads)/stormClients+1)
			for body := range bodies {
				t0 := time.Now()
				resp, err := hc.Post(url, "application/json", bytes.NewReader(body))
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusAccepted {
					b.Errorf("status %d", resp.StatusCode)
					return
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	return time.Since(start), lat
}
