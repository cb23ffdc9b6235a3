package desk_test

import (
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func fcrTicket(walkIn bool) desk.NewTicket {
	ch := desk.ChannelPhone
	if walkIn {
		ch = desk.ChannelWalkIn
	}
	return desk.NewTicket{Type: desk.TypeRequest, Title: "Password reset", Channel: ch,
		Requester: desk.PersonInput{Email: "new.caller@example.com", Name: "New Caller", Phone: "+7 900 111-22-33",
			Organization: "ACME"},
		FirstContact: &desk.FirstContactResolution{ResolutionCode: "user_instructed", ResolutionNotes: "Reset it together over the phone"}}
}

// TestCreateTicket_FirstContact: registered and resolved in one step by the
// agent, recorded as such in history, and counted by the report.
func TestCreateTicket_FirstContact(t *testing.T) {
	f := newFixture(t)
	tk, _, err := f.d.CreateTicket(f.l1, fcrTicket(true), "")
	if err != nil {
		t.Fatal(err)
	}
	now := f.clock.Now()
	if tk.State != desk.StateResolved || tk.ResolutionCode != "user_instructed" || tk.ResolvedAt == nil ||
		!tk.ResolvedAt.Equal(now) || tk.FirstResponseAt == nil || tk.Assignee == nil || tk.Assignee.ID != f.agentL1.ID ||
		tk.Channel != desk.ChannelWalkIn {
		t.Fatalf("first-contact ticket: %+v", tk)
	}
	// The caller gets one mail, the resolution, not "registered" as well;
	// nobody else is told of a ticket already resolved.
	mail := (&outboxReader{f: f}).next()
	if len(mail) != 1 || mail[0] != "resolved → new.caller@example.com" {
		t.Errorf("mail queued: %q, want only the resolution to the caller", mail)
	}
	if tk.Requester.Organization != "ACME" || tk.Requester.Phone != "+7 900 111-22-33" {
		t.Errorf("a new requester keeps the organisation and phone given: %+v", tk.Requester)
	}
	page, err := f.d.Events(f.l1, tk.Number, desk.EventFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Events) != 2 || page.Events[1].Kind != desk.EventTransition || !desk.ResolvedOnFirstContact(page.Events) ||
		page.Events[1].Body != "Reset it together over the phone" {
		t.Fatalf("history: %+v", page.Events)
	}
	// A requester can reopen it like any resolved ticket.
	if _, err := f.d.Transition(desk.WithActor(t.Context(), f.reload(tk.Requester.ID)), tk.Number,
		desk.TransitionInput{To: desk.StateInProgress, Reason: "still cannot sign in"}); err != nil {
		t.Errorf("reopen: %v", err)
	}

	// One more, kept resolved, and one ordinary ticket: the report counts
	// the one not reopened.
	if _, _, err := f.d.CreateTicket(f.l1, fcrTicket(false), ""); err != nil {
		t.Fatal(err)
	}
	f.incident("Printer jam")
	rep, err := f.d.Report(f.l1, desk.ReportQuery{From: now.Add(-time.Hour), To: now.Add(time.Hour), GroupBy: desk.GroupByChannel})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Total.Tickets != 3 || rep.Total.FirstContact != 1 {
		t.Errorf("report total: %d tickets, %d first-contact, want 3 and 1", rep.Total.Tickets, rep.Total.FirstContact)
	}
	for _, r := range rep.Rows {
		want := map[string]int{"phone": 1, "walk_in": 0}[r.Key]
		if r.FirstContact != want {
			t.Errorf("row %s: %d first-contact, want %d", r.Key, r.FirstContact, want)
		}
	}
}

// TestCreateTicket_FirstContactRules: the resolution code and notes are
// required, requesters cannot resolve their own report on creation, and
// an existing requester's organisation is not overwritten.
func TestCreateTicket_FirstContactRules(t *testing.T) {
	f := newFixture(t)
	in := fcrTicket(false)
	in.FirstContact = &desk.FirstContactResolution{}
	_, _, err := f.d.CreateTicket(f.l1, in, "")
	e := wantCode(t, err, desk.EINVALID)
	got := map[string]desk.Rule{}
	for _, fe := range e.Fields {
		got[fe.Field] = fe.Rule
	}
	if got["resolution_code"] != desk.RuleRequired || got["resolution_notes"] != desk.RuleRequired {
		t.Errorf("empty first-contact resolution: %v", e.Fields)
	}
	in = fcrTicket(false)
	in.Requester = desk.PersonInput{}
	_, _, err = f.d.CreateTicket(f.sam, in, "")
	wantCode(t, err, desk.EFORBIDDEN)

	in = fcrTicket(false)
	in.FirstContact = nil
	in.Requester = desk.PersonInput{Email: "sam@example.com", Organization: "Someone Else Ltd"}
	tk, _, err := f.d.CreateTicket(f.l1, in, "")
	if err != nil {
		t.Fatal(err)
	}
	if tk.State != desk.StateNew || tk.Requester.Organization != "" {
		t.Errorf("existing requester: state %s, organisation %q", tk.State, tk.Requester.Organization)
	}
	in.Channel = "fax"
	_, _, err = f.d.CreateTicket(f.l1, in, "")
	if e := wantCode(t, err, desk.EINVALID); e.Fields[0].Field != "channel" {
		t.Errorf("channel fax: %v", e.Fields)
	}
}
