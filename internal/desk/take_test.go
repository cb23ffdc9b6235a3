package desk_test

import (
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// TestDesk_Take: "take it and start work" assigns the actor and starts work
// in one action from every state a line-1 agent meets it in, beginning with
// a brand-new ticket.
func TestDesk_Take(t *testing.T) {
	f := newFixture(t)
	take := func(t *testing.T, tk *desk.Ticket) *desk.Ticket {
		t.Helper()
		got, err := f.d.Take(f.l1, tk.Number, tk.Version)
		if err != nil {
			t.Fatalf("take %s (%s): %v", tk.Number, tk.State, err)
		}
		if got.State != desk.StateInProgress || got.Assignee == nil || got.Assignee.ID != f.agentL1.ID {
			t.Fatalf("after take: %s, assignee %v", got.State, got.Assignee)
		}
		if got.FirstResponseAt == nil {
			t.Error("taking is a first response")
		}
		return got
	}
	t.Run("New", func(t *testing.T) {
		tk := take(t, f.incident("Brand new"))
		evs, err := f.d.Events(f.l1, tk.Number, desk.EventFilter{})
		if err != nil {
			t.Fatal(err)
		}
		last := evs.Events[len(evs.Events)-1]
		got := map[string][2]string{}
		for _, c := range last.Changes {
			got[c.Field] = [2]string{c.Old, c.New}
		}
		if got["state"] != [2]string{"new", "in_progress"} || got["assignee"][1] != f.agentL1.Name {
			t.Errorf("one history entry with state and assignee, got %+v", last.Changes)
		}
	})
	t.Run("AssignedToNobody", func(t *testing.T) {
		take(t, f.move(f.admin, f.incident("Queued"), desk.TransitionInput{To: desk.StateAssigned}))
	})
	t.Run("OnHold", func(t *testing.T) {
		tk := f.move(f.l1, f.incident("Waiting"), desk.TransitionInput{To: desk.StateInProgress})
		tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateOnHold, HoldReason: desk.HoldAwaitingVendor})
		take(t, tk)
	})
	t.Run("InProgressWithSomeoneElse", func(t *testing.T) {
		other, ctx := f.agent("olga@example.com", f.g1)
		tk := f.move(ctx, f.incident("Olga's"), desk.TransitionInput{To: desk.StateInProgress})
		if tk.Assignee.ID != other.ID {
			t.Fatal("olga should hold it")
		}
		tk = take(t, tk)
		if again, err := f.d.Take(f.l1, tk.Number, 0); err != nil || again.Version != tk.Version {
			t.Errorf("taking my own ticket again: %v, version %d → %d", err, tk.Version, again.Version)
		}
	})
	t.Run("RefusedWhenResolvedOrNotAMember", func(t *testing.T) {
		tk := f.move(f.l1, f.incident("Done"), desk.TransitionInput{To: desk.StateInProgress})
		tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateResolved, ResolutionCode: desk.ResolutionCodes[0], ResolutionNotes: "ok"})
		_, err := f.d.Take(f.l1, tk.Number, 0)
		wantCode(t, err, desk.ECONFLICT)
		_, err = f.d.Take(f.l2, f.incident("Line 1's").Number, 0) // nick is in Network, not the service desk
		if e := wantCode(t, err, desk.EINVALID); e.Fields[0].Field != "assignee_id" {
			t.Errorf("refusal names %v", e.Fields)
		}
		_, err = f.d.Take(f.sam, f.incident("Sam's").Number, 0)
		wantCode(t, err, desk.EFORBIDDEN)
	})
}

// TestDesk_StopWorkAndBackToQueue: in_progress → assigned keeps the
// assignee (work stopped), hands it to another member, or with Unassign puts
// it back in its group's unassigned queue without changing the group.
func TestDesk_StopWorkAndBackToQueue(t *testing.T) {
	f := newFixture(t)
	olga, _ := f.agent("olga@example.com", f.g1)
	tk := f.move(f.l1, f.incident("Printer"), desk.TransitionInput{To: desk.StateInProgress})
	tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateAssigned})
	if tk.State != desk.StateAssigned || tk.Assignee == nil || tk.Assignee.ID != f.agentL1.ID {
		t.Fatalf("stop work: %s %v", tk.State, tk.Assignee)
	}
	tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateInProgress})
	tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateAssigned, AssigneeID: olga.ID, Reason: "my shift ends"})
	if tk.Assignee.ID != olga.ID {
		t.Fatalf("handed to %v, want olga", tk.Assignee)
	}
	tk = f.move(f.admin, tk, desk.TransitionInput{To: desk.StateInProgress})
	group := tk.Group.ID
	tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateAssigned, Unassign: true, Reason: "not mine"})
	if tk.State != desk.StateAssigned || tk.Assignee != nil || tk.Group.ID != group {
		t.Fatalf("back to queue: %s %v group %d", tk.State, tk.Assignee, tk.Group.ID)
	}
	q, err := f.d.Queue(f.l1, desk.QueueUnassigned, desk.QueueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Tickets) != 1 || q.Tickets[0].ID != tk.ID {
		t.Errorf("unassigned queue has %d tickets", len(q.Tickets))
	}
	_, err = f.d.Transition(f.l1, tk.Number, desk.TransitionInput{To: desk.StateInProgress, Unassign: true})
	if e := wantCode(t, err, desk.EINVALID); e.Fields[0].Field != "unassign" {
		t.Errorf("unassign with in_progress: %v", e.Fields)
	}
}

// TestDesk_HoldAwaitingOther: the general hold reason needs the reason
// text that says what the ticket waits for.
func TestDesk_HoldAwaitingOther(t *testing.T) {
	f := newFixture(t)
	tk := f.move(f.l1, f.incident("Cable"), desk.TransitionInput{To: desk.StateInProgress})
	_, err := f.d.Transition(f.l1, tk.Number, desk.TransitionInput{To: desk.StateOnHold, HoldReason: desk.HoldAwaitingOther})
	if e := wantCode(t, err, desk.EINVALID); e.Fields[0].Field != "reason" || e.Fields[0].Rule != desk.RuleRequired {
		t.Errorf("refusal %+v", e.Fields)
	}
	tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateOnHold, HoldReason: desk.HoldAwaitingOther, Reason: "the courier brings the cable"})
	if tk.HoldReason != desk.HoldAwaitingOther {
		t.Errorf("hold reason %s", tk.HoldReason)
	}
}

// TestDesk_OneTeamOnTwoLines: a team serving line 2 and line 3 is two
// groups with the same members (the documented alternative to a group on
// two lines): escalating from its line-2 group to its line-3 group is a
// functional escalation, and the same person may take it on line 3.
func TestDesk_OneTeamOnTwoLines(t *testing.T) {
	f := newFixture(t)
	l2 := f.group("Network L2", desk.Line2, 0)
	l3 := f.group("Network L3", desk.Line3, 0)
	u := f.mustUser(f.admin, desk.RoleAgent, "vera@example.com")
	for _, g := range []*desk.Group{l2, l3} {
		if err := f.d.SetGroupMember(f.admin, g.ID, u.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	vera := desk.WithActor(t.Context(), f.reload(u.ID))
	tk, err := f.d.Escalate(f.l1, f.incident("Core switch").Number, desk.EscalationInput{Kind: desk.EscalateFunctional, GroupID: l2.ID, Reason: "network"})
	if err != nil {
		t.Fatal(err)
	}
	tk, err = f.d.Take(vera, tk.Number, 0)
	if err != nil {
		t.Fatal(err)
	}
	tk, err = f.d.Escalate(vera, tk.Number, desk.EscalationInput{Kind: desk.EscalateFunctional, GroupID: l3.ID, Reason: "needs the vendor's engineer"})
	if err != nil {
		t.Fatal(err)
	}
	if tk.Line() != desk.Line3 || tk.EscalationCount != 2 {
		t.Fatalf("line %d, %d escalations", tk.Line(), tk.EscalationCount)
	}
	if tk, err = f.d.Take(vera, tk.Number, 0); err != nil || tk.Assignee.ID != u.ID {
		t.Fatalf("vera takes it on line 3: %v", err)
	}
}
