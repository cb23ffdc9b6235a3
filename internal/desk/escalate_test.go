package desk_test

import (
	"sync"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func TestDesk_Escalate(t *testing.T) {
	f := newFixture(t)
	tk := f.incident("Core switch flapping")
	f.move(f.l1, tk, desk.TransitionInput{To: desk.StateAssigned})
	f.move(f.l1, tk, desk.TransitionInput{To: desk.StateInProgress})

	t.Run("ReasonRequired", func(t *testing.T) {
		_, err := f.d.Escalate(f.l1, tk.Number, desk.EscalationInput{Kind: desk.EscalateFunctional, GroupID: f.g2.ID})
		wantCode(t, err, desk.EINVALID)
	})
	t.Run("PatchCannotJumpALine", func(t *testing.T) {
		_, err := f.d.UpdateTicket(f.l1, tk.Number, desk.TicketPatch{GroupID: &f.g2.ID, Reason: "quicker"})
		wantCode(t, err, desk.ECONFLICT)
	})
	t.Run("ToLine2", func(t *testing.T) {
		got, err := f.d.Escalate(f.l1, tk.Number, desk.EscalationInput{Kind: desk.EscalateFunctional, GroupID: f.g2.ID,
			AssigneeID: f.agentL2.ID, Reason: "needs network"})
		if err != nil {
			t.Fatal(err)
		}
		if got.Line() != desk.Line2 || got.State != desk.StateAssigned || got.Assignee.ID != f.agentL2.ID ||
			got.EscalationCount != 1 || got.ReassignmentCount != 1 {
			t.Fatalf("after escalation: line %d state %s assignee %+v esc %d re %d",
				got.Line(), got.State, got.Assignee, got.EscalationCount, got.ReassignmentCount)
		}
	})
	t.Run("SameLineIsAReassignmentNotAnEscalation", func(t *testing.T) {
		_, err := f.d.Escalate(f.l2, tk.Number, desk.EscalationInput{Kind: desk.EscalateFunctional, GroupID: f.g2b.ID, Reason: "x"})
		wantCode(t, err, desk.EINVALID)
		_, err = f.d.UpdateTicket(f.l2, tk.Number, desk.TicketPatch{GroupID: &f.g2b.ID})
		wantCode(t, err, desk.EINVALID) // reason required
		got, err := f.d.UpdateTicket(f.l2, tk.Number, desk.TicketPatch{GroupID: &f.g2b.ID, Reason: "desktop issue after all"})
		if err != nil {
			t.Fatal(err)
		}
		if got.ReassignmentCount != 2 || got.EscalationCount != 1 || got.Assignee != nil {
			t.Fatalf("reassignment: re %d esc %d assignee %+v", got.ReassignmentCount, got.EscalationCount, got.Assignee)
		}
	})
	t.Run("ToLine3AndNoFurther", func(t *testing.T) {
		got, err := f.d.Escalate(f.l2, tk.Number, desk.EscalationInput{Kind: desk.EscalateFunctional, GroupID: f.g3.ID, Reason: "firmware"})
		if err != nil {
			t.Fatal(err)
		}
		if got.Line() != desk.Line3 || got.EscalationCount != 2 {
			t.Fatalf("line %d esc %d", got.Line(), got.EscalationCount)
		}
		_, err = f.d.Escalate(f.l3, tk.Number, desk.EscalationInput{Kind: desk.EscalateFunctional, GroupID: f.g2.ID, Reason: "x"})
		wantCode(t, err, desk.ECONFLICT)
	})
	t.Run("Hierarchical", func(t *testing.T) {
		got, err := f.d.Escalate(f.l3, tk.Number, desk.EscalationInput{Kind: desk.EscalateHierarchical, Reason: "customer VIP"})
		if err != nil || got.ManagerFlagAt == nil {
			t.Fatalf("%v %v", err, got)
		}
		page, err := f.d.Events(f.l3, tk.Number, desk.EventFilter{})
		if err != nil {
			t.Fatal(err)
		}
		last := page.Events[len(page.Events)-1]
		if last.Kind != desk.EventManagerFlagged || last.Reason != "customer VIP" || last.Public {
			t.Fatalf("last event %+v", last)
		}
		// Line 1 (default group) has no manager.
		other := f.incident("No manager here")
		_, err = f.d.Escalate(f.l1, other.Number, desk.EscalationInput{Kind: desk.EscalateHierarchical, Reason: "x"})
		wantCode(t, err, desk.ECONFLICT)
	})
}

func TestDesk_Authorisation(t *testing.T) {
	f := newFixture(t)
	tk := f.incident("Sam's laptop")
	if _, _, err := f.d.Comment(f.l1, tk.Number, desk.CommentInput{Body: "suspect the disk", Internal: true}); err != nil {
		t.Fatal(err)
	}
	t.Run("RequesterCannotSeeOthersTickets", func(t *testing.T) {
		_, err := f.d.Ticket(f.kim, tk.Number)
		wantCode(t, err, desk.ENOTFOUND)
		page, err := f.d.ListTickets(f.kim, desk.TicketFilter{})
		if err != nil || len(page.Tickets) != 0 {
			t.Fatalf("kim lists %d tickets (%v)", len(page.Tickets), err)
		}
		_, _, err = f.d.Comment(f.kim, tk.Number, desk.CommentInput{Body: "hi"})
		wantCode(t, err, desk.ENOTFOUND)
	})
	t.Run("RequesterNeverSeesInternalNotes", func(t *testing.T) {
		page, err := f.d.Events(f.sam, tk.Number, desk.EventFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Events {
			if !e.Public || e.Kind == desk.EventWorkNote {
				t.Fatalf("requester sees %+v", e)
			}
		}
		_, _, err = f.d.Comment(f.sam, tk.Number, desk.CommentInput{Body: "psst", Internal: true})
		wantCode(t, err, desk.EFORBIDDEN)
		staff, _ := f.d.Events(f.l1, tk.Number, desk.EventFilter{})
		if len(staff.Events) != len(page.Events)+1 {
			t.Fatalf("staff sees %d events, requester %d", len(staff.Events), len(page.Events))
		}
	})
	t.Run("OnlyAdminsChangeTheCatalogue", func(t *testing.T) {
		wantCode(t, f.d.SetMatrix(f.l1, desk.DefaultMatrix), desk.EFORBIDDEN)
		wantCode(t, f.d.SetMatrix(f.manager, desk.DefaultMatrix), desk.EFORBIDDEN)
		_, err := f.d.CreateCategory(f.l1, desk.CategoryInput{Name: "x"})
		wantCode(t, err, desk.EFORBIDDEN)
		_, err = f.d.CreateGroup(f.l2, desk.GroupInput{Name: "x", Line: 1})
		wantCode(t, err, desk.EFORBIDDEN)
		_, err = f.d.CreateUser(f.l1, desk.UserInput{Email: "x@example.com", Name: "x", Role: desk.RoleAdmin})
		wantCode(t, err, desk.EFORBIDDEN)
		_, err = f.d.UpdateTicket(f.sam, tk.Number, desk.TicketPatch{Title: ptr("mine")})
		wantCode(t, err, desk.EFORBIDDEN)
	})
	t.Run("RestrictedTicketsOnlyForTheirGroup", func(t *testing.T) {
		sec, _, err := f.d.CreateTicket(f.l3, desk.NewTicket{Type: desk.TypeIncident, Title: "Possible breach", Channel: desk.ChannelAPI,
			Requester: desk.PersonInput{Email: "sam@example.com"}, GroupID: f.g3.ID, Restricted: true}, "")
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.d.Ticket(f.l2, sec.Number)
		wantCode(t, err, desk.ENOTFOUND)
		if _, err := f.d.Ticket(f.l3b, sec.Number); err != nil {
			t.Fatal(err)
		}
		if _, err := f.d.Ticket(f.admin, sec.Number); err != nil {
			t.Fatal(err)
		}
		page, _ := f.d.ListTickets(f.l2, desk.TicketFilter{})
		for _, x := range page.Tickets {
			if x.ID == sec.ID {
				t.Fatal("line 2 lists a restricted line-3 ticket")
			}
		}
		// The requester who reported it sees it, in the list too.
		if _, err := f.d.Ticket(f.sam, sec.Number); err != nil {
			t.Fatalf("requester cannot see their own restricted ticket: %v", err)
		}
		mine, _ := f.d.ListTickets(f.sam, desk.TicketFilter{})
		listed := false
		for _, x := range mine.Tickets {
			listed = listed || x.ID == sec.ID
		}
		if !listed {
			t.Fatal("requester's list lacks their own restricted ticket")
		}
	})
	t.Run("NoActor", func(t *testing.T) {
		_, err := f.d.Ticket(t.Context(), tk.Number)
		wantCode(t, err, desk.EUNAUTHENTICATED)
	})
}

func TestDesk_PriorityChanges(t *testing.T) {
	f := newFixture(t)
	tk := f.incident("Print queue stuck") // high × high = P1
	low := desk.LevelLow
	_, err := f.d.UpdateTicket(f.l1, tk.Number, desk.TicketPatch{Impact: &low})
	wantCode(t, err, desk.EINVALID)
	got, err := f.d.UpdateTicket(f.l1, tk.Number, desk.TicketPatch{Impact: &low, Reason: "one user only"})
	if err != nil || got.Priority != desk.P3 {
		t.Fatalf("low × high: %v %v", got.Priority, err)
	}
	m := desk.DefaultMatrix
	m.Set(desk.LevelLow, desk.LevelHigh, desk.P2)
	if err := f.d.SetMatrix(f.admin, m); err != nil {
		t.Fatal(err)
	}
	urgent := desk.LevelHigh
	got, err = f.d.UpdateTicket(f.l1, tk.Number, desk.TicketPatch{Urgency: &urgent, Impact: &low, Reason: "re-evaluate"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Priority != desk.P3 {
		t.Fatalf("no change of impact or urgency must not recompute: %s", got.Priority)
	}
	med := desk.LevelMedium
	if got, err = f.d.UpdateTicket(f.l1, tk.Number, desk.TicketPatch{Urgency: &med, Reason: "can wait"}); err != nil {
		t.Fatal(err)
	}
	if got, err = f.d.UpdateTicket(f.l1, tk.Number, desk.TicketPatch{Urgency: &urgent, Reason: "cannot wait"}); err != nil || got.Priority != desk.P2 {
		t.Fatalf("the admin's matrix gives P2 for low × high, got %s (%v)", got.Priority, err)
	}
	page, _ := f.d.Events(f.l1, tk.Number, desk.EventFilter{})
	last := page.Events[len(page.Events)-1]
	if last.Reason != "cannot wait" || last.Actor == nil || last.Actor.ID != f.agentL1.ID {
		t.Fatalf("change not recorded with who and why: %+v", last)
	}
	typ := desk.TypeRequest
	got, err = f.d.UpdateTicket(f.l1, tk.Number, desk.TicketPatch{Type: &typ, Reason: "it is a request"})
	if err != nil || got.Type != desk.TypeRequest || got.Number != tk.Number {
		t.Fatalf("type change: %v %s %s", err, got.Type, got.Number)
	}
}

// TestDesk_ConcurrentUpdates: two agents change the same version; one wins,
// the other is told its copy is stale, and the winner's change is kept.
func TestDesk_ConcurrentUpdates(t *testing.T) {
	f := newFixture(t)
	tk := f.incident("Race")
	titles := []string{"first agent's title", "second agent's title"}
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range titles {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.d.UpdateTicket(f.l1, tk.Number, desk.TicketPatch{Title: &titles[i], IfVersion: tk.Version})
		}()
	}
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch desk.ErrorCode(err) {
		case "":
			winner = i
		case desk.ESTALE:
		default:
			t.Fatalf("update %d: %v", i, err)
		}
	}
	if winner < 0 || (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("want exactly one winner: %v", errs)
	}
	got, _ := f.d.Ticket(f.l1, tk.Number)
	if got.Title != titles[winner] || got.Version != tk.Version+1 {
		t.Fatalf("stored %q v%d, want %q v%d", got.Title, got.Version, titles[winner], tk.Version+1)
	}
}

// TestDesk_ConcurrentWritesWithoutIfMatch: writers that did not name a
// version are retried on a race, so every comment is kept.
func TestDesk_ConcurrentWritesWithoutIfMatch(t *testing.T) {
	f := newFixture(t)
	tk := f.incident("Busy ticket")
	const n = 6
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := f.d.Comment(f.l1, tk.Number, desk.CommentInput{Body: "update", Internal: i%2 == 0})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got, _ := f.d.Ticket(f.l1, tk.Number)
	page, _ := f.d.Events(f.l1, tk.Number, desk.EventFilter{})
	if got.Version != tk.Version+n || len(page.Events) != n+1 {
		t.Fatalf("version %d (want %d), %d events (want %d)", got.Version, tk.Version+n, len(page.Events), n+1)
	}
}
