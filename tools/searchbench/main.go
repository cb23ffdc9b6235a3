// Command searchbench times ticket search and similar tickets over HTTP
// against a served desk (issue 13): for each word and each filter, N
// requests of GET /api/v1/tickets?q=WORD&limit=50[&filter] after two
// warm-ups, GET /api/v1/tickets/{id}/similar for random ticket ids, and
// with -articles the ticket page's matching articles (its article search,
// through GET /api/v1/articles) and known errors (GET
// /api/v1/tickets/{id}/problem) of random tickets, over one kept-alive
// connection. It prints a Markdown table of the hits on
// the page, p50, p95 and max in milliseconds.
//
//	searchbench -base http://127.0.0.1:18180 -token $TOKEN -n 20 -group 1 -assignee 2
//
// With -bases A,B it alternates two served binaries request by request
// (old and new in one run) and prints both columns; with -pids the
// servers' CPU time a request too.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/tools/internal/procstat"
)

type target struct {
	base  string
	token string
	pid   int // the server's process id on this machine (0: unknown)
}

func main() {
	bases := flag.String("bases", "http://127.0.0.1:18180", "comma-separated base URLs (timed alternately)")
	token := flag.String("token", os.Getenv("TOKEN"), "API token (env TOKEN)")
	n := flag.Int("n", 20, "timed requests a row")
	words := flag.String("words", "network,принтер,kerberos,xylophone", "comma-separated words: common, mid, rare, absent")
	group := flag.String("group", "1", "group id of the group filter")
	assignee := flag.String("assignee", "2", "assignee id of the assignee filter")
	similar := flag.Int("similar", 25, "random tickets whose similar tickets are timed (0: none)")
	maxID := flag.Int("max-id", 1000000, "highest ticket id to pick similar tickets from")
	extra := flag.String("extra", "", "added to every search's query string, e.g. total=true")
	articles := flag.Int("articles", 0, "random tickets whose matching articles (the ticket page's search) and known errors are timed (0: none)")
	pids := flag.String("pids", "", "comma-separated process ids of the served binaries, in -bases order: adds each one's CPU a request (on a loaded machine the wall time is mostly waiting for a core)")
	flag.Parse()
	var ts []target
	for _, b := range strings.Split(*bases, ",") {
		ts = append(ts, target{base: strings.TrimRight(b, "/"), token: *token})
	}
	if *pids != "" {
		for i, p := range strings.Split(*pids, ",") {
			if i < len(ts) {
				ts[i].pid, _ = strconv.Atoi(p)
			}
		}
	}
	filters := []struct{ name, qs string }{
		{"alone", ""}, {"open", "&state=open"}, {"open+group", "&state=open&group=" + *group},
		{"assignee", "&assignee=" + *assignee},
	}
	head := "| word | filter | hits |"
	for i, t := range ts {
		head += fmt.Sprintf(" p50 ms [%d] | p95 ms [%d] | max ms [%d] |", i, i, i)
		if t.pid > 0 {
			head += fmt.Sprintf(" CPU ms [%d] |", i)
		}
	}
	fmt.Println(head)
	for _, w := range strings.Split(*words, ",") {
		for _, f := range filters {
			path := "/api/v1/tickets?limit=50&q=" + url.QueryEscape(w) + f.qs
			if *extra != "" {
				path += "&" + *extra
			}
			row(fmt.Sprintf("| %s | %s |", w, f.name), ts, *n, func(int) string { return path })
		}
	}
	if *similar > 0 {
		ids := randomIDs(*similar+2, *maxID)
		row("| similar | 5 |", ts, *similar, func(i int) string {
			return fmt.Sprintf("/api/v1/tickets/%d/similar", ids[i])
		})
	}
	if *articles > 0 {
		ids := randomIDs(*articles+2, *maxID)
		paths := make([]string, len(ids))
		for i, id := range ids {
			paths[i] = articlesPath(ts[0], id)
		}
		row("| articles | 20 |", ts, *articles, func(i int) string { return paths[i] })
		row("| known errors | - |", ts, *articles, func(i int) string {
			return fmt.Sprintf("/api/v1/tickets/%d/problem", ids[i])
		})
	}
}

// randomIDs returns n ticket ids from 1 to maxID, the same every run.
func randomIDs(n, maxID int) []int {
	r := rand.New(rand.NewPCG(1, 2))
	ids := make([]int, n)
	for i := range ids {
		ids[i] = 1 + r.IntN(maxID)
	}
	return ids
}

// articlesPath returns the article search the agent's ticket page runs
// for ticket id (knowledge.SuggestFor: the title twice, the description,
// the symptoms and the category's name, any word, published articles),
// through the API.
func articlesPath(t target, id int) string {
	req, err := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/tickets/%d", t.base, id), nil)
	if err != nil {
		fail(err)
	}
	req.Header.Set("Authorization", "Bearer "+t.token)
	resp, err := client.Do(req)
	if err != nil {
		fail(err)
	}
	defer resp.Body.Close()
	var tk struct {
		Title, Description, Symptoms string
		Category                     *struct{ Name string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&tk); err != nil {
		fail(fmt.Errorf("ticket %d: %w", id, err))
	}
	text := strings.Join([]string{tk.Title, tk.Title, tk.Description, tk.Symptoms}, "\n")
	if tk.Category != nil {
		text += "\n" + tk.Category.Name
	}
	return "/api/v1/articles?any=true&state=published&limit=20&q=" + url.QueryEscape(text)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

// row times n requests (after 2 warm-ups) of path(i) on every target,
// alternating, and prints one table row.
func row(label string, ts []target, n int, path func(int) string) {
	times := make([][]float64, len(ts))
	cpu := make([]time.Duration, len(ts))
	hits := -1
	for i := range n + 2 {
		for j, t := range ts {
			if i == 2 && t.pid > 0 {
				cpu[j] = procstat.CPU(t.pid)
			}
			ms, h, err := get(t, path(i))
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			if i >= 2 {
				times[j] = append(times[j], ms)
			}
			if hits < 0 {
				hits = h
			}
		}
	}
	out := fmt.Sprintf("%s %d |", label, hits)
	for j, d := range times {
		slices.Sort(d)
		out += fmt.Sprintf(" %.1f | %.1f | %.1f |", d[len(d)/2], d[min(len(d)-1, int(float64(len(d))*0.95+0.999)-1)], d[len(d)-1])
		if ts[j].pid > 0 {
			// The server's CPU over the row's timed requests (clock ticks:
			// about 10 ms / n of resolution), background work included.
			out += fmt.Sprintf(" %.1f |", float64(procstat.CPU(ts[j].pid)-cpu[j])/float64(time.Millisecond)/float64(n))
		}
	}
	fmt.Println(out)
}

var client = &http.Client{Timeout: 2 * time.Minute}

// get returns the time of one GET in ms and the number of items answered.
func get(t target, path string) (float64, int, error) {
	req, err := http.NewRequest("GET", t.base+path, nil)
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+t.token)
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	ms := float64(time.Since(start).Microseconds()) / 1000
	if err != nil {
		return 0, 0, err
	}
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotFound {
		return 0, 0, fmt.Errorf("GET %s: %s: %s", path, resp.Status, body)
	}
	var page struct {
		Tickets []json.RawMessage `json:"tickets"`
		Items   []json.RawMessage `json:"items"`
		Similar []json.RawMessage `json:"similar"`
		Hits    []json.RawMessage `json:"hits"`
	}
	_ = json.Unmarshal(body, &page) // a 404 (a missing ticket) counts no items
	return ms, len(page.Tickets) + len(page.Items) + len(page.Similar) + len(page.Hits), nil
}
