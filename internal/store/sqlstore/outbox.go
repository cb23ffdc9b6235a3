package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

var _ desk.OutboxStore = (*Store)(nil)

const deliveryColumns = `id, created_at, kind, ticket_id, user_id, group_id, payload, sent_at,
	attempts, next_attempt_at, COALESCE(last_error, ''), failed_at, claimed_until, COALESCE(message_id, '')`

func scanDelivery(sc scanner) (desk.Delivery, error) {
	var d desk.Delivery
	var created int64
	var tid, uid, gid, sent, next, failed, claimed sql.NullInt64
	var payload string
	err := sc.Scan(&d.ID, &created, &d.Kind, &tid, &uid, &gid, &payload, &sent,
		&d.Attempts, &next, &d.LastError, &failed, &claimed, &d.MessageID)
	if err != nil {
		return d, err
	}
	d.CreatedAt, d.TicketID, d.UserID, d.GroupID = fromMicros(created), tid.Int64, uid.Int64, gid.Int64
	d.SentAt, d.NextAttemptAt, d.FailedAt, d.ClaimedUntil = timePtr(sent), timePtr(next), timePtr(failed), timePtr(claimed)
	if err := json.Unmarshal([]byte(payload), &d.Payload); err != nil {
		return d, fmt.Errorf("outbox %d payload: %w", d.ID, err)
	}
	return d, nil
}

func queryDeliveries(ctx context.Context, q queryer, query string, args ...any) ([]desk.Delivery, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// ClaimOutbox implements desk.OutboxStore with one UPDATE ... RETURNING of
// the due rows, found through the partial index on unsent ids; PostgreSQL
// skips rows another claimer has locked, SQLite has one writer.
func (s *Store) ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]desk.Delivery, error) {
	n := micros(now)
	q := `UPDATE outbox SET claimed_until = $1, attempts = attempts + 1
		WHERE id IN (SELECT id FROM outbox
			WHERE sent_at IS NULL AND failed_at IS NULL
			AND (next_attempt_at IS NULL OR next_attempt_at <= $2)
			AND (claimed_until IS NULL OR claimed_until < $2)
			ORDER BY id LIMIT $3` + s.dialect.SkipLocked() + `)
		RETURNING ` + deliveryColumns
	out, err := queryDeliveries(ctx, s.db, q, micros(now.Add(lease)), n, limit)
	if err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	// RETURNING comes in no particular order; mail about a ticket goes out
	// in the order it was written (registered before resolved).
	slices.SortFunc(out, func(a, b desk.Delivery) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// claimCond restricts an UPDATE to the claim d holds ($1 id, $2 lease).
const claimCond = " WHERE id = $1 AND claimed_until = $2 AND sent_at IS NULL AND failed_at IS NULL"

func claimArgs(d desk.Delivery) []any {
	var until int64
	if d.ClaimedUntil != nil {
		until = micros(*d.ClaimedUntil)
	}
	return []any{d.ID, until}
}

func lostClaim(res sql.Result, err error, d desk.Delivery) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return desk.Errorf(desk.ECONFLICT, "outbox message %d is no longer claimed by this worker", d.ID)
	}
	return nil
}

// OutboxSent implements desk.OutboxStore.
func (s *Store) OutboxSent(ctx context.Context, d desk.Delivery, messageID string, at time.Time) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE outbox SET sent_at = $3, message_id = $4, claimed_until = NULL"+claimCond,
			append(claimArgs(d), micros(at), messageID)...)
		if err := lostClaim(res, err, d); err != nil {
			return err
		}
		if d.TicketID == 0 {
			return nil
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO mail_messages (message_id, ticket_id, direction, received_at)
			VALUES ($1, $2, 'out', $3) ON CONFLICT (message_id) DO NOTHING`, messageID, d.TicketID, micros(at))
		return err
	})
	if err != nil {
		return fmt.Errorf("mark outbox %d sent: %w", d.ID, err)
	}
	return nil
}

// OutboxRetry implements desk.OutboxStore.
func (s *Store) OutboxRetry(ctx context.Context, d desk.Delivery, lastErr string, next *time.Time, at time.Time) error {
	var res sql.Result
	var err error
	if next == nil {
		res, err = s.db.ExecContext(ctx, "UPDATE outbox SET failed_at = $3, last_error = $4, claimed_until = NULL"+claimCond,
			append(claimArgs(d), micros(at), lastErr)...)
	} else {
		res, err = s.db.ExecContext(ctx, "UPDATE outbox SET next_attempt_at = $3, last_error = $4, claimed_until = NULL"+claimCond,
			append(claimArgs(d), micros(*next), lastErr)...)
	}
	if err := lostClaim(res, err, d); err != nil {
		return fmt.Errorf("release outbox %d: %w", d.ID, err)
	}
	return nil
}

// ListOutbox implements desk.OutboxStore.
func (s *Store) ListOutbox(ctx context.Context, state desk.OutboxState, before int64, limit int) ([]desk.Delivery, error) {
	var cond string
	switch state {
	case desk.OutboxQueued:
		cond = "sent_at IS NULL AND failed_at IS NULL"
	case desk.OutboxSent:
		cond = "sent_at IS NOT NULL"
	case desk.OutboxFailed:
		cond = "failed_at IS NOT NULL"
	default:
		return nil, desk.Errorf(desk.EINVALID, "unknown outbox state %q", state)
	}
	if before <= 0 {
		before = 1<<63 - 1
	}
	out, err := queryDeliveries(ctx, s.rdb, "SELECT "+deliveryColumns+" FROM outbox WHERE "+cond+
		" AND id < $1 ORDER BY id DESC LIMIT $2", before, limit)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	return out, nil
}

// TicketMessageIDs returns the Message-IDs recorded on a ticket (in and
// out), oldest first: the thread a notification about it continues.
func (s *Store) TicketMessageIDs(ctx context.Context, ticketID int64) ([]string, error) {
	rows, err := s.rdb.QueryContext(ctx, "SELECT message_id FROM mail_messages WHERE ticket_id = $1 ORDER BY received_at, id", ticketID)
	if err != nil {
		return nil, fmt.Errorf("ticket %d mail: %w", ticketID, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("ticket %d mail: %w", ticketID, err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// RequeueOutbox implements desk.OutboxStore.
func (s *Store) RequeueOutbox(ctx context.Context, id int64) (desk.Delivery, error) {
	out, err := queryDeliveries(ctx, s.db, `UPDATE outbox SET failed_at = NULL, next_attempt_at = NULL,
		claimed_until = NULL, attempts = 0 WHERE id = $1 AND failed_at IS NOT NULL AND sent_at IS NULL
		RETURNING `+deliveryColumns, id)
	if err != nil {
		return desk.Delivery{}, fmt.Errorf("requeue outbox %d: %w", id, err)
	}
	if len(out) == 1 {
		return out[0], nil
	}
	cur, err := queryDeliveries(ctx, s.rdb, "SELECT "+deliveryColumns+" FROM outbox WHERE id = $1", id)
	switch {
	case err != nil:
		return desk.Delivery{}, fmt.Errorf("requeue outbox %d: %w", id, err)
	case len(cur) == 0:
		return desk.Delivery{}, notFound("outbox message", id)
	}
	return desk.Delivery{}, desk.Errorf(desk.ECONFLICT, "outbox message %d is %s, not failed: only failed messages are retried",
		id, cur[0].State())
}
