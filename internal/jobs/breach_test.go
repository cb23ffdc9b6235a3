package jobs_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tierdesk/tierdesk/internal/breach"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// breachCase is a security case sam reported, marked by line 1, taken by
// sec (a member of the security group, whose escalation policy pages sec),
// with awareness at start and regime.
func (f *fixture) breachCase(regime breach.Regime) (*desk.Ticket, context.Context, *desk.User, *desk.Group) {
	f.t.Helper()
	sys := desk.AsSystem(context.Background())
	g, err := f.d.CreateGroup(sys, desk.GroupInput{Name: "Security", Line: desk.Line2, Security: true})
	must(f.t, err)
	sec, err := f.d.CreateUser(f.admin, desk.UserInput{Email: "sasha@example.com", Name: "Sasha", Role: desk.RoleAgent})
	must(f.t, err)
	must(f.t, f.d.SetGroupMember(sys, g.ID, sec.ID, true))
	sec, err = f.d.User(sys, sec.ID)
	must(f.t, err)
	secCtx := desk.WithActor(context.Background(), sec)
	must(f.t, f.d.PutEscalationPolicy(f.admin, &desk.EscalationPolicy{GroupID: g.ID, Name: "Security on-call", Repeat: 1, Active: true,
		Steps: []desk.EscalationStep{{UserIDs: []int64{sec.ID}, Delay: 10 * time.Minute}}}))
	tk := f.incident(desk.LevelLow, desk.LevelLow, false)
	_, err = f.d.MarkSecurity(f.l1, tk.Number, desk.SecurityInput{Reason: "my account sends spam"})
	must(f.t, err)
	tk = f.move(secCtx, tk, desk.TransitionInput{To: desk.StateInProgress, AssigneeID: sec.ID})
	_, err = f.d.SetBreachAwareness(secCtx, tk.Number, desk.BreachAwarenessInput{AwareAt: start, Reason: "SOC alert"})
	must(f.t, err)
	tk, err = f.d.SetBreachRegime(secCtx, tk.Number, desk.BreachRegimeInput{Regime: regime, Reason: "customers in the EU and Russia"})
	must(f.t, err)
	return tk, secCtx, sec, g
}

// breachEvents lists the case's regulatory events as "kind clock percent
// reason_code".
func (f *fixture) breachEvents(tk *desk.Ticket) []string {
	f.t.Helper()
	var out []string
	for _, e := range f.events(tk) {
		if e.Kind != desk.EventBreachWarning && e.Kind != desk.EventBreachMissed {
			continue
		}
		if e.Actor != nil || e.Public || e.ReasonCode == "" {
			f.t.Errorf("%s should be internal, by the system, with a reason code: %+v", e.Kind, e)
		}
		out = append(out, fmt.Sprintf("%s %s %s %s", e.Kind, e.Changes[0].New, e.Changes[1].New, e.ReasonCode))
	}
	return out
}

// TestRunner_BreachClocks: the regulatory clocks of a breach fire on
// wall-clock time from awareness (the case on hold changes nothing): a
// warning to the owner at 50 % and 80 %, a page of the security on-call
// at 90 % that runs although the case is assigned, and the miss at
// 100 %, each exactly once however often the case changes and sweeps
// repeat; on SQLite and PostgreSQL.
func TestRunner_BreachClocks(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		tk, secCtx, sec, g := f.breachCase(breach.Both)
		tk = f.move(secCtx, tk, desk.TransitionInput{To: desk.StateOnHold, HoldReason: desk.HoldAwaitingVendor})
		w, m := string(desk.EventBreachWarning), string(desk.EventBreachMissed)
		first, gdpr, inv := string(breach.FZ152First), string(breach.GDPRAuthority), string(breach.FZ152Follow)
		edit := func(tk *desk.Ticket) { // the owner works the case between sweeps
			title := "Account sends spam " + f.clock.Now().Format(time.TimeOnly)
			_, err := f.d.UpdateTicket(secCtx, tk.Number, desk.TicketPatch{Title: &title})
			must(t, err)
		}
		var want []string
		for _, step := range []struct {
			at   time.Duration
			want []string
		}{
			{time.Hour, nil},
			{12*time.Hour - 2*time.Second, nil},
			{12 * time.Hour, []string{w + " " + first + " 50 breach_deadline_warning"}},
			{19*time.Hour + 12*time.Minute, []string{w + " " + first + " 80 breach_deadline_warning"}},
			{21*time.Hour + 36*time.Minute, []string{w + " " + first + " 90 breach_deadline_paging"}},
			{24 * time.Hour, []string{m + " " + first + " 100 breach_deadline_missed"}},
			{36 * time.Hour, []string{w + " " + gdpr + " 50 breach_deadline_warning", w + " " + inv + " 50 breach_deadline_warning"}},
			{40 * time.Hour, nil},
		} {
			f.clock.Set(start.Add(step.at))
			edit(tk)
			f.sweep()
			f.sweep()
			edit(tk)
			want = append(want, step.want...)
			got := f.breachEvents(tk)
			if diff := cmp.Diff(sorted(want), sorted(got)); diff != "" {
				t.Fatalf("at +%s regulatory events (-want +got):\n%s", step.at, diff)
			}
		}
		pages, err := f.store.TicketPages(context.Background(), tk.ID)
		must(t, err)
		if len(pages) != 1 || pages[0].GroupID != g.ID || pages[0].ReasonCode != desk.ReasonBreachPage {
			t.Fatalf("pages %+v, want one of the security group for the deadline", pages)
		}
		if pages[0].State != desk.PageActive {
			t.Errorf("the page ended (%s) because the case is assigned; it runs until acknowledged", pages[0].State)
		}
		msgs, err := f.store.Outbox(context.Background(), tk.ID)
		must(t, err)
		var mail []string
		for _, msg := range msgs {
			if msg.Kind == desk.OutboxBreachWarning || msg.Kind == desk.OutboxBreachMissed {
				if msg.UserID != sec.ID || msg.Payload["title"] != "" {
					t.Errorf("breach mail %+v: to the assignee, and no title", msg)
				}
				mail = append(mail, string(msg.Kind)+" "+msg.Payload["clock"]+" "+msg.Payload["percent"])
			}
		}
		wantMail := []string{"breach_warning " + first + " 50", "breach_warning " + first + " 80", "breach_missed " + first + " 100",
			"breach_warning " + gdpr + " 50", "breach_warning " + inv + " 50"}
		if diff := cmp.Diff(sorted(wantMail), sorted(mail)); diff != "" {
			t.Errorf("mail (-want +got):\n%s", diff)
		}
		st, err := f.d.BreachStatusOf(secCtx, f.ticket(tk))
		must(t, err)
		states := map[breach.Kind]string{}
		for _, c := range st.Clocks {
			states[c.Kind] = c.State
		}
		if states[breach.FZ152First] != desk.BreachClockMissed || states[breach.GDPRAuthority] != desk.BreachClockRunning {
			t.Errorf("clock states %v, want the 24-hour notice missed and the GDPR one running", states)
		}
	})
}

// sorted is a sorted copy of s: each entry must be there exactly once;
// thresholds reached in one sweep are recorded in no particular order.
func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}
