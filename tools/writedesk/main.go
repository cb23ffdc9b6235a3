// Command writedesk builds a desk through the ordinary write path, over
// HTTP against a served binary, for the search benchmarks of issue 13:
// every ticket is registered by POST /api/v1/tickets, a share get a public
// comment (POST …/comments, which rewrites the ticket's search document),
// and a share are taken and resolved (POST …/transitions to in_progress,
// then to resolved with a code and notes), each its own request, so the
// full-text index grows by many small writes as on a real desk, not in
// one bulk load (tierdesk dev generate). The text is drawn from the same
// small vocabulary as devgen, so tools/searchbench's words (network,
// принтер; 30 tickets with "Kerberos", none with "xylophone") keep their
// frequencies.
//
//	writedesk -base http://127.0.0.1:18740 -token $AGENT_TOKEN -n 1000000 -workers 8
//
// The token is a line-1 agent's of group 1 (it takes and resolves
// tickets). -from resumes a stopped run (ticket numbers of the text
// stream, not the desk's). Progress is printed every 10,000 tickets.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tierdesk/tierdesk/tools/internal/deskwords"
)

func main() {
	base := flag.String("base", "", "URL of the served desk")
	token := flag.String("token", os.Getenv("TIERDESK_TOKEN"), "API token of a line-1 agent of group 1")
	n := flag.Int("n", 100_000, "tickets to register")
	from := flag.Int("from", 0, "first ticket of the text stream (to resume)")
	workers := flag.Int("workers", 8, "concurrent clients")
	commentPct := flag.Int("comment-pct", 25, "percent of tickets that get a public comment")
	resolvePct := flag.Int("resolve-pct", 60, "percent of tickets taken and resolved")
	rare := flag.Int("rare-every", 33_333, "every N-th ticket has \"Kerberos\" in its title (0: none)")
	flag.Parse()
	if *base == "" || *token == "" {
		fail("give -base and -token")
	}
	c := &client{base: strings.TrimRight(*base, "/"), token: *token,
		hc: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *workers}, Timeout: time.Minute}}
	var next, done, requests atomic.Int64
	next.Store(int64(*from))
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	end := int64(*from + *n)
	for range *workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1) - 1; i < end && firstErr.Load() == nil; i = next.Add(1) - 1 {
				k, err := c.ticket(i, *commentPct, *resolvePct, *rare)
				requests.Add(int64(k))
				if err != nil {
					firstErr.CompareAndSwap(nil, fmt.Errorf("ticket %d: %w", i, err))
					return
				}
				if d := done.Add(1); d%10_000 == 0 {
					el := time.Since(start)
					fmt.Fprintf(os.Stderr, "%s %d tickets, %d requests, %s, %.0f tickets/s\n",
						time.Now().UTC().Format("15:04:05"), d, requests.Load(), el.Round(time.Second), float64(d)/el.Seconds())
				}
			}
		}()
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		fail(err.Error())
	}
	el := time.Since(start)
	fmt.Printf("registered %d tickets (%d requests) in %s: %.0f tickets/s, %.0f requests/s\n",
		done.Load(), requests.Load(), el.Round(time.Second), float64(done.Load())/el.Seconds(), float64(requests.Load())/el.Seconds())
}

type client struct {
	base, token string
	hc          *http.Client
}

// ticket writes ticket i of the text stream and its history; it returns
// the number of requests sent.
func (c *client) ticket(i int64, commentPct, resolvePct, rare int) (int, error) {
	text := deskwords.New(i, commentPct, rare)
	r := rand.New(rand.NewPCG(uint64(i), 0x7265736f6c7665))
	body := map[string]any{
		"type": deskwords.Weighted(r, []string{"incident", "request"}, 70, 30), "title": text.Title,
		"description": text.Description, "symptoms": text.Symptoms, "channel": "api",
		"requester": map[string]any{"email": fmt.Sprintf("writedesk%d@example.com", r.IntN(10_000)),
			"name": deskwords.Pick(r, deskwords.FirstNames) + " " + deskwords.Pick(r, deskwords.LastNames)},
		"impact":  deskwords.Weighted(r, []string{"high", "medium", "low"}, 10, 40, 50),
		"urgency": deskwords.Weighted(r, []string{"high", "medium", "low"}, 15, 45, 40),
	}
	var t struct{ ID int64 }
	if err := c.post("/api/v1/tickets", body, &t); err != nil {
		return 1, err
	}
	k := 1
	path := fmt.Sprintf("/api/v1/tickets/%d", t.ID)
	if text.Comment != "" {
		k++
		if err := c.post(path+"/comments", map[string]any{"body": text.Comment}, nil); err != nil {
			return k, err
		}
	}
	if r.IntN(100) < resolvePct {
		k += 2
		if err := c.post(path+"/transitions", map[string]any{"to": "in_progress"}, nil); err != nil {
			return k - 1, err
		}
		res := map[string]any{"to": "resolved", "resolution_code": deskwords.Pick(r, deskwords.Codes),
			"resolution_notes": deskwords.Sentence(r, 6)}
		if err := c.post(path+"/transitions", res, nil); err != nil {
			return k, err
		}
	}
	return k, nil
}

func (c *client) post(path string, body any, out any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPost, c.base+path, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("POST %s: %d %.300s", path, resp.StatusCode, bytes.TrimSpace(data))
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "writedesk:", msg)
	os.Exit(1)
}
