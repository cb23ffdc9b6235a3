package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/desk"
)

var _ desk.RatingStore = (*Store)(nil)

// PutRating implements desk.RatingStore.
func (s *Store) PutRating(ctx context.Context, r desk.Rating, version int, replace bool, ev desk.Event) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE tickets SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3",
			micros(r.RatedAt), r.TicketID, version)
		if err != nil {
			return fmt.Errorf("rate ticket %d: %w", r.TicketID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return desk.Errorf(desk.ESTALE, "ticket %d changed meanwhile", r.TicketID)
		}
		q := `INSERT INTO ticket_ratings (ticket_id, score, comment, rated_by, rated_at, group_id)
			VALUES ($1, $2, $3, $4, $5, $6)`
		if replace {
			q += ` ON CONFLICT (ticket_id) DO UPDATE SET score = excluded.score, comment = excluded.comment,
				rated_by = excluded.rated_by, rated_at = excluded.rated_at, group_id = excluded.group_id`
		}
		_, err = tx.ExecContext(ctx, q, r.TicketID, r.Score, r.Comment, r.RatedBy, micros(r.RatedAt), r.GroupID)
		if s.dialect.IsUniqueViolation(err) {
			return desk.Errorf(desk.ECONFLICT, "ticket %d is already rated", r.TicketID)
		}
		if err != nil {
			return fmt.Errorf("rate ticket %d: %w", r.TicketID, err)
		}
		return s.insertEvents(ctx, tx, r.TicketID, []desk.Event{ev})
	})
}

// GetRating implements desk.RatingStore.
func (s *Store) GetRating(ctx context.Context, ticketID int64) (*desk.Rating, error) {
	r := desk.Rating{TicketID: ticketID}
	var at int64
	err := s.rdb.QueryRowContext(ctx, `SELECT r.score, r.comment, r.rated_by, r.rated_at, r.group_id, COALESCE(g.name, '')
		FROM ticket_ratings r LEFT JOIN support_groups g ON g.id = r.group_id WHERE r.ticket_id = $1`,
		ticketID).Scan(&r.Score, &r.Comment, &r.RatedBy, &at, &r.GroupID, &r.GroupName)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("rating of ticket", ticketID)
	}
	if err != nil {
		return nil, fmt.Errorf("rating of ticket %d: %w", ticketID, err)
	}
	r.RatedAt = fromMicros(at)
	return &r, nil
}
