package main

import (
	"fmt"
	"strings"
	"testing"
)

// TestCLI_Checklists drives diagnosis checklists through the real
// binary: an administrator writes one in both languages and requires
// answers, an agent is refused an escalation without them, answers, and
// escalates; line 2 reads the answers; bad input is named.
func TestCLI_Checklists(t *testing.T) {
	data := t.TempDir()
	e := startServer(t, []string{"--data", data})
	e.dbArgs = []string{"--data", data}
	admin := e.addUser("--email", "admin@example.com", "--name", "Ada Admin", "--role", "admin")
	_, cat := e.api(admin, "POST", "/categories", map[string]any{"name": "Printers"})
	_, grp := e.api(admin, "POST", "/groups", map[string]any{"name": "Network", "line": 2})
	agent := e.addUser("--email", "agent@example.com", "--name", "Alan Agent", "--role", "agent", "--group", "1")
	nick := e.addUser("--email", "nick@example.com", "--name", "Nick Network", "--role", "agent", "--group", fmt.Sprint(grp["id"]))
	catID := fmt.Sprint(cat["id"])
	out := e.ok(admin, "checklist", "create", "--category", catID,
		"--question", "yes_no:Does a test page print? | Печатается ли пробная страница?", "--question", "text:Что написано на панели?")
	if !strings.Contains(out, "Checklist 1 (version 1): Printers, service (any)") || !strings.Contains(out, "2. [text] Что написано на панели?") {
		t.Fatalf("create: %s", out)
	}
	if _, errOut, code := e.cli(admin, "checklist", "create", "--category", catID, "--question", "maybe:Plugged in?"); code == 0 || !strings.Contains(errOut, "yes_no or text") {
		t.Errorf("a bad kind: exit %d %s", code, errOut)
	}
	if _, errOut, code := e.cli(admin, "checklist", "create", "--category", catID, "--question", "yes_no:Again?"); code == 0 || !strings.Contains(errOut, "409") {
		t.Errorf("a second checklist of the category: exit %d %s", code, errOut)
	}
	if _, errOut, code := e.cli(agent, "checklist", "mode", "require"); code == 0 || !strings.Contains(errOut, "403") {
		t.Errorf("an agent sets the mode: exit %d %s", code, errOut)
	}
	if out := e.ok(admin, "checklist", "mode", "require"); strings.TrimSpace(out) != "require" {
		t.Errorf("mode: %q", out)
	}
	_, tk := e.api(agent, "POST", "/tickets", map[string]any{"type": "incident", "title": "Printer offline", "category_id": cat["id"],
		"requester": map[string]any{"email": "sam@example.com", "name": "Sam Seller"}})
	num := tk["number"].(string)
	if out := e.ok(agent, "checklist", "ticket", num); !strings.Contains(out, "not answered (escalating unanswered: require)") {
		t.Errorf("ticket before answering: %s", out)
	}
	group := fmt.Sprint(grp["id"])
	if _, errOut, code := e.cli(agent, "ticket", "escalate", num, "--group", group, "--reason", "network"); code == 0 || !strings.Contains(errOut, "diagnosis_skipped") {
		t.Errorf("escalate unanswered: exit %d %s", code, errOut)
	}
	if _, errOut, code := e.cli(agent, "checklist", "answer", num, "--answer", "perhaps", "--answer", "E-13"); code == 0 || !strings.Contains(errOut, "answers[0]") {
		t.Errorf("a bad answer: exit %d %s", code, errOut)
	}
	e.ok(agent, "checklist", "answer", num, "--answer", "no", "--answer", "E-13 замятие бумаги")
	e.ok(agent, "ticket", "escalate", num, "--group", group, "--reason", "network")
	out = e.ok(nick, "checklist", "ticket", num)
	for _, want := range []string{"answered (escalating", "Answered by Alan Agent", "Does a test page print? | Печатается ли пробная страница? — no", "E-13 замятие бумаги"} {
		if !strings.Contains(out, want) {
			t.Errorf("line 2 reads no %q:\n%s", want, out)
		}
	}
	if _, errOut, code := e.cli(admin, "checklist", "show", "abc"); code == 0 || !strings.Contains(errOut, "by its id") {
		t.Errorf("a checklist named by text: exit %d %s", code, errOut)
	}
}
