package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/triagedesk"
)

var _ triagedesk.Store = (*Store)(nil)

// TriageSettings implements triagedesk.Store.
func (s *Store) TriageSettings(ctx context.Context) (*triagedesk.Settings, error) {
	var out triagedesk.Settings
	var every int64
	var asked, attempt sql.NullInt64
	err := s.rdb.QueryRowContext(ctx, `SELECT auto_percent, retrain_every, train_requested_at, last_attempt_at, last_error
		FROM triage_settings WHERE id = 1`).Scan(&out.AutoPercent, &every, &asked, &attempt, &out.LastError)
	if err != nil {
		return nil, fmt.Errorf("read triage settings: %w", err)
	}
	out.RetrainEvery = time.Duration(every) * time.Microsecond
	out.TrainRequestedAt, out.LastAttemptAt = timePtr(asked), timePtr(attempt)
	return &out, nil
}

// SaveTriageSettings implements triagedesk.Store.
func (s *Store) SaveTriageSettings(ctx context.Context, set triagedesk.Settings) error {
	err := s.inAuditedTx(ctx, entry("setting.triage", named("setting", "triage"), "auto_percent", set.AutoPercent,
		"retrain_hours", set.RetrainEvery.Hours()), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE triage_settings SET auto_percent = $1, retrain_every = $2 WHERE id = 1`,
			set.AutoPercent, set.RetrainEvery.Microseconds())
		return err
	})
	if err != nil {
		return fmt.Errorf("save triage settings: %w", err)
	}
	return nil
}

// RequestTriageTraining implements triagedesk.Store.
func (s *Store) RequestTriageTraining(ctx context.Context, at time.Time, by int64) error {
	err := s.inAuditedTx(ctx, fixed(audit.Entry{ActorID: by, Kind: "triage.train", Subject: "triage/model"}), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE triage_settings SET train_requested_at = $1, train_requested_by = $2 WHERE id = 1`,
			micros(at), nullID(by))
		return err
	})
	if err != nil {
		return fmt.Errorf("request triage training: %w", err)
	}
	return nil
}

// ClaimTriageTraining implements triagedesk.Store.
func (s *Store) ClaimTriageTraining(ctx context.Context, now, until time.Time) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE triage_settings SET claimed_until = $1, last_attempt_at = $2
		WHERE id = 1 AND claimed_until <= $2`, micros(until), micros(now))
	if err != nil {
		return false, fmt.Errorf("claim triage training: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// FinishTriageTraining implements triagedesk.Store.
func (s *Store) FinishTriageTraining(ctx context.Context, at time.Time, errText string, asked *time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE triage_settings SET claimed_until = 0, last_attempt_at = $1, last_error = $2,
		train_requested_at = CASE WHEN train_requested_at <= $3 THEN NULL ELSE train_requested_at END,
		train_requested_by = CASE WHEN train_requested_at <= $3 THEN NULL ELSE train_requested_by END
		WHERE id = 1`, micros(at), errText, nullMicros(asked))
	if err != nil {
		return fmt.Errorf("finish triage training: %w", err)
	}
	return nil
}

// TriageReport implements triagedesk.Store.
func (s *Store) TriageReport(ctx context.Context, from, to time.Time) ([]triagedesk.FieldReport, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT d.field, COUNT(*),
		SUM(CASE WHEN d.confirmed_at IS NOT NULL THEN 1 ELSE 0 END),
		SUM(CASE WHEN d.corrected_at IS NOT NULL THEN 1 ELSE 0 END),
		SUM(CASE WHEN d.corrected_at IS NULL AND (d.confirmed_at IS NOT NULL OR t.state IN ('resolved', 'closed', 'canceled')) THEN 1 ELSE 0 END)
		FROM triage_decisions d JOIN tickets t ON t.id = d.ticket_id
		WHERE d.decided_at >= $1 AND d.decided_at < $2 GROUP BY d.field ORDER BY d.field`, micros(from), micros(to))
	if err != nil {
		return nil, fmt.Errorf("triage report: %w", err)
	}
	defer rows.Close()
	var out []triagedesk.FieldReport
	for rows.Next() {
		var r triagedesk.FieldReport
		if err := rows.Scan(&r.Field, &r.Decided, &r.Confirmed, &r.Corrected, &r.Kept); err != nil {
			return nil, fmt.Errorf("triage report: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ReuseReport implements triagedesk.Store.
func (s *Store) ReuseReport(ctx context.Context, from, to time.Time) (triagedesk.ReuseReport, error) {
	var r triagedesk.ReuseReport
	err := s.rdb.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(CASE WHEN EXISTS (SELECT 1 FROM resolution_reuses r WHERE r.ticket_id = t.id) THEN 1 END)
		FROM tickets t WHERE t.resolved_at >= $1 AND t.resolved_at < $2 AND NOT t.security`, micros(from), micros(to)).Scan(&r.Resolved, &r.Reused)
	if err != nil {
		return r, fmt.Errorf("reuse report: %w", err)
	}
	return r, nil
}
