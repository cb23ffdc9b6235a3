package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

var _ desk.LinkStore = (*Store)(nil)

// AddLink implements desk.LinkStore. Both ticket rows are locked first (a
// version bump, in id order), so concurrent links touching the same tickets
// run one after the other and the cycle check sees the ones committed.
func (s *Store) AddLink(ctx context.Context, l desk.Link, evFrom, evTo desk.Event) error {
	if l.FromID == l.ToID {
		return fieldError(desk.EINVALID, "ticket", desk.RuleNotAllowed, nil, "a ticket cannot be linked to itself")
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error { return s.addLink(ctx, tx, l, evFrom, evTo) })
	return s.refError(ctx, "link tickets", err, ref{"created_by", "users", l.CreatedBy})
}

// addLink stores l and its events in tx, touching both tickets.
func (s *Store) addLink(ctx context.Context, tx *sql.Tx, l desk.Link, evFrom, evTo desk.Event) error {
	if err := touchTickets(ctx, tx, evFrom.At, l.FromID, l.ToID); err != nil {
		return err
	}
	if err := checkLinkFree(ctx, tx, l); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO ticket_links (from_id, to_id, kind, created_at, created_by)
		VALUES ($1, $2, $3, $4, $5)`, l.FromID, l.ToID, string(l.Kind), micros(l.CreatedAt), nullID(l.CreatedBy))
	if err != nil {
		return s.uniqueError("link tickets", err, "ticket")
	}
	return s.linkEvents(ctx, tx, l, evFrom, evTo)
}

// checkLinkFree refuses a second link between the pair, a second original
// or parent, and a parent that descends from the child. The unique indexes
// say the same; checking first gives the caller a message that says which.
func checkLinkFree(ctx context.Context, tx *sql.Tx, l desk.Link) error {
	taken, err := existsRow(ctx, tx, `SELECT 1 FROM ticket_links WHERE (from_id = $1 AND to_id = $2) OR (from_id = $2 AND to_id = $1)`,
		l.FromID, l.ToID)
	if err != nil || taken {
		return cmpErr(err, fieldError(desk.ECONFLICT, "ticket", desk.RuleTaken, nil, "the two tickets are already linked"))
	}
	if l.Kind == desk.LinkRelated {
		return nil
	}
	taken, err = existsRow(ctx, tx, "SELECT 1 FROM ticket_links WHERE from_id = $1 AND kind = $2", l.FromID, string(l.Kind))
	if err != nil || taken {
		what := "already has a parent"
		if l.Kind == desk.LinkDuplicateOf {
			what = "is already a duplicate of another ticket"
		}
		return cmpErr(err, fieldError(desk.ECONFLICT, "ticket", desk.RuleTaken, nil, "the duplicate or child ticket "+what))
	}
	if l.Kind != desk.LinkChildOf {
		return nil
	}
	// Walk up from the new parent: meeting the child means a cycle.
	cycle, err := existsRow(ctx, tx, `WITH RECURSIVE up(id) AS (
			SELECT CAST($1 AS BIGINT)
			UNION SELECT l.to_id FROM ticket_links l JOIN up ON l.from_id = up.id AND l.kind = 'child_of'
		) SELECT 1 FROM up WHERE id = $2`, l.ToID, l.FromID)
	if err != nil || cycle {
		return cmpErr(err, fieldError(desk.EINVALID, "ticket", desk.RuleCycle, nil, "the parent is already a descendant of the child: links would form a cycle"))
	}
	return nil
}

// cmpErr is err when there is one, else refusal.
func cmpErr(err, refusal error) error {
	if err != nil {
		return err
	}
	return refusal
}

// RemoveLink implements desk.LinkStore.
func (s *Store) RemoveLink(ctx context.Context, l desk.Link, evFrom, evTo desk.Event) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := touchTickets(ctx, tx, evFrom.At, l.FromID, l.ToID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM ticket_links WHERE from_id = $1 AND to_id = $2 AND kind = $3",
			l.FromID, l.ToID, string(l.Kind))
		if err != nil {
			return fmt.Errorf("unlink tickets: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return desk.Errorf(desk.ENOTFOUND, "ticket %d is not linked to ticket %d", l.FromID, l.ToID)
		}
		return s.linkEvents(ctx, tx, l, evFrom, evTo)
	})
}

func (s *Store) linkEvents(ctx context.Context, tx *sql.Tx, l desk.Link, evFrom, evTo desk.Event) error {
	if err := s.insertEvents(ctx, tx, l.FromID, []desk.Event{evFrom}); err != nil {
		return err
	}
	return s.insertEvents(ctx, tx, l.ToID, []desk.Event{evTo})
}

// touchTickets gives each ticket a new version and updated_at (in id order,
// which is also the lock order); a missing ticket is ENOTFOUND.
func touchTickets(ctx context.Context, tx *sql.Tx, at time.Time, ids ...int64) error {
	if len(ids) == 2 && ids[0] > ids[1] {
		ids = []int64{ids[1], ids[0]}
	}
	for _, id := range ids {
		res, err := tx.ExecContext(ctx, "UPDATE tickets SET version = version + 1, updated_at = $1 WHERE id = $2",
			at.UnixMicro(), id)
		if err != nil {
			return fmt.Errorf("touch ticket %d: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return notFound("ticket", id)
		}
	}
	return nil
}

// TicketLinks implements desk.LinkStore.
func (s *Store) TicketLinks(ctx context.Context, ticketID int64) ([]desk.Link, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT from_id, to_id, kind, created_at, created_by FROM ticket_links
		WHERE from_id = $1 OR to_id = $1 ORDER BY created_at, from_id, to_id`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("ticket links: %w", err)
	}
	defer rows.Close()
	var out []desk.Link
	for rows.Next() {
		var l desk.Link
		var at int64
		var by sql.NullInt64
		if err := rows.Scan(&l.FromID, &l.ToID, &l.Kind, &at, &by); err != nil {
			return nil, fmt.Errorf("ticket links: %w", err)
		}
		l.CreatedAt, l.CreatedBy = fromMicros(at), by.Int64
		out = append(out, l)
	}
	return out, rows.Err()
}

// existsRow reports whether query returns a row.
func existsRow(ctx context.Context, q queryer, query string, args ...any) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, query+" LIMIT 1", args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("check links: %w", err)
	}
	return true, nil
}
