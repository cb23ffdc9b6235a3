package api

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// BenchmarkAPI_CreateTicket posts new tickets to the real API over a real
// store from 1 and 8 keep-alive HTTP clients, as tools/deskbench does
// against the served binary: the in-process twin for -cpuprofile. Each
// iteration is one created ticket; tickets/s and p99 are reported.
func BenchmarkAPI_CreateTicket(b *testing.B) {
	for _, be := range testdb.Backends {
		for _, clients := range []int{1, 8} {
			b.Run(fmt.Sprintf("%s/clients-%d", be.Name, clients), func(b *testing.B) {
				d := desk.New(be.Open(b), desk.SystemClock{}, desk.DefaultConfig)
				_, token, err := d.Bootstrap(context.Background(), desk.UserInput{
					Email: "bench@example.com", Name: "Bench", Role: desk.RoleAgent}, true, 1)
				if err != nil {
					b.Fatal(err)
				}
				srv := httptest.NewServer(New(d, nil, Options{}))
				defer srv.Close()
				benchCreate(b, srv.URL, token, clients)
			})
		}
	}
}

func benchCreate(b *testing.B, base, token string, clients int) {
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	var next atomic.Int64
	n := int64(b.N)
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range clients {
		wg.Go(func() {
			var mine []time.Duration
			for i := next.Add(1); i <= n; i = next.Add(1) {
				body := fmt.Sprintf(`{"type":"incident","title":"Printer %d on floor 3 jams","description":"Paper jams on every job since the toner change","channel":"api","requester":{"email":"user%d@example.com"},"impact":"medium","urgency":"medium"}`, i, i%500)
				req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/tickets", bytes.NewBufferString(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+token)
				t0 := time.Now()
				resp, err := hc.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				msg, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					b.Errorf("status %d: %s", resp.StatusCode, msg)
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
	took := time.Since(start)
	b.StopTimer()
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(len(lat))/took.Seconds(), "tickets/s")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
