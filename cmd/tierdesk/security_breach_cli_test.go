package main

import (
	"strings"
	"testing"
	"time"
)

// TestCLI_BreachRecord: a security group set up on the database, a case
// marked through the API, then its owner records awareness and regimes
// from the command line and reads the clocks; bad input is a message and
// a non-zero exit.
// securityCaseCLI starts a server with a security group (Sasha Security
// a member) and a case line 1 (Lena) marked; it returns the server, line
// 1's and Sasha's tokens and the case's number.
func securityCaseCLI(t *testing.T) (e *e2e, agent, sec, num string) {
	t.Helper()
	data := t.TempDir()
	e = startServer(t, []string{"--data", data})
	e.dbArgs = []string{"--data", data}
	admin := e.addUser("--email", "admin@example.com", "--name", "Ada Admin", "--role", "admin")
	code, g := e.api(admin, "POST", "/groups", map[string]any{"name": "Security", "line": 2})
	if code != 201 {
		t.Fatalf("group: %d %v", code, g)
	}
	e.ok("", append([]string{"security", "group", "2"}, e.dbArgs...)...)
	agent = e.addUser("--email", "lena@example.com", "--name", "Lena L1", "--role", "agent", "--group", "1")
	sec = e.addUser("--email", "sasha@example.com", "--name", "Sasha Security", "--role", "agent")
	e.ok("", append([]string{"security", "member", "2", "3"}, e.dbArgs...)...)
	_, tk := e.api(agent, "POST", "/tickets", map[string]any{"type": "incident", "title": "My account sends spam",
		"requester": map[string]any{"email": "sam@example.com", "name": "Sam"}})
	num, _ = tk["number"].(string)
	e.ok(agent, "security", "mark", num, "--reason", "account compromised")
	return e, agent, sec, num
}

func TestCLI_BreachRecord(t *testing.T) {
	e, agent, sec, num := securityCaseCLI(t)

	out := e.ok(sec, "security", "case", num)
	if !strings.Contains(out, "not recorded") || !strings.Contains(out, "not chosen") {
		t.Fatalf("a fresh case:\n%s", out)
	}
	future := time.Now().Add(3 * time.Hour).Format(time.RFC3339)
	if _, errOut, code := e.cli(sec, "security", "awareness", num, "--at", future, "--reason", "SOC"); code == 0 || !strings.Contains(errOut, "future") {
		t.Errorf("awareness in the future: exit %d %s", code, errOut)
	}
	if _, errOut, code := e.cli(sec, "security", "awareness", num, "--at", "09:00", "--reason", "SOC"); code == 0 || !strings.Contains(errOut, "--at") {
		t.Errorf("awareness not a time: exit %d %s", code, errOut)
	}
	if _, errOut, code := e.cli(sec, "security", "regime", num, "eu", "--reason", "x"); code == 0 || !strings.Contains(errOut, "regime") {
		t.Errorf("unknown regime: exit %d %s", code, errOut)
	}
	if _, errOut, code := e.cli(agent, "security", "case", num); code == 0 || !strings.Contains(errOut, "404") {
		t.Errorf("line 1 reads the case: exit %d %s", code, errOut)
	}
	aware := time.Now().Add(-6 * time.Hour).UTC().Truncate(time.Second)
	e.ok(sec, "security", "awareness", num, "--at", aware.Format(time.RFC3339), "--reason", "SOC alert")
	out = e.ok(sec, "security", "regime", num, "152fz", "--reason", "Russian customers only")
	for _, want := range []string{"aware since: " + aware.Format(time.RFC3339), "(SOC alert)", "regime: 152fz (Russian customers only)",
		"first notice to Roskomnadzor (24 h)", "due " + aware.Add(24*time.Hour).Format(time.RFC3339), " 25%  running",
		"investigation results"} {
		if !strings.Contains(out, want) {
			t.Errorf("case lacks %q:\n%s", want, out)
		}
	}
}
