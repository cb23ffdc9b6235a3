// Command kbgen fills a served Tierdesk with published articles made of
// real ticket texts, through the API as writers would (create, then
// publish: two ordinary writes an article), for the article search
// benchmark of docs/benchmarks.md. Each article is three ticket texts of
// the CSV (its first column), as storetest.LoadArticles makes them; every
// fourth has a Russian translation too.
//
//	go run ./tools/kbgen -base http://127.0.0.1:18590 -token $T -csv ../shared/data/ticket-text/train.csv.gz -n 10000
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	base := flag.String("base", "", "URL of the running desk")
	token := flag.String("token", os.Getenv("TIERDESK_TOKEN"), "API token of an administrator or knowledge editor")
	file := flag.String("csv", "", "gzipped CSV of ticket texts (text in the first column, a header line)")
	n := flag.Int("n", 10_000, "articles to write")
	workers := flag.Int("workers", 4, "concurrent writers")
	flag.Parse()
	if *base == "" || *token == "" || *file == "" {
		fail("give -base, -token and -csv")
	}
	texts, err := readTexts(*file)
	if err != nil {
		fail(err.Error())
	}
	c := &client{base: strings.TrimRight(*base, "/"), token: *token, hc: &http.Client{Timeout: time.Minute}}
	var next, done atomic.Int64
	var wg sync.WaitGroup
	var firstErr atomic.Value
	start := time.Now()
	for range *workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < *n && firstErr.Load() == nil; i = int(next.Add(1) - 1) {
				if err := c.article(i, texts); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				if d := done.Add(1); d%1000 == 0 {
					fmt.Fprintf(os.Stderr, "%d articles, %s\n", d, time.Since(start).Round(time.Second))
				}
			}
		}()
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		fail(err.Error())
	}
	fmt.Printf("wrote %d published articles in %s\n", done.Load(), time.Since(start).Round(time.Second))
}

func readTexts(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	rows, err := csv.NewReader(gz).ReadAll()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range rows[1:] {
		if len(strings.Fields(r[0])) >= 3 {
			out = append(out, r[0])
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no texts", path)
	}
	return out, nil
}

type client struct {
	base, token string
	hc          *http.Client
}

// article writes and publishes the i-th article.
func (c *client) article(i int, texts []string) error {
	a, b, d := texts[(3*i)%len(texts)], texts[(3*i+1)%len(texts)], texts[(3*i+2)%len(texts)]
	words := strings.Fields(a)
	title := strings.Join(words[:min(8, len(words))], " ")
	tr := []map[string]string{{"lang": "en", "title": title, "body": fmt.Sprintf("## Symptoms\n\n%s\n\n## Steps\n\n1. %s\n2. %s\n", a, b, d)}}
	if i%4 == 0 {
		tr = append(tr, map[string]string{"lang": "ru", "title": "Принтер не печатает " + title, "body": "Проверьте принтер.\n\n" + a})
	}
	var out struct {
		ID int64 `json:"id"`
	}
	if err := c.post("/api/v1/articles", map[string]any{"translations": tr, "audience": "public"}, &out); err != nil {
		return err
	}
	return c.post(fmt.Sprintf("/api/v1/articles/%d/publish", out.ID), map[string]string{}, nil)
}

func (c *client) post(path string, body, out any) error {
	b, _ := json.Marshal(body)
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
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("POST %s: %d %s", path, resp.StatusCode, bytes.TrimSpace(raw))
	}
	if out != nil {
		return json.Unmarshal(raw, out)
	}
	return nil
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "kbgen:", msg)
	os.Exit(2)
}
