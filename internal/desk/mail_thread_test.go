package desk_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// mustMail delivers in and fails the test unless the desk did want.
func (f *fixture) mustMail(in desk.InboundMail, want desk.MailAction) desk.MailOutcome {
	f.t.Helper()
	in.Kind = desk.MailNormal
	out, err := f.d.ReceiveMail(context.Background(), in)
	if err != nil || out.Action != want {
		f.t.Fatalf("mail %s from %s: %s %+v, %v; want %s", in.MessageID, in.FromAddress, out.Action, out.Ticket, err, want)
	}
	return out
}

// mentions reports whether any event of ticket number holds text, as the
// administrator (who sees restricted tickets) reads its history.
func (f *fixture) mentions(number, text string) bool {
	f.t.Helper()
	page, err := f.d.Events(f.admin, number, desk.EventFilter{})
	if err != nil {
		f.t.Fatal(err)
	}
	for _, e := range page.Events {
		if strings.Contains(e.Body, text) {
			return true
		}
	}
	return false
}

// TestReceiveMail_StaffOutsideRestrictedTicket: an agent of another group,
// copied on a requester's mail, answers to all after line 1 restricted the
// ticket. The agent may not see it, so the reply opens the agent's own
// ticket instead of commenting on one they cannot read (which would also
// tell them it exists); an agent of the ticket's group replying on the same
// thread still comments on it.
func TestReceiveMail_StaffOutsideRestrictedTicket(t *testing.T) {
	f := newFixture(t)
	tk := f.mustMail(desk.InboundMail{MessageID: "stolen@example.com", FromAddress: "sam@example.com",
		Subject: "Laptop stolen", Text: "My laptop was stolen from the car."}, desk.MailTicketCreated).Ticket
	yes := true
	if _, err := f.d.UpdateTicket(f.l1, tk.Number, desk.TicketPatch{Restricted: &yes, Reason: "theft"}); err != nil {
		t.Fatal(err)
	}

	out := f.mustMail(desk.InboundMail{MessageID: "stolen-2@example.com", FromAddress: "nick@example.com",
		ThreadIDs: []string{"stolen@example.com"}, Subject: "Re: Laptop stolen",
		Text: "Mine is gone from floor 3 too.", ReplyText: "Mine is gone from floor 3 too."}, desk.MailTicketCreated)
	if out.Ticket.Number == tk.Number || out.Ticket.Requester.Email != "nick@example.com" {
		t.Errorf("the other group's agent's reply: ticket %s of %s, want a new ticket of nick@example.com",
			out.Ticket.Number, out.Ticket.Requester.Email)
	}
	if f.mentions(tk.Number, "floor 3") {
		t.Errorf("the other group's agent's reply was written on the restricted %s", tk.Number)
	}

	out = f.mustMail(desk.InboundMail{MessageID: "stolen-3@example.com", FromAddress: "lena@example.com",
		ThreadIDs: []string{"stolen@example.com"}, Subject: "Re: Laptop stolen",
		Text: "Please report it to security.", ReplyText: "Please report it to security."}, desk.MailCommented)
	if out.Ticket.Number != tk.Number || !f.mentions(tk.Number, "report it to security") {
		t.Errorf("the ticket group's agent's reply: commented on %s, want %s", out.Ticket.Number, tk.Number)
	}
}

// TestReceiveMail_TagOfAnAssignedTicket: a requester quoting another
// requester's ticket tag opens their own ticket, also once that ticket has
// an assignee (being assigned to someone does not make every sender a
// participant). The requester's own tagged reply still comments on it.
func TestReceiveMail_TagOfAnAssignedTicket(t *testing.T) {
	f := newFixture(t)
	tk := f.mustMail(desk.InboundMail{MessageID: "printer@example.com", FromAddress: "sam@example.com",
		Subject: "Printer jammed", Text: "The printer on floor 2 is jammed."}, desk.MailTicketCreated).Ticket
	f.move(f.l1, tk, desk.TransitionInput{To: desk.StateAssigned, AssigneeID: f.agentL1.ID})

	tag := "Re: [" + tk.Number + "] Printer jammed"
	out := f.mustMail(desk.InboundMail{MessageID: "kim-1@example.com", FromAddress: "kim@example.com", Tag: tk.Number,
		Subject: tag, Text: "Is mine fixed yet?", ReplyText: "Is mine fixed yet?"}, desk.MailTicketCreated)
	if out.Ticket.Number == tk.Number || out.Ticket.Requester.Email != "kim@example.com" {
		t.Errorf("kim's mail with %s's tag: ticket %s of %s, want kim's own", tk.Number, out.Ticket.Number, out.Ticket.Requester.Email)
	}
	if f.mentions(tk.Number, "mine fixed") {
		t.Errorf("kim's mail was written on sam's %s", tk.Number)
	}

	out = f.mustMail(desk.InboundMail{MessageID: "sam-2@example.com", FromAddress: "sam@example.com", Tag: tk.Number,
		Subject: tag, Text: "It is jammed again.", ReplyText: "It is jammed again."}, desk.MailCommented)
	if out.Ticket.Number != tk.Number {
		t.Errorf("sam's tagged reply commented on %s, want %s", out.Ticket.Number, tk.Number)
	}
}

// file is an attachment of n bytes as the intake hands it over.
func file(name string, n int) desk.MailAttachment {
	return desk.MailAttachment{Name: name, ContentType: "application/octet-stream", Size: n,
		Content: bytes.Repeat([]byte{'x'}, n)}
}

// TestReceiveMail_TicketText: a mail's ticket is described by its text
// alone when nothing is attached, and otherwise by its text and a list of
// its files with their sizes, worded at the boundaries of the units as a
// reader expects (1023 B, 1 KB, 1.0 MB, 1.5 MB).
func TestReceiveMail_TicketText(t *testing.T) {
	_, out := mailDesk(t, desk.InboundMail{MessageID: "plain@example.org", FromAddress: "ops@example.org",
		Subject: "Printer", Text: "Printer jammed.", Kind: desk.MailNormal})
	if got := out.Ticket.Description; got != "Printer jammed." {
		t.Errorf("a mail without attachments: description %q, want the text alone", got)
	}

	_, out = mailDesk(t, desk.InboundMail{MessageID: "files@example.org", FromAddress: "ops@example.org",
		Subject: "Crash", Text: "The app crashed.", Kind: desk.MailNormal, Attachments: []desk.MailAttachment{
			file("log.txt", 1023), file("trace.txt", 1024), file("dump.bin", 1<<20), file("screen.mp4", 3<<19)}})
	want := "The app crashed.\n\nAttachments: log.txt (1023 B), trace.txt (1 KB), dump.bin (1.0 MB), screen.mp4 (1.5 MB)"
	if got := out.Ticket.Description; got != want {
		t.Errorf("a mail with four files: description\n%q, want\n%q", got, want)
	}
}

// TestReceiveMail_FileAtTheSizeLimit: a file of exactly the desk's size
// limit is stored with the mail's ticket; one byte more is left out, and
// the ticket's text says so.
func TestReceiveMail_FileAtTheSizeLimit(t *testing.T) {
	clock := testdb.NewClock(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
	cfg := desk.DefaultConfig
	cfg.AttachmentMaxBytes = 4096
	d := desk.New(testdb.SQLite(t, sqlstore.WithClock(clock)), clock, cfg)
	ctx := context.Background()
	out, err := d.ReceiveMail(ctx, desk.InboundMail{MessageID: "limit@example.org", FromAddress: "ops@example.org",
		Subject: "Logs", Text: "Two logs.", Kind: desk.MailNormal,
		Attachments: []desk.MailAttachment{file("at-limit.log", 4096), file("over.log", 4097)}})
	if err != nil || out.Action != desk.MailTicketCreated {
		t.Fatalf("the mail: %+v, %v", out, err)
	}
	files, err := d.Attachments(desk.AsSystem(ctx), out.Ticket.Number)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0].FileName != "at-limit.log" || files[0].Size != 4096 {
		t.Errorf("stored files %v, want at-limit.log (4096 bytes) alone", names(files))
	}
	want := "Two logs.\n\nAttachments: at-limit.log (4 KB), over.log (5 KB) [not stored: over the size limit]"
	if got := out.Ticket.Description; got != want {
		t.Errorf("description\n%q, want\n%q", got, want)
	}
}

func names(files []*desk.Attachment) []string {
	var s []string
	for _, a := range files {
		s = append(s, a.FileName)
	}
	return s
}
