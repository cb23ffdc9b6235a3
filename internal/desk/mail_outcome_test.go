package desk_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// mailDesk is a desk on SQLite whose first mail, first, opened a ticket.
func mailDesk(t *testing.T, first desk.InboundMail) (*desk.Desk, desk.MailOutcome) {
	t.Helper()
	clock := testdb.NewClock(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
	d := desk.New(testdb.SQLite(t, sqlstore.WithClock(clock)), clock, desk.DefaultConfig)
	out, err := d.ReceiveMail(context.Background(), first)
	if err != nil || out.Action != desk.MailTicketCreated {
		t.Fatalf("the first mail: %+v, %v", out, err)
	}
	return d, out
}

// TestReceiveMail_BounceNote: a bounce of a message stored on a ticket
// becomes a work note that names the failed recipients ("the recipient"
// when the report names none) and, when the bounce has one, its subject
// (what the mail server said went wrong); a bounce without a subject gets
// no empty "Bounce subject:" line.
func TestReceiveMail_BounceNote(t *testing.T) {
	ctx := context.Background()
	d, first := mailDesk(t, desk.InboundMail{MessageID: "printer@example.org", FromAddress: "ops@example.org",
		Subject: "Printer", Text: "Printer jammed.", Kind: desk.MailNormal})
	gone := []string{"gone@example.org"}
	for i, c := range []struct {
		subject   string
		to        []string
		want, not string
	}{
		{"Undelivered Mail Returned to Sender", gone, "\nBounce subject: Undelivered Mail Returned to Sender", ""},
		{"", gone, "Delivery failed to gone@example.org (message printer@example.org).", "Bounce subject"},
		{"", nil, "Delivery failed to the recipient (message printer@example.org).", "Bounce subject"},
	} {
		out, err := d.ReceiveMail(ctx, desk.InboundMail{MessageID: fmt.Sprintf("bounce-%d@mx.example.org", i),
			FromAddress: "mailer-daemon@mx.example.org", Subject: c.subject, Kind: desk.MailBounce,
			BounceOf: "printer@example.org", BounceRecipients: c.to})
		if err != nil || out.Action != desk.MailWorkNote {
			t.Fatalf("bounce %q: %+v, %v; want a work note", c.subject, out, err)
		}
		page, err := d.Events(desk.AsSystem(ctx), first.Ticket.Number, desk.EventFilter{})
		if err != nil {
			t.Fatal(err)
		}
		last := page.Events[len(page.Events)-1]
		if last.Kind != desk.EventWorkNote || !strings.Contains(last.Body, c.want) ||
			(c.not != "" && strings.Contains(last.Body, c.not)) {
			t.Errorf("bounce %q: last event %s %q, want a work note with %q", c.subject, last.Kind, last.Body, c.want)
		}
	}
}

// TestReceiveMail_ReplyOutcome: a reply threaded into an open ticket is
// answered "commented" with that ticket, which is what the SMTP and IMAP
// intake log and count; the comment alone being written is not enough.
func TestReceiveMail_ReplyOutcome(t *testing.T) {
	d, first := mailDesk(t, desk.InboundMail{MessageID: "scanner@example.org", FromAddress: "pat@example.org",
		Subject: "Scanner offline", Text: "The scanner on floor 2 is offline.", Kind: desk.MailNormal})
	out, err := d.ReceiveMail(context.Background(), desk.InboundMail{MessageID: "scanner-2@example.org", FromAddress: "pat@example.org",
		ThreadIDs: []string{"scanner@example.org"}, Subject: "Re: Scanner offline", ReplyText: "Still offline.",
		Text: "Still offline.", Kind: desk.MailNormal})
	if err != nil {
		t.Fatal(err)
	}
	if out.Action != desk.MailCommented || out.Ticket == nil || out.Ticket.Number != first.Ticket.Number || out.Reason == "" {
		t.Errorf("the reply: %s %+v %q, want %s on %s with the way it was threaded", out.Action, out.Ticket, out.Reason, desk.MailCommented, first.Ticket.Number)
	}
}
