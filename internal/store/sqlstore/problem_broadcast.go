package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/problem"
)

const broadcastCols = `id, problem_id, kind, by_id, public, body, resolution_code, after_ticket, done, skipped, batches,
	max_tx_micros, created_at, finished_at`

func scanBroadcast(sc scanner) (*problem.Broadcast, error) {
	var b problem.Broadcast
	var maxTx, created int64
	var finished sql.NullInt64
	err := sc.Scan(&b.ID, &b.ProblemID, &b.Kind, &b.ByID, &b.Public, &b.Body, &b.ResolutionCode, &b.After, &b.Done, &b.Skipped,
		&b.Batches, &maxTx, &created, &finished)
	if err != nil {
		return nil, err
	}
	b.Number, b.MaxTx = problem.Number(b.ProblemID), time.Duration(maxTx)*time.Microsecond
	b.CreatedAt, b.FinishedAt = fromMicros(created), timePtr(finished)
	return &b, nil
}

// CreateBroadcast implements problem.Store.
func (s *Store) CreateBroadcast(ctx context.Context, b *problem.Broadcast) error {
	return s.inAuditedTx(ctx, entry("problem.broadcast", about("problem", &b.ProblemID), "broadcast", &b.ID, "public", b.Public),
		func(tx *sql.Tx) error {
			return tx.QueryRowContext(ctx, `INSERT INTO problem_broadcasts (problem_id, kind, by_id, public, body, resolution_code, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, b.ProblemID, string(b.Kind), b.ByID, b.Public, b.Body,
				string(b.ResolutionCode), micros(b.CreatedAt)).Scan(&b.ID)
		})
}

// ClaimBroadcast implements problem.Store.
func (s *Store) ClaimBroadcast(ctx context.Context, now time.Time, lease time.Duration) (*problem.Broadcast, error) {
	b, err := scanBroadcast(s.db.QueryRowContext(ctx, `UPDATE problem_broadcasts SET claimed_until = $1
		WHERE id IN (SELECT id FROM problem_broadcasts WHERE finished_at IS NULL AND claimed_until < $2
			ORDER BY id LIMIT 1`+s.dialect.SkipLocked()+`)
		RETURNING `+broadcastCols, micros(now.Add(lease)), micros(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("claim broadcast: %w", err)
	}
	return b, nil
}

// BroadcastTargets implements problem.Store.
func (s *Store) BroadcastTargets(ctx context.Context, b *problem.Broadcast, limit int) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT pi.ticket_id FROM problem_incidents pi JOIN tickets t ON t.id = pi.ticket_id
		WHERE pi.problem_id = $1 AND pi.ticket_id > $2 AND t.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		ORDER BY pi.ticket_id LIMIT $3`, b.ProblemID, b.After, limit)
	if err != nil {
		return nil, fmt.Errorf("broadcast targets: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// ApplyBroadcastBatch implements problem.Store.
func (s *Store) ApplyBroadcastBatch(ctx context.Context, b *problem.Broadcast, writes []desk.TicketWrite, next int64,
	skipped int, last bool, leaseUntil time.Time) error {
	var finished any
	if last {
		finished = s.now()
	}
	// The hold is timed from BEGIN (the writer taken: SQLite's single
	// write connection; on PostgreSQL the rows lock as they are written)
	// to COMMIT; waiting for the writer is not holding it.
	var start time.Time
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		start = time.Now()
		res, err := tx.ExecContext(ctx, `UPDATE problem_broadcasts SET after_ticket = $1, done = done + $2, skipped = skipped + $3,
			batches = batches + 1, finished_at = $4, claimed_until = $5 WHERE id = $6 AND after_ticket = $7 AND finished_at IS NULL`,
			next, len(writes), skipped, finished, micros(leaseUntil), b.ID, b.After)
		if err != nil {
			return fmt.Errorf("advance broadcast %d: %w", b.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return desk.Errorf(desk.ECONFLICT, "broadcast %d went on elsewhere", b.ID)
		}
		return s.applyTicketWrites(ctx, tx, writes)
	})
	if err != nil {
		return err
	}
	took := time.Since(start)
	b.LastTx = took
	for _, w := range writes {
		w.Ticket.Version++
	}
	b.After, b.Done, b.Skipped, b.Batches = next, b.Done+len(writes), b.Skipped+skipped, b.Batches+1
	if last {
		t := fromMicros(finished.(int64))
		b.FinishedAt = &t
	}
	if took > b.MaxTx {
		b.MaxTx = took
		_, err = s.db.ExecContext(ctx, "UPDATE problem_broadcasts SET max_tx_micros = $1 WHERE id = $2 AND max_tx_micros < $1",
			took.Microseconds(), b.ID)
	}
	return err
}

// Broadcasts implements problem.Store.
func (s *Store) Broadcasts(ctx context.Context, problemID int64) ([]*problem.Broadcast, error) {
	rows, err := s.rdb.QueryContext(ctx, "SELECT "+broadcastCols+" FROM problem_broadcasts WHERE problem_id = $1 ORDER BY id DESC LIMIT 100", problemID)
	if err != nil {
		return nil, fmt.Errorf("broadcasts: %w", err)
	}
	defer rows.Close()
	var out []*problem.Broadcast
	for rows.Next() {
		b, err := scanBroadcast(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}
