package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// claimKey records key for the actor inside tx. It returns 0 when the key is
// new (the caller creates the ticket and binds it with bindKey), or the id of
// the ticket created earlier with the same key and fingerprint.
//
// The claim comes before anything else in the transaction: a racing request
// with the same key then waits on the unique index (PostgreSQL) or the write
// lock (SQLite) while holding nothing, and sees the winner's ticket.
func claimKey(ctx context.Context, tx *sql.Tx, key *desk.IdempotencyKey, now int64) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (actor_id, idem_key, fingerprint, created_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (actor_id, idem_key) DO NOTHING`,
		key.ActorID, key.Key, key.Fingerprint, now)
	if err != nil {
		return 0, fmt.Errorf("claim idempotency key: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("claim idempotency key: %w", err)
	}
	if n == 1 {
		return 0, nil
	}
	var fingerprint string
	var ticketID sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT fingerprint, ticket_id FROM idempotency_keys
		WHERE actor_id = $1 AND idem_key = $2`, key.ActorID, key.Key).Scan(&fingerprint, &ticketID)
	if err != nil {
		return 0, fmt.Errorf("read idempotency key: %w", err)
	}
	if fingerprint != key.Fingerprint {
		return 0, fieldError(desk.EINVALID, "idempotency_key", desk.RuleMismatch, nil, "the key was used with a different request")
	}
	if !ticketID.Valid {
		return 0, fmt.Errorf("idempotency key %q has no ticket", key.Key)
	}
	return ticketID.Int64, nil
}

// bindKey records which ticket a claimed key created.
func bindKey(ctx context.Context, tx *sql.Tx, key *desk.IdempotencyKey, ticketID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE idempotency_keys SET ticket_id = $1
		WHERE actor_id = $2 AND idem_key = $3`, ticketID, key.ActorID, key.Key)
	if err != nil {
		return fmt.Errorf("bind idempotency key: %w", err)
	}
	return nil
}
