package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/testbin"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// e2e is one running server and the environment of the CLI next to it.
type e2e struct {
	t      *testing.T
	bin    string
	dbArgs []string
	base   string
}

// startServer starts `tierdesk serve` on a free port and stops it (SIGTERM,
// then waits) when the test ends.
func startServer(t *testing.T, dbArgs []string) *e2e {
	t.Helper()
	bin := testbin.Build(t)
	base := testbin.Serve(t, bin, testbin.CleanEnv(), dbArgs...)
	return &e2e{t: t, bin: bin, dbArgs: dbArgs, base: base}
}

// cli runs the binary and returns stdout, stderr and the exit code.
func (e *e2e) cli(token string, args ...string) (string, string, int) {
	e.t.Helper()
	cmd := exec.Command(e.bin, args...)
	cmd.Env = append(testbin.CleanEnv(), "TIERDESK_SERVER="+e.base, "TIERDESK_TOKEN="+token)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		e.t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// ok runs a CLI command that must succeed.
func (e *e2e) ok(token string, args ...string) string {
	e.t.Helper()
	out, errOut, code := e.cli(token, args...)
	if code != 0 {
		e.t.Fatalf("tierdesk %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// addUser runs `tierdesk user add --token` on the server's database while
// the server runs, and returns the token from the last line.
func (e *e2e) addUser(args ...string) string {
	e.t.Helper()
	out := e.ok("", append(append([]string{"user", "add", "--token"}, args...), e.dbArgs...)...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return lines[len(lines)-1]
}

// ticketJSON runs a ticket command with --json and decodes the ticket.
func (e *e2e) ticketJSON(token string, args ...string) map[string]any {
	e.t.Helper()
	var m map[string]any
	out := e.ok(token, append([]string{"ticket"}, append(args, "--json")...)...)
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		e.t.Fatalf("not JSON: %v\n%s", err, out)
	}
	return m
}

// api sends a JSON request and decodes the answer.
func (e *e2e) api(token, method, path string, body any) (int, map[string]any) {
	e.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequestWithContext(context.Background(), method, e.base+"/api/v1"+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

func want(t *testing.T, m map[string]any, field string, value any) {
	t.Helper()
	if got := fmt.Sprint(m[field]); got != fmt.Sprint(value) {
		t.Fatalf("%s = %s, want %v (ticket: %v)", field, got, value, m)
	}
}

// TestEndToEnd walks one incident through the real binary: registration by
// line 1, escalation to lines 2 and 3, resolution, a reopen by the requester,
// and closure — on SQLite and, when available, PostgreSQL.
func TestEndToEnd(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		walkIncident(t, []string{"--data", t.TempDir()})
	})
	t.Run("postgres", func(t *testing.T) {
		walkIncident(t, []string{"--database", testdb.PostgresSchema(t)})
	})
}

func walkIncident(t *testing.T, dbArgs []string) {
	e := startServer(t, dbArgs)
	admin := e.addUser("--email", "admin@example.com", "--name", "Ada Admin", "--role", "admin")
	boss := e.addUser("--email", "boss@example.com", "--name", "Bo Boss", "--role", "manager")
	_ = boss
	status, me := e.api(admin, "GET", "/users/me", nil)
	if status != 200 || me["role"] != "admin" {
		t.Fatalf("admin token: %d %v", status, me)
	}
	_, bossUser := e.api(boss, "GET", "/users/me", nil)
	status, g2 := e.api(admin, "POST", "/groups", map[string]any{"name": "Network", "line": 2})
	if status != 201 {
		t.Fatalf("create line-2 group: %d %v", status, g2)
	}
	status, g3 := e.api(admin, "POST", "/groups", map[string]any{"name": "Core", "line": 3, "manager_id": bossUser["id"]})
	if status != 201 {
		t.Fatalf("create line-3 group: %d %v", status, g3)
	}
	id2, id3 := fmt.Sprint(g2["id"]), fmt.Sprint(g3["id"])
	l1 := e.addUser("--email", "lena@example.com", "--name", "Lena L1", "--group", "1")
	l2 := e.addUser("--email", "nick@example.com", "--name", "Nick L2", "--group", id2)
	l3 := e.addUser("--email", "ines@example.com", "--name", "Ines L3", "--group", id3)
	sam := e.addUser("--email", "sam@example.com", "--name", "Sam Seller", "--role", "requester")

	// Line 1 registers the call; the existing requester is matched by e-mail.
	tk := e.ticketJSON(l1, "create", "--type", "incident", "--channel", "phone", "--title", "VPN drops every few minutes",
		"--description", "Whole sales floor since 09:00", "--symptoms", "tunnel resets",
		"--requester-email", "SAM@example.com", "--impact", "high", "--urgency", "medium")
	want(t, tk, "number", "INC-000001")
	want(t, tk, "priority", "P2")
	want(t, tk, "state", "new")
	want(t, tk["group"].(map[string]any), "name", "Service Desk")
	want(t, tk["requester"].(map[string]any), "name", "Sam Seller")
	num := "INC-000001"
	show := e.ok(l1, "ticket", "show", num)
	if !strings.Contains(show, "P2 incidents (24x7 calendar)") || !strings.Contains(show, "response:") {
		t.Errorf("show lacks the SLA promise:\n%s", show)
	}

	tk = e.ticketJSON(l1, "transition", num, "--to", "assigned")
	want(t, tk["assignee"].(map[string]any), "name", "Lena L1")
	tk = e.ticketJSON(l1, "transition", num, "--to", "in_progress")
	if tk["first_response_at"] == nil {
		t.Fatal("first_response_at not recorded on the first move to in_progress")
	}
	e.ok(l1, "ticket", "comment", num, "--body", "We are on it.")
	e.ok(l1, "ticket", "comment", num, "--internal", "--body", "Concentrator logs show flaps")

	tk = e.ticketJSON(l1, "escalate", num, "--group", id2, "--reason", "Needs network engineers")
	want(t, tk, "line", 2)
	want(t, tk, "state", "assigned")
	want(t, tk, "escalation_count", 1)
	e.ticketJSON(l2, "transition", num, "--to", "in_progress")
	tk = e.ticketJSON(l2, "escalate", num, "--group", id3, "--reason", "Firmware bug suspected")
	want(t, tk, "line", 3)
	want(t, tk, "escalation_count", 2)
	want(t, tk, "reassignment_count", 2)

	// Line 3 is the top: no further functional escalation, but the manager.
	_, errOut, code := e.cli(l3, "ticket", "escalate", num, "--group", id2, "--reason", "again")
	if code != 1 || !strings.Contains(errOut, "line 3") {
		t.Fatalf("escalating from line 3: exit %d, %s", code, errOut)
	}
	tk = e.ticketJSON(l3, "escalate", num, "--manager", "--reason", "Sales floor down for an hour")
	if tk["manager_flagged_at"] == nil {
		t.Fatal("hierarchical escalation not recorded")
	}

	e.ticketJSON(l3, "transition", num, "--to", "in_progress")
	tk = e.ticketJSON(l3, "transition", num, "--to", "resolved", "--resolution-code", "workaround",
		"--notes", "Rolled back the firmware")
	want(t, tk, "state", "resolved")

	// The requester reopens, line 3 resolves again, the requester confirms.
	tk = e.ticketJSON(sam, "transition", num, "--to", "in_progress", "--reason", "Still drops at 14:00")
	want(t, tk, "reopen_count", 1)
	e.ticketJSON(l3, "transition", num, "--to", "resolved", "--resolution-code", "solved", "--notes", "Replaced the unit")
	tk = e.ticketJSON(sam, "transition", num, "--to", "closed")
	want(t, tk, "state", "closed")
	if tk["closed_at"] == nil {
		t.Fatal("closed_at not set")
	}

	// Closed is final, and the refusal names what is allowed (nothing).
	_, errOut, code = e.cli(l3, "ticket", "transition", num, "--to", "in_progress", "--reason", "x")
	if code != 1 || !strings.Contains(errOut, "409") {
		t.Fatalf("transition out of closed: exit %d, %s", code, errOut)
	}

	history := e.ok(l1, "ticket", "history", num)
	for _, s := range []string{"escalated", "Needs network engineers", "manager_flagged", "work_note", "Rolled back the firmware", "Still drops at 14:00"} {
		if !strings.Contains(history, s) {
			t.Errorf("history lacks %q:\n%s", s, history)
		}
	}
	samHistory := e.ok(sam, "ticket", "history", num)
	if strings.Contains(samHistory, "Concentrator logs") || strings.Contains(samHistory, "work_note") {
		t.Errorf("the requester sees an internal note:\n%s", samHistory)
	}
	if !strings.Contains(samHistory, "We are on it.") {
		t.Errorf("the requester does not see the public comment:\n%s", samHistory)
	}

	// Timers can be recomputed from the shell while the server runs.
	out := e.ok("", append([]string{"sla", "reschedule"}, e.dbArgs...)...)
	if !strings.Contains(out, "rescheduled the SLA timers of") {
		t.Errorf("sla reschedule: %s", out)
	}

	list := e.ok(l1, "ticket", "list", "--state", "closed")
	if !strings.Contains(list, num) {
		t.Errorf("closed list lacks %s:\n%s", num, list)
	}
}

// TestCLIUsage checks exit codes: 2 for usage mistakes, 1 for errors.
func TestCLIUsage(t *testing.T) {
	bin := testbin.Build(t)
	cases := []struct {
		args []string
		env  []string
		code int
	}{
		{[]string{}, nil, 2},
		{[]string{"frobnicate"}, nil, 2},
		{[]string{"ticket"}, nil, 2},
		{[]string{"ticket", "frobnicate"}, nil, 2},
		{[]string{"--help"}, nil, 0},
		{[]string{"serve", "--no-such-flag"}, nil, 2},
		{[]string{"ticket", "show"}, []string{"TIERDESK_TOKEN=x"}, 2},
		{[]string{"ticket", "list"}, nil, 2}, // no token
		{[]string{"user", "add", "--email", "a@example.com"}, nil, 2},
		{[]string{"serve", "--reopen-window", "soon"}, nil, 2},
		// Were these accepted, serve would fail on the unreachable database
		// with 1, so a regression shows without a server left running.
		{[]string{"serve", "--sla-warn-at", "75,120", "--database", "postgres://127.0.0.1:1/x"}, nil, 2},
		{[]string{"serve", "--sla-warn-at", "many", "--database", "postgres://127.0.0.1:1/x"}, nil, 2},
		{[]string{"serve", "--database", "postgres://127.0.0.1:1/x"}, []string{"TIERDESK_SLA_WARN_AT=half"}, 2},
		{[]string{"serve", "--trusted-proxy", "10.0.0.0/33", "--database", "postgres://127.0.0.1:1/x"}, nil, 2},
		{[]string{"serve", "--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", "proxy.local", "--database", "postgres://127.0.0.1:1/x"}, nil, 2},
		{[]string{"serve", "--database", "postgres://127.0.0.1:1/x"}, []string{"TIERDESK_TRUSTED_PROXIES=10.0.0.0/8,,"}, 2},
		{[]string{"serve", "--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", "fd00::/8", "--database", "postgres://127.0.0.1:1/x"}, nil, 1},
		{[]string{"serve", "--database", "postgres://127.0.0.1:1/x"}, []string{"TIERDESK_TRUSTED_PROXIES=10.0.0.0/8, 192.0.2.7"}, 1},
		{[]string{"serve", "--database", "postgres://127.0.0.1:1/x"}, nil, 1},
		{[]string{"ticket", "show", "1"}, []string{"TIERDESK_TOKEN=x", "TIERDESK_SERVER=http://127.0.0.1:1"}, 1},
	}
	for _, c := range cases {
		cmd := exec.Command(bin, c.args...)
		cmd.Env = append(testbin.CleanEnv(), c.env...)
		out, _ := cmd.CombinedOutput()
		if got := cmd.ProcessState.ExitCode(); got != c.code {
			t.Errorf("tierdesk %s: exit %d, want %d\n%s", strings.Join(c.args, " "), got, c.code, out)
		}
	}
}
