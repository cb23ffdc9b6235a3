package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/testbin"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestKill_WorkaroundBroadcastExactlyOnce publishes a workaround (with a
// public comment) to 1,000 linked incidents while the only instance that
// carries out broadcasts is killed with SIGKILL three times mid-way and
// started again. Afterwards every incident has the internal note once, the
// public comment once and one notification to its requester queued: no
// batch lost, none written twice. Run on SQLite and, when
// TIERDESK_TEST_POSTGRES is set, on PostgreSQL; -short skips it.
func TestKill_WorkaroundBroadcastExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("the kill test links 1,000 incidents")
	}
	bin := testbin.Build(t)
	t.Run("SQLite", func(t *testing.T) {
		data := t.TempDir()
		killBroadcast(t, bin, []string{"--data", data}, func() (*sql.DB, error) {
			return sql.Open("sqlite", filepath.Join(data, "tierdesk.db")+"?_pragma=busy_timeout(10000)")
		})
	})
	t.Run("PostgreSQL", func(t *testing.T) {
		url := testdb.PostgresSchema(t)
		killBroadcast(t, bin, []string{"--database", url}, func() (*sql.DB, error) { return sql.Open("pgx", url) })
	})
}

const killIncidents = 1000

func killBroadcast(t *testing.T, bin string, dbArgs []string, open func() (*sql.DB, error)) {
	out, err := exec.Command(bin, append([]string{"user", "add", "--token", "--email", "admin@example.com", "--name", "Admin",
		"--role", "admin", "--group", "1"}, dbArgs...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	api := &killClient{t: t, token: lines[len(lines)-1]}
	// The stable instance serves the API and never looks for broadcasts
	// after its first look at start; the killable one does the work.
	api.base = testbin.Serve(t, bin, testbin.CleanEnv(), append([]string{"--problem-poll", "1h"}, dbArgs...)...)
	worker := &instance{bin: bin, args: append([]string{"serve", "--addr", "127.0.0.1:0", "--problem-poll", "100ms",
		"--problem-lease", "2s", "--problem-batch", "10"}, dbArgs...)}
	defer worker.kill()

	tickets := api.incidents(killIncidents)
	var p struct{ Number string }
	api.call("POST", "/problems", map[string]any{"title": "VPN drops for everyone"}, http.StatusCreated, &p)
	for i := 0; i < len(tickets); i += 500 {
		api.call("POST", "/problems/"+p.Number+"/incidents", map[string]any{"tickets": tickets[i:min(i+500, len(tickets))]}, http.StatusOK, nil)
	}
	const text = "Reconnect with the IKEv2 profile: Settings → VPN → IKEv2."
	api.call("POST", "/problems/"+p.Number+"/workaround", map[string]any{"text": text, "public": true}, http.StatusAccepted, nil)

	db, err := open()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	worker.start(t)
	kills := 0
	start := time.Now()
	// Each kill follows the notes as they appear in the database, not the
	// broadcast's own progress: a batch whose incidents were written but
	// whose progress was not would be written again after the restart.
	// The delays after the trigger land the others inside later batches.
	for i, at := range []int{150, 450, 750} {
		for notesWritten(t, db) < at {
			time.Sleep(2 * time.Millisecond)
		}
		time.Sleep(time.Duration(i*7) * time.Millisecond)
		worker.kill()
		kills++
		t.Logf("killed the worker at %d notes written", notesWritten(t, db))
		worker.start(t)
	}
	deadline := time.Now().Add(2 * time.Minute)
	var b killProgress
	for b = api.progress(p.Number); b.FinishedAt == nil; b = api.progress(p.Number) {
		if time.Now().After(deadline) {
			t.Fatalf("the broadcast did not finish: %+v", b)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("%d incidents in %d batches, %d kills, %s; longest batch transaction %.1f ms", b.Done, b.Batches, kills,
		time.Since(start).Round(time.Millisecond), b.MaxTxMs)
	if b.Done != killIncidents || b.Skipped != 0 {
		t.Errorf("broadcast done %d skipped %d, want %d", b.Done, b.Skipped, killIncidents)
	}
	worker.kill()
	checkOnce(t, open, text)
}

func notesWritten(t *testing.T, db *sql.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM events WHERE kind = 'work_note' AND reason_code = 'workaround_published'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// checkOnce counts, per incident, the workaround's note, its public
// comment and the requester's notification: each exactly once.
func checkOnce(t *testing.T, open func() (*sql.DB, error), text string) {
	t.Helper()
	db, err := open()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	counts := map[string]map[int64]int{}
	for what, q := range map[string]string{
		"note":    `SELECT ticket_id, COUNT(*) FROM events WHERE kind = 'work_note' AND reason_code = 'workaround_published' GROUP BY ticket_id`,
		"comment": `SELECT ticket_id, COUNT(*) FROM events WHERE kind = 'comment' AND public = $1 AND body = $2 GROUP BY ticket_id`,
		"mail":    `SELECT ticket_id, COUNT(*) FROM outbox WHERE kind IN ('comment', 'first_response') GROUP BY ticket_id`,
	} {
		args := []any{}
		if what == "comment" {
			args = []any{true, text}
		}
		rows, err := db.Query(q, args...)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		counts[what] = map[int64]int{}
		for rows.Next() {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				t.Fatal(err)
			}
			counts[what][id] = n
		}
		rows.Close()
	}
	var ids []int64
	rows, err := db.Query(`SELECT id FROM tickets WHERE type = 'incident'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		_ = rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	if len(ids) != killIncidents {
		t.Fatalf("%d incidents in the database", len(ids))
	}
	bad := 0
	for _, id := range ids {
		for _, what := range []string{"note", "comment", "mail"} {
			if n := counts[what][id]; n != 1 {
				if bad++; bad <= 10 {
					t.Errorf("ticket %d: %d %ss, want 1", id, n, what)
				}
			}
		}
	}
	if bad > 10 {
		t.Errorf("… %d wrong counts in all", bad)
	}
}

type killClient struct {
	t     *testing.T
	base  string
	token string
}

func (c *killClient) call(method, path string, body any, want int, out any) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+"/api/v1"+path, rd)
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		c.t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

// incidents registers n incidents from 20 requesters, four at a time.
func (c *killClient) incidents(n int) []string {
	out := make([]string, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range 4 {
		wg.Go(func() {
			for i := range next {
				var tk struct{ Number string }
				c.call("POST", "/tickets", map[string]any{"type": "incident", "title": fmt.Sprintf("VPN drops %d", i),
					"requester": map[string]any{"email": fmt.Sprintf("user%02d@example.com", i%20), "name": fmt.Sprintf("User %d", i%20)}},
					http.StatusCreated, &tk)
				out[i] = tk.Number
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

type killProgress struct {
	Done       int     `json:"done"`
	Skipped    int     `json:"skipped"`
	Batches    int     `json:"batches"`
	MaxTxMs    float64 `json:"max_transaction_ms"`
	FinishedAt *string `json:"finished_at"`
}

func (c *killClient) progress(number string) killProgress {
	c.t.Helper()
	var out struct{ Broadcasts []killProgress }
	c.call("GET", "/problems/"+number+"/broadcasts", nil, http.StatusOK, &out)
	if len(out.Broadcasts) == 0 {
		c.t.Fatal("no broadcast")
	}
	return out.Broadcasts[0]
}
