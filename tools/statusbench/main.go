// Command statusbench loads a served Tierdesk's public status page at a
// fixed rate from several clients while tickets are being created through
// the API, and prints the latency distribution of the page's answers.
//
//	go run ./tools/statusbench -base http://127.0.0.1:8080 -rate 1000 -clients 8 -duration 30s -token $TOKEN
//
// The load is open-loop: each client sends on its own schedule (rate /
// clients a second) whether or not earlier requests have answered, so a
// slow answer delays nothing else and is counted at its true latency
// (measured from its scheduled send time).
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "the served binary")
	path := flag.String("path", "/status", "the page to load")
	lang := flag.String("lang", "en", "Accept-Language")
	rate := flag.Int("rate", 1000, "requests a second, all clients together")
	clients := flag.Int("clients", 8, "clients (each with its own keep-alive connections)")
	duration := flag.Duration("duration", 30*time.Second, "how long to load")
	token := flag.String("token", os.Getenv("TIERDESK_TOKEN"), "API token: tickets are created while loading (empty: none)")
	creates := flag.Int("creates", 20, "tickets created a second while loading")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), *duration)
	defer cancel()
	var created, createErrs atomic.Int64
	var wg sync.WaitGroup
	if *token != "" {
		wg.Add(1)
		go func() { defer wg.Done(); createTickets(ctx, *base, *token, *creates, &created, &createErrs) }()
	}
	lat := make([][]time.Duration, *clients)
	errs := make([]int, *clients)
	for i := range *clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat[i], errs[i] = load(ctx, *base+*path, *lang, time.Second*time.Duration(*clients)/time.Duration(*rate))
		}()
	}
	wg.Wait()
	var all []time.Duration
	nerr := 0
	for i := range lat {
		all = append(all, lat[i]...)
		nerr += errs[i]
	}
	slices.Sort(all)
	q := func(p float64) time.Duration { return all[min(len(all)-1, int(float64(len(all))*p))] }
	fmt.Printf("GET %s: %d requests in %s (%.0f/s) from %d clients, %d errors; tickets created meanwhile: %d (%d failed)\n",
		*path, len(all), *duration, float64(len(all))/duration.Seconds(), *clients, nerr, created.Load(), createErrs.Load())
	if len(all) > 0 {
		fmt.Printf("latency p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  max %.2f ms\n",
			ms(q(0.5)), ms(q(0.95)), ms(q(0.99)), ms(q(0.999)), ms(all[len(all)-1]))
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// load sends one request every interval until ctx ends, each on its own
// goroutine, and returns the latencies from each scheduled send.
func load(ctx context.Context, url, lang string, interval time.Duration) ([]time.Duration, int) {
	cl := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 10 * time.Second}
	var mu sync.Mutex
	var out []time.Duration
	nerr := 0
	var wg sync.WaitGroup
	next := time.Now()
	for ctx.Err() == nil {
		at := next
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("GET", url, nil)
			req.Header.Set("Accept-Language", lang)
			res, err := cl.Do(req)
			ok := err == nil && res.StatusCode == 200
			if err == nil {
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
			d := time.Since(at)
			mu.Lock()
			defer mu.Unlock()
			if ok {
				out = append(out, d)
			} else {
				nerr++
			}
		}()
		next = next.Add(interval)
		time.Sleep(time.Until(next))
	}
	wg.Wait()
	return out, nerr
}

// createTickets registers incidents through the API at perSecond.
func createTickets(ctx context.Context, base, token string, perSecond int, n, errs *atomic.Int64) {
	cl := &http.Client{Timeout: 10 * time.Second}
	tick := time.NewTicker(time.Second / time.Duration(perSecond))
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		body := fmt.Sprintf(`{"type":"incident","title":"Load ticket %d","description":"created while the status page is loaded","requester":{"email":"load%d@example.com"}}`, i, i%500)
		req, _ := http.NewRequest("POST", base+"/api/v1/tickets", bytes.NewReader([]byte(body)))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		res, err := cl.Do(req)
		if err != nil || res.StatusCode != 201 {
			errs.Add(1)
		} else {
			n.Add(1)
		}
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
	}
}
