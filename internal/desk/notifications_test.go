package desk_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// outbox returns the notifications queued since the last call, oldest
// first, as "kind → recipient".
type outboxReader struct {
	f    *fixture
	seen int64
}

func (r *outboxReader) next() []string {
	r.f.t.Helper()
	page, err := r.f.d.Outbox(r.f.admin, desk.OutboxQueued, "", desk.MaxPageSize)
	if err != nil {
		r.f.t.Fatal(err)
	}
	var out []string
	for _, m := range slices.Backward(page.Messages) {
		if m.ID <= r.seen {
			continue
		}
		r.seen = m.ID
		to := "group"
		if m.UserID != 0 {
			to = r.f.reload(m.UserID).Email
		}
		out = append(out, string(m.Kind)+" → "+to)
	}
	return out
}

func wantMail(t *testing.T, step string, r *outboxReader, want ...string) {
	t.Helper()
	got := r.next()
	if !slices.Equal(got, want) {
		t.Errorf("%s: queued %q, want %q", step, got, want)
	}
}

// TestNotifications_WhoHearsWhat walks a ticket through the changes that
// notify someone: nobody hears of their own change, internal notes reach
// no requester, preferences suppress a kind, staff-critical kinds cannot
// be turned off.
func TestNotifications_WhoHearsWhat(t *testing.T) {
	f := newFixture(t)
	r := &outboxReader{f: f}
	tk := f.incident("Printer on fire")
	wantMail(t, "registered by lena (the only member of line 1)", r, "ticket_registered → sam@example.com")

	if _, _, err := f.d.Comment(f.l1, tk.Number, desk.CommentInput{Body: "checked the logs", Internal: true}); err != nil {
		t.Fatal(err)
	}
	wantMail(t, "internal note", r)

	if _, _, err := f.d.Comment(f.sam, tk.Number, desk.CommentInput{Body: "it is smoking now"}); err != nil {
		t.Fatal(err)
	}
	wantMail(t, "requester comment, nobody assigned", r, "requester_replied → lena@example.com")

	if _, _, err := f.d.Comment(f.l1, tk.Number, desk.CommentInput{Body: "unplug it please"}); err != nil {
		t.Fatal(err)
	}
	wantMail(t, "first public comment by staff", r, "first_response → sam@example.com")
	f.move(f.l1, tk, desk.TransitionInput{To: desk.StateAssigned})
	f.move(f.l1, tk, desk.TransitionInput{To: desk.StateInProgress})
	wantMail(t, "lena takes it herself", r)

	// Sam turns comments off; the hold still reaches them.
	samID := f.samUser.ID
	if _, err := f.d.SetUserPreferences(f.sam, samID, desk.PreferencesPatch{
		Notifications: map[desk.OutboxKind]bool{desk.OutboxComment: false}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.d.Comment(f.l1, tk.Number, desk.CommentInput{Body: "still there?"}); err != nil {
		t.Fatal(err)
	}
	f.move(f.l1, tk, desk.TransitionInput{To: desk.StateOnHold, HoldReason: desk.HoldAwaitingRequester, Reason: "send a photo"})
	wantMail(t, "muted comment, then the hold", r, "on_hold → sam@example.com")
	if _, _, err := f.d.Comment(f.sam, tk.Number, desk.CommentInput{Body: "photo attached"}); err != nil {
		t.Fatal(err)
	}
	wantMail(t, "requester reply to the assignee", r, "requester_replied → lena@example.com")

	// Functional escalation: line 3's members; hierarchical: its manager.
	if _, err := f.d.Escalate(f.l1, tk.Number, desk.EscalationInput{Kind: desk.EscalateFunctional, GroupID: f.g3.ID, Reason: "hardware"}); err != nil {
		t.Fatal(err)
	}
	wantMail(t, "escalated to line 3", r, "escalated → ines@example.com", "escalated → otto@example.com")
	if _, err := f.d.Escalate(f.l3, tk.Number, desk.EscalationInput{Kind: desk.EscalateHierarchical, Reason: "vendor slow"}); err != nil {
		t.Fatal(err)
	}
	wantMail(t, "hierarchical escalation", r, "escalated → boss@example.com")
	ines := desk.ActorFrom(f.l3)
	if _, err := f.d.UpdateTicket(f.l3b, tk.Number, desk.TicketPatch{AssigneeID: &ines.ID}); err != nil {
		t.Fatal(err)
	}
	wantMail(t, "assigned by otto to ines", r, "assigned → ines@example.com")

	f.move(f.l3, tk, desk.TransitionInput{To: desk.StateInProgress})
	f.move(f.l3, tk, desk.TransitionInput{To: desk.StateResolved, ResolutionCode: desk.ResolutionCodes[0], ResolutionNotes: "new fuser"})
	wantMail(t, "resolved", r, "resolved → sam@example.com")
	f.move(f.sam, tk, desk.TransitionInput{To: desk.StateClosed})
	wantMail(t, "closed by sam: nobody told", r)
}

func TestNotifications_ReplyReopensResolved(t *testing.T) {
	f := newFixture(t)
	tk := f.incident("Scanner jams")
	f.move(f.l1, tk, desk.TransitionInput{To: desk.StateAssigned})
	f.move(f.l1, tk, desk.TransitionInput{To: desk.StateInProgress})
	f.move(f.l1, tk, desk.TransitionInput{To: desk.StateResolved, ResolutionCode: desk.ResolutionCodes[0], ResolutionNotes: "cleaned"})
	_, got, err := f.d.Comment(f.sam, tk.Number, desk.CommentInput{Body: "still jams"})
	if err != nil {
		t.Fatal(err)
	}
	if got.State != desk.StateInProgress || got.ReopenCount != 1 || got.ResolvedAt != nil {
		t.Errorf("after the requester's reply: %s, reopened %d times", got.State, got.ReopenCount)
	}
	// Past the reopen window a reply stays a comment.
	f.move(f.l1, got, desk.TransitionInput{To: desk.StateResolved, ResolutionCode: desk.ResolutionCodes[0], ResolutionNotes: "cleaned again"})
	f.clock.Advance(8 * 24 * time.Hour)
	_, got, err = f.d.Comment(f.sam, tk.Number, desk.CommentInput{Body: "thanks"})
	if err != nil {
		t.Fatal(err)
	}
	if got.State != desk.StateResolved {
		t.Errorf("reply after the window: %s, want resolved", got.State)
	}
}

func TestPreferences(t *testing.T) {
	f := newFixture(t)
	sam := f.samUser.ID
	p, err := f.d.UserPreferences(f.sam, sam)
	if err != nil {
		t.Fatal(err)
	}
	if p.Language != "en" || p.TimeZone != "UTC" || !p.Notifications[desk.OutboxComment] || len(p.Notifications) != len(desk.NotificationKinds) {
		t.Errorf("defaults: %+v", p)
	}
	ru, msk := "ru", "Europe/Moscow"
	p, err = f.d.SetUserPreferences(f.sam, sam, desk.PreferencesPatch{Language: &ru, TimeZone: &msk,
		Notifications: map[desk.OutboxKind]bool{desk.OutboxClosed: false}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Language != "ru" || p.TimeZone != msk || p.Notifications[desk.OutboxClosed] {
		t.Errorf("after patch: %+v", p)
	}
	bad, zone := "de", "Mars/Olympus"
	e := wantCode(t, func() error {
		_, err := f.d.SetUserPreferences(f.sam, sam, desk.PreferencesPatch{Language: &bad, TimeZone: &zone,
			Notifications: map[desk.OutboxKind]bool{desk.OutboxSLABreached: false, "fax": true}})
		return err
	}(), desk.EINVALID)
	var fields []string
	for _, fe := range e.Fields {
		fields = append(fields, fe.Field+": "+fe.Message)
	}
	all := strings.Join(fields, "\n")
	for _, want := range []string{"language:", "time_zone:", "notifications.fax:", "notifications.sla_breached: cannot be turned off"} {
		if !strings.Contains(all, want) {
			t.Errorf("errors %q lack %q", all, want)
		}
	}
	if p, _ := f.d.UserPreferences(f.sam, sam); p.Language != "ru" {
		t.Errorf("a refused patch changed something: %+v", p)
	}
	empty := ""
	if p, _ := f.d.SetUserPreferences(f.admin, sam, desk.PreferencesPatch{Language: &empty}); p == nil || p.Language != "en" {
		t.Errorf("admin resets the language to the default: %+v", p)
	}
	_, err = f.d.UserPreferences(f.kim, sam)
	wantCode(t, err, desk.EFORBIDDEN)
	_, err = f.d.UserPreferences(f.admin, 1<<40)
	wantCode(t, err, desk.ENOTFOUND)
}
