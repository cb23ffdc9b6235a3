package desk_test

import (
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Rules that a one-token change breaks without any other test noticing
// (issue 19). Each test names the change it guards against.

// A requester may move their own ticket only out of resolved (confirm or
// reopen). Without the "from resolved" condition a requester could take
// their ticket off hold themselves, lifting the hold and restarting the
// resolution clock.
func TestDesk_RequesterMovesOnlyOutOfResolved(t *testing.T) {
	f := newFixture(t)
	// f.move fails the whole test, so the cases run in turn, not as subtests.
	for _, hold := range []desk.HoldReason{desk.HoldAwaitingVendor, desk.HoldAwaitingRequester} {
		{
			tk := f.incident("Printer jams")
			tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateAssigned})
			tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateInProgress})
			tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateOnHold, HoldReason: hold})
			for _, to := range []desk.State{desk.StateInProgress, desk.StateResolved, desk.StateCanceled} {
				_, err := f.d.Transition(f.sam, tk.Number, desk.TransitionInput{To: to, Reason: "I want it moving",
					ResolutionCode: "solved", ResolutionNotes: "fixed it myself"})
				wantCode(t, err, desk.EFORBIDDEN)
			}
			got, err := f.d.Ticket(f.l1, tk.Number)
			if err != nil {
				t.Fatal(err)
			}
			if got.State != desk.StateOnHold || got.HoldReason != hold {
				t.Fatalf("after the requester's tries: %s %q, want on_hold %q", got.State, got.HoldReason, hold)
			}
		}
	}
	tk := f.incident("Mouse broken")
	tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateAssigned})
	tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateInProgress})
	_, err := f.d.Transition(f.sam, tk.Number, desk.TransitionInput{To: desk.StateOnHold, HoldReason: desk.HoldAwaitingVendor})
	wantCode(t, err, desk.EFORBIDDEN)
}

// The reopen window counts from the resolution, not from the creation: a
// ticket resolved ten days after it was opened can be reopened the hour
// after, by the requester's move and by the requester's reply, until the
// window has passed since the resolution.
func TestDesk_ReopenWindowFromResolution(t *testing.T) {
	t.Run("Transition", func(t *testing.T) {
		f := newFixture(t)
		tk := f.resolvedLate("Slow laptop")
		tk = f.move(f.sam, tk, desk.TransitionInput{To: desk.StateInProgress, Reason: "Still slow"})
		if tk.State != desk.StateInProgress || tk.ReopenCount != 1 {
			t.Fatalf("reopen an hour after resolution: %s, reopened %d times", tk.State, tk.ReopenCount)
		}
		page, err := f.d.Events(f.l1, tk.Number, desk.EventFilter{})
		if err != nil {
			t.Fatal(err)
		}
		counted := false
		for _, c := range page.Events[len(page.Events)-1].Changes {
			counted = counted || (c.Field == "reopen_count" && c.Old == "0" && c.New == "1")
		}
		if !counted {
			t.Errorf("the reopen's timeline entry %+v does not count 0 → 1", page.Events[len(page.Events)-1].Changes)
		}
		// The window is measured from the last resolution, to the minute.
		tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateResolved, ResolutionCode: "solved", ResolutionNotes: "Again"})
		f.clock.Advance(7*24*time.Hour - time.Minute)
		tk = f.move(f.sam, tk, desk.TransitionInput{To: desk.StateInProgress, Reason: "Still slow"})
		tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateResolved, ResolutionCode: "solved", ResolutionNotes: "Third"})
		f.clock.Advance(7*24*time.Hour + time.Minute)
		_, err = f.d.Transition(f.sam, tk.Number, desk.TransitionInput{To: desk.StateInProgress, Reason: "late"})
		if e := wantCode(t, err, desk.ECONFLICT); e.Rule != desk.RuleReopenClosed {
			t.Fatalf("rule %s, want %s", e.Rule, desk.RuleReopenClosed)
		}
	})
	t.Run("Reply", func(t *testing.T) {
		f := newFixture(t)
		tk := f.resolvedLate("Slow mail")
		_, tk, err := f.d.Comment(f.sam, tk.Number, desk.CommentInput{Body: "Still slow, sorry"})
		if err != nil {
			t.Fatal(err)
		}
		if tk.State != desk.StateInProgress || tk.ReopenCount != 1 {
			t.Fatalf("the requester's reply an hour after resolution: %s, reopened %d times", tk.State, tk.ReopenCount)
		}
	})
}

// resolvedLate is an incident resolved ten days after it was opened, an
// hour ago.
func (f *fixture) resolvedLate(title string) *desk.Ticket {
	f.t.Helper()
	tk := f.incident(title)
	tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateAssigned})
	tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateInProgress})
	f.clock.Advance(10 * 24 * time.Hour)
	tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateResolved, ResolutionCode: "solved", ResolutionNotes: "Replaced"})
	f.clock.Advance(time.Hour)
	return tk
}

// Leaving on_hold clears the hold reason, whichever way the ticket leaves
// (back to work or resolved), and the timeline says so; a ticket in
// progress never shows "awaiting vendor".
func TestDesk_LeavingHoldClearsTheReason(t *testing.T) {
	f := newFixture(t)
	for _, to := range []desk.State{desk.StateInProgress, desk.StateResolved} {
		tk := f.incident("Disk array degraded")
		tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateAssigned})
		tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateInProgress})
		tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateOnHold, HoldReason: desk.HoldAwaitingVendor})
		f.move(f.l1, tk, desk.TransitionInput{To: to, ResolutionCode: "solved", ResolutionNotes: "Vendor replaced the disk"})
		got, err := f.d.Ticket(f.l1, tk.Number)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != to || got.HoldReason != "" {
			t.Errorf("off hold to %s: state %s, hold reason %q", to, got.State, got.HoldReason)
		}
		page, err := f.d.Events(f.l1, tk.Number, desk.EventFilter{})
		if err != nil {
			t.Fatal(err)
		}
		last := page.Events[len(page.Events)-1]
		cleared := false
		for _, c := range last.Changes {
			cleared = cleared || (c.Field == "hold_reason" && c.Old == string(desk.HoldAwaitingVendor) && c.New == "")
		}
		if !cleared {
			t.Errorf("off hold to %s: the timeline's last entry %+v does not clear the hold reason", to, last.Changes)
		}
	}
}

// Taking a ticket for a named colleague: only an active staff member of
// the ticket's group may be named (a refused name changes nothing), and the
// timeline records who it went to.
func TestDesk_AssignToNamedColleague(t *testing.T) {
	f := newFixture(t)
	tk := f.incident("Laptop for the new hire")
	_, err := f.d.Transition(f.l1, tk.Number, desk.TransitionInput{To: desk.StateAssigned, AssigneeID: f.agentL2.ID})
	wantCode(t, err, desk.EINVALID)
	got, err := f.d.Ticket(f.l1, tk.Number)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != desk.StateNew || got.Assignee != nil {
		t.Fatalf("after a refused assignment: %s, assignee %+v", got.State, got.Assignee)
	}
	colleague, _ := f.agent("maria@example.com", f.g1)
	tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateAssigned, AssigneeID: colleague.ID})
	if tk.Assignee == nil || tk.Assignee.ID != colleague.ID {
		t.Fatalf("assigned to %+v, want %s", tk.Assignee, colleague.Name)
	}
	page, err := f.d.Events(f.l1, tk.Number, desk.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	last := page.Events[len(page.Events)-1]
	recorded := false
	for _, c := range last.Changes {
		recorded = recorded || (c.Field == "assignee" && c.Old == "" && c.New == colleague.Name)
	}
	if !recorded {
		t.Errorf("the timeline's last entry %+v does not record the assignee", last.Changes)
	}
}
