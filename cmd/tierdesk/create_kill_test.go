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
	"sync/atomic"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/testbin"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestKill_CreateGroupCommit posts tickets from 8 concurrent clients (so
// that creations share group commits) while the server is killed with
// SIGKILL four times and started again. Every ticket a client got a 201
// (or a replay) for is stored, with the number it was told, its creation
// event and its registration mail once; every ticket stored was sent by a
// client and is stored once, whether or not its client heard back;
// requests cut off by a kill and sent again with their idempotency key
// get their first ticket back; the dashboard's open count equals the
// tickets, and the audit chain verifies. Run on SQLite and, when
// TIERDESK_TEST_POSTGRES is set, on PostgreSQL; -short skips it.
func TestKill_CreateGroupCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("the kill test creates tickets for several seconds")
	}
	bin := testbin.Build(t)
	t.Run("SQLite", func(t *testing.T) {
		data := t.TempDir()
		killCreates(t, bin, []string{"--data", data}, func() (*sql.DB, error) {
			return sql.Open("sqlite", filepath.Join(data, "tierdesk.db")+"?_pragma=busy_timeout(10000)")
		})
	})
	t.Run("PostgreSQL", func(t *testing.T) {
		url := testdb.PostgresSchema(t)
		killCreates(t, bin, []string{"--database", url}, func() (*sql.DB, error) { return sql.Open("pgx", url) })
	})
}

// sentTicket is what a client knows of one request.
type sentTicket struct {
	title, key string
	number     string // from the answer; "" when none came
}

func killCreates(t *testing.T, bin string, dbArgs []string, open func() (*sql.DB, error)) {
	out, err := exec.Command(bin, append([]string{"user", "add", "--token", "--email", "agent@example.com", "--name", "Agent",
		"--group", "1"}, dbArgs...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	token := lines[len(lines)-1]
	addr := freeAddr(t)
	srv := &instance{bin: bin, args: append([]string{"serve", "--addr", addr}, dbArgs...)}
	defer srv.kill()
	srv.start(t)
	base := "http://" + addr + "/api/v1/tickets"
	hc := &http.Client{Timeout: 30 * time.Second}

	const clients = 8
	var stop atomic.Bool
	sent := make([][]sentTicket, clients)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for n := 0; !stop.Load(); n++ {
				s := sentTicket{title: fmt.Sprintf("kill %d-%d", c, n)}
				if n%2 == 0 {
					s.key = "k-" + s.title
				}
				s.number, _ = postTicket(hc, base, token, s)
				sent[c] = append(sent[c], s)
				if s.number == "" {
					time.Sleep(20 * time.Millisecond) // the server is down: wait for it
				}
			}
		})
	}
	for i := range 4 {
		time.Sleep(time.Duration(700+i*300) * time.Millisecond)
		srv.kill()
		t.Logf("killed the server (%d)", i+1)
		srv.start(t)
	}
	time.Sleep(500 * time.Millisecond)
	stop.Store(true)
	wg.Wait()

	// Requests cut off by a kill, sent again with their key, get their
	// first ticket if it was stored, or a new one.
	var all []sentTicket
	retried := 0
	for c := range sent {
		for _, s := range sent[c] {
			if s.number == "" && s.key != "" {
				num, status := postTicket(hc, base, token, s)
				if num == "" {
					t.Fatalf("retry of %q: status %d", s.title, status)
				}
				s.number = num
				retried++
			}
			all = append(all, s)
		}
	}
	srv.kill()
	checkCreates(t, open, all, retried)
	if out, err := exec.Command(bin, append([]string{"audit", "verify"}, dbArgs...)...).CombinedOutput(); err != nil ||
		!strings.Contains(string(out), "audit chain OK") {
		t.Errorf("audit verify after the kills: %v\n%s", err, out)
	}
}

// postTicket creates s's ticket and returns the number answered (201, or
// 200 for a replay of its key); "" when no answer came or it was not a
// success.
func postTicket(hc *http.Client, url, token string, s sentTicket) (string, int) {
	body, _ := json.Marshal(map[string]any{"type": "incident", "title": s.title,
		"requester": map[string]any{"email": "sam@example.com"}})
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	if s.key != "" {
		req.Header.Set("Idempotency-Key", s.key)
	}
	res, err := hc.Do(req)
	if err != nil {
		return "", 0
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusCreated && res.StatusCode != http.StatusOK {
		return "", res.StatusCode
	}
	var tk struct{ Number string }
	if json.Unmarshal(b, &tk) != nil {
		return "", res.StatusCode
	}
	return tk.Number, res.StatusCode
}

// checkCreates compares the database with what the clients sent and heard.
func checkCreates(t *testing.T, open func() (*sql.DB, error), all []sentTicket, retried int) {
	t.Helper()
	db, err := open()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stored := map[string]string{} // title → number
	rows, err := db.Query(`SELECT t.title, t.number,
		(SELECT COUNT(*) FROM events e WHERE e.ticket_id = t.id AND e.kind = 'created'),
		(SELECT COUNT(*) FROM outbox o WHERE o.ticket_id = t.id AND o.kind = 'ticket_registered')
		FROM tickets t`)
	if err != nil {
		t.Fatal(err)
	}
	bad := 0
	fail := func(format string, a ...any) {
		if bad++; bad <= 10 {
			t.Errorf(format, a...)
		}
	}
	for rows.Next() {
		var title, number string
		var created, mails int
		if err := rows.Scan(&title, &number, &created, &mails); err != nil {
			t.Fatal(err)
		}
		if _, dup := stored[title]; dup {
			fail("%q stored twice", title)
		}
		stored[title] = number
		if created != 1 || mails != 1 {
			fail("%s %q: %d creation events, %d registration mails; want 1 each", number, title, created, mails)
		}
	}
	rows.Close()
	answered, cut := 0, 0
	sentTitles := map[string]bool{}
	for _, s := range all {
		sentTitles[s.title] = true
		if s.number == "" {
			cut++
			continue
		}
		answered++
		if got, ok := stored[s.title]; !ok {
			fail("%q was answered as %s but is not stored", s.title, s.number)
		} else if got != s.number {
			fail("%q was answered as %s but is stored as %s", s.title, s.number, got)
		}
	}
	for title, number := range stored {
		if !sentTitles[title] {
			fail("%s %q stored but never sent", number, title)
		}
	}
	var openCount int64
	if err := db.QueryRow(`SELECT COALESCE(SUM(n), 0) FROM ticket_counts WHERE kind = 'open'`).Scan(&openCount); err != nil {
		t.Fatal(err)
	}
	if openCount != int64(len(stored)) {
		fail("the dashboard counts %d open tickets, %d are stored", openCount, len(stored))
	}
	if bad > 10 {
		t.Errorf("… %d findings in all", bad)
	}
	t.Logf("%d requests: %d answered (%d of them retried with their key after a kill), %d cut off without a key; %d tickets stored",
		len(all), answered, retried, cut, len(stored))
	if answered < 100 || cut == 0 && retried == 0 {
		t.Errorf("the test did too little: %d answered, %d cut off, %d retried", answered, cut, retried)
	}
}
