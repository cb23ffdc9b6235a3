package desk

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FireTimer handles one claimed timer at the desk's now, as the system
// (events have no actor): it re-evaluates the ticket's clock and, if the
// threshold is reached, records the warning or breach, queues the
// notifications, escalates automatically where the configuration says so,
// and marks the timer done, all in one transaction (Store.HandleTimer). A
// timer that no longer applies (the clock paused, stopped or was
// re-targeted) is not marked done: the ticket's timers are rescheduled
// instead, so the threshold fires when it really is reached.
//
// A threshold handled when a higher one is reached too (the runner was down,
// or the target shrank) is marked done silently: the higher one speaks.
//
// A concurrent ticket change gives ESTALE (FireTimer retries it); a timer
// another runner already handled gives ECONFLICT, which callers treat as
// success.
func (s *Desk) FireTimer(ctx context.Context, tm Timer) error {
	return retryStaleErr(func() error { return s.fireTimer(ctx, tm) })
}

func retryStaleErr(fn func() error) error {
	_, err := retryStale(0, func() (struct{}, error) { return struct{}{}, fn() })
	return err
}

func (s *Desk) fireTimer(ctx context.Context, tm Timer) error {
	t, err := s.store.GetTicket(ctx, tm.TicketID)
	if ErrorCode(err) == ENOTFOUND {
		return s.store.HandleTimer(ctx, TimerOutcome{TimerID: tm.ID, Done: true})
	}
	if err != nil {
		return err
	}
	sc, err := s.slaFor(ctx, t)
	if err != nil {
		return err
	}
	var history []*Event
	if sc.policy != nil {
		if history, err = s.allEvents(ctx, t.ID); err != nil {
			return err
		}
	}
	now := s.clock.Now()
	o := TimerOutcome{TimerID: tm.ID, Ticket: t}
	switch {
	case tm.Kind == TimerAutoClose:
		s.autoClose(t, tm, now, &o)
	case tm.Kind == TimerPage:
		if err := s.startPageTimer(ctx, t, tm, now, &o); err != nil {
			return err
		}
	case tm.Kind == TimerPlaybookDue:
		if err := s.playbookDue(ctx, t, tm, &o); err != nil {
			return err
		}
	case strings.HasPrefix(string(tm.Kind), breachTimerPrefix):
		if err := s.breachThreshold(ctx, t, tm, now, &o); err != nil {
			return err
		}
	case sc.policy != nil && t.State.IsOpen():
		if err := s.slaThreshold(ctx, t, tm, sc, history, now, &o); err != nil {
			return err
		}
	} // otherwise the clocks stopped: rescheduling drops their timers
	stamp(o.Events, nil, now)
	if err := s.notify(ctx, t, nil, o.Events); err != nil {
		return err
	}
	if o.Changed {
		t.UpdatedAt = now
	}
	for i := range o.Events {
		history = append(history, &o.Events[i])
	}
	// Escalation changes group and state, never what selects the policy.
	if o.Timers, err = s.withPageTimers(ctx, t, planTimers(t, history, sc.policy, sc.cal, now, s.cfg)); err != nil {
		return err
	}
	if err := s.store.HandleTimer(ctx, o); err != nil {
		return fmt.Errorf("timer %d (%s %d%%) of ticket %s: %w", tm.ID, tm.Kind, tm.Percent, t.Number, err)
	}
	return nil
}

// autoClose closes a ticket still resolved at the end of its reopen window.
func (s *Desk) autoClose(t *Ticket, tm Timer, now time.Time, o *TimerOutcome) {
	if t.State != StateResolved || t.ResolvedAt == nil || !t.ResolvedAt.Equal(tm.Cycle) {
		o.Done = true // reopened or closed meanwhile: nothing to do
		return
	}
	if now.Before(t.ResolvedAt.Add(s.cfg.ReopenWindow)) {
		return // the window changed: reschedule
	}
	t.State, t.ClosedAt = StateClosed, &now
	o.Done, o.Changed = true, true
	o.Events = append(o.Events, Event{Kind: EventTransition, Public: true,
		Changes: []Change{{Field: "state", Old: string(StateResolved), New: string(StateClosed)}}}.
		because(ReasonClosedAutomatically, "window", s.cfg.ReopenWindow.String()))
}

// slaThreshold fires tm if its clock has reached the threshold now.
func (s *Desk) slaThreshold(ctx context.Context, t *Ticket, tm Timer, sc slaContext, events []*Event, now time.Time, o *TimerOutcome) error {
	c, ok := clockOf(SLAClocks(t, events, sc.policy, sc.cal, now), SLAKind(tm.Kind))
	if !ok || !reached(c, tm.Percent) || !ticking(t, c) {
		return nil // reschedule
	}
	if c.Kind == SLANextUpdate && !lastPublicUpdate(t, events, clockStart(t)).Equal(tm.Cycle) {
		return nil
	}
	o.Done = true
	// A higher threshold due too speaks for both when no sweep ran
	// meanwhile. A timer claimed before (Attempts > 1: a runner saw it due
	// and died, or failed) is owed as it stands: it still fires.
	if tm.Attempts <= 1 && slices.ContainsFunc(s.cfg.thresholds(), func(p int) bool {
		return p > tm.Percent && c.Elapsed >= c.Target*time.Duration(p)/100
	}) {
		return nil
	}
	return s.recordThreshold(ctx, t, c, tm.Percent, o)
}

func clockOf(clocks []SLAClock, kind SLAKind) (SLAClock, bool) {
	for _, c := range clocks {
		if c.Kind == kind {
			return c, true
		}
	}
	return SLAClock{}, false
}

// reached reports whether the clock has used pct of its target; a second of
// slack absorbs the rounding of stored microseconds.
func reached(c SLAClock, pct int) bool {
	return c.Elapsed+time.Second >= c.Target*time.Duration(pct)/100
}

// recordThreshold adds the warning or breach event, its notifications and
// any automatic escalation to o.
func (s *Desk) recordThreshold(ctx context.Context, t *Ticket, c SLAClock, pct int, o *TimerOutcome) error {
	kind, msg := EventSLAWarning, OutboxSLAWarning
	if pct >= 100 {
		kind, msg = EventSLABreached, OutboxSLABreached
	}
	o.Events = append(o.Events, Event{Kind: kind, Public: false,
		Changes: []Change{{Field: "clock", New: string(c.Kind)}, {Field: "percent", New: strconv.Itoa(pct)}}})
	payload := map[string]string{"ticket": t.Number, "title": t.Title, "priority": string(t.Priority),
		"clock": string(c.Kind), "percent": strconv.Itoa(pct)}
	if c.Deadline != nil {
		payload["deadline"] = c.Deadline.UTC().Format(time.RFC3339)
	}
	if t.Security {
		return nil // no mail, paging or escalation about a security case (security.go)
	}
	note := func(k OutboxKind, userID, groupID int64) {
		o.Outbox = append(o.Outbox, OutboxMessage{Kind: k, TicketID: t.ID, UserID: userID, GroupID: groupID, Payload: payload})
	}
	if kind == EventSLAWarning {
		if t.Assignee != nil {
			note(msg, t.Assignee.ID, 0)
		}
		note(msg, 0, t.Group.ID)
		return nil
	}
	g, err := s.store.GetGroup(ctx, t.Group.ID)
	if err != nil {
		return err
	}
	if g.Manager != nil {
		note(msg, g.Manager.ID, 0) // hierarchical escalation
	} else {
		note(msg, 0, g.ID)
	}
	switch {
	case c.Kind == SLAResolution && slices.Contains(s.cfg.EscalateOn, t.Priority):
		return s.autoEscalate(ctx, t, o)
	case c.Kind == SLAResponse && slices.Contains(s.cfg.PageOn, t.Priority):
		return s.pageLine3(ctx, t, payload, s.clock.Now(), o)
	}
	return nil
}

// autoEscalate moves a breached ticket one line up, to the escalation
// target of that line: the active group of the next line with the lowest
// id (there is no per-group mapping yet). On line 3 nothing moves.
func (s *Desk) autoEscalate(ctx context.Context, t *Ticket, o *TimerOutcome) error {
	if t.Group.Line >= Line3 {
		return nil
	}
	g, err := s.lineTarget(ctx, t.Group.Line+1)
	if err != nil || g == nil {
		return err
	}
	var ch changeSet
	oldAssignee := refName(t.Assignee)
	moveToGroup(t, g, &ch)
	ch.add("assignee", oldAssignee, "")
	t.EscalationCount++
	o.Changed = true
	o.Events = append(o.Events, Event{Kind: EventEscalated, Public: true, Changes: ch}.because(ReasonResolutionBreached))
	return nil
}

// lineTarget is the lowest-id active group of line, or nil if none.
func (s *Desk) lineTarget(ctx context.Context, line Line) (*Group, error) {
	groups, err := s.lineGroups(ctx, line)
	if err != nil || len(groups) == 0 {
		return nil, err
	}
	return groups[0], nil
}

func (s *Desk) lineGroups(ctx context.Context, line Line) ([]*Group, error) {
	all, err := s.store.ListGroups(ctx)
	if err != nil {
		return nil, err
	}
	var out []*Group
	for _, g := range all {
		if g.Active && g.Line == line {
			out = append(out, g)
		}
	}
	slices.SortFunc(out, func(a, b *Group) int { return int(a.ID - b.ID) })
	return out, nil
}

// pageLine3 pages every active line-3 group: through its escalation
// policy when it has one (paging.go), else by e-mail to the group.
func (s *Desk) pageLine3(ctx context.Context, t *Ticket, payload map[string]string, now time.Time, o *TimerOutcome) error {
	groups, err := s.lineGroups(ctx, Line3)
	if err != nil {
		return err
	}
	for _, g := range groups {
		if paged, err := s.pageGroupOnBreach(ctx, t, g, now, o); err != nil || paged {
			if err != nil {
				return err
			}
			continue
		}
		o.Outbox = append(o.Outbox, OutboxMessage{Kind: OutboxPage, TicketID: t.ID, GroupID: g.ID, Payload: payload})
	}
	return nil
}

// RescheduleTimers recomputes the pending timers of every open or resolved
// ticket from its history (admins only) and returns how many tickets it
// visited. Ticket changes keep timers current by themselves; this is for
// what changes no ticket: an SLA policy or calendar edited, and tickets
// stored without timers (bulk imports). It reads the tickets a page at a
// time; a ticket changed meanwhile is recomputed again.
func (s *Desk) RescheduleTimers(ctx context.Context) (int, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return 0, err
	}
	f := TicketFilter{States: append(slices.Clone(OpenStates), StateResolved), Sort: SortCreated,
		Limit: MaxPageSize, Visibility: Visibility{AllRestricted: true, AllSecurity: true}}
	n := 0
	for {
		page, err := s.store.ListTickets(ctx, f)
		if err != nil {
			return n, fmt.Errorf("reschedule timers: %w", err)
		}
		for _, t := range page.Tickets {
			if err := retryStaleErr(func() error { return s.rescheduleTicket(ctx, t.ID) }); err != nil {
				return n, fmt.Errorf("reschedule timers of %s: %w", t.Number, err)
			}
			n++
		}
		if page.NextCursor == "" {
			return n, nil
		}
		f.Cursor = page.NextCursor
	}
}

func (s *Desk) rescheduleTicket(ctx context.Context, id int64) error {
	t, err := s.store.GetTicket(ctx, id)
	if err != nil {
		return err
	}
	timers, err := s.timersAfter(ctx, t, true, nil)
	if err != nil {
		return err
	}
	return s.store.HandleTimer(ctx, TimerOutcome{Ticket: t, Timers: timers})
}
