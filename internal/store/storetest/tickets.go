package storetest

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func testTickets(t *testing.T, open Opener) {
	f := newFixture(t, open)
	t.Run("RoundTrip", func(t *testing.T) { ticketRoundTrip(t, f) })
	t.Run("NumberingPerType", func(t *testing.T) { ticketNumbering(t, f) })
	t.Run("Update", func(t *testing.T) { ticketUpdate(t, f) })
	t.Run("NotFound", func(t *testing.T) {
		_, err := f.s.GetTicket(ctx(t), 987654)
		wantCode(t, "GetTicket", err, desk.ENOTFOUND)
		_, err = f.s.GetTicketByNumber(ctx(t), "INC-987654")
		wantCode(t, "GetTicketByNumber", err, desk.ENOTFOUND)
		missing := f.ticket("ghost", 0)
		missing.ID, missing.Version = 987654, 1
		wantCode(t, "UpdateTicket", f.s.UpdateTicket(ctx(t), missing, nil), desk.ENOTFOUND)
	})
	t.Run("BadReferences", func(t *testing.T) { ticketBadRefs(t, f) })
	t.Run("TextRoundTrip", func(t *testing.T) { ticketText(t, f) })
}

// ticketRoundTrip stores a ticket with every field set and reads it back
// with the display names filled.
func ticketRoundTrip(t *testing.T, f *fixture) {
	tk := f.ticket("Printer on fire", 1)
	tk.Type, tk.State, tk.HoldReason = desk.TypeRequest, desk.StateOnHold, desk.HoldAwaitingVendor
	tk.Symptoms, tk.Impact, tk.Urgency, tk.Priority = "smoke", desk.LevelHigh, desk.LevelHigh, desk.P1
	tk.Category, tk.Subcategory = &desk.Ref{ID: f.hardware.ID}, &desk.Ref{ID: f.printers.ID}
	tk.Service, tk.Group = &desk.Ref{ID: f.mail.ID}, desk.GroupRef{ID: f.net.ID, Line: desk.Line3}
	tk.Assignee, tk.Requester = &desk.Ref{ID: f.agent.ID}, desk.Person{ID: f.req2.ID}
	tk.Channel, tk.Restricted = desk.ChannelEmail, true
	tk.ReportedAt = base.Add(-time.Hour)
	for i, p := range []**time.Time{&tk.FirstResponseAt, &tk.ResolvedAt, &tk.ClosedAt, &tk.CanceledAt, &tk.ManagerFlagAt} {
		*p = ptr(base.Add(time.Duration(i+1) * time.Second).Add(789 * time.Nanosecond))
	}
	tk.ResolutionCode, tk.ResolutionNotes = "workaround", "rebooted"
	tk.ReopenCount, tk.ReassignmentCount, tk.EscalationCount = 1, 2, 3
	events := []desk.Event{{At: base, Actor: &desk.Ref{ID: f.agent.ID}, Kind: desk.EventCreated, Public: true}}
	replayed, err := f.s.CreateTicket(ctx(t), tk, events, nil)
	must(t, err)
	if replayed != nil {
		t.Errorf("CreateTicket without key replayed %v", replayed)
	}
	if events[0].ID == 0 || events[0].TicketID != tk.ID {
		t.Errorf("event after create: ID %d TicketID %d, want set and %d", events[0].ID, events[0].TicketID, tk.ID)
	}
	want := *tk
	want.Number, want.Version = number(desk.TypeRequest, 1), 1
	want.Category = &desk.Ref{ID: f.hardware.ID, Name: "Hardware"}
	want.Subcategory = &desk.Ref{ID: f.printers.ID, Name: "Printers"}
	want.Service = &desk.Ref{ID: f.mail.ID, Name: "E-mail"}
	want.Group, want.Assignee = groupRef(f.net), &desk.Ref{ID: f.agent.ID, Name: f.agent.Name}
	want.Requester = person(f.req2)
	for _, p := range []**time.Time{&want.FirstResponseAt, &want.ResolvedAt, &want.ClosedAt, &want.CanceledAt, &want.ManagerFlagAt} {
		*p = ptr((*p).Truncate(time.Microsecond))
	}
	diff(t, "created ticket", &want, tk)
	got, err := f.s.GetTicket(ctx(t), tk.ID)
	must(t, err)
	diff(t, "GetTicket", &want, got)
	if got.CreatedAt.Location() != time.UTC {
		t.Errorf("CreatedAt location %v, want UTC", got.CreatedAt.Location())
	}
	got, err = f.s.GetTicketByNumber(ctx(t), strings.ToLower(want.Number))
	must(t, err)
	diff(t, "GetTicketByNumber", &want, got)
}

// ticketNumbering checks one sequence per type, kept when the type changes.
func ticketNumbering(t *testing.T, f *fixture) {
	inc1 := f.create(t, f.ticket("numbering a", 0))
	req := f.ticket("numbering b", 0)
	req.Type = desk.TypeRequest
	f.create(t, req)
	inc2 := f.create(t, f.ticket("numbering c", 0))
	inc2.Type = desk.TypeRequest
	must(t, f.s.UpdateTicket(ctx(t), inc2, nil))
	req2 := f.ticket("numbering d", 0)
	req2.Type = desk.TypeRequest
	f.create(t, req2)
	// Other subtests of this fixture create tickets too, so compare the
	// numbers relative to the first one.
	n := func(s string) string { return s[4:] }
	first := atoi(n(inc1.Number))
	diff(t, "numbers", []string{
		number(desk.TypeIncident, first), number(desk.TypeIncident, first+1),
		number(desk.TypeRequest, atoi(n(req.Number))+1),
	}, []string{inc1.Number, inc2.Number, req2.Number})
	if inc2.Type != desk.TypeRequest || !strings.HasPrefix(inc2.Number, "INC-") {
		t.Errorf("after type change: type %s number %s, want request keeping INC-", inc2.Type, inc2.Number)
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// ticketUpdate changes fields, moves the ticket to another group and
// checks the version, names and line follow.
func ticketUpdate(t *testing.T, f *fixture) {
	tk := f.create(t, f.ticket("update me", 2))
	tk.Title, tk.State, tk.Priority = "updated", desk.StateAssigned, desk.P2
	tk.Group, tk.Assignee = desk.GroupRef{ID: f.dba.ID}, &desk.Ref{ID: f.agent.ID}
	tk.UpdatedAt = base.Add(time.Hour)
	tk.FirstResponseAt = ptr(base.Add(time.Minute))
	tk.Category = &desk.Ref{ID: f.hardware.ID}
	must(t, f.s.UpdateTicket(ctx(t), tk, nil))
	if tk.Version != 2 {
		t.Errorf("version after update %d, want 2", tk.Version)
	}
	diff(t, "group after update", groupRef(f.dba), tk.Group)
	diff(t, "assignee after update", &desk.Ref{ID: f.agent.ID, Name: f.agent.Name}, tk.Assignee)
	got, err := f.s.GetTicket(ctx(t), tk.ID)
	must(t, err)
	diff(t, "GetTicket after update", tk, got)
	tk.Category, tk.FirstResponseAt, tk.Assignee = nil, nil, nil
	must(t, f.s.UpdateTicket(ctx(t), tk, nil))
	got, err = f.s.GetTicket(ctx(t), tk.ID)
	must(t, err)
	diff(t, "GetTicket after clearing", tk, got)
}

func ticketBadRefs(t *testing.T, f *fixture) {
	for _, tc := range []struct {
		field string
		set   func(*desk.Ticket)
	}{
		{"group", func(tk *desk.Ticket) { tk.Group.ID = 999999 }},
		{"requester", func(tk *desk.Ticket) { tk.Requester.ID = 999999 }},
		{"category", func(tk *desk.Ticket) { tk.Category = &desk.Ref{ID: 999999} }},
		{"subcategory", func(tk *desk.Ticket) { tk.Subcategory = &desk.Ref{ID: 999999} }},
		{"service", func(tk *desk.Ticket) { tk.Service = &desk.Ref{ID: 999999} }},
		{"assignee", func(tk *desk.Ticket) { tk.Assignee = &desk.Ref{ID: 999999} }},
	} {
		tk := f.ticket("bad "+tc.field, 0)
		tc.set(tk)
		_, err := f.s.CreateTicket(ctx(t), tk, nil, nil)
		wantField(t, "create with bad "+tc.field, err, desk.EINVALID, tc.field)
		ok := f.create(t, f.ticket("good "+tc.field, 0))
		version := ok.Version
		tc.set(ok)
		wantField(t, "update with bad "+tc.field, f.s.UpdateTicket(ctx(t), ok, nil), desk.EINVALID, tc.field)
		if ok.Version != version {
			t.Errorf("failed update changed the version to %d", ok.Version)
		}
	}
}

// ticketText round-trips awkward text: SQL and FTS syntax, quotes, Cyrillic
// and 100 KB of description.
func ticketText(t *testing.T, f *fixture) {
	unit := "Длинный текст, long text; "
	long := strings.Repeat(unit, 100*1024/len(unit)+1)
	for i, text := range []string{
		`'; DROP TABLE tickets; --`, `"foo OR`, `title:bar NEAR(a b) c* ^d`, "Не работает принтер",
		"tab\tnewline\nnul-free \\ backslash % percent _ underscore", long,
	} {
		tk := f.ticket(fmt.Sprintf("text %d", i), 0)
		tk.Description, tk.Symptoms = text, text
		f.create(t, tk)
		got, err := f.s.GetTicket(ctx(t), tk.ID)
		must(t, err)
		if got.Description != text || got.Symptoms != text || got.Title != tk.Title {
			t.Errorf("text of %d bytes did not round-trip", len(text))
		}
	}
}
