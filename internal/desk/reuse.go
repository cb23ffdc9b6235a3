package desk

import (
	"context"
	"time"
)

// "Use this resolution" (issue 13): an agent resolving a ticket (or
// registering one resolved on first contact) copies the resolution of a
// similar resolved ticket. The resolving event then carries the ticket it
// came from (Event.Reuse), which the store records in the event's
// transaction, so the new ticket links back to its source and reports
// count how often earlier resolutions are reused.

// ResolutionReuse is the ticket a resolution was copied from.
type ResolutionReuse struct {
	SourceID     int64
	SourceNumber string
	UsedAt       time.Time // read back only
}

// ReuseStore reads the resolutions a ticket reused.
type ReuseStore interface {
	// ResolutionReuses returns the tickets whose resolution ticket id
	// reused, oldest use first.
	ResolutionReuses(ctx context.Context, ticketID int64) ([]ResolutionReuse, error)
}

// reuseSource is the resolved ticket ref whose resolution u copies into
// ticket selfID (0: a ticket being registered). It must be one u may see,
// resolved or closed, not a security case (they are never offered as
// similar tickets) and not the ticket itself; otherwise the field
// reused_from is refused as naming nothing usable.
func (s *Desk) reuseSource(ctx context.Context, u *User, ref string, selfID int64) (*ResolutionReuse, error) {
	if !u.Role.IsStaff() {
		return nil, Errorf(EFORBIDDEN, "only service-desk staff may reuse a resolution")
	}
	src, err := s.loadTicket(ctx, u, ref)
	switch {
	case ErrorCode(err) == ENOTFOUND || ErrorCode(err) == EINVALID:
		return nil, fieldError("reused_from", RuleUnknown, nil, "names no resolved ticket you may see")
	case err != nil:
		return nil, err
	case src.ID == selfID:
		return nil, fieldError("reused_from", RuleSelf, nil, "is the ticket itself")
	case src.Security:
		return nil, fieldError("reused_from", RuleNotAllowed, nil, "is a security case, whose resolution is not reused")
	case src.State != StateResolved && src.State != StateClosed:
		return nil, fieldError("reused_from", RuleNotResolved, nil, "is not resolved")
	}
	return &ResolutionReuse{SourceID: src.ID, SourceNumber: src.Number}, nil
}

// ResolutionReuses returns the tickets whose resolution ticket ref reused
// that the actor may see. Staff only.
func (s *Desk) ResolutionReuses(ctx context.Context, ref string) ([]ResolutionReuse, error) {
	u, err := requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.loadTicket(ctx, u, ref)
	if err != nil {
		return nil, err
	}
	all, err := s.store.ResolutionReuses(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, r := range all {
		if _, err := s.loadTicket(ctx, u, r.SourceNumber); err == nil {
			out = append(out, r)
		}
	}
	return out, nil
}
