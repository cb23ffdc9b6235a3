package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

var _ desk.MailRateStore = (*Store)(nil)

// AddMailCount implements desk.MailRateStore. The upsert is atomic on both
// databases (PostgreSQL locks the conflicting row; SQLite has one writer),
// so concurrent instances each see their own increment.
func (s *Store) AddMailCount(ctx context.Context, sender string, window, prev time.Time, delta int) (cur, prevCount int, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO mail_rate (sender, window_start, count) VALUES ($1, $2, $3)
			ON CONFLICT (sender, window_start) DO UPDATE SET count = mail_rate.count + excluded.count
			RETURNING count`, sender, micros(window), delta).Scan(&cur)
		if err != nil {
			return fmt.Errorf("count mail of %s: %w", sender, err)
		}
		err = tx.QueryRowContext(ctx, "SELECT count FROM mail_rate WHERE sender = $1 AND window_start = $2",
			sender, micros(prev)).Scan(&prevCount)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("count mail of %s: %w", sender, err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM mail_rate WHERE window_start < $1", micros(prev)); err != nil {
			return fmt.Errorf("forget old mail counts: %w", err)
		}
		return nil
	})
	return cur, prevCount, err
}
