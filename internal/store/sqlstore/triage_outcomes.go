package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/triagedesk"
)

// recordOutcomes writes what the agent did with the register form's
// suggestions (e.TriageOutcomes) in the transaction of the ticket's
// creation event, against its ticket, actor and time.
func recordOutcomes(ctx context.Context, tx *sql.Tx, e *desk.Event) error {
	var agent int64
	if e.Actor != nil {
		agent = e.Actor.ID
	}
	for _, o := range e.TriageOutcomes {
		_, err := tx.ExecContext(ctx, `INSERT INTO triage_outcomes (ticket_id, field, suggested, chosen, accepted, confidence, model_version, agent_id, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (ticket_id, field) DO NOTHING`,
			e.TicketID, o.Field, o.Suggested, o.Chosen, o.Accepted, int64(math.Round(o.Confidence*1000)), o.ModelVersion,
			nullID(agent), micros(e.At))
		if err != nil {
			return fmt.Errorf("save triage outcome of ticket %d, %s: %w", e.TicketID, o.Field, err)
		}
	}
	return nil
}

// TriageAcceptance implements triagedesk.Store.
func (s *Store) TriageAcceptance(ctx context.Context, from, to time.Time) ([]triagedesk.AcceptanceReport, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT field, COUNT(*),
		SUM(CASE WHEN accepted THEN 1 ELSE 0 END),
		SUM(CASE WHEN NOT accepted AND chosen <> '' THEN 1 ELSE 0 END)
		FROM triage_outcomes WHERE at >= $1 AND at < $2 GROUP BY field ORDER BY field`, micros(from), micros(to))
	if err != nil {
		return nil, fmt.Errorf("triage acceptance: %w", err)
	}
	defer rows.Close()
	var out []triagedesk.AcceptanceReport
	for rows.Next() {
		var r triagedesk.AcceptanceReport
		if err := rows.Scan(&r.Field, &r.Suggested, &r.Accepted, &r.Overridden); err != nil {
			return nil, fmt.Errorf("triage acceptance: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
