package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// MergeTicket implements desk.MergeStore: the duplicate's fields and
// events as UpdateTicket stores them, and its duplicate_of link (when
// link is not nil) as AddLink does, in one transaction. The link's events
// come first in the duplicate's history, then the closing.
func (s *Store) MergeTicket(ctx context.Context, t *desk.Ticket, events []desk.Event, link *desk.MergeLink, timers ...desk.Timer) error {
	var updated *desk.Ticket
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.writeTicket(ctx, tx, t); err != nil { // checks the version first
			return err
		}
		if link != nil {
			if err := s.addLink(ctx, tx, link.Link, link.FromEvent, link.ToEvent); err != nil {
				return err
			}
		}
		if err := s.insertEvents(ctx, tx, t.ID, events); err != nil {
			return err
		}
		if timers != nil {
			if err := replaceTimers(ctx, tx, t.ID, 0, timers); err != nil {
				return err
			}
		}
		var err error
		updated, err = readTicket(ctx, tx, "t.id = $1", t.ID)
		return err
	})
	if err != nil {
		return s.refError(ctx, fmt.Sprintf("merge ticket %d", t.ID), err, ticketRefs(t)...)
	}
	*t = *updated
	return nil
}
