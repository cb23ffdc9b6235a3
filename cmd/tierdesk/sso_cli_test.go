package main

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/testbin"
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

// TestServe_SSOSessionMaxChecked: a single sign-on session length under a
// minute, or an unreadable one in the environment, is a usage error (exit
// 2) before anything is opened.
func TestServe_SSOSessionMaxChecked(t *testing.T) {
	bin := testbin.Build(t)
	for _, c := range []struct{ args, env []string }{
		{[]string{"--sso-session-max", "0"}, nil},
		{[]string{"--sso-session-max", "30s"}, nil},
		{nil, []string{"TIERDESK_SSO_SESSION_MAX=a day"}},
	} {
		cmd := exec.Command(bin, append([]string{"serve", "--database", "postgres://127.0.0.1:1/x"}, c.args...)...)
		cmd.Env = append(testbin.CleanEnv(), c.env...)
		out, _ := cmd.CombinedOutput()
		if code := cmd.ProcessState.ExitCode(); code != 2 || !strings.Contains(string(out), "SSO_SESSION_MAX") && !strings.Contains(string(out), "--sso-session-max") {
			t.Errorf("serve %v %v: exit %d, want 2 naming the setting\n%s", c.args, c.env, code, out)
		}
	}
}
