package main

import (
	"encoding/json"
	"net"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// bouncingSession accepts everything except mail to bounce@example.com,
// which it refuses for good (550), so a notification fails.
type bouncingSession struct{ relaySession }

func (s *bouncingSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if to == "bounce@example.com" {
		return &smtp.SMTPError{Code: 550, Message: "no such user"}
	}
	return nil
}

// TestCLI_NotificationCommands drives `user prefs`, `ticket call` and
// `outbox list|retry` through the real binary against a running server
// that delivers through a real relay.
func TestCLI_NotificationCommands(t *testing.T) {
	rec := &relayRecorder{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &bouncingSession{relaySession{r: rec, authed: true}}, nil
	}))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	data := t.TempDir()
	e := startServer(t, []string{"--data", data, "--smtp-relay", l.Addr().String(), "--smtp-relay-tls", "none",
		"--smtp-relay-poll", "100ms", "--mail-from", "desk@desk.example.com", "--mail-language", "ru",
		"--mail-time-zone", "Europe/Moscow"})
	e.dbArgs = []string{"--data", data}
	admin := e.addUser("--email", "admin@example.com", "--name", "Ada Admin", "--role", "admin")

	// Preferences: the desk's defaults, a change, a refused change.
	out := e.ok(admin, "user", "prefs")
	if !strings.Contains(out, "language ru, time zone Europe/Moscow") || !strings.Contains(out, "sla_breached") {
		t.Errorf("prefs:\n%s", out)
	}
	out = e.ok(admin, "user", "prefs", "--language", "en", "--time-zone", "Asia/Tokyo", "--off", "comment,on_hold")
	for _, re := range []string{`language en, time zone Asia/Tokyo`, `(?m)^\s+comment\s+off$`, `(?m)^\s+on_hold\s+off$`,
		`(?m)^\s+resolved\s+on$`, `(?m)^\s+page\s+on \(always\)$`} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("prefs after change lack %s:\n%s", re, out)
		}
	}
	var p struct{ Notifications map[string]bool }
	if err := json.Unmarshal([]byte(e.ok(admin, "user", "prefs", "--json")), &p); err != nil || p.Notifications["comment"] ||
		!p.Notifications["resolved"] {
		t.Errorf("prefs --json: %+v %v", p, err)
	}
	_, errOut, code := e.cli(admin, "user", "prefs", "--off", "sla_breached")
	if code != 1 || !strings.Contains(errOut, "cannot be turned off") {
		t.Errorf("turning breaches off: exit %d, %s", code, errOut)
	}
	if _, _, code := e.cli(admin, "user", "prefs", "--user", "nobody"); code != 2 {
		t.Errorf("--user nobody: exit %d, want 2", code)
	}

	// A ticket for a requester whose mailbox bounces: the receipt fails.
	tk := e.ticketJSON(admin, "create", "--type", "incident", "--title", "Laptop stolen", "--requester-email", "bounce@example.com")
	number := tk["number"].(string)
	var failedID string
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) && failedID == "" {
		out = e.ok(admin, "outbox", "list", "--state", "failed")
		for _, line := range strings.Split(out, "\n")[1:] {
			if f := strings.Fields(line); len(f) > 2 && f[2] == "ticket_registered" {
				failedID = f[0]
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if failedID == "" || !strings.Contains(out, "550") {
		t.Fatalf("no failed receipt in:\n%s", out)
	}
	if out := e.ok(admin, "outbox", "retry", failedID); !strings.Contains(out, "message "+failedID+" (ticket_registered) queued again") {
		t.Errorf("retry: %s", out)
	}
	// The relay refuses it again: it is tried once more and fails again.
	deadline = time.Now().Add(15 * time.Second)
	for {
		out = e.ok(admin, "outbox", "list", "--state", "failed", "--json")
		var page struct {
			Messages []struct{ ID, Attempts int64 }
		}
		if err := json.Unmarshal([]byte(out), &page); err != nil {
			t.Fatal(err)
		}
		if len(page.Messages) == 1 && strconv.FormatInt(page.Messages[0].ID, 10) == failedID && page.Messages[0].Attempts == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("retried message not failed again after one attempt:\n%s", out)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, _, code := e.cli(admin, "outbox", "retry", "x1"); code != 2 {
		t.Errorf("retry x1: exit %d, want 2", code)
	}

	// Calls: schedule, list, cancel.
	start := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Minute).Format(time.RFC3339)
	out = e.ok(admin, "ticket", "call", number, "--start", start, "--minutes", "45", "--video", "https://meet.example.com/r1",
		"--note", "Bring the serial number")
	if !strings.Contains(out, "scheduled") || !strings.Contains(out, "https://meet.example.com/r1") {
		t.Fatalf("call:\n%s", out)
	}
	callID := strings.Fields(strings.Split(out, "\n")[1])[0]
	if out := e.ok(admin, "ticket", "call", number, "--list"); !strings.Contains(out, start) || !strings.Contains(out, "45") {
		t.Errorf("call --list:\n%s", out)
	}
	if out := e.ok(admin, "ticket", "call", number, "--cancel", callID); !strings.Contains(out, "canceled") {
		t.Errorf("call --cancel:\n%s", out)
	}
	if _, errOut, code := e.cli(admin, "ticket", "call", number, "--cancel", callID); code != 1 || !strings.Contains(errOut, "409") {
		t.Errorf("cancel twice: exit %d %s", code, errOut)
	}
	if _, _, code := e.cli(admin, "ticket", "call", number, "--start", start, "--video", "ftp://x"); code != 1 {
		t.Errorf("ftp link: exit %d, want 1 (422)", code)
	}
	for _, args := range [][]string{{"ticket", "call", number}, {"ticket", "call", number, "--list", "--cancel", "1"},
		{"ticket", "call", number, "--start", "tomorrow", "--phone", "1"}} {
		if _, _, code := e.cli(admin, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
