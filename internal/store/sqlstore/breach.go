package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/breach"
	"github.com/tierdesk/tierdesk/internal/desk"
)

// The regulatory record of security cases (desk/breach_case.go, migration
// 00029): one breach_cases row per case that has one, read and written
// with the ticket.

// readBreachCase reads a case's record; nil when it has none.
func readBreachCase(ctx context.Context, q queryer, ticketID int64) (*desk.BreachCase, error) {
	var b desk.BreachCase
	var aware sql.NullInt64
	var regime string
	err := q.QueryRowContext(ctx, `SELECT aware_at, aware_reason, regime, regime_reason
		FROM breach_cases WHERE ticket_id = $1`, ticketID).Scan(&aware, &b.AwareReason, &regime, &b.RegimeReason)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read breach record of ticket %d: %w", ticketID, err)
	}
	b.AwareAt, b.Regime = timePtr(aware), breach.Regime(regime)
	return &b, nil
}

// writeBreachCase stores t's record when it has one.
func writeBreachCase(ctx context.Context, tx *sql.Tx, ticketID int64, t *desk.Ticket) error {
	b := t.Breach
	if b == nil {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO breach_cases (ticket_id, aware_at, aware_reason, regime, regime_reason)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (ticket_id) DO UPDATE SET aware_at = EXCLUDED.aware_at,
		aware_reason = EXCLUDED.aware_reason, regime = EXCLUDED.regime, regime_reason = EXCLUDED.regime_reason`,
		ticketID, nullMicros(b.AwareAt), b.AwareReason, string(b.Regime), b.RegimeReason)
	if err != nil {
		return fmt.Errorf("write breach record of ticket %d: %w", ticketID, err)
	}
	return nil
}
