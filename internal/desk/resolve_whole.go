package desk

import (
	"context"
	"fmt"
)

// Resolving a ticket as part of a larger resolution (a major incident's,
// internal/major): whoever gives that resolution resolves each ticket
// under it, whatever support group they are in.
//
// Why the desk allows it: group membership decides who may work a ticket
// (be its assignee, take it into in_progress), not who may resolve it: any
// staff member who may see an in-progress ticket may resolve it, and a
// first-contact resolution already resolves a ticket nobody worked. A
// major incident's commander, or a line-3 agent working it, is usually in
// none of the groups its incidents wait in, unassigned; forcing them to be
// the assignee there is refused, and making someone else the assignee
// would credit work nobody did.

// ResolveAsPart resolves the ticket ref with in's resolution code and
// notes. A ticket in progress or on hold is resolved by the ordinary
// transition. A ticket nobody has started (new, or assigned and not yet in
// progress) goes to resolved in one step: it keeps its assignee, or gets
// the actor when they are in its group and it has none, and the resolution
// is its first response. Staff only; the ticket must be visible to them.
func (s *Desk) ResolveAsPart(ctx context.Context, ref string, in TransitionInput) (*Ticket, error) {
	in.To = StateResolved
	return retryStale(in.IfVersion, func() (*Ticket, error) {
		u, t, err := s.forChange(ctx, ref, in.IfVersion, requireStaff)
		if err != nil {
			return nil, err
		}
		if t.State != StateNew && t.State != StateAssigned {
			return s.transition(ctx, ref, in)
		}
		now := s.clock.Now()
		ch := changeSet{{Field: "state", Old: string(t.State), New: string(StateResolved)}}
		if t.Assignee == nil && memberOf(u, t.Group.ID) {
			t.Assignee = &Ref{ID: u.ID, Name: u.Name}
			ch.add("assignee", "", u.Name)
		}
		s.markFirstResponse(t, now, &ch)
		if err := resolve(t, in, now, &ch); err != nil {
			return nil, err
		}
		t.State = StateResolved
		ev := Event{Kind: EventTransition, Public: true, Body: in.ResolutionNotes, Changes: ch}
		if err := s.save(ctx, t, u, ev); err != nil {
			return nil, fmt.Errorf("resolve ticket %s: %w", t.Number, err)
		}
		return t, nil
	})
}
