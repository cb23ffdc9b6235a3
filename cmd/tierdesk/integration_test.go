package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestIntegrationCLI creates an integration with the real binary, adds
// rules, posts an alert to the webhook URL it printed with the token it
// printed, sees the counters, rotates the token and deletes it.
func TestIntegrationCLI(t *testing.T) {
	e := startServer(t, []string{"--data", t.TempDir()})
	admin := e.addUser("--email", "admin@example.com", "--name", "Ada Admin", "--role", "admin")
	agent := e.addUser("--email", "lena@example.com", "--name", "Lena L1", "--group", "1")

	if _, errOut, code := e.cli(agent, "integration", "create", "--kind", "generic", "--name", "x"); code != 1 || !strings.Contains(errOut, "403") {
		t.Fatalf("an agent creating an integration: exit %d, %s", code, errOut)
	}
	out := e.ok(admin, "integration", "create", "--kind", "generic", "--name", "backups", "--rate-limit", "100", "--flap-window", "10m")
	m := regexp.MustCompile(`integration\s+(\d+) backups \(generic\)\nurl\s+(\S+)\ntoken\s+(tdi_\S+)`).FindStringSubmatch(out)
	if m == nil || m[2] != e.base+"/api/v1/alerts" || !strings.Contains(out, "100 alerts/min, flap window 10m0s") {
		t.Fatalf("create printed:\n%s", out)
	}
	id, token := m[1], m[3]

	if _, _, code := e.cli(admin, "integration", "rule", "add", id, "--match", "host"); code != 2 {
		t.Fatalf("a matcher without an operator: exit %d, want 2", code)
	}
	e.ok(admin, "integration", "rule", "add", id, "--name", "nas", "--match", "host=~nas.*", "--impact", "low", "--urgency", "low")
	e.ok(admin, "integration", "rule", "add", id, "--position", "1", "--severity", "critical", "--impact", "high", "--urgency", "high", "--auto-resolve")
	out = e.ok(admin, "integration", "rule", "default", id, "--urgency", "medium")
	if !regexp.MustCompile(`rule 1\s+severity \[critical\] → impact=high urgency=high auto-resolve\nrule 2\s+"nas" when host=~"nas\.\*" → impact=low urgency=low\ndefault rule\s+→ urgency=medium`).MatchString(out) {
		t.Fatalf("rules:\n%s", out)
	}
	if _, errOut, code := e.cli(admin, "integration", "rule", "add", id, "--match", "host=~(("); code != 1 || !strings.Contains(errOut, "rules[2].matchers[0].value") {
		t.Fatalf("a bad regexp: exit %d, %s", code, errOut)
	}

	status, rc := e.api(token, "POST", "/alerts", map[string]any{"summary": "Backup of nas2 failed", "labels": map[string]string{"host": "nas2"}})
	if status != 202 {
		t.Fatalf("webhook answered %d: %v", status, rc)
	}
	tk := e.ticketJSON(agent, "show", "INC-000001")
	want(t, tk, "channel", "monitoring")
	want(t, tk, "priority", "P4")

	if list := e.ok(admin, "integration", "list"); !regexp.MustCompile(id + `\s+generic\s+backups\s+2\s+1\s+0\s+0\s+1\s+\d{4}-`).MatchString(list) {
		t.Fatalf("list:\n%s", list)
	}
	out = e.ok(admin, "integration", "rotate", id)
	if !strings.Contains(out, "token") || strings.Contains(out, token) {
		t.Fatalf("rotate printed:\n%s", out)
	}
	if status, _ := e.api(token, "POST", "/alerts", map[string]any{"summary": "x"}); status != 401 {
		t.Fatalf("the old token after rotation: %d", status)
	}
	e.ok(admin, "integration", "rule", "delete", id, "1")
	if show := e.ok(admin, "integration", "show", id); strings.Contains(show, "rule 2") || !regexp.MustCompile(`rule 1\s+"nas"`).MatchString(show) {
		t.Fatalf("after deleting rule 1:\n%s", show)
	}
	e.ok(admin, "integration", "delete", id)
	if _, errOut, code := e.cli(admin, "integration", "show", id); code != 1 || !strings.Contains(errOut, "404") {
		t.Fatalf("show after delete: exit %d, %s", code, errOut)
	}
}
