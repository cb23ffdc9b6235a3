package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLI_Playbook drives playbooks through the real binary: the shipped
// templates listed, one added from a JSON file by the administrator, the
// personal data breach playbook applied to a security case by its owner,
// a task assigned, rescheduled, done and undone; then the bad input: a
// template that is not JSON, an invalid template, an agent adding one, a
// task number that is no number, a time without its offset, and a line-1
// agent who is no member of the case.
func TestCLI_Playbook(t *testing.T) {
	e, admin, sec, agent, num := newSecurityCLICase(t)

	list := e.ok(sec, "playbook", "templates")
	if !strings.Contains(list, "Personal data breach") || !strings.Contains(list, "Утечка персональных данных") {
		t.Errorf("templates:\n%s", list)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "ransomware.json")
	tpl := `{"name": "Ransomware", "lang": "en", "steps": [{"phase": "containment", "title": "Isolate the hosts", "due_after_minutes": 30}]}`
	if err := os.WriteFile(file, []byte(tpl), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := e.ok(admin, "playbook", "template", "add", "--file", file); !strings.Contains(out, "template 3 saved: Ransomware (en, 1 tasks, revision 1)") {
		t.Errorf("add: %s", out)
	}
	if out := e.ok(sec, "playbook", "template", "show", "3"); !strings.Contains(out, "Isolate the hosts") {
		t.Errorf("show: %s", out)
	}
	out := e.ok(sec, "playbook", "apply", num, "--template", "1")
	if !strings.Contains(out, "15 tasks: 0 done, 0 overdue") || !strings.Contains(out, "Confirm that a personal data breach occurred") {
		t.Errorf("apply:\n%s", out)
	}
	_, me := e.api(sec, "GET", "/users/me", nil)
	if out := e.ok(sec, "playbook", "assign", "1", "--user", fmt.Sprint(me["id"])); !strings.Contains(out, "Sasha Security") {
		t.Errorf("assign: %s", out)
	}
	if out := e.ok(sec, "playbook", "due", "1", "--at", "2020-01-01T09:00:00+01:00"); !strings.Contains(out, "overdue, due 2020-01-01T08:00:00Z") {
		t.Errorf("due: %s", out)
	}
	if out := e.ok(sec, "playbook", "done", "1"); !strings.Contains(out, "task 1: done") {
		t.Errorf("done: %s", out)
	}
	if out := e.ok(sec, "playbook", "tasks", num); !strings.Contains(out, "15 tasks: 1 done, 0 overdue") {
		t.Errorf("tasks:\n%s", out)
	}
	if out := e.ok(sec, "playbook", "undo", "1"); !strings.Contains(out, "task 1: overdue") {
		t.Errorf("undo: %s", out)
	}

	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"name": "", "lang": "de", "steps": []}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		who  string
		args []string
		want string
	}{
		{admin, []string{"playbook", "template", "add", "--file", filepath.Join(dir, "none.json")}, "read"},
		{admin, []string{"playbook", "template", "add", "--file", bad}, "422"},
		{admin, []string{"playbook", "template", "add"}, "--file"},
		{agent, []string{"playbook", "template", "add", "--file", file}, "403"},
		{sec, []string{"playbook", "done", "one"}, "TASK"},
		{sec, []string{"playbook", "due", "1", "--at", "2026-12-08 09:00"}, "offset"},
		{sec, []string{"playbook", "apply", num}, "--template"},
		{agent, []string{"playbook", "tasks", num}, "404"},
		{agent, []string{"playbook", "done", "2"}, "404"},
	} {
		if _, errOut, code := e.cli(c.who, c.args...); code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("tierdesk %s: exit %d, stderr %q, want %q", strings.Join(c.args, " "), code, errOut, c.want)
		}
	}
}

// newSecurityCLICase starts the server with a security group (its member
// sec), an administrator, a line-1 agent, and a ticket alice reported that
// the agent marked as a security case (num).
func newSecurityCLICase(t *testing.T) (e *e2e, admin, sec, agent, num string) {
	t.Helper()
	data := t.TempDir()
	e = startServer(t, []string{"--data", data})
	e.dbArgs = []string{"--data", data}
	admin = e.addUser("--email", "admin@example.com", "--name", "Ada Admin", "--role", "admin")
	code, g := e.api(admin, "POST", "/groups", map[string]any{"name": "Security", "line": 2})
	if code != 201 {
		t.Fatalf("group: %d", code)
	}
	gid := fmt.Sprint(g["id"])
	e.ok("", append([]string{"security", "group", gid}, e.dbArgs...)...)
	sec = e.addUser("--email", "sasha@example.com", "--name", "Sasha Security", "--role", "agent", "--group", gid)
	agent = e.addUser("--email", "lena@example.com", "--name", "Lena Agent", "--role", "agent", "--group", "1")
	_, tk := e.api(agent, "POST", "/tickets", map[string]any{"type": "incident", "title": "My account sends spam",
		"requester": map[string]any{"email": "alice@example.com", "name": "Alice"}})
	num = tk["number"].(string)
	if out := e.ok(agent, "security", "mark", num, "--reason", "compromised account"); !strings.Contains(out, "you no longer see it") {
		t.Errorf("mark: %s", out)
	}
	return e, admin, sec, agent, num
}
