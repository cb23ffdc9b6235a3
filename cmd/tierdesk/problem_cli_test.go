package main

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestCLI_Problems drives problem management through the real binary: a
// problem from an incident, two more linked, a stale edit refused, a
// workaround the server's own runner writes to all three incidents, the
// resolution of the problem and its incidents, and the errors for bad
// input (unknown problem, empty title, a link to a closed problem).
func TestCLI_Problems(t *testing.T) {
	data := t.TempDir()
	e := startServer(t, []string{"--data", data})
	e.dbArgs = []string{"--data", data}
	agent := e.addUser("--email", "agent@example.com", "--name", "Alan Agent", "--role", "agent", "--group", "1")
	var tickets []string
	for i, title := range []string{"VPN drops", "VPN drops again", "VPN down"} {
		_, tk := e.api(agent, "POST", "/tickets", map[string]any{"type": "incident", "title": title,
			"requester": map[string]any{"email": fmt.Sprintf("user%d@example.com", i), "name": fmt.Sprintf("User %d", i)}})
		num, _ := tk["number"].(string)
		if code, _ := e.api(agent, "POST", "/tickets/"+num+"/transitions", map[string]any{"to": "in_progress"}); code != 200 {
			t.Fatalf("take %s: %d", num, code)
		}
		tickets = append(tickets, num)
	}
	out := e.ok(agent, "problem", "create", "--from-ticket", tickets[0], "--reference", "CHG-7", "--reference", "https://vendor.example.com/kb/1")
	if !strings.Contains(out, "PRB-000001 recorded: VPN drops") {
		t.Fatalf("create: %s", out)
	}
	out = e.ok(agent, "problem", "link", "PRB-000001", tickets[1], tickets[2])
	if !strings.Contains(out, "on hold awaiting the problem: "+tickets[1]+", "+tickets[2]) {
		t.Errorf("link: %s", out)
	}
	e.ok(agent, "problem", "edit", "PRB-000001", "--root-cause", "gateway drops idle tunnels", "--version", "1")
	if _, errOut, code := e.cli(agent, "problem", "edit", "PRB-000001", "--root-cause", "x", "--version", "1"); code == 0 || !strings.Contains(errOut, "412") {
		t.Errorf("stale edit: exit %d %s", code, errOut)
	}
	out = e.ok(agent, "problem", "workaround", "PRB-000001", "--text", "Use the IKEv2 profile.", "--public")
	if !strings.Contains(out, "PRB-000001 is known_error") || !strings.Contains(out, "background") {
		t.Errorf("workaround: %s", out)
	}
	waitBroadcast(t, e, agent, 3)
	for _, num := range tickets {
		_, evs := e.api(agent, "GET", "/tickets/"+num+"/events?limit=100", nil)
		if n := strings.Count(fmt.Sprint(evs), "Use the IKEv2 profile."); n != 2 {
			t.Errorf("%s: the workaround appears %d times, want a note and a comment", num, n)
		}
	}
	show := e.ok(agent, "problem", "show", "PRB-000001")
	for _, want := range []string{"known_error", "gateway drops idle tunnels", "Use the IKEv2 profile.", "3 incidents", tickets[2], "CHG-7"} {
		if !strings.Contains(show, want) {
			t.Errorf("show lacks %q:\n%s", want, show)
		}
	}
	if list := e.ok(agent, "problem", "list", "--q", "vpn"); !strings.Contains(list, "PRB-000001") {
		t.Errorf("list: %s", list)
	}
	e.ok(agent, "problem", "resolve", "PRB-000001", "--fix", "Gateway firmware 5.2", "--incidents")
	e.ok(agent, "problem", "move", "PRB-000001", "closed")
	_, tk := e.api(agent, "POST", "/tickets", map[string]any{"type": "incident", "title": "late", "requester": map[string]any{"email": "late@example.com", "name": "Late"}})
	if _, errOut, code := e.cli(agent, "problem", "link", "PRB-000001", tk["number"].(string)); code == 0 || !strings.Contains(errOut, "closed") {
		t.Errorf("link to a closed problem: exit %d %s", code, errOut)
	}
	if _, errOut, code := e.cli(agent, "problem", "show", "PRB-000099"); code == 0 || !strings.Contains(errOut, "404") {
		t.Errorf("unknown problem: exit %d %s", code, errOut)
	}
	if _, errOut, code := e.cli(agent, "problem", "show", "printers"); code == 0 || !strings.Contains(errOut, "PRB-000012") {
		t.Errorf("a name that is no problem: exit %d %s", code, errOut)
	}
	if _, errOut, code := e.cli(agent, "problem", "create", "--title", " "); code == 0 || !strings.Contains(errOut, "title") {
		t.Errorf("empty title: exit %d %s", code, errOut)
	}
	for i := range 100 {
		_, got := e.api(agent, "GET", "/tickets/"+tickets[0], nil)
		if got["state"] == "resolved" {
			break
		}
		if i == 99 {
			t.Errorf("%s is %v after resolving the problem with its incidents", tickets[0], got["state"])
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitBroadcast waits for the server's runner to finish PRB-000001's
// newest broadcast with done incidents.
func waitBroadcast(t *testing.T, e *e2e, token string, done int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		_, out := e.api(token, "GET", "/problems/PRB-000001/broadcasts", nil)
		if bs, _ := out["broadcasts"].([]any); len(bs) > 0 {
			b := bs[0].(map[string]any)
			if b["finished_at"] != nil {
				if b["done"] != float64(done) {
					t.Fatalf("broadcast finished with %v incidents, want %d", b["done"], done)
				}
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the broadcast did not finish in 20 s")
}
