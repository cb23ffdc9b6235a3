package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// recordReuse keeps the resolution an event copied (desk.Event.Reuse) in
// the event's transaction; a second use of the same source on the same
// ticket (resolved, reopened, resolved again) keeps the first.
func (s *Store) recordReuse(ctx context.Context, tx *sql.Tx, e *desk.Event) error {
	if e.Reuse == nil {
		return nil
	}
	var by any
	if e.Actor != nil {
		by = e.Actor.ID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO resolution_reuses (ticket_id, source_id, used_at, used_by)
		VALUES ($1, $2, $3, $4) ON CONFLICT (ticket_id, source_id) DO NOTHING`,
		e.TicketID, e.Reuse.SourceID, micros(e.At), by)
	if err != nil {
		return fmt.Errorf("record resolution reuse: %w", err)
	}
	return nil
}

// ResolutionReuses implements desk.ReuseStore.
func (s *Store) ResolutionReuses(ctx context.Context, ticketID int64) ([]desk.ResolutionReuse, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT r.source_id, t.number, r.used_at FROM resolution_reuses r
		JOIN tickets t ON t.id = r.source_id WHERE r.ticket_id = $1 ORDER BY r.used_at, r.source_id`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("read resolution reuses: %w", err)
	}
	defer rows.Close()
	var out []desk.ResolutionReuse
	for rows.Next() {
		var r desk.ResolutionReuse
		var at int64
		if err := rows.Scan(&r.SourceID, &r.SourceNumber, &at); err != nil {
			return nil, fmt.Errorf("read resolution reuses: %w", err)
		}
		r.UsedAt = fromMicros(at)
		out = append(out, r)
	}
	return out, rows.Err()
}
