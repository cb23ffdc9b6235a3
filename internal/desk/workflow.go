package desk

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// TransitionInput moves a ticket through the state machine.
type TransitionInput struct {
	To              State
	HoldReason      HoldReason     // required for on_hold
	ResolutionCode  ResolutionCode // required for resolved
	ResolutionNotes string         // required for resolved
	Reason          string         // required for canceled and for a reopen
	AssigneeID      int64          // who takes it, for assigned and in_progress
	// Unassign, with To assigned, leaves the ticket with nobody: back in its
	// group's unassigned queue (the group does not change).
	Unassign  bool
	IfVersion int
	// Because, when set, is the reason the desk itself gives (with
	// BecauseParams as name, value pairs): the event carries the code for
	// readers to word, and Reason becomes its English sentence.
	Because       ReasonCode
	BecauseParams []string
	// ReusedFrom, with To resolved, names the resolved ticket whose
	// resolution this one copies ("Use this resolution", reuse.go).
	ReusedFrom string
}

// requesterTransitions are the only moves a requester may make on their own
// ticket: confirm a resolution, or reopen it.
var requesterTransitions = map[State]bool{StateClosed: true, StateInProgress: true}

// Transition moves the ticket to in.To, enforcing the state machine and
// what each target state needs.
func (s *Desk) Transition(ctx context.Context, ref string, in TransitionInput) (*Ticket, error) {
	return retryStale(in.IfVersion, func() (*Ticket, error) { return s.transition(ctx, ref, in) })
}

func (s *Desk) transition(ctx context.Context, ref string, in TransitionInput) (*Ticket, error) {
	u, t, err := s.forChange(ctx, ref, in.IfVersion, actor)
	if err != nil {
		return nil, err
	}
	ev, err := s.transitionEvent(ctx, u, t, in)
	if err != nil {
		return nil, err
	}
	if err := s.save(ctx, t, u, ev); err != nil {
		return nil, fmt.Errorf("move ticket %s to %s: %w", t.Number, in.To, err)
	}
	return t, nil
}

// PrepareTransition is Transition by u on t (loaded at its current
// version, see TicketForWrite) as a TicketWrite, for a store that writes
// several tickets in one transaction.
func (s *Desk) PrepareTransition(ctx context.Context, t *Ticket, u *User, in TransitionInput) (TicketWrite, error) {
	ev, err := s.transitionEvent(ctx, u, t, in)
	if err != nil {
		return TicketWrite{}, err
	}
	return s.prepared(ctx, t, u, []Event{ev})
}

// PrepareResolveByFix is PrepareTransition to resolved for an incident
// whose problem got its permanent fix (in.Because names it): the fix
// answers the incident whatever its open state, so one nobody has worked
// on yet (new or assigned) is resolved too, in one entry, where an agent
// would have to start work first. The fix is then the requester's first
// response. Staff only.
func (s *Desk) PrepareResolveByFix(ctx context.Context, t *Ticket, u *User, in TransitionInput) (TicketWrite, error) {
	in.To = StateResolved
	if t.State != StateNew && t.State != StateAssigned {
		return s.PrepareTransition(ctx, t, u, in)
	}
	if !u.Role.IsStaff() || in.Because == "" {
		return TicketWrite{}, Errorf(EFORBIDDEN, "only the desk resolves an incident nobody worked on, for its problem's fix")
	}
	from, now := t.State, s.clock.Now()
	ch := changeSet{}
	if err := resolve(t, in, now, &ch); err != nil {
		return TicketWrite{}, err
	}
	s.markFirstResponse(t, now, &ch)
	ch = append(changeSet{{Field: "state", Old: string(from), New: string(StateResolved)}}, ch...)
	t.State = StateResolved
	ev := Event{Kind: EventTransition, Public: true, Body: in.ResolutionNotes, Changes: ch}.because(in.Because, in.BecauseParams...)
	return s.prepared(ctx, t, u, []Event{ev})
}

// transitionEvent checks and applies in to t and returns its event.
func (s *Desk) transitionEvent(ctx context.Context, u *User, t *Ticket, in TransitionInput) (Event, error) {
	var v validation
	v.enum("to", string(in.To), names(States), true)
	v.text("reason", in.Reason, MaxReason, false)
	v.text("resolution_notes", in.ResolutionNotes, MaxTextLen, false)
	if err := v.err(); err != nil {
		return Event{}, err
	}
	if in.Unassign && (in.To != StateAssigned || in.AssigneeID != 0) {
		return Event{}, fieldError("unassign", RuleNotAllowed, nil, "goes with to=assigned and no assignee_id")
	}
	if !CanTransition(t.State, in.To) {
		return Event{}, transitionError(t.State, in.To)
	}
	if !u.Role.IsStaff() && !(t.State == StateResolved && requesterTransitions[in.To]) {
		return Event{}, Errorf(EFORBIDDEN, "requesters may only confirm (close) or reopen a resolved ticket")
	}
	var reuse *ResolutionReuse
	if in.ReusedFrom != "" {
		if in.To != StateResolved {
			return Event{}, fieldError("reused_from", RuleNotAllowed, nil, "goes with to=resolved")
		}
		var err error
		if reuse, err = s.reuseSource(ctx, u, in.ReusedFrom, t.ID); err != nil {
			return Event{}, err
		}
	}
	from := t.State
	ch := changeSet{}
	if err := s.enter(ctx, u, t, in, &ch); err != nil {
		return Event{}, err
	}
	ch = append(changeSet{{Field: "state", Old: string(from), New: string(in.To)}}, ch...)
	t.State = in.To
	ev := Event{Kind: EventTransition, Public: true, Reason: in.Reason, Body: in.ResolutionNotes, Changes: ch, Reuse: reuse}
	if in.Because != "" {
		ev = ev.because(in.Because, in.BecauseParams...)
	}
	return ev, nil
}

// enter applies what entering in.To requires and records it in ch.
func (s *Desk) enter(ctx context.Context, u *User, t *Ticket, in TransitionInput, ch *changeSet) error {
	now := s.clock.Now()
	if t.State == StateOnHold {
		ch.add("hold_reason", string(t.HoldReason), "")
		t.HoldReason = ""
	}
	switch in.To {
	case StateAssigned:
		if in.Unassign {
			ch.add("assignee", refName(t.Assignee), "")
			t.Assignee = nil
			return nil
		}
		return s.take(ctx, u, t, in.AssigneeID, false, ch)
	case StateInProgress:
		if t.State == StateResolved {
			if err := s.reopen(t, in, now, ch); err != nil {
				return err
			}
		} else if err := s.take(ctx, u, t, in.AssigneeID, true, ch); err != nil {
			return err
		}
		if u.Role.IsStaff() {
			s.markFirstResponse(t, now, ch)
		}
	case StateOnHold:
		if !oneOf(in.HoldReason, HoldReasons) {
			return fieldError("hold_reason", RuleRequired, Params{"allowed": names(HoldReasons)}, "is required for on_hold; one of %s", strings.Join(names(HoldReasons), ", "))
		}
		if in.HoldReason == HoldAwaitingOther && strings.TrimSpace(in.Reason) == "" {
			return fieldError("reason", RuleRequired, nil, "is required with awaiting_other: say what the ticket waits for")
		}
		ch.add("hold_reason", "", string(in.HoldReason))
		t.HoldReason = in.HoldReason
	case StateResolved:
		return resolve(t, in, now, ch)
	case StateClosed:
		t.ClosedAt = &now
	case StateCanceled:
		if strings.TrimSpace(in.Reason) == "" {
			return fieldError("reason", RuleRequired, nil, "is required to cancel (for example: duplicate, not an incident)")
		}
		t.CanceledAt = &now
	}
	return nil
}

// Take makes the actor the ticket's assignee and starts work on it in one
// action (the console's "take it and start work"): from new, assigned (to
// anyone or nobody) and on_hold it moves to in_progress; a ticket already
// in progress with someone else passes to the actor; one in progress with
// the actor stays as it is. Staff only, and only a member of the ticket's
// group may take it (rule not_allowed on assignee_id). Taking a paged
// ticket acknowledges its group's page, as any staff assignment does.
func (s *Desk) Take(ctx context.Context, ref string, ifVersion int) (*Ticket, error) {
	u, t, err := s.forChange(ctx, ref, ifVersion, requireStaff)
	if err != nil {
		return nil, err
	}
	switch {
	case t.State == StateInProgress && t.Assignee != nil && t.Assignee.ID == u.ID:
		return t, nil
	case t.State == StateInProgress:
		id := u.ID
		return s.UpdateTicket(ctx, ref, TicketPatch{AssigneeID: &id, IfVersion: ifVersion})
	case CanTransition(t.State, StateInProgress) && t.State != StateResolved:
		return s.Transition(ctx, ref, TransitionInput{To: StateInProgress, AssigneeID: u.ID, IfVersion: ifVersion})
	}
	return nil, transitionError(t.State, StateInProgress)
}

// take sets the assignee: the one asked for, else the acting agent when they
// belong to the group. Working a ticket (in_progress) needs an assignee.
func (s *Desk) take(ctx context.Context, u *User, t *Ticket, assigneeID int64, required bool, ch *changeSet) error {
	old := refName(t.Assignee)
	switch {
	case assigneeID != 0:
		if err := s.setAssignee(ctx, t, assigneeID); err != nil {
			return err
		}
	case t.Assignee == nil && memberOf(u, t.Group.ID):
		t.Assignee = &Ref{ID: u.ID, Name: u.Name}
	case t.Assignee == nil && required:
		return fieldError("assignee_id", RuleRequired, nil, "is required: you are not a member of group %s", t.Group.Name)
	}
	ch.add("assignee", old, refName(t.Assignee))
	return nil
}

func (s *Desk) reopen(t *Ticket, in TransitionInput, now time.Time, ch *changeSet) error {
	if strings.TrimSpace(in.Reason) == "" {
		return fieldError("reason", RuleRequired, nil, "is required to reopen a ticket")
	}
	if t.ResolvedAt != nil && now.After(t.ResolvedAt.Add(s.cfg.ReopenWindow)) {
		return Refusef(ECONFLICT, RuleReopenClosed, nil, "ticket %s was resolved on %s: the %s reopen window has passed; register a new ticket",
			t.Number, t.ResolvedAt.Format(time.RFC3339), s.cfg.ReopenWindow)
	}
	t.ReopenCount++
	ch.add("reopen_count", fmt.Sprint(t.ReopenCount-1), fmt.Sprint(t.ReopenCount))
	ch.add("resolution_code", string(t.ResolutionCode), "")
	t.ResolvedAt, t.ResolutionCode, t.ResolutionNotes = nil, "", ""
	return nil
}

func resolve(t *Ticket, in TransitionInput, now time.Time, ch *changeSet) error {
	var v validation
	v.enum("resolution_code", string(in.ResolutionCode), names(ResolutionCodes), true)
	v.text("resolution_notes", in.ResolutionNotes, MaxTextLen, true)
	if err := v.err(); err != nil {
		return err
	}
	ch.add("resolution_code", string(t.ResolutionCode), string(in.ResolutionCode))
	t.ResolutionCode, t.ResolutionNotes, t.ResolvedAt = in.ResolutionCode, in.ResolutionNotes, &now
	return nil
}

// markFirstResponse records the first time staff answered or started work.
func (s *Desk) markFirstResponse(t *Ticket, now time.Time, ch *changeSet) {
	if t.FirstResponseAt == nil {
		t.FirstResponseAt = &now
		ch.add("first_response_at", "", now.Format(time.RFC3339))
	}
}
