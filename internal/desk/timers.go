package desk

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// TimerKind names what a durable timer watches: one of the SLA clocks
// (SLAResponse, SLAResolution, SLANextUpdate) or the end of a resolved
// ticket's reopen window.
type TimerKind string

// TimerAutoClose fires when a resolved ticket's reopen window has passed.
const TimerAutoClose TimerKind = "auto_close"

// Timer is a durable deadline kept in the database: the instant a ticket's
// clock reaches Percent of its target, or (TimerAutoClose) the end of its
// reopen window. The key (TicketID, Kind, Percent, Cycle) is scheduled at
// most once: a handled timer stays as a done row, so the same warning is
// never recorded twice however often the ticket changes.
type Timer struct {
	ID       int64
	TicketID int64
	Kind     TimerKind
	Percent  int // 75, 90, 100...; 0 for TimerAutoClose
	// Cycle separates recurring thresholds: the start of the current wait
	// for next_update, the resolution time for auto_close; zero otherwise.
	Cycle    time.Time
	DueAt    time.Time
	Attempts int  // claims so far, including the current one
	Done     bool // handled (read back by TimerStore.Timers)
}

// OutboxKind classifies an outgoing message.
type OutboxKind string

// Outbox message kinds.
const (
	OutboxSLAWarning  OutboxKind = "sla_warning"
	OutboxSLABreached OutboxKind = "sla_breached"
	OutboxPage        OutboxKind = "page"
)

// OutboxMessage is a notification to deliver, stored in the transaction of
// the change that caused it. Exactly one of UserID and GroupID is set.
type OutboxMessage struct {
	ID        int64
	CreatedAt time.Time
	Kind      OutboxKind
	TicketID  int64
	UserID    int64
	GroupID   int64
	Payload   map[string]string // stored as JSON
	SentAt    *time.Time
}

// TimerOutcome is everything handling one due timer stores, in one
// transaction.
type TimerOutcome struct {
	TimerID int64 // 0: no timer, only the ticket's timers are replaced
	// Done marks the timer handled. It is conditional on the timer still
	// being pending: if another runner (or a ticket change that replaced
	// it) got there first, HandleTimer stores nothing and returns
	// ECONFLICT.
	Done bool
	// Ticket is the ticket as the handler saw it (nil: it is gone). Its
	// version must still be current, else ESTALE and nothing is stored.
	Ticket *Ticket
	// Changed stores Ticket's fields (and bumps its version); otherwise the
	// version is only checked.
	Changed bool
	Events  []Event
	Outbox  []OutboxMessage
	// Timers replaces the ticket's pending timers when non-nil.
	Timers []Timer
	// Pages start (see paging.go); one that would be a second active page
	// of the ticket in its group is skipped.
	Pages []Page
}

// TimerStore keeps durable timers and the outbox. Timers are also written
// by CreateTicket and UpdateTicket in the ticket's own transaction.
type TimerStore interface {
	// ClaimTimers claims up to limit pending timers due at or before now
	// whose claim is absent or expired, oldest due first: each gets
	// claimed_until = now + lease and one more attempt. Concurrent
	// claimers never receive the same timer while its claim holds.
	ClaimTimers(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Timer, error)
	// HandleTimer stores o in one transaction (see TimerOutcome).
	HandleTimer(ctx context.Context, o TimerOutcome) error
	// Timers returns a ticket's timers, pending and done, by due time.
	Timers(ctx context.Context, ticketID int64) (pending, done []Timer, err error)
	// Outbox returns the messages about a ticket (0: all), oldest first.
	Outbox(ctx context.Context, ticketID int64) ([]OutboxMessage, error)
}

// planTimers computes the ticket's pending timers at now, and sets t.SLA
// (see SLAStatus): for each clock of
// the policy that is running (or already breached), the instants at which
// it reaches each threshold, and for a resolved ticket the end of its
// reopen window. A threshold already passed is kept (due now) only when it
// is the highest passed one: a P3 turned P1 at 150 % breaches once rather
// than warning at 75 % and 90 % first. Thresholds already handled are
// filtered by the store (done rows).
func planTimers(t *Ticket, events []*Event, p *SLAPolicy, cal *Calendar, now time.Time, cfg Config) []Timer {
	out := []Timer{}
	t.SLA = SLAStatus{}
	if t.State == StateResolved && t.ResolvedAt != nil {
		out = append(out, Timer{TicketID: t.ID, Kind: TimerAutoClose, Cycle: *t.ResolvedAt,
			DueAt: t.ResolvedAt.Add(cfg.ReopenWindow)})
	}
	if p == nil {
		return out
	}
	clocks := SLAClocks(t, events, p, cal, now)
	t.SLA = slaStatusOf(t, clocks)
	if !t.State.IsOpen() {
		return out
	}
	start := clockStart(t)
	for _, c := range clocks {
		if !ticking(t, c) {
			continue
		}
		var cycle time.Time
		if c.Kind == SLANextUpdate {
			cycle = lastPublicUpdate(t, events, start)
		}
		out = append(out, clockTimers(t.ID, c, cycle, cal, now, cfg.thresholds())...)
	}
	return out
}

// ticking reports whether the clock still counts: running, or breached and
// not yet stopped (a first response given late stops the response clock in
// state breached, and there is nothing left to warn about).
func ticking(t *Ticket, c SLAClock) bool {
	if c.Kind == SLAResponse && t.FirstResponseAt != nil {
		return false
	}
	return c.State == ClockRunning || c.State == ClockBreached
}

func clockTimers(ticketID int64, c SLAClock, cycle time.Time, cal *Calendar, now time.Time, percents []int) []Timer {
	var out []Timer
	passed := -1
	for i, pct := range percents {
		need := c.Target * time.Duration(pct) / 100
		if need > c.Elapsed {
			out = append(out, Timer{TicketID: ticketID, Kind: TimerKind(c.Kind), Percent: pct, Cycle: cycle,
				DueAt: cal.Add(now, need-c.Elapsed)})
		} else {
			passed = i
		}
	}
	if passed >= 0 {
		out = append(out, Timer{TicketID: ticketID, Kind: TimerKind(c.Kind), Percent: percents[passed],
			Cycle: cycle, DueAt: now})
	}
	return out
}

func clockStart(t *Ticket) time.Time {
	if t.ReportedAt.IsZero() || t.ReportedAt.After(t.CreatedAt) {
		return t.CreatedAt
	}
	return t.ReportedAt
}

// thresholds are the warning percentages, sorted, then 100 (the breach).
func (c Config) thresholds() []int {
	var out []int
	for _, p := range c.WarnAt {
		if p > 0 && p < 100 && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return append(out, 100)
}

// slaContext is what computing a ticket's timers needs besides the ticket.
type slaContext struct {
	policy *SLAPolicy
	cal    *Calendar
}

// slaFor finds the ticket's policy and calendar (policy nil: none applies).
func (s *Desk) slaFor(ctx context.Context, t *Ticket) (slaContext, error) {
	policies, err := s.store.ListSLAPolicies(ctx)
	if err != nil {
		return slaContext{}, fmt.Errorf("sla policies: %w", err)
	}
	p := MatchPolicy(policies, t)
	if p == nil {
		return slaContext{}, nil
	}
	cal, err := s.calendar(ctx, p.Calendar)
	if err != nil {
		return slaContext{}, fmt.Errorf("calendar %s: %w", p.Calendar, err)
	}
	return slaContext{policy: p, cal: cal}, nil
}

// timersAfter computes the timers of t once events (not yet stored, stamped
// now) are appended to its stored history.
func (s *Desk) timersAfter(ctx context.Context, t *Ticket, stored bool, events []Event) ([]Timer, error) {
	sc, err := s.slaFor(ctx, t)
	if err != nil {
		return nil, err
	}
	if sc.policy == nil && t.State != StateResolved {
		t.SLA = SLAStatus{}
		return s.withPageTimers(ctx, t, []Timer{})
	}
	var history []*Event
	if stored && sc.policy != nil {
		if history, err = s.allEvents(ctx, t.ID); err != nil {
			return nil, err
		}
	}
	for i := range events {
		history = append(history, &events[i])
	}
	return s.withPageTimers(ctx, t, planTimers(t, history, sc.policy, sc.cal, s.clock.Now(), s.cfg))
}
