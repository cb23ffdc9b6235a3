package main

import (
	"context"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlite"
	"github.com/tierdesk/tierdesk/internal/testbin"
)

// relayRecorder is an SMTP relay on 127.0.0.1:0 that wants AUTH PLAIN and
// records the raw messages it accepts.
type relayRecorder struct {
	mu   sync.Mutex
	msgs []string
}

type relaySession struct {
	r      *relayRecorder
	authed bool
}

func (s *relaySession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *relaySession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "desk" || pass != "relay-secret" {
			return &smtp.SMTPError{Code: 535, Message: "bad credentials"}
		}
		s.authed = true
		return nil
	}), nil
}
func (s *relaySession) Reset()        {}
func (s *relaySession) Logout() error { return nil }
func (s *relaySession) Mail(string, *smtp.MailOptions) error {
	if !s.authed {
		return &smtp.SMTPError{Code: 530, Message: "AUTH first"}
	}
	return nil
}
func (s *relaySession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *relaySession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.r.mu.Lock()
	s.r.msgs = append(s.r.msgs, string(b))
	s.r.mu.Unlock()
	return nil
}

// TestServe_Notifications starts `tierdesk serve --smtp-relay` with the
// password in a file: a queued notification goes out through the relay
// with AUTH and shows as sent in GET /outbox, and every message links its
// ticket at --public-url (serve once passed no URL to the worker).
func TestServe_Notifications(t *testing.T) {
	rec := &relayRecorder{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &relaySession{r: rec}, nil }))
	srv.AllowInsecureAuth = true
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	data := t.TempDir()
	pwFile := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pwFile, []byte("relay-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e := startServer(t, []string{"--data", data, "--smtp-relay", l.Addr().String(), "--smtp-relay-tls", "none",
		"--smtp-relay-user", "desk", "--smtp-relay-password-file", pwFile, "--smtp-relay-poll", "100ms",
		"--mail-from", "desk@desk.example.com", "--public-url", "https://desk.example.com/"})
	e.dbArgs = []string{"--data", data}
	admin := e.addUser("--email", "admin@example.com", "--name", "Ada Admin", "--role", "admin")
	status, tk := e.api(admin, "POST", "/tickets", map[string]any{"type": "incident", "title": "VPN down",
		"description": "Since 09:00", "requester": map[string]any{"name": "Sam Seller", "email": "sam@example.com"}})
	if status != 201 {
		t.Fatalf("create ticket: %d %v", status, tk)
	}
	_, me := e.api(admin, "GET", "/users/me", nil)
	queue(t, filepath.Join(data, "tierdesk.db"), int64(tk["id"].(float64)), int64(me["id"].(float64)))

	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if _, list := e.api(admin, "GET", "/outbox?state=sent", nil); len(list["messages"].([]any)) == 2 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	rec.mu.Lock()
	msgs := append([]string(nil), rec.msgs...)
	rec.mu.Unlock()
	// Sam's registration receipt, then the breach notice.
	if len(msgs) != 2 || !strings.Contains(msgs[0], "[INC-000001] Registered: VPN down") ||
		!strings.Contains(msgs[1], "[INC-000001] SLA breached") || !strings.Contains(msgs[1], "@desk.example.com>") ||
		!strings.Contains(msgs[1], "Auto-Submitted: auto-generated") {
		_, q := e.api(admin, "GET", "/outbox?state=queued", nil)
		_, f := e.api(admin, "GET", "/outbox?state=failed", nil)
		t.Fatalf("relay got %q; queued %v; failed %v", msgs, q, f)
	}
	for i, m := range msgs {
		if !strings.Contains(m, "https://desk.example.com/tickets/INC-000001") {
			t.Errorf("message %d has no link to the ticket at the public URL:\n%s", i, m)
		}
	}
	_, sent := e.api(admin, "GET", "/outbox?state=sent", nil)
	if m := sent["messages"].([]any); len(m) != 2 || m[0].(map[string]any)["message_id"] == nil {
		t.Errorf("GET /outbox?state=sent = %v", sent)
	}
}

// queue writes one SLA breach notice for the user into the server's
// database, as the SLA runner would.
func queue(t *testing.T, path string, ticketID, userID int64) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tk, err := st.GetTicket(ctx, ticketID)
	if err != nil {
		t.Fatal(err)
	}
	err = st.HandleTimer(ctx, desk.TimerOutcome{Ticket: tk, Outbox: []desk.OutboxMessage{{Kind: desk.OutboxSLABreached,
		TicketID: ticketID, UserID: userID, Payload: map[string]string{"ticket": tk.Number, "title": tk.Title,
			"priority": string(tk.Priority), "clock": "response", "percent": "100"}}}})
	if err != nil {
		t.Fatal(err)
	}
}

func TestServe_RelayFlagsChecked(t *testing.T) {
	bin := testbin.Build(t)
	for _, args := range [][]string{
		{"--smtp-relay-tls", "sometimes"},
		{"--smtp-relay", "no-port"},
	} {
		cmd := exec.Command(bin, append([]string{"serve", "--database", "postgres://127.0.0.1:1/x"}, args...)...)
		cmd.Env = testbin.CleanEnv()
		out, _ := cmd.CombinedOutput()
		if code := cmd.ProcessState.ExitCode(); code != 2 {
			t.Errorf("serve %v: exit %d, want 2\n%s", args, code, out)
		}
	}
}
