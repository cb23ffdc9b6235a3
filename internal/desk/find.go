package desk

import (
	"context"
	"time"
)

// The Tickets page's search and its export: a FilterSpec run by the actor,
// paged at the instant of its first page (like a saved filter), with the
// spec's own fields named in errors as the list's parameters are (state,
// type, priority, line, channel, sort, q) plus assignee, due and columns.

// checkSpec validates a spec about to be run.
func checkSpec(fs FilterSpec) error {
	var v validation
	if fs.AssignedToMe && fs.AssigneeID != nil {
		v.add("assignee", RuleConflicts, Params{"with": "assignee_id"}, "cannot be combined with assignee_id")
	}
	if fs.DueWithinMinutes < 0 || fs.DueWithinMinutes > int(MaxBreachWindow/time.Minute) {
		v.add("due", RuleOutOfRange, Params{"min": 0, "max": int(MaxBreachWindow / time.Minute), "unit": "minutes"}, "must be from 0 to %d", int(MaxBreachWindow/time.Minute))
	}
	if fs.Breached && fs.DueWithinMinutes > 0 {
		v.add("due", RuleConflicts, Params{"with": "due_within_minutes"}, "cannot be combined with due_within_minutes")
	}
	for _, c := range fs.Columns {
		v.enum("columns", c, TicketColumns, false)
	}
	if err := v.err(); err != nil {
		return err
	}
	return checkFilter(fs.TicketFilter(&User{}, time.Time{}))
}

// FindTickets returns one page of the tickets spec selects among those the
// actor (staff) may see. o.Cursor continues a listing at the instant of its
// first page, so relative conditions (due within, breached) keep their
// bounds from page to page; o.Sort and o.Desc are ignored (the spec sorts).
func (s *Desk) FindTickets(ctx context.Context, spec FilterSpec, o QueueOptions) (*TicketPage, error) {
	u, err := requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkSpec(spec); err != nil {
		return nil, err
	}
	return s.listAt(ctx, o, func(now time.Time) (TicketFilter, error) {
		return spec.TicketFilter(u, now), nil
	})
}
