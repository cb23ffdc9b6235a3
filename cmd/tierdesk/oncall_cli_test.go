package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestOnCallCLI sets up a schedule, an escalation policy and a contact
// method from the command line against a running server, sees a P1 in the
// group paged by the server's own pager, and acknowledges it with
// `tierdesk page ack`.
func TestOnCallCLI(t *testing.T) {
	e := startServer(t, []string{"--data", t.TempDir()})
	admin := e.addUser("--email", "admin@example.com", "--name", "Ada Admin", "--role", "admin")
	agent := e.addUser("--email", "lena@example.com", "--name", "Lena L1", "--group", "1")
	status, g := e.api(admin, "POST", "/groups", map[string]any{"name": "Core", "line": 3})
	if status != 201 {
		t.Fatalf("create group: %d %v", status, g)
	}
	gid := fmt.Sprint(g["id"])
	vera := e.addUser("--email", "vera@example.com", "--name", "Vera DBA", "--group", gid)
	_, me := e.api(vera, "GET", "/users/me", nil)
	veraID := fmt.Sprint(me["id"])

	doc := filepath.Join(t.TempDir(), "schedule.json")
	os.WriteFile(doc, []byte(`{"name": "Core week", "zone": "Europe/Berlin", "layers": [{"participants": [`+veraID+
		`], "start_date": "2026-01-05", "hand_off": "09:00", "length": "7d"}]}`), 0o600)
	out := e.ok(admin, "oncall", "schedule", "create", "--file", doc)
	sid := regexp.MustCompile(`saved schedule (\d+) Core week`).FindStringSubmatch(out)
	if sid == nil {
		t.Fatalf("schedule create: %s", out)
	}
	if _, errOut, code := e.cli(agent, "oncall", "schedule", "create", "--file", doc); code != 1 || !strings.Contains(errOut, "403") {
		t.Fatalf("an agent creating a schedule: exit %d %s", code, errOut)
	}
	if _, _, code := e.cli(admin, "oncall", "schedule", "create"); code != 2 {
		t.Fatalf("no --file: exit %d, want 2", code)
	}
	who := e.ok(agent, "oncall", "who", "--at", "2026-11-26T10:00:00Z")
	if !regexp.MustCompile(`Core week \(` + sid[1] + `\)\s+Vera DBA \(` + veraID + `\)`).MatchString(who) {
		t.Fatalf("who:\n%s", who)
	}
	if who := e.ok(agent, "oncall", "who", sid[1], "--at", "2026-01-01T00:00:00Z"); !strings.Contains(who, "nobody") {
		t.Fatalf("who before the first hand-off:\n%s", who)
	}
	if _, _, code := e.cli(agent, "oncall", "who", "--at", "tomorrow"); code != 2 {
		t.Fatalf("a bad --at: exit %d, want 2", code)
	}
	shifts := e.ok(agent, "oncall", "schedule", "shifts", sid[1], "--from", "2026-01-05T00:00:00Z", "--to", "2026-01-12T12:00:00Z")
	if !strings.Contains(shifts, "2026-01-05T08:00:00Z  2026-01-12T12:00:00Z  "+veraID) {
		t.Fatalf("shifts:\n%s", shifts)
	}

	out = e.ok(admin, "oncall", "policy", "set", gid, "--name", "Core", "--step", "schedules="+sid[1]+" delay=5m")
	if !strings.Contains(out, "saved escalation policy Core of group "+gid) {
		t.Fatalf("policy set: %s", out)
	}
	if _, _, code := e.cli(admin, "oncall", "policy", "set", gid, "--name", "x", "--step", "delay=soon"); code != 2 {
		t.Fatalf("a bad --step: exit %d, want 2", code)
	}
	out = e.ok(vera, "oncall", "contact", "add", veraID, "--kind", "slack", "--target", "http://127.0.0.1:9/hook", "--delay", "10m")
	if !strings.Contains(out, "added contact method") {
		t.Fatalf("contact add: %s", out)
	}
	if list := e.ok(vera, "oncall", "contact", "list", veraID); !strings.Contains(list, "slack  http://127.0.0.1:9/hook  10m") {
		t.Fatalf("contact list:\n%s", list)
	}

	e.ok(agent, "ticket", "create", "--type", "incident", "--title", "Core DB down", "--requester-email", "sam@example.com",
		"--impact", "high", "--urgency", "high", "--group", gid)
	var pages string
	paged := regexp.MustCompile(`Core\s+active\s+1\s+1`)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if pages = e.ok(vera, "page", "list", "INC-000001"); paged.MatchString(pages) {
			break
		}
	}
	if !paged.MatchString(pages) {
		t.Fatalf("the server did not page:\n%s", pages)
	}
	if out := e.ok(vera, "page", "ack", "INC-000001"); !strings.Contains(out, "acknowledged page 1 of INC-000001") {
		t.Fatalf("page ack: %s", out)
	}
	if _, errOut, code := e.cli(vera, "page", "ack", "INC-000001"); code != 1 || !strings.Contains(errOut, "409") {
		t.Fatalf("a second ack: exit %d %s", code, errOut)
	}
	if pages := e.ok(vera, "page", "list", "INC-000001"); !regexp.MustCompile(`acknowledged\s.*Vera DBA`).MatchString(pages) {
		t.Fatalf("after ack:\n%s", pages)
	}
}
