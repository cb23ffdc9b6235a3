package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// TestConsoleCLI: work queues and ticket links from the command line
// against a running server.
func TestConsoleCLI(t *testing.T) {
	e := startServer(t, []string{"--data", t.TempDir()})
	agent := e.addUser("--email", "lena@example.com", "--name", "Lena L1", "--group", "1")
	create := func(title, impact string) string {
		m := e.ticketJSON(agent, "create", "--type", "incident", "--channel", "phone", "--title", title,
			"--requester-email", "sam@example.com", "--requester-name", "Sam", "--impact", impact, "--urgency", impact)
		return m["number"].(string)
	}
	low, p1 := create("Font too small", "low"), create("Payments down", "high")

	out := e.ok(agent, "ticket", "queue", "unassigned", "--total")
	if !regexp.MustCompile(`(?s)` + p1 + `.*` + low + `.*\(2 matching\)`).MatchString(out) {
		t.Errorf("unassigned queue, most urgent first:\n%s", out)
	}
	if out := e.ok(agent, "ticket", "queue", "about_to_breach", "--within", "30m"); !strings.Contains(out, p1) || strings.Contains(out, low) {
		t.Errorf("about to breach within 30m:\n%s", out)
	}
	if _, errOut, code := e.cli(agent, "ticket", "queue", "everything"); code != 1 || !strings.Contains(errOut, "404") {
		t.Errorf("an unknown queue: exit %d, %s", code, errOut)
	}

	if out := e.ok(agent, "ticket", "link", low, "--to", p1, "--kind", "child_of"); !strings.Contains(out, low+" is now child_of "+p1) {
		t.Errorf("link: %s", out)
	}
	shown := e.ticketJSON(agent, "show", p1)
	links, _ := shown["links"].([]any)
	if len(links) != 1 || links[0].(map[string]any)["kind"] != "parent_of" {
		t.Errorf("the parent's links: %v", shown["links"])
	}
	if _, errOut, code := e.cli(agent, "ticket", "link", p1, "--to", low, "--kind", "related"); code != 1 || !strings.Contains(errOut, "409") {
		t.Errorf("linking the pair twice: exit %d, %s", code, errOut)
	}
	if _, _, code := e.cli(agent, "ticket", "link", p1); code != 2 {
		t.Errorf("link without --to: exit %d, want 2", code)
	}
	if out := e.ok(agent, "ticket", "unlink", p1, low); !strings.Contains(out, "no longer linked") {
		t.Errorf("unlink: %s", out)
	}
}

// TestTicketCreate_FirstContact: an agent registers a walk-in's ticket and
// resolves it in the same command; it is resolved, by them, marked as a
// first-contact resolution; a code without notes is a usage error (exit 2)
// and a code the desk does not know is its 422 (exit 1), neither stored.
func TestTicketCreate_FirstContact(t *testing.T) {
	e := startServer(t, []string{"--data", t.TempDir()})
	agent := e.addUser("--email", "lena@example.com", "--name", "Lena L1", "--group", "1")
	m := e.ticketJSON(agent, "create", "--type", "incident", "--channel", "walk_in", "--title", "Forgot my password",
		"--requester-email", "sam@example.com", "--requester-name", "Sam",
		"--resolve-on-first-contact", "user_instructed", "--resolution-notes", "Reset it at the desk with him")
	want(t, m, "state", "resolved")
	want(t, m, "resolution_code", "user_instructed")
	if a, _ := m["assignee"].(map[string]any); a == nil || a["name"] != "Lena L1" {
		t.Errorf("assignee %v, want the agent who resolved it", m["assignee"])
	}
	_, hist := e.api(agent, "GET", "/tickets/"+m["number"].(string)+"/events", nil)
	if !strings.Contains(fmt.Sprint(hist), "first_contact") {
		t.Errorf("the history does not mark a first-contact resolution: %v", hist)
	}
	if _, errOut, code := e.cli(agent, "ticket", "create", "--type", "incident", "--title", "Half", "--requester-email", "sam@example.com",
		"--resolve-on-first-contact", "solved"); code != 2 || !strings.Contains(errOut, "--resolution-notes") {
		t.Errorf("a code without notes: exit %d, %s", code, errOut)
	}
	if _, errOut, code := e.cli(agent, "ticket", "create", "--type", "incident", "--title", "Odd", "--requester-email", "sam@example.com",
		"--resolve-on-first-contact", "magic", "--resolution-notes", "x"); code != 1 || !strings.Contains(errOut, "resolution_code") {
		t.Errorf("an unknown code: exit %d, %s", code, errOut)
	}
	_, list := e.api(agent, "GET", "/tickets?limit=10", nil)
	if ts, _ := list["tickets"].([]any); len(ts) != 1 {
		t.Errorf("%d tickets stored, want only the resolved one", len(ts))
	}
}
