package jobs_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/jobs"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestRunner_Thresholds: a P1 in progress warns at 75 % (3 h) and 90 %
// (3 h 36 min) and breaches at 4 h, each exactly once although the ticket
// changes between sweeps and sweeps repeat; the breach goes to the group's
// manager and escalates the ticket to line 2 (P1 resolution breach).
func TestRunner_Thresholds(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		tk := f.incident(desk.LevelHigh, desk.LevelHigh, true)
		var want []string
		for _, step := range []struct {
			at   time.Duration
			want []string
		}{
			{time.Hour, nil},
			{3*time.Hour - time.Second, nil},
			{3 * time.Hour, []string{"resolution 75"}},
			{3*time.Hour + time.Minute, nil},
			{3*time.Hour + 36*time.Minute, []string{"resolution 90"}},
			{4 * time.Hour, []string{"resolution 100"}},
			{5 * time.Hour, nil},
		} {
			f.clock.Set(start.Add(step.at))
			f.edit(tk)
			f.sweep()
			f.sweep() // a second sweep at the same instant finds nothing
			f.edit(tk)
			want = append(want, step.want...)
			if diff := cmp.Diff(want, f.thresholds(tk)); diff != "" {
				t.Fatalf("at +%s thresholds (-want +got):\n%s", step.at, diff)
			}
		}
		wantOut := []string{
			"sla_warning " + user(f.agent.ID), "sla_warning " + group(f.g1.ID),
			"sla_warning " + user(f.agent.ID), "sla_warning " + group(f.g1.ID),
			"sla_breached " + user(f.manager.ID),
		}
		if diff := cmp.Diff(wantOut, f.outbox(tk)); diff != "" {
			t.Errorf("outbox (-want +got):\n%s", diff)
		}
		got := f.ticket(tk)
		if got.Group.ID != f.g2.ID || got.EscalationCount != 1 || got.State != desk.StateAssigned || got.Assignee != nil {
			t.Errorf("after the breach: group %+v escalations %d state %s assignee %v", got.Group, got.EscalationCount, got.State, got.Assignee)
		}
		if p := f.pending(tk); len(p) != 0 {
			t.Errorf("pending timers after the breach: %+v", p)
		}
	})
}

// TestRunner_PausedClock: on hold awaiting the requester, the resolution
// clock stands still and nothing breaches; the requester's reply resumes it
// and moves the timers by the time spent waiting.
func TestRunner_PausedClock(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		tk := f.incident(desk.LevelHigh, desk.LevelHigh, true)
		f.clock.Advance(time.Hour)
		f.move(f.l1, tk, desk.TransitionInput{To: desk.StateOnHold, HoldReason: desk.HoldAwaitingRequester})
		f.clock.Advance(10 * time.Hour)
		f.sweep()
		if got := f.thresholds(tk); len(got) != 0 {
			t.Fatalf("paused clock fired %v", got)
		}
		if p := f.pending(tk); len(p) != 0 {
			t.Fatalf("paused clock has pending timers %+v", p)
		}
		if _, _, err := f.d.Comment(f.sam, tk.Number, desk.CommentInput{Body: "Here are the logs"}); err != nil {
			t.Fatal(err)
		}
		resumed := f.clock.Now() // 1 h used, 3 h left
		var due []time.Time
		for _, tm := range f.pending(tk) {
			due = append(due, tm.DueAt)
		}
		want := []time.Time{resumed.Add(2 * time.Hour), resumed.Add(2*time.Hour + 36*time.Minute), resumed.Add(3 * time.Hour)}
		if diff := cmp.Diff(want, due); diff != "" {
			t.Fatalf("timers after resuming (-want +got):\n%s", diff)
		}
		f.clock.Advance(2 * time.Hour)
		f.sweep()
		f.clock.Advance(time.Hour - time.Second)
		f.sweep()
		if diff := cmp.Diff([]string{"resolution 75", "resolution 90"}, f.thresholds(tk)); diff != "" {
			t.Fatalf("before the deadline (-want +got):\n%s", diff)
		}
		f.clock.Advance(time.Second)
		f.sweep()
		if diff := cmp.Diff([]string{"resolution 75", "resolution 90", "resolution 100"}, f.thresholds(tk)); diff != "" {
			t.Fatalf("at the deadline (-want +got):\n%s", diff)
		}
	})
}

// TestRunner_PriorityChange: a P3 made P2 is re-targeted at once (8
// business hours from its start, the time elapsed kept); its resolution
// breach escalates it to line 2's escalation target, the lowest-id group.
func TestRunner_PriorityChange(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		testdb.IncidentsOnBusinessHours(t, f.d)                    // working-hours arithmetic
		tk := f.incident(desk.LevelMedium, desk.LevelMedium, true) // P3: 24 business hours
		if due := resolutionDue(f, tk, 100); !due.Equal(time.Date(2026, 3, 4, 15, 0, 0, 0, time.UTC)) {
			t.Fatalf("P3 deadline %v", due)
		}
		f.clock.Advance(2 * time.Hour) // 11:00
		high := desk.LevelHigh
		if _, err := f.d.UpdateTicket(f.l1, tk.Number, desk.TicketPatch{Urgency: &high, Reason: "month-end"}); err != nil {
			t.Fatal(err) // medium × high = P2: 8 business hours
		}
		if due := resolutionDue(f, tk, 100); !due.Equal(time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC)) {
			t.Fatalf("P2 deadline %v", due)
		}
		if due := resolutionDue(f, tk, 75); !due.Equal(time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)) {
			t.Fatalf("P2 75%% at %v", due)
		}
		f.clock.Set(time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC))
		f.sweep()
		// 75 % and 90 % passed unseen (no sweep ran): only the breach fires.
		if diff := cmp.Diff([]string{"resolution 100"}, f.thresholds(tk)); diff != "" {
			t.Fatalf("thresholds (-want +got):\n%s", diff)
		}
		got := f.ticket(tk)
		if got.Group.ID != f.g2.ID || got.Line() != desk.Line2 {
			t.Fatalf("P2 breach escalated to %+v, want %s", got.Group, f.g2.Name)
		}
		last := f.events(tk)[len(f.events(tk))-1]
		if last.Kind != desk.EventEscalated || last.Actor != nil {
			t.Fatalf("last event %+v", last)
		}
	})
}

func resolutionDue(f *fixture, tk *desk.Ticket, pct int) time.Time {
	f.t.Helper()
	for _, tm := range f.pending(tk) {
		if tm.Kind == desk.TimerKind(desk.SLAResolution) && tm.Percent == pct {
			return tm.DueAt
		}
	}
	f.t.Fatalf("no resolution %d%% timer in %+v", pct, f.pending(tk))
	return time.Time{}
}

// TestRunner_ResponsePagesLine3: a P1 nobody acknowledged within 15 min
// pages every line-3 group.
func TestRunner_ResponsePagesLine3(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		tk := f.incident(desk.LevelHigh, desk.LevelHigh, false)
		f.clock.Advance(15 * time.Minute)
		f.sweep()
		if diff := cmp.Diff([]string{"response 100"}, f.thresholds(tk)); diff != "" {
			t.Fatalf("thresholds (-want +got):\n%s", diff)
		}
		want := []string{"sla_breached " + user(f.manager.ID), "page " + group(f.g3.ID)}
		if diff := cmp.Diff(want, f.outbox(tk)); diff != "" {
			t.Fatalf("outbox (-want +got):\n%s", diff)
		}
	})
}

// TestRunner_KilledMidway: a runner that claimed timers and died leaves them
// claimed; once the lease expires the next sweep handles each once.
func TestRunner_KilledMidway(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		tk := f.incident(desk.LevelHigh, desk.LevelHigh, true)
		f.clock.Advance(3 * time.Hour)
		claimed, err := f.store.ClaimTimers(context.Background(), f.clock.Now(), jobs.DefaultLease, 10)
		must(t, err)
		if len(claimed) != 1 || claimed[0].Percent != 75 {
			t.Fatalf("claimed %+v", claimed)
		}
		// ... and the process dies here. Within the lease nobody else takes it.
		if res := f.sweep(); res.Claimed != 0 {
			t.Fatalf("claimed timer taken again within its lease: %+v", res)
		}
		f.clock.Advance(jobs.DefaultLease + time.Second)
		if res := f.sweep(); res.Claimed != 1 || res.Fired != 1 {
			t.Fatalf("after the lease: %+v", res)
		}
		f.sweep()
		if diff := cmp.Diff([]string{"resolution 75"}, f.thresholds(tk)); diff != "" {
			t.Fatalf("thresholds (-want +got):\n%s", diff)
		}
		_, done, err := f.store.Timers(context.Background(), tk.ID)
		must(t, err)
		if len(done) != 1 || done[0].Attempts != 2 {
			t.Fatalf("done timers %+v", done)
		}
	})
}

// TestRunner_AutoClose: a resolved ticket closes itself, as the system, once
// the reopen window has passed; a reopened one does not.
func TestRunner_AutoClose(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		resolve := func(tk *desk.Ticket) {
			f.move(f.l1, tk, desk.TransitionInput{To: desk.StateResolved, ResolutionCode: desk.ResolutionCodes[0], ResolutionNotes: "Fixed"})
		}
		tk := f.incident(desk.LevelLow, desk.LevelLow, true)
		reopened := f.incident(desk.LevelLow, desk.LevelLow, true)
		resolve(tk)
		resolve(reopened)
		f.clock.Advance(time.Hour)
		f.move(f.sam, reopened, desk.TransitionInput{To: desk.StateInProgress, Reason: "still broken"})
		f.clock.Advance(desk.DefaultConfig.ReopenWindow - time.Hour - time.Second)
		f.sweep()
		if got := f.ticket(tk); got.State != desk.StateResolved {
			t.Fatalf("closed before the window passed: %s", got.State)
		}
		f.clock.Advance(time.Second)
		f.sweep()
		got := f.ticket(tk)
		if got.State != desk.StateClosed || got.ClosedAt == nil || !got.ClosedAt.Equal(f.clock.Now()) {
			t.Fatalf("after the window: %s closed %v", got.State, got.ClosedAt)
		}
		last := f.events(tk)[len(f.events(tk))-1]
		if last.Kind != desk.EventTransition || last.Actor != nil || last.Changes[0].New != string(desk.StateClosed) {
			t.Fatalf("closing event %+v", last)
		}
		if got := f.ticket(reopened); got.State != desk.StateInProgress {
			t.Fatalf("reopened ticket is %s", got.State)
		}
	})
}

// TestRunner_Concurrent: two runners on two store instances sweep the same
// database at once; every threshold of every ticket is recorded at most
// once, every breach exactly once, every ticket escalated once.
func TestRunner_Concurrent(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		other := f.second()
		var tickets []*desk.Ticket
		for range 20 {
			tickets = append(tickets, f.incident(desk.LevelHigh, desk.LevelHigh, true))
		}
		runners := []*jobs.Runner{f.r, jobs.New(other, desk.New(other, f.clock, desk.DefaultConfig), f.clock, jobs.Config{Batch: 3}, nil)}
		for _, at := range []time.Duration{3 * time.Hour, 4 * time.Hour} {
			f.clock.Set(start.Add(at))
			var wg sync.WaitGroup
			for _, r := range runners {
				wg.Go(func() {
					res, err := r.RunDue(context.Background(), f.clock.Now())
					if err != nil || res.Failed != 0 {
						t.Errorf("sweep: %+v %v", res, err)
					}
				})
			}
			wg.Wait()
		}
		for _, tk := range tickets {
			got := f.thresholds(tk)
			slices.Sort(got)
			if diff := cmp.Diff([]string{"resolution 100", "resolution 75"}, got); diff != "" {
				t.Errorf("%s thresholds (-want +got):\n%s", tk.Number, diff)
			}
			if n := f.ticket(tk).EscalationCount; n != 1 {
				t.Errorf("%s escalated %d times", tk.Number, n)
			}
		}
	})
}

// TestRunner_StartStop: the loop owned by serve sweeps on its own and stops
// when asked, waiting for the sweep in progress.
func TestRunner_StartStop(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		tk := f.incident(desk.LevelHigh, desk.LevelHigh, true)
		f.clock.Advance(3 * time.Hour)
		r := jobs.New(f.store, f.d, f.clock, jobs.Config{PollInterval: 5 * time.Millisecond}, nil)
		r.Start(t.Context())
		deadline := time.Now().Add(5 * time.Second)
		for len(f.thresholds(tk)) == 0 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		r.Stop()
		r.Stop() // idempotent
		if diff := cmp.Diff([]string{"resolution 75"}, f.thresholds(tk)); diff != "" {
			t.Fatalf("thresholds (-want +got):\n%s", diff)
		}
	})
}

// TestDesk_RescheduleTimers: a policy edit reaches the timers of open
// tickets through RescheduleTimers, and so do tickets stored without timers.
func TestDesk_RescheduleTimers(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		tk := f.incident(desk.LevelHigh, desk.LevelHigh, true)
		policies, err := f.d.SLAPolicies(f.admin)
		must(t, err)
		p1 := policies[0]
		p1.Resolution = 2 * time.Hour
		must(t, f.d.SaveSLAPolicy(f.admin, p1))
		bare := &desk.Ticket{Type: desk.TypeIncident, Title: "Imported", State: desk.StateAssigned, Impact: desk.LevelHigh,
			Urgency: desk.LevelHigh, Priority: desk.P1, Group: desk.GroupRef{ID: f.g1.ID}, Requester: desk.Person{ID: desk.ActorFrom(f.sam).ID},
			Channel: desk.ChannelPhone, CreatedAt: start, CreatedBy: f.agent.ID}
		_, err = f.store.CreateTicket(context.Background(), bare, nil, nil)
		must(t, err)
		if _, err := f.d.RescheduleTimers(f.l1); desk.ErrorCode(err) != desk.EFORBIDDEN {
			t.Fatalf("agent reschedules: %v", err)
		}
		n, err := f.d.RescheduleTimers(f.admin)
		must(t, err)
		if n != 2 {
			t.Fatalf("visited %d tickets", n)
		}
		if due := resolutionDue(f, tk, 100); !due.Equal(start.Add(2 * time.Hour)) {
			t.Fatalf("deadline after the policy edit %v", due)
		}
		if due := resolutionDue(f, bare, 100); !due.Equal(start.Add(2 * time.Hour)) {
			t.Fatalf("imported ticket's deadline %v", due)
		}
	})
}

// TestRunner_NextUpdate: the next-update clock restarts with every public
// reply by staff, and its thresholds fire once per wait.
func TestRunner_NextUpdate(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		must(t, f.d.SaveSLAPolicy(f.admin, &desk.SLAPolicy{Name: "Chatty", Position: 1, Calendar: "24x7",
			Response: time.Hour, Resolution: 48 * time.Hour, NextUpdate: time.Hour, Active: true}))
		tk := f.incident(desk.LevelLow, desk.LevelLow, true)
		f.clock.Advance(45 * time.Minute)
		f.sweep()
		f.clock.Advance(5 * time.Minute)
		if _, _, err := f.d.Comment(f.l1, tk.Number, desk.CommentInput{Body: "Still on it"}); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(44 * time.Minute)
		f.sweep()
		if diff := cmp.Diff([]string{"next_update 75"}, f.thresholds(tk)); diff != "" {
			t.Fatalf("before the second wait's 75 %% (-want +got):\n%s", diff)
		}
		f.clock.Advance(time.Minute)
		f.sweep()
		if diff := cmp.Diff([]string{"next_update 75", "next_update 75"}, f.thresholds(tk)); diff != "" {
			t.Fatalf("thresholds (-want +got):\n%s", diff)
		}
	})
}

// TestRunner_LateResponse: a response given after the deadline, while no
// sweep ran, stops the clock: no breach, page or escalation afterwards.
func TestRunner_LateResponse(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		tk := f.incident(desk.LevelHigh, desk.LevelHigh, false)
		f.clock.Advance(20 * time.Minute)
		f.move(f.l1, tk, desk.TransitionInput{To: desk.StateAssigned, AssigneeID: f.agent.ID})
		f.move(f.l1, tk, desk.TransitionInput{To: desk.StateInProgress})
		f.sweep()
		if got := f.thresholds(tk); len(got) != 0 {
			t.Fatalf("stopped response clock fired %v", got)
		}
		if got := f.outbox(tk); len(got) != 0 {
			t.Fatalf("outbox %v", got)
		}
	})
}

// TestRunner_KilledBeforeNextThreshold: an instance claims the 75 %
// warning and dies; while its claim holds, another instance fires the 90 %
// warning and the breach, each rewriting the ticket's timers, and an agent
// edits the ticket. The claimed warning is owed: once the claim expires it
// is sent, late but once, and nothing else is sent twice.
func TestRunner_KilledBeforeNextThreshold(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		tk := f.incident(desk.LevelHigh, desk.LevelHigh, true)
		f.clock.Set(start.Add(3 * time.Hour))
		lease := 90 * time.Minute // the dead instance's claim outlives the next thresholds
		claimed, err := f.store.ClaimTimers(context.Background(), f.clock.Now(), lease, 10)
		must(t, err)
		if len(claimed) != 1 || claimed[0].Percent != 75 {
			t.Fatalf("claimed %+v", claimed)
		}
		// ... and the process dies here.
		for _, at := range []time.Duration{3*time.Hour + 36*time.Minute, 4 * time.Hour, 4*time.Hour + 10*time.Minute} {
			f.clock.Set(start.Add(at))
			f.sweep()
			f.edit(tk)
		}
		if diff := cmp.Diff([]string{"resolution 90", "resolution 100"}, f.thresholds(tk)); diff != "" {
			t.Fatalf("within the dead claim, thresholds (-want +got):\n%s", diff)
		}
		f.clock.Set(start.Add(3*time.Hour + lease + time.Second))
		if res := f.sweep(); res.Fired != 1 {
			t.Fatalf("after the claim expired: %+v", res)
		}
		f.sweep()
		if diff := cmp.Diff([]string{"resolution 90", "resolution 100", "resolution 75"}, f.thresholds(tk)); diff != "" {
			t.Fatalf("thresholds (-want +got):\n%s", diff)
		}
		if p := f.pending(tk); len(p) != 0 {
			t.Errorf("pending timers left: %+v", p)
		}
		// 90 %: the assignee and the group; the late 75 %: the group the
		// breach escalated to (nobody is assigned there).
		want := map[string]int{"sla_warning": 3, "sla_breached": 1}
		got := map[string]int{}
		for _, m := range f.outbox(tk) {
			kind, _, _ := strings.Cut(m, " ")
			got[kind]++
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("outbox (-want +got):\n%s", diff)
		}
	})
}

// TestRunner_OwedTimerOfStoppedClock: a warning claimed by an instance
// that died, whose clock then stops (the ticket is resolved), is retried
// once after its lease, records nothing and is not claimed again.
func TestRunner_OwedTimerOfStoppedClock(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		tk := f.incident(desk.LevelHigh, desk.LevelHigh, true)
		f.clock.Set(start.Add(3 * time.Hour))
		_, err := f.store.ClaimTimers(context.Background(), f.clock.Now(), jobs.DefaultLease, 10)
		must(t, err)
		f.move(f.l1, tk, desk.TransitionInput{To: desk.StateResolved, ResolutionCode: desk.ResolutionCodes[0], ResolutionNotes: "Fixed"})
		f.clock.Advance(jobs.DefaultLease + time.Second)
		if res := f.sweep(); res.Claimed != 1 {
			t.Fatalf("after the lease: %+v", res)
		}
		f.clock.Advance(jobs.DefaultLease + time.Second)
		if res := f.sweep(); res.Claimed != 0 {
			t.Fatalf("the owed timer came back: %+v", res)
		}
		if got := f.thresholds(tk); len(got) != 0 {
			t.Errorf("thresholds of a resolved ticket: %v", got)
		}
		for _, p := range f.pending(tk) {
			if p.Kind != desk.TimerAutoClose {
				t.Errorf("pending timer %+v", p)
			}
		}
	})
}
