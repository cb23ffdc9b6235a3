package mailin_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/mailin"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestPoller_MoveToMissingFolder: after=move to a folder the server has
// not got (it answers NO [TRYCREATE]) creates it, at the first poll and
// again when it was deleted meanwhile, instead of leaving every message in
// INBOX to be read again at every poll.
func TestPoller_MoveToMissingFolder(t *testing.T) {
	srv := startIMAP(t, mailin.TLSNone)
	s := testdb.SQLite(t)
	cfg := srv.mailbox(mailin.TLSNone, nil)
	cfg.After, cfg.MoveTo = mailin.AfterMove, "Done"
	p := newPoller(t, cfg, desk.New(s, desk.SystemClock{}, desk.DefaultConfig))
	srv.deliver(t, mail("a@example.com", "one", "mv1@example.com", "", "1"))
	if res := poll(t, p); res != (mailin.PollResult{Stored: 1}) {
		t.Fatalf("first poll: %+v", res)
	}
	if left, done := srv.flags(t, "INBOX"), srv.flags(t, "Done"); len(left) != 0 || len(done) != 1 {
		t.Fatalf("INBOX %v, Done %v: want the message moved", left, done)
	}
	c := srv.client(t)
	if err := c.Delete("Done").Wait(); err != nil {
		t.Fatal(err)
	}
	c.Logout().Wait()
	srv.deliver(t, mail("b@example.com", "two", "mv2@example.com", "", "2"))
	if res := poll(t, p); res != (mailin.PollResult{Stored: 1}) {
		t.Fatalf("poll after the folder was deleted: %+v", res)
	}
	if left, done := srv.flags(t, "INBOX"), srv.flags(t, "Done"); len(left) != 0 || len(done) != 1 {
		t.Errorf("INBOX %v, Done %v: want the message moved to the folder made again", left, done)
	}
}

// TestPoller_FloodDoesNotStall: 205 mails from one sender over the rate
// limit sit at the head of the mailbox; the next sender's mail is read by
// the second poll instead of waiting behind them for hours.
func TestPoller_FloodDoesNotStall(t *testing.T) {
	srv := startIMAP(t, mailin.TLSNone)
	s := testdb.SQLite(t)
	cfg := desk.DefaultConfig
	cfg.MailTicketsPerHour = 1
	var msgs [][]byte
	for i := range 205 {
		msgs = append(msgs, mail("flood@example.com", fmt.Sprintf("flood %d", i), fmt.Sprintf("flood-%d@example.com", i), "", "x"))
	}
	srv.deliver(t, append(msgs, mail("victim@example.com", "Printer on fire", "victim@example.com", "", "help"))...)
	p := newPoller(t, srv.mailbox(mailin.TLSNone, nil), desk.New(s, desk.SystemClock{}, cfg))
	if res := poll(t, p); res != (mailin.PollResult{Stored: 1, Left: 199}) {
		t.Fatalf("first poll: %+v", res)
	}
	if res := poll(t, p); res != (mailin.PollResult{Stored: 1, Left: 204}) {
		t.Fatalf("second poll: %+v, want the victim's mail stored and the flood left", res)
	}
	var n int
	if err := s.DB().QueryRow("SELECT count(*) FROM tickets WHERE title = 'Printer on fire'").Scan(&n); err != nil || n != 1 {
		t.Errorf("the victim's tickets: %d, %v", n, err)
	}
}

// TestPoller_TooLargeKeptAndReported: a message over the size limit is
// never deleted unread, even with after=delete: it stays in the mailbox,
// flagged; its sender and the staff are told by a ticket registered from
// its header (saying it was not read), the administrators find it in the
// mailbox's health (who sent it, why it was refused), and it is not read
// again.
func TestPoller_TooLargeKeptAndReported(t *testing.T) {
	srv := startIMAP(t, mailin.TLSNone)
	s := testdb.SQLite(t)
	cfg := srv.mailbox(mailin.TLSNone, nil)
	cfg.After, cfg.MaxBytes = mailin.AfterDelete, 2_000
	p := newPoller(t, cfg, desk.New(s, desk.SystemClock{}, desk.DefaultConfig))
	srv.deliver(t, mail("Big Sender <big@example.com>", "Scan of the contract", "big@example.com", "", strings.Repeat("scan ", 1_000)),
		mail("small@example.com", "Short", "small@example.com", "", "hi"))
	if res := poll(t, p); res != (mailin.PollResult{Stored: 1, Refused: 1}) {
		t.Fatalf("poll: %+v", res)
	}
	left := srv.flags(t, "INBOX")
	if len(left) != 1 || !strings.HasPrefix(left[0], "<big@example.com>") && !strings.HasPrefix(left[0], "big@example.com") ||
		strings.Contains(left[0], `\Deleted`) || strings.Contains(left[0], `\Seen`) || !strings.Contains(left[0], `\Flagged`) {
		t.Fatalf("INBOX %v: want only the large message, kept unread and flagged", left)
	}
	h := p.Health()
	if h.Refused[mailin.RefusedTooLarge] != 1 || len(h.LastRefused) != 1 || h.Stored != 1 {
		t.Fatalf("health %+v", h)
	}
	if r := h.LastRefused[0]; r.From != "big@example.com" || r.Subject != "Scan of the contract" || r.Reason != mailin.RefusedTooLarge ||
		!strings.Contains(r.Detail, "over the limit of 2000") || !strings.Contains(r.Detail, "INC-000001") {
		t.Errorf("refused message %+v", r)
	}
	tk, err := s.GetTicketByNumber(t.Context(), "INC-000001")
	if err != nil {
		t.Fatal(err)
	}
	if tk.Title != "Scan of the contract" || tk.Requester.Email != "big@example.com" || !strings.Contains(tk.Description, "This message was not read") ||
		!strings.Contains(tk.Description, "larger than the service desk accepts (2000 bytes)") {
		t.Errorf("the sender's ticket: %q from %s: %q", tk.Title, tk.Requester.Email, tk.Description)
	}
	outbox, err := s.Outbox(t.Context(), tk.ID)
	if err != nil || len(outbox) == 0 || outbox[0].Kind != desk.OutboxRegistered {
		t.Errorf("outbox of the sender's ticket: %+v, %v: want the acknowledgement to the sender", outbox, err)
	}
	if res := poll(t, p); res != (mailin.PollResult{}) {
		t.Errorf("next poll: %+v, want nothing", res)
	}
	if n := tickets(t, s); n != 2 {
		t.Errorf("%d tickets, want 2", n)
	}
}

// TestPoller_BackoffOnFailure: a wrong password fails the poll, and the
// mailbox's health says so and when the poller tries again, later after
// each failure; a poll that works clears it.
func TestPoller_BackoffOnFailure(t *testing.T) {
	srv := startIMAP(t, mailin.TLSNone)
	s := testdb.SQLite(t)
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	cfg := srv.mailbox(mailin.TLSNone, nil)
	cfg.Password, cfg.Interval, cfg.Now = "wrong", time.Minute, func() time.Time { return now }
	p := newPoller(t, cfg, desk.New(s, desk.SystemClock{}, desk.DefaultConfig))
	var retries []time.Duration
	for range 3 {
		if _, err := p.Poll(t.Context()); err == nil {
			t.Fatal("a wrong password polled")
		}
		retries = append(retries, p.Health().RetryAt.Sub(now))
	}
	h := p.Health()
	if h.Failures != 3 || !strings.Contains(h.LastError, "login") || fmt.Sprint(retries) != "[2m0s 4m0s 8m0s]" {
		t.Errorf("health %+v, retries %v: want 3 failures, backing off 2, 4, 8 minutes", h, retries)
	}
}
