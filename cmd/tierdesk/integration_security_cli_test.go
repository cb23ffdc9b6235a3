package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestCLI_IntegrationRuleSecurity: a rule added with --security is listed
// as opening security cases; on a desk with no security group it is
// refused with the field named and a non-zero exit, and once a security
// group exists an alert it matches opens a case line 1 does not see.
func TestCLI_IntegrationRuleSecurity(t *testing.T) {
	data := t.TempDir()
	e := startServer(t, []string{"--data", data})
	e.dbArgs = []string{"--data", data}
	admin := e.addUser("--email", "admin@example.com", "--name", "Ada Admin", "--role", "admin")
	agent := e.addUser("--email", "lena@example.com", "--name", "Lena L1", "--role", "agent", "--group", "1")
	out := e.ok(admin, "integration", "create", "--kind", "generic", "--name", "siem")
	m := regexp.MustCompile(`integration\s+(\d+) siem \(generic\)\nurl\s+\S+\ntoken\s+(tdi_\S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("create printed:\n%s", out)
	}
	id, token := m[1], m[2]
	if _, errOut, code := e.cli(admin, "integration", "rule", "add", id, "--match", "source=siem", "--security"); code == 0 || !strings.Contains(errOut, "security") {
		t.Fatalf("a security rule with no security group: exit %d, %s", code, errOut)
	}
	if code, g := e.api(admin, "POST", "/groups", map[string]any{"name": "Security", "line": 2}); code != 201 {
		t.Fatalf("group: %d %v", code, g)
	}
	e.ok("", append([]string{"security", "group", "2"}, e.dbArgs...)...)
	out = e.ok(admin, "integration", "rule", "add", id, "--match", "source=siem", "--security")
	if !strings.Contains(out, `when source="siem" → security-case`) {
		t.Fatalf("rules:\n%s", out)
	}
	if code, _ := e.api(token, "POST", "/alerts", map[string]any{"summary": "Credential stuffing on the VPN",
		"labels": map[string]string{"source": "siem"}}); code >= 300 {
		t.Fatalf("alert: %d", code)
	}
	if out := e.ok(agent, "ticket", "list"); strings.Contains(out, "Credential stuffing") {
		t.Errorf("line 1 lists the security case:\n%s", out)
	}
}
