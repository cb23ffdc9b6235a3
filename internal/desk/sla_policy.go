package desk

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// SLAPolicy sets turnaround targets for the tickets it matches. Policies are
// kept in order; the first active policy that matches a ticket applies.
type SLAPolicy struct {
	ID         int64
	Name       string
	Position   int          // lower comes first
	Types      []TicketType // empty matches any
	Priorities []Priority   // empty matches any
	ServiceIDs []int64      // empty matches any
	Calendar   string       // a calendar's name; "24x7" is built in
	Response   time.Duration
	Resolution time.Duration
	NextUpdate time.Duration // 0: no next-update target
	PauseOn    []HoldReason  // hold reasons that pause the resolution clock
	Active     bool

	// Organizations match the requester's organisation, ignoring case;
	// empty matches any requester (with an organisation or without).
	Organizations []string
	VIPOnly       bool // true: only VIP requesters match
}

// Matches reports whether the policy's conditions hold for t.
func (p *SLAPolicy) Matches(t *Ticket) bool {
	return p.Active &&
		(len(p.Types) == 0 || slices.Contains(p.Types, t.Type)) &&
		(len(p.Priorities) == 0 || slices.Contains(p.Priorities, t.Priority)) &&
		(len(p.ServiceIDs) == 0 || (t.Service != nil && slices.Contains(p.ServiceIDs, t.Service.ID))) &&
		(!p.VIPOnly || t.Requester.VIP) &&
		(len(p.Organizations) == 0 || p.matchesOrganization(t.Requester.Organization))
}

func (p *SLAPolicy) matchesOrganization(org string) bool {
	org = strings.TrimSpace(org)
	if org == "" {
		return false
	}
	return slices.ContainsFunc(p.Organizations, func(o string) bool { return strings.EqualFold(o, org) })
}

// MatchPolicy returns the first policy (by position, then id) matching t,
// or nil.
func MatchPolicy(policies []*SLAPolicy, t *Ticket) *SLAPolicy {
	sorted := slices.Clone(policies)
	slices.SortStableFunc(sorted, func(a, b *SLAPolicy) int {
		if a.Position != b.Position {
			return a.Position - b.Position
		}
		return int(a.ID - b.ID)
	})
	for _, p := range sorted {
		if p.Matches(t) {
			return p
		}
	}
	return nil
}

// Validate checks a policy as an administrator entered it.
func (p *SLAPolicy) Validate() error {
	var v validation
	p.Name = strings.TrimSpace(p.Name)
	v.text("name", p.Name, MaxNameLen, true)
	for _, t := range p.Types {
		v.enum("types", string(t), names(TicketTypes), true)
	}
	for _, pr := range p.Priorities {
		v.enum("priorities", string(pr), names(Priorities), true)
	}
	for i, o := range p.Organizations {
		p.Organizations[i] = strings.TrimSpace(o)
		v.text("organizations", p.Organizations[i], MaxNameLen, true)
	}
	for _, r := range p.PauseOn {
		v.enum("pause_on", string(r), names(HoldReasons), true)
	}
	v.text("calendar", p.Calendar, MaxNameLen, true)
	for _, d := range []struct {
		field    string
		value    time.Duration
		required bool
	}{{"response", p.Response, true}, {"resolution", p.Resolution, true}, {"next_update", p.NextUpdate, false}} {
		if d.value < 0 || (d.required && d.value == 0) || d.value%time.Minute != 0 {
			v.add(d.field, RuleTooSmall, Params{"min": 1, "unit": "minutes"}, "must be a positive whole number of minutes")
		}
	}
	return v.err()
}

// TicketSLA is a ticket's turnaround promise and where it stands.
type TicketSLA struct {
	Policy   *Ref
	Calendar string
	Clocks   []SLAClock
}

// SLAClocks evaluates a ticket's clocks at now from its history (oldest
// first) under the policy and calendar.
func SLAClocks(t *Ticket, events []*Event, p *SLAPolicy, cal *Calendar, now time.Time) []SLAClock {
	start := t.ReportedAt
	if start.IsZero() || start.After(t.CreatedAt) {
		start = t.CreatedAt
	}
	pauses := ResolutionPauses(events, p.PauseOn)
	var resolved *time.Time
	if t.State == StateResolved || t.State == StateClosed {
		resolved = t.ResolvedAt
	}
	clocks := []SLAClock{
		EvaluateClock(ClockInput{Kind: SLAResponse, Calendar: cal, Target: p.Response, Start: start,
			Stop: t.FirstResponseAt, Now: now}),
		EvaluateClock(ClockInput{Kind: SLAResolution, Calendar: cal, Target: p.Resolution, Start: start,
			Stop: resolved, Pauses: pauses, Now: now}),
	}
	if p.NextUpdate > 0 && t.State.IsOpen() {
		clocks = append(clocks, EvaluateClock(ClockInput{Kind: SLANextUpdate, Calendar: cal, Target: p.NextUpdate,
			Start: lastPublicUpdate(t, events, start), Pauses: pauses, Now: now}))
	}
	return clocks
}

// lastPublicUpdate is when staff last told the requester something: the
// latest public comment not written by the requester, else start.
func lastPublicUpdate(t *Ticket, events []*Event, start time.Time) time.Time {
	last := start
	for _, e := range events {
		if e.Kind == EventComment && e.Actor != nil && e.Actor.ID != t.Requester.ID && e.At.After(last) {
			last = e.At
		}
	}
	return last
}

// TicketSLA returns the ticket's policy and clocks, computed now from its
// whole history.
func (s *Desk) TicketSLA(ctx context.Context, ref string) (*TicketSLA, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.loadTicket(ctx, u, ref)
	if err != nil {
		return nil, err
	}
	return s.ticketSLA(ctx, t)
}

// SLAFor returns the policy and clocks of a ticket the caller already holds
// (from Ticket, UpdateTicket, Transition ...), without reading it again.
func (s *Desk) SLAFor(ctx context.Context, t *Ticket) (*TicketSLA, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !canSee(u, t) {
		return nil, Errorf(ENOTFOUND, "no ticket %s", t.Number)
	}
	return s.ticketSLA(ctx, t)
}

func (s *Desk) ticketSLA(ctx context.Context, t *Ticket) (*TicketSLA, error) {
	policies, err := s.store.ListSLAPolicies(ctx)
	if err != nil {
		return nil, fmt.Errorf("sla of %s: %w", t.Number, err)
	}
	p := MatchPolicy(policies, t)
	if p == nil {
		return &TicketSLA{}, nil
	}
	cal, err := s.calendar(ctx, p.Calendar)
	if err != nil {
		return nil, fmt.Errorf("sla of %s: %w", t.Number, err)
	}
	events, err := s.allEvents(ctx, t.ID)
	if err != nil {
		return nil, fmt.Errorf("sla of %s: %w", t.Number, err)
	}
	return &TicketSLA{Policy: &Ref{ID: p.ID, Name: p.Name}, Calendar: cal.Name(),
		Clocks: SLAClocks(t, events, p, cal, s.clock.Now())}, nil
}

// allEvents reads a ticket's whole history, page by page.
func (s *Desk) allEvents(ctx context.Context, ticketID int64) ([]*Event, error) {
	var all []*Event
	f := EventFilter{Limit: MaxPageSize}
	for {
		page, err := s.store.ListEvents(ctx, ticketID, f)
		if err != nil {
			return nil, err
		}
		all = append(all, page.Events...)
		if page.NextCursor == "" {
			return all, nil
		}
		f.Cursor = page.NextCursor
	}
}

// calendar returns the named calendar; "24x7" is built in.
func (s *Desk) calendar(ctx context.Context, name string) (*Calendar, error) {
	if name == Calendar24x7.Name() {
		return Calendar24x7, nil
	}
	spec, err := s.store.GetCalendar(ctx, name)
	if err != nil {
		return nil, err
	}
	return NewCalendar(*spec)
}

// SLAPolicies lists the policies in the order they are tried (staff only).
func (s *Desk) SLAPolicies(ctx context.Context) ([]*SLAPolicy, error) {
	if _, err := requireStaff(ctx); err != nil {
		return nil, err
	}
	return s.store.ListSLAPolicies(ctx)
}

// SLAPolicy returns one policy (staff only).
func (s *Desk) SLAPolicy(ctx context.Context, id int64) (*SLAPolicy, error) {
	if _, err := requireStaff(ctx); err != nil {
		return nil, err
	}
	return s.store.GetSLAPolicy(ctx, id)
}

// SaveSLAPolicy creates (p.ID == 0) or replaces a policy (admins only). New
// targets apply at once to open tickets: their clocks are recomputed from
// history, so no elapsed or paused time is lost. Their durable timers
// follow on each ticket's next change, or for all at once through
// RescheduleTimers (the runner re-checks a timer before acting on it, so a
// stale one can only fire late, never wrongly).
func (s *Desk) SaveSLAPolicy(ctx context.Context, p *SLAPolicy) error {
	if _, err := requireAdmin(ctx); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if err := s.servicesExist(ctx, p.ServiceIDs); err != nil {
		return err
	}
	if p.ID == 0 {
		return s.store.CreateSLAPolicy(ctx, p)
	}
	return s.store.UpdateSLAPolicy(ctx, p)
}

// servicesExist refuses service ids naming no service: a policy matching a
// service that does not exist would never apply, without saying so.
func (s *Desk) servicesExist(ctx context.Context, ids []int64) error {
	for _, id := range ids {
		_, err := s.store.GetService(ctx, id)
		if ErrorCode(err) == ENOTFOUND {
			return InvalidFields(Invalid("service_ids", RuleUnknown, nil, "no service %d", id))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// DeleteSLAPolicy removes a policy (admins only).
func (s *Desk) DeleteSLAPolicy(ctx context.Context, id int64) error {
	if _, err := requireAdmin(ctx); err != nil {
		return err
	}
	return s.store.DeleteSLAPolicy(ctx, id)
}

// Calendars lists the business calendars, the built-in 24x7 first (staff
// only).
func (s *Desk) Calendars(ctx context.Context) ([]*CalendarSpec, error) {
	if _, err := requireStaff(ctx); err != nil {
		return nil, err
	}
	specs, err := s.store.ListCalendars(ctx)
	if err != nil {
		return nil, err
	}
	builtin := Calendar24x7.Spec()
	return append([]*CalendarSpec{&builtin}, specs...), nil
}

// PutCalendar creates or replaces a business calendar (admins only); the
// built-in 24x7 cannot be changed.
func (s *Desk) PutCalendar(ctx context.Context, spec CalendarSpec) (*Calendar, error) {
	return s.saveCalendar(ctx, spec, s.store.PutCalendar)
}

// CreateCalendar creates a business calendar (admins only), refusing a
// name that is taken, in any capitals (ECONFLICT on "name"), instead of
// replacing it: "Berlin" beside "berlin" would only confuse. The store's
// key refuses the exact name even to two creating it at once.
func (s *Desk) CreateCalendar(ctx context.Context, spec CalendarSpec) (*Calendar, error) {
	return s.saveCalendar(ctx, spec, func(ctx context.Context, c *CalendarSpec) error {
		existing, err := s.store.ListCalendars(ctx)
		if err != nil {
			return err
		}
		for _, e := range existing {
			if strings.EqualFold(e.Name, c.Name) {
				return &Error{Code: ECONFLICT, Message: "a calendar of this name exists",
					Fields: []FieldError{Invalid("name", RuleTaken, nil, "a calendar named %q exists", e.Name)}}
			}
		}
		return s.store.CreateCalendar(ctx, c)
	})
}

func (s *Desk) saveCalendar(ctx context.Context, spec CalendarSpec, save func(context.Context, *CalendarSpec) error) (*Calendar, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	if strings.EqualFold(strings.TrimSpace(spec.Name), Calendar24x7.Name()) {
		return nil, fieldError("name", RuleNotAllowed, nil, "24x7 is built in and cannot be changed")
	}
	cal, err := NewCalendar(spec)
	if err != nil {
		return nil, err
	}
	stored := cal.Spec()
	if err := save(ctx, &stored); err != nil {
		return nil, fmt.Errorf("save calendar %s: %w", stored.Name, err)
	}
	return cal, nil
}

// DeleteCalendar removes a calendar no policy uses (admins only).
func (s *Desk) DeleteCalendar(ctx context.Context, name string) error {
	if _, err := requireAdmin(ctx); err != nil {
		return err
	}
	return s.store.DeleteCalendar(ctx, name)
}
