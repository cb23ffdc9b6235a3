package desk_test

import (
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestMergeTickets runs on both databases: three duplicates merge into one
// (linked duplicate_of, canceled or closed, the survivor named in their
// history), each requester is told once, and what may not be merged is
// refused ticket by ticket.
func TestMergeTickets(t *testing.T) {
	for name, open := range map[string]func(testing.TB, ...sqlstore.Option) *sqlstore.Store{
		"sqlite": testdb.SQLite, "postgres": testdb.Postgres,
	} {
		t.Run(name, func(t *testing.T) { testMerge(t, newFixtureOn(t, open)) })
	}
}

func testMerge(t *testing.T, f *fixture) {
	survivor := f.incident("VPN down in Berlin")
	a := f.incident("VPN does not connect")
	kimTicket, _, err := f.d.CreateTicket(f.l1, desk.NewTicket{Type: desk.TypeIncident, Title: "No VPN", Channel: desk.ChannelEmail,
		Requester: desk.PersonInput{Email: "kim@example.com"}, Impact: desk.LevelLow, Urgency: desk.LevelLow}, "")
	if err != nil {
		t.Fatal(err)
	}
	resolved := f.incident("VPN again")
	resolved = f.move(f.l1, resolved, desk.TransitionInput{To: desk.StateAssigned, AssigneeID: f.agentL1.ID})
	resolved = f.move(f.l1, resolved, desk.TransitionInput{To: desk.StateInProgress, AssigneeID: f.agentL1.ID})
	resolved = f.move(f.l1, resolved, desk.TransitionInput{To: desk.StateResolved, ResolutionCode: "solved", ResolutionNotes: "Restarted"})
	canceled := f.incident("VPN old")
	f.move(f.l1, canceled, desk.TransitionInput{To: desk.StateCanceled, Reason: "test"})
	stale := f.incident("VPN stale")
	r := &outboxReader{f: f}
	r.next() // what registering queued

	_, _, err = f.d.MergeTickets(f.sam, desk.MergeInput{Into: survivor.Number, Duplicates: []desk.TicketRef{{Ref: a.Number}}})
	wantCode(t, err, desk.EFORBIDDEN)
	_, _, err = f.d.MergeTickets(f.l1, desk.MergeInput{Into: canceled.Number, Duplicates: []desk.TicketRef{{Ref: a.Number}}})
	if e := wantCode(t, err, desk.ECONFLICT); e.Rule != desk.RuleMergeTarget {
		t.Errorf("into a canceled ticket: rule %q", e.Rule)
	}

	into, out, err := f.d.MergeTickets(f.l1, desk.MergeInput{Into: survivor.Number, Duplicates: []desk.TicketRef{
		{Ref: a.Number, Version: a.Version}, {Ref: kimTicket.Number}, {Ref: resolved.Number},
		{Ref: canceled.Number}, {Ref: survivor.Number}, {Ref: stale.Number, Version: stale.Version + 5}}})
	if err != nil || into.ID != survivor.ID || len(out) != 6 {
		t.Fatalf("merge: %v %+v", err, out)
	}
	for i, want := range []desk.State{desk.StateCanceled, desk.StateCanceled, desk.StateClosed} {
		if out[i].Err != nil || out[i].Ticket.State != want {
			t.Errorf("%s: %v, state %v, want %s", out[i].Ref, out[i].Err, out[i].Ticket, want)
		}
	}
	for i, rule := range map[int]desk.Rule{3: desk.RuleNotOpen, 4: desk.RuleMergeTarget} {
		if e := wantCode(t, out[i].Err, desk.ECONFLICT); e.Rule != rule {
			t.Errorf("%s: rule %q, want %q", out[i].Ref, e.Rule, rule)
		}
	}
	wantCode(t, out[5].Err, desk.ESTALE)
	if got, _ := f.d.Ticket(f.l1, stale.Number); got.State != desk.StateNew {
		t.Errorf("the stale one was changed: %s", got.State)
	}
	wantMail(t, "the merge", r, "merged → sam@example.com", "merged → kim@example.com")

	links, err := f.d.TicketLinks(f.l1, survivor.Number)
	if err != nil || len(links) != 3 {
		t.Fatalf("survivor's links %+v %v", links, err)
	}
	for _, l := range links {
		if l.Kind != desk.LinkDuplicatedBy {
			t.Errorf("survivor's link %+v, want duplicated_by", l)
		}
	}
	ev, err := f.d.Events(f.l1, a.Number, desk.EventFilter{Limit: desk.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	last := ev.Events[len(ev.Events)-1]
	if last.Kind != desk.EventTransition || last.Reason != "Duplicate of "+survivor.Number || !hasChange(last, "merged_into", survivor.Number) {
		t.Errorf("the duplicate's last history entry %+v", last)
	}

	// Merging again changes nothing and tells nobody.
	_, out, err = f.d.MergeTickets(f.l1, desk.MergeInput{Into: survivor.Number, Duplicates: []desk.TicketRef{{Ref: a.Number}}})
	if err != nil || desk.ErrorCode(out[0].Err) != desk.ECONFLICT {
		t.Errorf("merging a merged ticket again: %v %+v", err, out)
	}
	wantMail(t, "merging again", r)
}

func hasChange(e *desk.Event, field, newValue string) bool {
	for _, c := range e.Changes {
		if c.Field == field && c.New == newValue {
			return true
		}
	}
	return false
}
