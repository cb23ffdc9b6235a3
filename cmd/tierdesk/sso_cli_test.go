package main

import (
	"strings"
	"testing"
)

// TestCLI_SSO manages the mapping rules and settings through the binary:
// an agent is refused, an administrator adds, lists, replaces and deletes
// a rule and turns staff passwords off; bad input is a clear message and a
// non-zero exit.
func TestCLI_SSO(t *testing.T) {
	data := t.TempDir()
	e := startServer(t, []string{"--data", data})
	e.dbArgs = []string{"--data", data}
	admin := e.addUser("--email", "admin@example.com", "--name", "Ada Admin", "--role", "admin")
	agent := e.addUser("--email", "lena@example.com", "--name", "Lena Agent", "--role", "agent")
	if _, errOut, code := e.cli(agent, "sso", "rule", "add", "--value", "helpdesk", "--role", "admin"); code == 0 || !strings.Contains(errOut, "403") {
		t.Fatalf("an agent added a rule: exit %d %s", code, errOut)
	}
	out := e.ok(admin, "sso", "rule", "add", "--value", "helpdesk", "--role", "agent", "--group", "1")
	if !strings.Contains(out, "rule 1: groups = helpdesk -> role agent") {
		t.Errorf("add: %s", out)
	}
	if _, errOut, code := e.cli(admin, "sso", "rule", "add", "--value", "x", "--role", "boss"); code == 0 || !strings.Contains(errOut, "role") {
		t.Errorf("a bad role: exit %d %s", code, errOut)
	}
	if out := e.ok(admin, "sso", "rule", "list"); !strings.Contains(out, "helpdesk") || !strings.Contains(out, "agent") {
		t.Errorf("list: %s", out)
	}
	if out := e.ok(admin, "sso", "rule", "set", "1", "--claim", "roles", "--value", "boss", "--role", "manager"); !strings.Contains(out, "roles = boss -> role manager, group -") {
		t.Errorf("set: %s", out)
	}
	if _, errOut, code := e.cli(admin, "sso", "rule", "set", "x1", "--value", "y"); code == 0 || !strings.Contains(errOut, "rule's number") {
		t.Errorf("a bad id: exit %d %s", code, errOut)
	}
	if out := e.ok(admin, "sso", "settings", "--staff-passwords", "off"); !strings.Contains(out, "staff passwords: off") {
		t.Errorf("settings: %s", out)
	}
	if out := e.ok(admin, "sso", "settings"); !strings.Contains(out, "staff passwords: off") {
		t.Errorf("settings read: %s", out)
	}
	if out := e.ok(admin, "sso", "rule", "delete", "1"); !strings.Contains(out, "rule 1 deleted") {
		t.Errorf("delete: %s", out)
	}
	if _, errOut, code := e.cli(admin, "sso", "rule", "delete", "1"); code == 0 || !strings.Contains(errOut, "404") {
		t.Errorf("delete again: exit %d %s", code, errOut)
	}
}
