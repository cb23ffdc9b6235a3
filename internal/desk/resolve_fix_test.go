package desk_test

import (
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// TestDesk_PrepareResolveByFix: only the desk's own resolution for a
// problem's fix (worded with its reason, by staff) resolves an incident
// nobody worked on; then the fix is the first response.
func TestDesk_PrepareResolveByFix(t *testing.T) {
	f := newFixture(t)
	fix := desk.TransitionInput{ResolutionCode: desk.ResolutionCodes[0], ResolutionNotes: "Patched",
		Because: desk.ReasonProblemResolved, BecauseParams: []string{"problem", "PRB-000001"}}
	tk := f.incident("Mail stuck")
	u, t1, err := f.d.TicketForWrite(f.l1, tk.Number)
	if err != nil {
		t.Fatal(err)
	}
	unworded := fix
	unworded.Because, unworded.BecauseParams = "", nil
	if _, err := f.d.PrepareResolveByFix(f.l1, t1, u, unworded); desk.ErrorCode(err) != desk.EFORBIDDEN {
		t.Errorf("without the desk's reason: %v, want forbidden", err)
	}
	if _, err := f.d.PrepareResolveByFix(f.sam, t1, f.samUser, fix); desk.ErrorCode(err) != desk.EFORBIDDEN {
		t.Errorf("as the requester: %v, want forbidden", err)
	}
	w, err := f.d.PrepareResolveByFix(f.l1, t1, u, fix)
	if err != nil {
		t.Fatal(err)
	}
	if w.Ticket.State != desk.StateResolved || w.Ticket.FirstResponseAt == nil || len(w.Events) != 1 ||
		w.Events[0].ReasonCode != desk.ReasonProblemResolved {
		t.Errorf("write %+v, events %+v", w.Ticket, w.Events)
	}
}
