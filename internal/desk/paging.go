package desk

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Paging: a page is one run of a group's escalation policy on a ticket.
//
// How a page starts, durably: while a ticket is open, unassigned and in a
// group whose policy covers its priority, planTimers' companion pageTimers
// adds a timer of kind TimerPage, keyed by the ticket's ReassignmentCount
// (one per stay in a group), due at once. Being derived from the ticket,
// it survives the replacement of pending timers that every save does, and
// it is written in the ticket's own transaction: a ticket created or moved
// into the group is sure to be paged even if the instance dies right
// after. Firing it (FireTimer) inserts the page row, again in one
// transaction with the timer's done-marking, so it starts once. A response
// breach that pages line 3 (Config.PageOn) starts a page on each line-3
// group with a policy the same way, and falls back to the old group e-mail
// where there is none.
//
// How a page proceeds: the page row holds the next step and when it is
// due (next_at); the pager engine (internal/pager) claims due pages with a
// lease and calls AdvancePage, whose result is stored conditionally on the
// claim (StepPage), so with several instances each step runs once and a
// killed instance's claim is retaken when its lease expires.
//
// How a page ends: acknowledged (signed link, API, CLI, or a staff member
// taking the ticket), resolved (link, API, CLI, or the ticket leaving the
// open states), or exhausted (every round ran unacknowledged). Queued
// deliveries are canceled when it ends.

// TimerPage is the timer that starts a page on a ticket's group.
const TimerPage TimerKind = "page"

// PageState is where a page is.
type PageState string

// Page states.
const (
	PageActive       PageState = "active"
	PageAcknowledged PageState = "acknowledged"
	PageResolved     PageState = "resolved"
	PageExhausted    PageState = "exhausted"
)

// Paging events on the ticket's timeline (internal, with the details in
// Changes).
const (
	EventPageStarted      EventKind = "page_started"
	EventPaged            EventKind = "paged"
	EventPageAcknowledged EventKind = "page_acknowledged"
	EventPageResolved     EventKind = "page_resolved"
	EventPageExhausted    EventKind = "page_exhausted"
)

// OutboxOnCallPage is the e-mail of a page to one on-call user; its payload
// carries ack_url and resolve_url, the signed links.
const OutboxOnCallPage OutboxKind = "oncall_page"

// Page is one escalation run on a ticket.
type Page struct {
	ID       int64
	TicketID int64
	GroupID  int64
	Policy   EscalationPolicy // as it was when the page started
	Reason   string           // in English; ReasonCode and ReasonParams say it for readers
	// ReasonCode and ReasonParams say why the page started (reason.go).
	ReasonCode   ReasonCode
	ReasonParams ReasonParams
	// Purpose is "" for the group's own escalation on the ticket, or why
	// else the page runs (PurposeMajorUpdate, StakeholderPurpose): at most
	// one page is active per ticket, group and purpose.
	Purpose string
	State   PageState
	Step    int // the next step to run (0-based) in Round
	Round   int // 0 for the first pass
	// StartedAt is when the page started; NextAt when the next step is due
	// (nil once the page ended).
	StartedAt    time.Time
	NextAt       *time.Time
	ClaimedUntil *time.Time
	Attempts     int
	AckedAt      *time.Time
	AckedBy      *Ref
	EndedAt      *time.Time
}

// Purposes of pages beside a group's own escalation on a ticket.
const (
	// PurposeMajorUpdate pages the commander's group of a major incident
	// whose public update was missed.
	PurposeMajorUpdate = "major_update"
	// PurposeStakeholderPrefix, followed by the user's id, pages one
	// stakeholder of a major incident (StakeholderPurpose).
	PurposeStakeholderPrefix = "stakeholder:"
)

// StakeholderPurpose is the purpose of a page to stakeholder userID: keyed
// by its target, so that each stakeholder's page runs beside the group's
// escalation, the missed-update page and the other stakeholders' pages.
func StakeholderPurpose(userID int64) string {
	return PurposeStakeholderPrefix + strconv.FormatInt(userID, 10)
}

// ForStakeholder reports whether p pages a stakeholder rather than a
// group's on-call people.
func (p *Page) ForStakeholder() bool { return strings.HasPrefix(p.Purpose, PurposeStakeholderPrefix) }

// RoundNumber is the round as people count it (1 for the first pass), as
// the API, the timeline and the web pages show it.
func (p *Page) RoundNumber() int { return p.Round + 1 }

// PageOutcome is what running a page's step stores (PagingStore.StepPage).
type PageOutcome struct {
	Page       *Page // with its new fields; ClaimedUntil is the claim held
	Events     []Event
	Deliveries []PageDelivery
}

// pageTimers returns the timer that starts a page for t's stay in its
// group, when the group's policy covers it (see the package comment above).
func (s *Desk) pageTimers(ctx context.Context, t *Ticket) ([]Timer, error) {
	if !t.State.IsOpen() || t.Assignee != nil || t.Group.ID == 0 {
		return nil, nil
	}
	p, err := s.store.EscalationPolicy(ctx, t.Group.ID)
	if ErrorCode(err) == ENOTFOUND || (err == nil && !p.Covers(t.Priority)) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("escalation policy of group %d: %w", t.Group.ID, err)
	}
	return []Timer{{TicketID: t.ID, Kind: TimerPage, Percent: t.ReassignmentCount, DueAt: t.CreatedAt}}, nil
}

// startPageTimer fires a TimerPage: the page starts if the ticket is still
// in the same stay, covered and untaken.
func (s *Desk) startPageTimer(ctx context.Context, t *Ticket, tm Timer, now time.Time, o *TimerOutcome) error {
	o.Done = true
	if t.ReassignmentCount != tm.Percent {
		return nil // moved on: the new stay has its own timer
	}
	timers, err := s.pageTimers(ctx, t)
	if err != nil || len(timers) == 0 {
		return err
	}
	p, err := s.store.EscalationPolicy(ctx, t.Group.ID)
	if err != nil {
		return err
	}
	why := Event{}.because(ReasonPageStarted, "priority", string(t.Priority), "type", string(t.Type), "group", t.Group.Name)
	s.addPage(t, p, why, now, o)
	return nil
}

// addPage adds a new page and its timeline entry to o; why carries the
// page's reason.
func (s *Desk) addPage(t *Ticket, p *EscalationPolicy, why Event, now time.Time, o *TimerOutcome) {
	o.Pages = append(o.Pages, Page{TicketID: t.ID, GroupID: p.GroupID, Policy: *p, Reason: why.Reason,
		ReasonCode: why.ReasonCode, ReasonParams: why.ReasonParams, State: PageActive, StartedAt: now, NextAt: &now})
	why.Kind = EventPageStarted
	why.Changes = []Change{{Field: "escalation_policy", New: p.Name}, {Field: "page_group", New: strconv.FormatInt(p.GroupID, 10)}}
	o.Events = append(o.Events, why)
}

// pageGroupOnBreach starts a page on line-3 group g for a response breach
// when g has an active policy and the ticket was never paged there; it
// reports false when g has no policy (the caller e-mails the group).
func (s *Desk) pageGroupOnBreach(ctx context.Context, t *Ticket, g *Group, now time.Time, o *TimerOutcome) (bool, error) {
	p, err := s.store.EscalationPolicy(ctx, g.ID)
	if ErrorCode(err) == ENOTFOUND || (err == nil && !p.Active) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	pages, err := s.store.TicketPages(ctx, t.ID)
	if err != nil {
		return false, err
	}
	if slices.ContainsFunc(pages, func(pg *Page) bool { return pg.GroupID == g.ID && pg.Purpose == "" }) {
		return true, nil // a page runs or ran there: it was acknowledged, or nobody answered it
	}
	s.addPage(t, p, Event{}.because(ReasonResponseBreached), now, o)
	return true, nil
}

// AdvancePage runs the due step of a claimed page at the desk's now (as
// the system): it pages the step's people, or moves on at once when there
// is nobody, or ends the page when the ticket was taken, left the open
// states, or every round ran. The result is stored conditionally on the
// claim; ECONFLICT means another runner got there first.
func (s *Desk) AdvancePage(ctx context.Context, p *Page) error {
	now := s.clock.Now()
	o := PageOutcome{Page: p}
	t, err := s.store.GetTicket(ctx, p.TicketID)
	if err != nil {
		return fmt.Errorf("page %d: %w", p.ID, err)
	}
	switch {
	case !t.State.IsOpen():
		endPage(p, PageResolved, nil, now)
		o.Events = append(o.Events, pageEndEvent(p, ReasonTicketLeftOpen, "state", string(t.State)))
	case t.Assignee != nil && t.Group.ID == p.GroupID && p.Purpose == "" && !breachPage(p):
		endPage(p, PageAcknowledged, t.Assignee, now)
		o.Events = append(o.Events, pageEndEvent(p, ReasonTakenBy, "name", t.Assignee.Name))
	default:
		if err := s.runSteps(ctx, t, p, now, &o); err != nil {
			return fmt.Errorf("page %d of %s: %w", p.ID, t.Number, err)
		}
	}
	stamp(o.Events, nil, now)
	return s.store.StepPage(ctx, o)
}

func endPage(p *Page, state PageState, by *Ref, now time.Time) {
	p.State, p.NextAt, p.EndedAt = state, nil, &now
	if state == PageAcknowledged {
		p.AckedAt, p.AckedBy = &now, by
	}
}

// pageEndEvent is the timeline entry of a page that ended, for the
// reason code with its params.
func pageEndEvent(p *Page, code ReasonCode, params ...string) Event {
	kind := map[PageState]EventKind{PageAcknowledged: EventPageAcknowledged, PageResolved: EventPageResolved,
		PageExhausted: EventPageExhausted}[p.State]
	return Event{Kind: kind, Changes: []Change{{Field: "page", New: strconv.FormatInt(p.ID, 10)},
		{Field: "page_state", Old: string(PageActive), New: string(p.State)}}}.because(code, params...)
}

// runSteps runs steps from p.Step until one pages somebody (then waits its
// delay) or the rounds are used up.
func (s *Desk) runSteps(ctx context.Context, t *Ticket, p *Page, now time.Time, o *PageOutcome) error {
	steps := p.Policy.Steps
	for range len(steps)*(p.Policy.Repeat+1) + 1 {
		if p.Step >= len(steps) {
			p.Round, p.Step = p.Round+1, 0
		}
		if p.Round > p.Policy.Repeat || len(steps) == 0 {
			endPage(p, PageExhausted, nil, now)
			o.Events = append(o.Events, pageEndEvent(p, ReasonPageExhausted, "rounds", strconv.Itoa(p.Policy.Repeat+1)))
			return nil
		}
		st, at := steps[p.Step], []string{"step", strconv.Itoa(p.Step + 1), "round", strconv.Itoa(p.Round + 1)}
		users, err := s.stepTargets(ctx, st, now)
		if err != nil {
			return err
		}
		p.Step++
		if len(users) == 0 {
			o.Events = append(o.Events, Event{Kind: EventPaged,
				Changes: []Change{{Field: "page", New: strconv.FormatInt(p.ID, 10)}}}.because(ReasonNobodyOnCall, at...))
			continue
		}
		if err := s.pageUsers(ctx, t, p, users, now, o); err != nil {
			return err
		}
		names := make([]string, len(users))
		for i, u := range users {
			names[i] = u.Name
		}
		next := now.Add(st.Delay)
		p.NextAt = &next
		o.Events = append(o.Events, Event{Kind: EventPaged,
			Changes: []Change{{Field: "page", New: strconv.FormatInt(p.ID, 10)}, {Field: "paged", New: strings.Join(names, ", ")}}}.
			because(ReasonPaged, append(at, "names", strings.Join(names, ", "))...))
		return nil
	}
	return nil
}

// stepTargets returns the active staff a step pages at now: its users, and
// whoever its schedules have on call, each once, in that order.
func (s *Desk) stepTargets(ctx context.Context, st EscalationStep, now time.Time) ([]*User, error) {
	ids := slices.Clone(st.UserIDs)
	for _, sid := range st.ScheduleIDs {
		stored, err := s.store.GetSchedule(ctx, sid)
		if ErrorCode(err) == ENOTFOUND {
			continue // deleted since the page started: nobody there
		}
		if err != nil {
			return nil, err
		}
		sched, err := stored.Doc.Schedule()
		if err != nil {
			return nil, fmt.Errorf("schedule %d as stored: %w", sid, err)
		}
		if uid, ok := sched.OnCallAt(now); ok {
			ids = append(ids, uid)
		}
	}
	var out []*User
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		u, err := s.store.GetUser(ctx, id)
		if ErrorCode(err) == ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		if u.Active && u.Role.IsStaff() {
			out = append(out, u)
		}
	}
	return out, nil
}

// withPageTimers adds the ticket's page timer, if any, and a security
// case's regulatory timers (breach_clocks.go) to its SLA timers.
func (s *Desk) withPageTimers(ctx context.Context, t *Ticket, timers []Timer) ([]Timer, error) {
	pt, err := s.pageTimers(ctx, t)
	if err != nil {
		return nil, err
	}
	if timers, err = s.withBreachTimers(ctx, t, append(timers, pt...)); err != nil {
		return nil, err
	}
	return s.withPlaybookTimers(ctx, t, timers)
}
