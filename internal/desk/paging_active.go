package desk

import (
	"context"
	"fmt"
)

// MaxActivePages bounds the on-call overview: more pages running at once
// than this is an outage, and the first ones are what to look at.
const MaxActivePages = 200

// ActivePage is a running page with its ticket and the users paged so far.
type ActivePage struct {
	*Page
	Ticket *Ticket
	Paged  []*Ref // in the order they were first paged
}

// ActivePages lists the pages in progress on tickets the actor may see,
// the longest running first (staff).
func (s *Desk) ActivePages(ctx context.Context) ([]ActivePage, error) {
	u, err := requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	pages, err := s.store.ActivePages(ctx, MaxActivePages)
	if err != nil {
		return nil, err
	}
	out := make([]ActivePage, 0, len(pages))
	for _, p := range pages {
		t, err := s.store.GetTicket(ctx, p.TicketID)
		if err != nil {
			return nil, fmt.Errorf("ticket of page %d: %w", p.ID, err)
		}
		if !canSee(u, t) {
			continue
		}
		ds, err := s.store.PageDeliveries(ctx, p.ID)
		if err != nil {
			return nil, fmt.Errorf("page %d: %w", p.ID, err)
		}
		ap := ActivePage{Page: p, Ticket: t}
		seen := map[int64]bool{}
		for _, d := range ds {
			if !seen[d.UserID] {
				seen[d.UserID] = true
				ap.Paged = append(ap.Paged, s.userRef(ctx, d.UserID))
			}
		}
		out = append(out, ap)
	}
	return out, nil
}
