package desk

import (
	"context"
	"fmt"
	"strings"
)

// CommentInput is a public comment or, with Internal, a staff work note.
type CommentInput struct {
	Body      string
	Internal  bool
	IfVersion int

	mail        *MailRecord   // the e-mail the comment came from (ReceiveMail)
	attachments []*Attachment // files stored with the comment (Attach, ReceiveMail)
}

// Comment adds a public comment or an internal work note. The first public
// comment by staff is the first response; a requester's reply to a ticket
// awaiting them takes it off hold.
func (s *Desk) Comment(ctx context.Context, ref string, in CommentInput) (*Event, *Ticket, error) {
	type result struct {
		ev *Event
		t  *Ticket
	}
	r, err := retryStale(in.IfVersion, func() (result, error) {
		ev, t, err := s.comment(ctx, ref, in)
		return result{ev, t}, err
	})
	return r.ev, r.t, err
}

func (s *Desk) comment(ctx context.Context, ref string, in CommentInput) (*Event, *Ticket, error) {
	u, t, err := s.forChange(ctx, ref, in.IfVersion, actor)
	if err != nil {
		return nil, nil, err
	}
	if in.Internal && !u.Role.IsStaff() {
		return nil, nil, Errorf(EFORBIDDEN, "only staff may add internal work notes")
	}
	var v validation
	v.text("body", in.Body, MaxTextLen, true)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	if !in.Internal && t.State.IsFinal() {
		return nil, nil, Refusef(ECONFLICT, RuleNotOpen, Params{"state": string(t.State)}, "ticket %s is %s: register a new ticket instead", t.Number, t.State)
	}
	events := []Event{{Kind: EventComment, Public: true, Body: in.Body}}
	if in.Internal {
		events[0] = Event{Kind: EventWorkNote, Public: false, Body: in.Body}
	}
	events[0].Mail = in.mail
	events[0].Attachments = in.attachments
	now := s.clock.Now()
	switch {
	case in.Internal:
	case u.Role.IsStaff():
		var ch changeSet
		s.markFirstResponse(t, now, &ch)
		events[0].Changes = ch
	case t.State == StateOnHold && t.HoldReason == HoldAwaitingRequester:
		events = append(events, Event{Kind: EventTransition, Public: true,
			Changes: []Change{{Field: "state", Old: string(t.State), New: string(StateInProgress)},
				{Field: "hold_reason", Old: string(t.HoldReason)}}}.because(ReasonRequesterReplied))
		t.State, t.HoldReason = StateInProgress, ""
	case t.State == StateResolved && t.Requester.ID == u.ID:
		// "Reply to reopen", as the resolution notice says; past the
		// window the reply stays a comment (and the ticket closes).
		ch := changeSet{{Field: "state", Old: string(t.State), New: string(StateInProgress)}}
		ev := Event{Kind: EventTransition, Public: true}.because(ReasonRequesterReopened)
		if s.reopen(t, TransitionInput{Reason: ev.Reason}, now, &ch) == nil {
			t.State, ev.Changes = StateInProgress, ch
			events = append(events, ev)
		}
	}
	if err := s.save(ctx, t, u, events...); err != nil {
		return nil, nil, fmt.Errorf("comment on ticket %s: %w", t.Number, err)
	}
	return &events[0], t, nil
}

// Escalation kinds.
const (
	// EscalateFunctional hands the ticket to a group of a higher line.
	EscalateFunctional = "functional"
	// EscalateHierarchical flags the ticket to its group's manager.
	EscalateHierarchical = "hierarchical"
)

// EscalationInput escalates a ticket.
type EscalationInput struct {
	Kind       string // functional or hierarchical
	GroupID    int64  // functional: the higher-line group
	AssigneeID int64  // functional, optional: a member of that group
	Reason     string // always required
	// DiagnosisSkipped says why the diagnosis checklist of the ticket's
	// category was not answered before a functional escalation (see
	// EscalationGate); where the desk requires answers, it is required
	// without them.
	DiagnosisSkipped string
	IfVersion        int
}

// Escalate hands an open ticket up a line (functional) or flags it to the
// group's manager (hierarchical). Both are recorded with their reason.
func (s *Desk) Escalate(ctx context.Context, ref string, in EscalationInput) (*Ticket, error) {
	return retryStale(in.IfVersion, func() (*Ticket, error) { return s.escalate(ctx, ref, in) })
}

func (s *Desk) escalate(ctx context.Context, ref string, in EscalationInput) (*Ticket, error) {
	u, t, err := s.forChange(ctx, ref, in.IfVersion, requireStaff)
	if err != nil {
		return nil, err
	}
	var v validation
	v.enum("kind", in.Kind, []string{EscalateFunctional, EscalateHierarchical}, true)
	v.text("reason", in.Reason, MaxReason, true)
	v.text("diagnosis_skipped", in.DiagnosisSkipped, MaxReason, false)
	if err := v.err(); err != nil {
		return nil, err
	}
	if !t.State.IsOpen() {
		return nil, Refusef(ECONFLICT, RuleNotOpen, Params{"state": string(t.State)}, "ticket %s is %s: only open tickets can be escalated", t.Number, t.State)
	}
	var ev Event
	var gated []Event
	if in.Kind == EscalateFunctional {
		ev, err = s.escalateFunctional(ctx, t, in)
		if err == nil {
			gated, ev.diagnosis, err = s.gateEscalation(ctx, t, in)
		}
	} else {
		ev, err = s.flagManager(ctx, t)
	}
	if err != nil {
		return nil, err
	}
	ev.Reason = in.Reason
	if err := s.save(ctx, t, u, append([]Event{ev}, gated...)...); err != nil {
		return nil, fmt.Errorf("escalate ticket %s: %w", t.Number, err)
	}
	return t, nil
}

func (s *Desk) escalateFunctional(ctx context.Context, t *Ticket, in EscalationInput) (Event, error) {
	if t.Group.Line >= Line3 {
		return Event{}, Refusef(ECONFLICT, RuleNoHigherLine, nil, "ticket %s is on line 3: there is no higher line; escalate to the manager instead", t.Number)
	}
	if in.GroupID == 0 {
		return Event{}, fieldError("group_id", RuleRequired, nil, "is required for a functional escalation")
	}
	g, err := s.activeGroup(ctx, "group_id", in.GroupID)
	if err != nil {
		return Event{}, err
	}
	if err := checkSecurityMove(t, g); err != nil {
		return Event{}, err
	}
	if g.Line <= t.Group.Line {
		return Event{}, fieldError("group_id", RuleNotAllowed, nil, "group %s is on line %d: escalation goes to a line above %d (reassign within a line with PATCH)",
			g.Name, g.Line, t.Group.Line)
	}
	var ch changeSet
	oldAssignee := refName(t.Assignee)
	moveToGroup(t, g, &ch)
	if in.AssigneeID != 0 {
		if err := s.setAssignee(ctx, t, in.AssigneeID); err != nil {
			return Event{}, err
		}
	}
	ch.add("assignee", oldAssignee, refName(t.Assignee))
	t.EscalationCount++
	return Event{Kind: EventEscalated, Public: true, Changes: ch}, nil
}

func (s *Desk) flagManager(ctx context.Context, t *Ticket) (Event, error) {
	g, err := s.store.GetGroup(ctx, t.Group.ID)
	if err != nil {
		return Event{}, err
	}
	if g.Manager == nil {
		return Event{}, Refusef(ECONFLICT, RuleNoManager, nil, "group %s has no manager to escalate to", g.Name)
	}
	now := s.clock.Now()
	t.ManagerFlagAt = &now
	return Event{Kind: EventManagerFlagged, Public: false,
		Changes: []Change{{Field: "manager", New: g.Manager.Name}}}, nil
}

// Events lists a ticket's history, oldest first; requesters see only the
// public part.
func (s *Desk) Events(ctx context.Context, ref string, f EventFilter) (*EventPage, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.loadTicket(ctx, u, ref)
	if err != nil {
		return nil, err
	}
	if f.Limit < 0 || f.Limit > MaxPageSize {
		return nil, fieldError("limit", RuleOutOfRange, Params{"min": 1, "max": MaxPageSize}, "must be between 1 and %d", MaxPageSize)
	}
	if !u.Role.IsStaff() {
		f.PublicOnly = true
	}
	return s.store.ListEvents(ctx, t.ID, f)
}

// Ticket returns one ticket by id or number.
func (s *Desk) Ticket(ctx context.Context, ref string) (*Ticket, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.loadTicket(ctx, u, ref)
	if err == nil && !u.Role.IsStaff() {
		// A requester is told a case is a security case, not who was named on
		// it or why: staff names and reasons are the security team's.
		t.SecurityMembers = nil
	}
	return t, err
}

// ListTickets returns one page of the tickets the actor may see.
func (s *Desk) ListTickets(ctx context.Context, f TicketFilter) (*TicketPage, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkFilter(f); err != nil {
		return nil, err
	}
	if f.Sort == "" {
		f.Sort, f.Desc = SortCreated, true
	}
	f.Query = strings.TrimSpace(f.Query)
	f.Visibility = visibility(u)
	if limit := s.countCap(); f.TotalMax <= 0 || f.TotalMax > limit {
		f.TotalMax = limit
	}
	return s.store.ListTickets(ctx, f)
}

// countCap is where the desk's counts stop (Config.CountCap).
func (s *Desk) countCap() int {
	if s.cfg.CountCap > 0 {
		return s.cfg.CountCap
	}
	return CountCap
}

func checkFilter(f TicketFilter) error {
	var v validation
	for _, st := range f.States {
		v.enum("state", string(st), names(States), false)
	}
	for _, ty := range f.Types {
		v.enum("type", string(ty), names(TicketTypes), false)
	}
	for _, p := range f.Priorities {
		v.enum("priority", string(p), names(Priorities), false)
	}
	for _, c := range f.Channels {
		v.enum("channel", string(c), names(Channels), false)
	}
	for _, l := range f.Lines {
		if !l.Valid() {
			v.add("line", RuleOneOf, Params{"allowed": []string{"1", "2", "3"}}, "must be 1, 2 or 3")
		}
	}
	v.enum("sort", string(f.Sort), names(TicketSorts), false)
	if f.Limit < 0 || f.Limit > MaxPageSize {
		v.add("limit", RuleOutOfRange, Params{"min": 1, "max": MaxPageSize}, "must be between 1 and %d", MaxPageSize)
	}
	v.text("q", f.Query, 500, false)
	return v.err()
}
