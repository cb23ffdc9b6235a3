package desk_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func TestDesk_Register(t *testing.T) {
	f := newFixture(t)
	t.Run("NumbersPerType", func(t *testing.T) {
		inc := f.incident("Mail down")
		req, _, err := f.d.CreateTicket(f.l1, desk.NewTicket{Type: desk.TypeRequest, Title: "New laptop",
			Channel: desk.ChannelPortal, Requester: desk.PersonInput{Email: "sam@example.com"}}, "")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(inc.Number, "INC-") || req.Number != "REQ-000001" {
			t.Fatalf("numbers %s, %s", inc.Number, req.Number)
		}
		if inc.Priority != desk.P1 || req.Priority != desk.P3 {
			t.Fatalf("priorities %s (high×high) and %s (default medium×medium)", inc.Priority, req.Priority)
		}
		if inc.Requester.ID != f.samUser.ID || inc.Group.ID != f.g1.ID || inc.State != desk.StateNew {
			t.Fatalf("requester %d group %d state %s", inc.Requester.ID, inc.Group.ID, inc.State)
		}
	})
	t.Run("NewRequesterCreatedAndMatchedByEmail", func(t *testing.T) {
		in := desk.NewTicket{Type: desk.TypeIncident, Title: "Принтер не печатает", Channel: desk.ChannelEmail,
			Requester: desk.PersonInput{Name: "Ирина Петрова", Email: "Irina@Example.com", Phone: "+7 495 000-00-00"}}
		a, _, err := f.d.CreateTicket(f.l1, in, "")
		if err != nil {
			t.Fatal(err)
		}
		in.Requester = desk.PersonInput{Email: "irina@example.com"}
		b, _, err := f.d.CreateTicket(f.l1, in, "")
		if err != nil {
			t.Fatal(err)
		}
		if a.Requester.ID != b.Requester.ID || b.Requester.Name != "Ирина Петрова" || a.Title != "Принтер не печатает" {
			t.Fatalf("requesters %+v / %+v", a.Requester, b.Requester)
		}
	})
	t.Run("Validation", func(t *testing.T) {
		_, _, err := f.d.CreateTicket(f.l1, desk.NewTicket{Type: "outage", Title: " ", Channel: "fax",
			Impact: "huge", Requester: desk.PersonInput{Email: "not an address"}}, "")
		e := wantCode(t, err, desk.EINVALID)
		fields := map[string]bool{}
		for _, fe := range e.Fields {
			fields[fe.Field] = true
		}
		for _, want := range []string{"type", "title", "channel", "impact", "requester.email"} {
			if !fields[want] {
				t.Errorf("no field error for %s in %v", want, e.Fields)
			}
		}
		_, _, err = f.d.CreateTicket(f.l1, desk.NewTicket{Type: desk.TypeIncident, Title: "nul\x00byte",
			Channel: desk.ChannelAPI, Requester: desk.PersonInput{Email: "sam@example.com"}}, "")
		wantCode(t, err, desk.EINVALID)
		future := f.clock.Now().Add(time.Hour)
		_, _, err = f.d.CreateTicket(f.l1, desk.NewTicket{Type: desk.TypeIncident, Title: "x", ReportedAt: &future,
			Channel: desk.ChannelAPI, Requester: desk.PersonInput{Email: "sam@example.com"}}, "")
		wantCode(t, err, desk.EINVALID)
	})
	t.Run("Idempotent", func(t *testing.T) {
		in := desk.NewTicket{Type: desk.TypeIncident, Title: "Retry me", Channel: desk.ChannelAPI,
			Requester: desk.PersonInput{Email: "sam@example.com"}}
		a, replayed, err := f.d.CreateTicket(f.l1, in, "key-1")
		if err != nil || replayed {
			t.Fatal(err, replayed)
		}
		f.clock.Advance(30 * time.Second) // a retry comes later; reported_at defaults to now
		b, replayed, err := f.d.CreateTicket(f.l1, in, "key-1")
		if err != nil || !replayed || b.ID != a.ID {
			t.Fatalf("replay: %v %v %d != %d", err, replayed, b.ID, a.ID)
		}
		in.Title = "Something else"
		_, _, err = f.d.CreateTicket(f.l1, in, "key-1")
		wantCode(t, err, desk.EINVALID)
	})
	t.Run("RequesterRegistersForThemselvesOnly", func(t *testing.T) {
		tk, _, err := f.d.CreateTicket(f.sam, desk.NewTicket{Type: desk.TypeIncident, Title: "My screen", Channel: desk.ChannelPortal}, "")
		if err != nil || tk.Requester.ID != f.samUser.ID {
			t.Fatal(err)
		}
		_, _, err = f.d.CreateTicket(f.sam, desk.NewTicket{Type: desk.TypeIncident, Title: "x", Channel: desk.ChannelPortal,
			Requester: desk.PersonInput{Email: "kim@example.com"}}, "")
		wantCode(t, err, desk.EFORBIDDEN)
		_, _, err = f.d.CreateTicket(f.sam, desk.NewTicket{Type: desk.TypeIncident, Title: "x", Channel: desk.ChannelPortal,
			GroupID: f.g3.ID}, "")
		wantCode(t, err, desk.EFORBIDDEN)
	})
}

func TestDesk_Routing(t *testing.T) {
	f := newFixture(t)
	triage := f.group("Field Desk", desk.Line1, 0)
	svcL1, err := f.d.CreateService(f.admin, desk.ServiceInput{Name: "Shop floor", OwnerGroupID: triage.ID})
	if err != nil {
		t.Fatal(err)
	}
	svcL3, err := f.d.CreateService(f.admin, desk.ServiceInput{Name: "Core DB", OwnerGroupID: f.g3.ID})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := f.d.CreateCategory(f.admin, desk.CategoryInput{Name: "Hardware", GroupID: triage.ID})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := f.d.CreateCategory(f.admin, desk.CategoryInput{Name: "Printer", ParentID: cat.ID})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name           string
		svc, cat, sub  int64
		wantGroup      int64
		wantCategoryID int64
	}{
		{"ServiceOwnedByLine1", svcL1.ID, 0, 0, triage.ID, 0},
		{"ServiceOwnedByLine3FallsBackToDefault", svcL3.ID, 0, 0, f.g1.ID, 0},
		{"SubcategoryImpliesCategoryAndItsGroup", 0, 0, sub.ID, triage.ID, cat.ID},
		{"Nothing", 0, 0, 0, f.g1.ID, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk, _, err := f.d.CreateTicket(f.l1, desk.NewTicket{Type: desk.TypeIncident, Title: tt.name, Channel: desk.ChannelAPI,
				Requester: desk.PersonInput{Email: "sam@example.com"}, ServiceID: tt.svc, CategoryID: tt.cat, SubcategoryID: tt.sub}, "")
			if err != nil {
				t.Fatal(err)
			}
			if tk.Group.ID != tt.wantGroup {
				t.Errorf("group %s (%d), want %d", tk.Group.Name, tk.Group.ID, tt.wantGroup)
			}
			if tt.wantCategoryID != 0 && (tk.Category == nil || tk.Category.ID != tt.wantCategoryID) {
				t.Errorf("category %+v, want %d", tk.Category, tt.wantCategoryID)
			}
		})
	}
	t.Run("RetiredCategoryRefused", func(t *testing.T) {
		retired := true
		if _, err := f.d.UpdateCategory(f.admin, sub.ID, desk.CategoryPatch{Retired: &retired}); err != nil {
			t.Fatal(err)
		}
		_, _, err := f.d.CreateTicket(f.l1, desk.NewTicket{Type: desk.TypeIncident, Title: "x", Channel: desk.ChannelAPI,
			Requester: desk.PersonInput{Email: "sam@example.com"}, SubcategoryID: sub.ID}, "")
		wantCode(t, err, desk.EINVALID)
	})
	t.Run("CategoryInUseCannotBeDeleted", func(t *testing.T) {
		wantCode(t, f.d.DeleteCategory(f.admin, cat.ID), desk.ECONFLICT)
		wantCode(t, f.d.DeleteService(f.admin, svcL1.ID), desk.ECONFLICT)
	})
}

func TestDesk_Lifecycle(t *testing.T) {
	f := newFixture(t)
	tk := f.incident("VPN down")

	_, err := f.d.Transition(f.l1, tk.Number, desk.TransitionInput{To: desk.StateResolved})
	e := wantCode(t, err, desk.ECONFLICT)
	if strings.Join(e.Allowed, ",") != "assigned,in_progress,canceled" {
		t.Fatalf("allowed = %v", e.Allowed)
	}
	tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateAssigned})
	if tk.Assignee == nil || tk.Assignee.ID != f.agentL1.ID {
		t.Fatalf("taking a ticket assigns the agent: %+v", tk.Assignee)
	}
	f.clock.Advance(10 * time.Minute)
	tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateInProgress})
	if tk.FirstResponseAt == nil || !tk.FirstResponseAt.Equal(f.clock.Now()) {
		t.Fatalf("first response at %v, want %v", tk.FirstResponseAt, f.clock.Now())
	}

	_, err = f.d.Transition(f.l1, tk.Number, desk.TransitionInput{To: desk.StateOnHold})
	wantCode(t, err, desk.EINVALID)
	tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateOnHold, HoldReason: desk.HoldAwaitingRequester})
	// The requester's reply takes it off hold.
	if _, tk, err = f.d.Comment(f.sam, tk.Number, desk.CommentInput{Body: "Here is the log"}); err != nil {
		t.Fatal(err)
	}
	if tk.State != desk.StateInProgress || tk.HoldReason != "" {
		t.Fatalf("after the requester's reply: %s %q", tk.State, tk.HoldReason)
	}

	_, err = f.d.Transition(f.l1, tk.Number, desk.TransitionInput{To: desk.StateResolved, ResolutionCode: "solved"})
	wantCode(t, err, desk.EINVALID) // notes missing
	tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateResolved, ResolutionCode: "solved", ResolutionNotes: "Restarted"})

	// Requesters may reopen within the window, with a reason.
	_, err = f.d.Transition(f.sam, tk.Number, desk.TransitionInput{To: desk.StateInProgress})
	wantCode(t, err, desk.EINVALID)
	tk = f.move(f.sam, tk, desk.TransitionInput{To: desk.StateInProgress, Reason: "Broken again"})
	if tk.ReopenCount != 1 || tk.ResolvedAt != nil || tk.ResolutionCode != "" {
		t.Fatalf("reopen: count %d resolved %v code %q", tk.ReopenCount, tk.ResolvedAt, tk.ResolutionCode)
	}
	tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateResolved, ResolutionCode: "solved", ResolutionNotes: "Replaced"})
	f.clock.Advance(7*24*time.Hour + time.Minute)
	_, err = f.d.Transition(f.sam, tk.Number, desk.TransitionInput{To: desk.StateInProgress, Reason: "late"})
	wantCode(t, err, desk.ECONFLICT)
	// Requesters cannot do staff transitions.
	_, err = f.d.Transition(f.sam, tk.Number, desk.TransitionInput{To: desk.StateCanceled, Reason: "x"})
	wantCode(t, err, desk.ECONFLICT) // resolved → canceled is not in the machine at all
	tk = f.move(f.sam, tk, desk.TransitionInput{To: desk.StateClosed})
	if tk.ClosedAt == nil {
		t.Fatal("closed_at not set")
	}
	_, _, err = f.d.Comment(f.l1, tk.Number, desk.CommentInput{Body: "late reply"})
	wantCode(t, err, desk.ECONFLICT)
	_, err = f.d.UpdateTicket(f.l1, tk.Number, desk.TicketPatch{Title: ptr("renamed")})
	wantCode(t, err, desk.ECONFLICT)

	other := f.incident("Duplicate of VPN down")
	_, err = f.d.Transition(f.sam, other.Number, desk.TransitionInput{To: desk.StateCanceled, Reason: "dup"})
	wantCode(t, err, desk.EFORBIDDEN)
	_, err = f.d.Transition(f.l1, other.Number, desk.TransitionInput{To: desk.StateCanceled})
	wantCode(t, err, desk.EINVALID)
	other = f.move(f.l1, other, desk.TransitionInput{To: desk.StateCanceled, Reason: "duplicate of " + tk.Number})
	if other.CanceledAt == nil {
		t.Fatal("canceled_at not set")
	}
}

func TestDesk_FirstResponseByPublicComment(t *testing.T) {
	f := newFixture(t)
	tk := f.incident("Slow wifi")
	f.clock.Advance(5 * time.Minute)
	_, tk, err := f.d.Comment(f.l1, tk.Number, desk.CommentInput{Body: "Internal only", Internal: true})
	if err != nil || tk.FirstResponseAt != nil {
		t.Fatalf("a work note is not a response: %v %v", err, tk.FirstResponseAt)
	}
	f.clock.Advance(5 * time.Minute)
	if _, tk, err = f.d.Comment(f.l1, tk.Number, desk.CommentInput{Body: "Looking"}); err != nil {
		t.Fatal(err)
	}
	first := f.clock.Now()
	f.clock.Advance(time.Hour)
	f.move(f.l1, tk, desk.TransitionInput{To: desk.StateAssigned})
	tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateInProgress})
	if !tk.FirstResponseAt.Equal(first) {
		t.Fatalf("first response moved to %v, want %v", tk.FirstResponseAt, first)
	}
}

func ptr[T any](v T) *T { return &v }
