package main

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestMajorCLI runs a major incident from the command line against the
// served binary: declare with a child, post an update, publish, and read
// the public status page the same binary serves; bad input exits non-zero.
func TestMajorCLI(t *testing.T) {
	e := startServer(t, []string{"--data", t.TempDir()})
	admin := e.addUser("--email", "admin@example.com", "--name", "Ada Admin", "--role", "admin")
	agent := e.addUser("--email", "lena@example.com", "--name", "Lena Internal", "--group", "1")
	_, me := e.api(agent, "GET", "/users/me", nil)
	lena := fmt.Sprint(me["id"])
	_, p := e.api(agent, "POST", "/tickets", map[string]any{"type": "incident", "title": "Relay mx3 full", "impact": "high", "urgency": "high",
		"requester": map[string]any{"email": "anna@example.com"}})
	_, k := e.api(agent, "POST", "/tickets", map[string]any{"type": "incident", "title": "No mail", "requester": map[string]any{"email": "boris@example.com"}})
	if _, errOut, code := e.cli(agent, "major", "declare", fmt.Sprint(p["number"])); code != 2 || !strings.Contains(errOut, "--commander") {
		t.Fatalf("declare without a commander: exit %d %s", code, errOut)
	}
	out := e.ok(agent, "major", "declare", fmt.Sprint(p["number"]), "--commander", lena, "--child", fmt.Sprint(k["number"]), "--bridge", "https://meet.example.com/r")
	id := regexp.MustCompile(`major incident (\d+) on`).FindStringSubmatch(out)
	if id == nil {
		t.Fatalf("declare: %s", out)
	}
	if out := e.ok(agent, "major", "update", id[1], "--affected", "Sending mail", "--doing", "Replacing the relay disk"); !strings.Contains(out, "2 recipients") {
		t.Errorf("update: %s", out)
	}
	if _, errOut, code := e.cli(agent, "major", "update", id[1], "--affected", "x", "--doing", "y", "--next", "1"); code != 1 || !strings.Contains(errOut, "422") {
		t.Errorf("next update in a minute: exit %d %s", code, errOut)
	}
	status, comp := e.api(admin, "POST", "/status-components", map[string]any{"name": "Mail delivery"})
	if status != 201 {
		t.Fatalf("component %d", status)
	}
	e.ok(agent, "major", "publish", id[1], "--name", "Mail is slow", "--body", "Some mail is late.", "--component", fmt.Sprint(comp["id"])+"=partial_outage")
	var page string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		res, err := http.Get(e.base + "/status")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if page = string(b); strings.Contains(page, "Mail is slow") {
			break
		}
	}
	if !strings.Contains(page, "Some mail is late.") || strings.Contains(page, "mx3") || strings.Contains(page, "Lena") {
		t.Fatalf("status page:\n%s", page)
	}
	if list := e.ok(agent, "major", "list"); !strings.Contains(list, "Relay mx3 full") {
		t.Errorf("list: %s", list)
	}
}
