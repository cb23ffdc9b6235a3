package pager_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/jobs"
	"github.com/tierdesk/tierdesk/internal/pager"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

func diff(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

// Step 1 at once, step 2 after step 1's delay, nothing after the
// acknowledgement.
func TestEscalation_StepsThenAck(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		f.policy(0, desk.EscalationStep{UserIDs: []int64{f.ann.ID}, Delay: 5 * time.Minute},
			desk.EscalationStep{ScheduleIDs: []int64{f.week}, Delay: 10 * time.Minute})
		tk := f.incident("Payments down")
		if tk.Priority != desk.P1 {
			t.Fatalf("priority %s", tk.Priority)
		}
		f.sweep()
		diff(t, "at once", []int64{f.ann.ID}, f.mails(tk))
		f.clock.Advance(4*time.Minute + 59*time.Second)
		f.sweep()
		diff(t, "before the delay", []int64{f.ann.ID}, f.mails(tk))
		f.clock.Advance(time.Second)
		f.sweep()
		diff(t, "after the delay: Bob on call", []int64{f.ann.ID, f.bob.ID}, f.mails(tk))

		bob := desk.WithActor(context.Background(), f.bob)
		pages, err := f.d.AcknowledgePage(bob, tk.Number)
		must(t, err)
		if len(pages) != 1 || pages[0].State != desk.PageAcknowledged || pages[0].AckedBy.ID != f.bob.ID {
			t.Fatalf("acknowledged %+v", pages[0])
		}
		_, err = f.d.AcknowledgePage(bob, tk.Number)
		if desk.ErrorCode(err) != desk.ECONFLICT {
			t.Errorf("second acknowledgement: %v, want conflict", err)
		}
		for range 4 {
			f.clock.Advance(10 * time.Minute)
			f.sweep()
		}
		diff(t, "after the acknowledgement", []int64{f.ann.ID, f.bob.ID}, f.mails(tk))
		diff(t, "timeline", []string{
			"page_started: P1 incident in Core",
			"paged: step 1, round 1: paged Ann",
			"paged: step 2, round 1: paged Bob",
			"page_acknowledged: by Bob",
		}, f.paged(tk))

		// The TAT report: one paged ticket, acknowledged 5 minutes after its page.
		f.incident("Not paged yet") // created now: paged at the next sweep, not in this report's figures
		rep, err := f.d.Report(f.admin, desk.ReportQuery{From: start.Truncate(24 * time.Hour), To: start.Add(24 * time.Hour)})
		must(t, err)
		diff(t, "time to acknowledge", desk.AckStats{Paged: 1, Acknowledged: 1, Mean: 5 * time.Minute, Median: 5 * time.Minute,
			P90: 5 * time.Minute}, rep.Total.Acknowledge)
	})
}

// A step whose schedule has nobody on call moves on at once; a policy run
// N+1 times ends exhausted.
func TestEscalation_NobodyOnCallAndRepeat(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		later := f.schedule("Starts next month", f.cid.ID, "2026-04-01")
		f.policy(1, desk.EscalationStep{ScheduleIDs: []int64{later}, Delay: 5 * time.Minute},
			desk.EscalationStep{UserIDs: []int64{f.ann.ID}, Delay: 5 * time.Minute})
		tk := f.incident("Disk full")
		f.sweep()
		diff(t, "at once, past the empty step", []int64{f.ann.ID}, f.mails(tk))
		f.clock.Advance(5 * time.Minute)
		f.sweep()
		diff(t, "round 2", []int64{f.ann.ID, f.ann.ID}, f.mails(tk))
		f.clock.Advance(5 * time.Minute)
		f.sweep()
		f.clock.Advance(time.Hour)
		f.sweep()
		diff(t, "no round 3", []int64{f.ann.ID, f.ann.ID}, f.mails(tk))
		diff(t, "timeline", []string{
			"page_started: P1 incident in Core",
			"paged: step 1, round 1: nobody on call, moving on",
			"paged: step 2, round 1: paged Ann",
			"paged: step 1, round 2: nobody on call, moving on",
			"paged: step 2, round 2: paged Ann",
			"page_exhausted: nobody acknowledged after 2 round(s)",
		}, f.paged(tk))
	})
}

// Taking the ticket acknowledges; escalating a covered ticket into the
// group starts a page; a P3 is not covered.
func TestEscalation_TakeAndEscalateInto(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		f.policy(0, desk.EscalationStep{UserIDs: []int64{f.ann.ID}, Delay: 5 * time.Minute},
			desk.EscalationStep{UserIDs: []int64{f.bob.ID}, Delay: 5 * time.Minute})
		tk := f.incident("Queue stuck")
		f.sweep()
		cid := desk.WithActor(context.Background(), f.cid)
		_, err := f.d.Transition(cid, tk.Number, desk.TransitionInput{To: desk.StateAssigned, AssigneeID: f.cid.ID})
		must(t, err)
		f.clock.Advance(time.Hour)
		f.sweep()
		diff(t, "only step 1", []int64{f.ann.ID}, f.mails(tk))
		diff(t, "taken", "page_acknowledged: taken by Cid", f.paged(tk)[2])

		// A P3 is not paged; a P1 escalated from line 1 is.
		low, _, err := f.d.CreateTicket(f.l1, desk.NewTicket{Type: desk.TypeIncident, Title: "Slow report", Channel: desk.ChannelPhone,
			Requester: desk.PersonInput{Email: "mon@example.com"}, GroupID: f.core.ID}, "")
		must(t, err)
		up, _, err := f.d.CreateTicket(f.l1, desk.NewTicket{Type: desk.TypeIncident, Title: "Site down", Channel: desk.ChannelPhone,
			Requester: desk.PersonInput{Email: "mon@example.com"}, Impact: desk.LevelHigh, Urgency: desk.LevelHigh}, "")
		must(t, err)
		f.sweep()
		if len(f.mails(low))+len(f.mails(up)) != 0 {
			t.Fatalf("paged before reaching a covered group: %v %v", f.mails(low), f.mails(up))
		}
		_, err = f.d.Escalate(f.l1, up.Number, desk.EscalationInput{Kind: desk.EscalateFunctional, GroupID: f.core.ID, Reason: "needs DBA"})
		must(t, err)
		f.sweep()
		diff(t, "escalated into Core", []int64{f.ann.ID}, f.mails(up))
	})
}

// Two instances (two stores, desks, engines and workers on one database)
// sweeping the same pages concurrently page every step exactly once.
func TestEscalation_ExactlyOnceWithTwoInstances(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		f.policy(0, desk.EscalationStep{UserIDs: []int64{f.ann.ID}, Delay: 5 * time.Minute},
			desk.EscalationStep{UserIDs: []int64{f.bob.ID}, Delay: 5 * time.Minute})
		var tickets []*desk.Ticket
		for range 12 {
			tickets = append(tickets, f.incident("Outage"))
		}
		other := f.second()
		d2 := desk.New(other, f.clock, cfg)
		runners := []func(now time.Time){
			f.sweep1(f.r, f.e, f.w), f.sweep1(jobs.New(other, d2, f.clock, jobs.Config{}, nil),
				pager.NewEngine(other, d2, f.clock, pager.Config{}, nil), pager.NewWorker(other, f.clock, pager.Config{}, nil, nil)),
		}
		for _, step := range []time.Duration{0, 5 * time.Minute, 5 * time.Minute} {
			f.clock.Advance(step)
			var wg sync.WaitGroup
			for _, run := range runners {
				wg.Go(func() {
					for range 3 {
						run(f.clock.Now())
					}
				})
			}
			wg.Wait()
		}
		for _, tk := range tickets {
			diff(t, tk.Number, []int64{f.ann.ID, f.bob.ID}, f.mails(tk))
			if n := len(f.paged(tk)); n != 4 {
				t.Errorf("%s: %d paging events, want 4: %v", tk.Number, n, f.paged(tk))
			}
		}
	})
}

// sweep1 returns a sweep of one instance that tolerates the other winning.
func (f *fixture) sweep1(r *jobs.Runner, e *pager.Engine, w *pager.Worker) func(time.Time) {
	return func(now time.Time) {
		_, err1 := r.RunDue(context.Background(), now)
		_, err2 := e.RunDue(context.Background(), now)
		_, err3 := w.RunDue(context.Background(), now)
		for _, err := range []error{err1, err2, err3} {
			if err != nil {
				f.t.Error(err)
			}
		}
	}
}

// An instance killed after claiming a page loses nothing: once the lease
// ends another instance runs the step.
func TestEscalation_KilledInstance(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		f.policy(0, desk.EscalationStep{UserIDs: []int64{f.ann.ID}, Delay: 5 * time.Minute})
		tk := f.incident("Cache down")
		_, err := f.r.RunDue(context.Background(), f.clock.Now())
		must(t, err)
		claimed, err := f.store.ClaimPages(context.Background(), f.clock.Now(), time.Minute, 10)
		must(t, err)
		if len(claimed) != 1 {
			t.Fatalf("claimed %d pages", len(claimed))
		}
		// ...and the instance dies. Within the lease nobody else takes it.
		f.sweep()
		diff(t, "within the lease", []int64(nil), f.mails(tk))
		f.clock.Advance(time.Minute + time.Second)
		f.sweep()
		diff(t, "after the lease", []int64{f.ann.ID}, f.mails(tk))
		// The dead instance's late write is refused.
		if err := f.d.AdvancePage(context.Background(), claimed[0]); desk.ErrorCode(err) != desk.ECONFLICT {
			t.Errorf("late step: %v, want conflict", err)
		}
		diff(t, "still once", []int64{f.ann.ID}, f.mails(tk))
	})
}

// A response breach of a P1 outside line 3 pages line 3 through its
// policy instead of e-mailing the group.
func TestEscalation_ResponseBreachPagesLine3(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		f.policy(0, desk.EscalationStep{UserIDs: []int64{f.cid.ID}, Delay: 5 * time.Minute})
		tk, _, err := f.d.CreateTicket(f.l1, desk.NewTicket{Type: desk.TypeIncident, Title: "ERP down", Channel: desk.ChannelPhone,
			Requester: desk.PersonInput{Email: "mon@example.com"}, Impact: desk.LevelHigh, Urgency: desk.LevelHigh}, "")
		must(t, err)
		f.sweep()
		diff(t, "before the breach", []int64(nil), f.mails(tk))
		f.clock.Advance(15 * time.Minute) // the P1 response target
		f.sweep()
		diff(t, "after the breach", []int64{f.cid.ID}, f.mails(tk))
		msgs, err := f.store.Outbox(context.Background(), tk.ID)
		must(t, err)
		if slices.ContainsFunc(msgs, func(m desk.OutboxMessage) bool { return m.Kind == desk.OutboxPage && m.GroupID == f.core.ID }) {
			t.Errorf("Core was also e-mailed as a group: %+v", msgs)
		}
	})
}
