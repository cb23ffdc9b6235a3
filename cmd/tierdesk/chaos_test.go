package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/tierdesk/tierdesk/internal/testbin"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestChaos_TimersExactlyOnce runs three instances of the real binary on
// one PostgreSQL database while P1 incidents pass their SLA thresholds
// (response 1 min, resolution 2 min, reported 40 s before they are
// registered), and kills one instance with SIGKILL and starts it again
// every few seconds for as long as the thresholds come due. Afterwards
// every ticket has each warning and breach of each clock once, one
// escalation to line 2, one page of line 3, and one message of each kind
// to each recipient: nothing lost, nothing twice. It takes about two
// minutes; -short skips it.
func TestChaos_TimersExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("the chaos test runs for about two minutes")
	}
	dbURL := testdb.PostgresSchema(t)
	bin := testbin.Build(t)
	run := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(bin, append(args, "--database", dbURL)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tierdesk %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	run("migrate")
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE sla_policies SET response_minutes = 1, resolution_minutes = 2 WHERE name = 'P1 incidents'`); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(run("user", "add", "--token", "--email", "admin@example.com", "--name", "Admin", "--role", "admin"), "\n")
	token := lines[len(lines)-1]

	args := []string{"serve", "--addr", "127.0.0.1:0", "--database", dbURL, "--no-migrate", "--sla-poll", "200ms", "--sla-lease", "15s"}
	stable := testbin.Serve(t, bin, testbin.CleanEnv(), args[1:]...)
	c := &chaosClient{t: t, base: stable, token: token}
	c.post("/groups", map[string]any{"name": "Network", "line": 2})
	c.post("/groups", map[string]any{"name": "Core", "line": 3})
	killable := []*instance{{bin: bin, args: args}, {bin: bin, args: args}}
	for _, in := range killable {
		in.start(t)
	}

	const tickets = 20
	start := time.Now()
	chaosEnd := start.Add(tickets*time.Second + 85*time.Second) // the last resolution breach is due 80 s after its ticket
	var wg sync.WaitGroup
	kills := 0
	wg.Go(func() {
		for i := 0; time.Now().Before(chaosEnd); i++ {
			time.Sleep(time.Duration(2000+i%3*700) * time.Millisecond)
			in := killable[i%len(killable)]
			in.kill()
			in.start(t)
			kills++
		}
	})
	for i := range tickets {
		c.post("/tickets", map[string]any{"type": "incident", "title": fmt.Sprintf("Payments down %d", i),
			"impact": "high", "urgency": "high", "requester": map[string]any{"email": "sam@example.com"},
			"reported_at": time.Now().Add(-40 * time.Second).UTC().Format(time.RFC3339Nano)})
		time.Sleep(time.Second)
	}
	wg.Wait()
	// A claim of the last instance killed expires after 15 s: longer than
	// the gaps between thresholds, so that a later threshold fires while an
	// earlier one is still claimed by an instance that died.
	deadline := time.Now().Add(40 * time.Second)
	for {
		got := countEffects(t, db)
		problems := got.check(tickets)
		if len(problems) == 0 {
			t.Logf("%d tickets, %d kills in %s: every effect once", tickets, kills, time.Since(start).Round(time.Second))
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %d kills, effects wrong:\n%s", kills, strings.Join(problems, "\n"))
		}
		time.Sleep(time.Second)
	}
	for _, in := range killable {
		in.kill()
	}
	// The audit chain survived the kills: every entry chained once.
	if out := run("audit", "verify"); !strings.Contains(out, "audit chain OK") {
		t.Fatalf("audit verify after %d kills: %s", kills, out)
	}
}

// instance is a `tierdesk serve` that the test kills with SIGKILL.
type instance struct {
	bin  string
	args []string
	cmd  *exec.Cmd
}

var chaosAddrRE = regexp.MustCompile(`addr=(127\.0\.0\.1:\d+)`)

func (in *instance) start(t *testing.T) {
	cmd := exec.Command(in.bin, in.args...)
	cmd.Env = testbin.CleanEnv()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Error(err)
		return
	}
	if err := cmd.Start(); err != nil {
		t.Error(err)
		return
	}
	in.cmd = cmd
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if chaosAddrRE.MatchString(sc.Text()) {
			break
		}
	}
	go io.Copy(io.Discard, stderr)
}

func (in *instance) kill() {
	if in.cmd != nil {
		_ = in.cmd.Process.Kill()
		_ = in.cmd.Wait()
		in.cmd = nil
	}
}

type chaosClient struct {
	t     *testing.T
	base  string
	token string
}

func (c *chaosClient) post(path string, body any) {
	c.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, c.base+"/api/v1"+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("POST %s: %v", path, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		out, _ := io.ReadAll(res.Body)
		c.t.Fatalf("POST %s: %d %s", path, res.StatusCode, out)
	}
}

// effects counts, per ticket, what the timers did.
type effects struct {
	thresholds map[int64][]string // "clock percent" of each warning and breach event
	escalated  map[int64]int
	messages   map[string]int // "ticket kind clock percent recipient" → outbox rows
	pages      map[int64]int  // page messages and pages started
}

func countEffects(t *testing.T, db *sql.DB) effects {
	t.Helper()
	e := effects{thresholds: map[int64][]string{}, escalated: map[int64]int{}, messages: map[string]int{}, pages: map[int64]int{}}
	rows, err := db.Query(`SELECT ticket_id, kind, changes FROM events WHERE kind IN ('sla_warning', 'sla_breached', 'escalated')`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var kind, changes string
		if err := rows.Scan(&id, &kind, &changes); err != nil {
			t.Fatal(err)
		}
		if kind == "escalated" {
			e.escalated[id]++
			continue
		}
		var ch []struct {
			New string `json:"new"`
		}
		if err := json.Unmarshal([]byte(changes), &ch); err != nil || len(ch) < 2 {
			t.Fatalf("event changes %s: %v", changes, err)
		}
		e.thresholds[id] = append(e.thresholds[id], ch[0].New+" "+ch[1].New)
	}
	rows.Close()
	rows, err = db.Query(`SELECT ticket_id, kind, COALESCE(user_id, 0), COALESCE(group_id, 0), payload FROM outbox WHERE ticket_id IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, user, group int64
		var kind, payload string
		if err := rows.Scan(&id, &kind, &user, &group, &payload); err != nil {
			t.Fatal(err)
		}
		var p map[string]string
		_ = json.Unmarshal([]byte(payload), &p)
		switch kind {
		case "page":
			e.pages[id]++
		case "sla_warning", "sla_breached":
			e.messages[fmt.Sprintf("%d %s %s %s %d/%d", id, kind, p["clock"], p["percent"], user, group)]++
		}
	}
	rows.Close()
	rows, err = db.Query(`SELECT ticket_id FROM pages`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		e.pages[id]++
	}
	rows.Close()
	return e
}

// check lists what differs from every effect once on each of n tickets.
func (e effects) check(n int) []string {
	var out []string
	want := []string{"resolution 100", "resolution 75", "resolution 90", "response 100", "response 75", "response 90"}
	for id := int64(1); id <= int64(n); id++ {
		got := slices.Sorted(slices.Values(e.thresholds[id]))
		if !slices.Equal(got, want) {
			out = append(out, fmt.Sprintf("ticket %d thresholds %v", id, got))
		}
		if e.escalated[id] != 1 {
			out = append(out, fmt.Sprintf("ticket %d escalated %d times", id, e.escalated[id]))
		}
		if e.pages[id] != 1 {
			out = append(out, fmt.Sprintf("ticket %d paged %d times", id, e.pages[id]))
		}
	}
	perTicket := map[string]int{}
	for k, v := range e.messages {
		if v != 1 {
			out = append(out, fmt.Sprintf("message %s queued %d times", k, v))
		}
		perTicket[strings.Fields(k)[0]]++
	}
	for id := 1; id <= n; id++ {
		if got := perTicket[fmt.Sprint(id)]; got != len(want) {
			out = append(out, fmt.Sprintf("ticket %d: %d SLA messages, want %d", id, got, len(want)))
		}
	}
	return out
}
