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

// TestReceiveMail_BounceNote: a bounce of a message stored on a ticket
// becomes a work note that names the failed recipients ("the recipient"
// when the report names none) and, when the bounce has one, its subject
// (what the mail server said went wrong); a bounce without a subject gets
// no empty "Bounce subject:" line.
func TestReceiveMail_BounceNote(t *testing.T) {
	ctx := context.Background()
	clock := testdb.NewClock(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
	d := desk.New(testdb.SQLite(t, sqlstore.WithClock(clock)), clock, desk.DefaultConfig)
	first, err := d.ReceiveMail(ctx, desk.InboundMail{MessageID: "printer@example.org", FromAddress: "ops@example.org",
		Subject: "Printer", Text: "Printer jammed.", Kind: desk.MailNormal})
	if err != nil || first.Action != desk.MailTicketCreated {
		t.Fatalf("the first mail: %+v, %v", first, err)
	}
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
