package notify_test

import (
	"context"
	"net/smtp"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/mailin"
	"github.com/tierdesk/tierdesk/internal/notify"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// A notification delivered through SMTP, answered by its recipient through
// our own inbound listener, threads back to the ticket by In-Reply-To; and
// a notification that loops back into the listener (the relay delivers to
// the desk's own address) opens nothing, for it is Auto-Submitted.
func TestWorker_ReplyThreadsThroughMailin(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		in, err := mailin.Listen(mailin.Config{Addr: "127.0.0.1:0", Domain: "desk.example.com"}, f.d)
		must(t, err)
		in.Start()
		t.Cleanup(func() { in.Shutdown(context.Background()) })

		tk := f.breach("VPN concentrator down")
		if res := f.run(f.worker(nil)); res.Sent != 2 {
			t.Fatalf("delivery: %+v", res)
		}
		var msgID, subject string
		for _, m := range f.smtp.messages() {
			if m.To[0] == "boss@example.com" {
				msgID, subject = m.Env.GetHeader("Message-Id"), m.Env.GetHeader("Subject")
			}
		}
		if msgID == "" {
			t.Fatal("no notification to the manager")
		}
		reply := "From: Boss <boss@example.com>\r\nTo: desk@example.com\r\nSubject: Re: " + subject +
			"\r\nMessage-ID: <reply-1@example.com>\r\nIn-Reply-To: " + msgID + "\r\nReferences: " + msgID +
			"\r\nDate: " + time.Now().Format(time.RFC1123Z) + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
			"Calling the vendor now.\r\n\r\n> Ticket " + tk.Number + " has breached its response target.\r\n"
		must(t, smtp.SendMail(in.Addr().String(), nil, "boss@example.com", []string{"desk@example.com"}, []byte(reply)))
		if body := lastPublicComment(t, f, tk); !strings.Contains(body, "Calling the vendor now.") {
			t.Errorf("last public comment on %s = %q, want the reply", tk.Number, body)
		}

		// The next notification about the ticket continues its thread.
		cur, err := f.store.GetTicket(context.Background(), tk.ID)
		must(t, err)
		must(t, f.store.HandleTimer(context.Background(), desk.TimerOutcome{Ticket: cur, Outbox: []desk.OutboxMessage{
			{Kind: desk.OutboxSLAWarning, TicketID: tk.ID, GroupID: cur.Group.ID, Payload: map[string]string{"ticket": tk.Number}}}}))
		// The boss's reply told Sam (first response), then the warning.
		if res := f.run(f.worker(nil)); res.Sent != 2 {
			t.Fatalf("follow-up delivery: %+v", res)
		}
		all := f.smtp.messages()
		next := all[len(all)-1].Env
		first := all[0].Env.GetHeader("Message-Id")
		if got := next.GetHeader("In-Reply-To"); got != first {
			t.Errorf("In-Reply-To = %q, want the ticket's first message %q", got, first)
		}
		if refs := next.GetHeader("References"); !strings.Contains(refs, "<reply-1@example.com>") || !strings.HasPrefix(refs, first) {
			t.Errorf("References = %q, want the thread from %s through the reply", refs, first)
		}

		// The relay hands a notification to the desk itself: dropped.
		before := ticketCount(t, f)
		f.breach("Storage array degraded")
		loop := notify.New(f.store, f.store, &notify.SMTP{Relay: in.Addr().String(), TLS: notify.TLSNone},
			f.clock, notify.Config{Domain: "desk.example.com", From: "desk@example.com"}, nil)
		if res := f.run(loop); res.Sent != 2 {
			t.Fatalf("loop delivery: %+v", res)
		}
		if n := ticketCount(t, f); n != before+1 {
			t.Errorf("tickets after a notification looped back: %d, want %d (only the breached one)", n, before+1)
		}
	})
}

func lastPublicComment(t *testing.T, f *fixture, tk *desk.Ticket) string {
	t.Helper()
	page, err := f.d.Events(f.admin, tk.Number, desk.EventFilter{Limit: desk.MaxPageSize})
	must(t, err)
	body := ""
	for _, e := range page.Events {
		if e.Kind == desk.EventComment && e.Public {
			body = e.Body
		}
	}
	return body
}

func ticketCount(t *testing.T, f *fixture) int {
	t.Helper()
	page, err := f.d.ListTickets(f.admin, desk.TicketFilter{Limit: desk.MaxPageSize})
	must(t, err)
	return len(page.Tickets)
}
