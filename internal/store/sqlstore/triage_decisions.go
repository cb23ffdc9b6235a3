package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// recordTriage keeps the triage decisions of one event in its transaction
// (see desk.TriageStore.TriageDecisions): the desk's own decision, a
// person's confirmation of it, or a person's change of a decided field,
// which corrects it.
func (s *Store) recordTriage(ctx context.Context, tx *sql.Tx, e *desk.Event) error {
	switch {
	case e.ReasonCode == desk.ReasonTriageApplied:
		p := e.ReasonParams
		pct, _ := strconv.ParseFloat(p["confidence"], 64)
		version, _ := strconv.ParseInt(p["version"], 10, 64)
		_, err := tx.ExecContext(ctx, `INSERT INTO triage_decisions (ticket_id, field, value, confidence, model_version, decided_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (ticket_id, field) DO NOTHING`,
			e.TicketID, p["field"], p["value"], int(math.Round(pct*10)), version, micros(e.At))
		return wrapTriage(err)
	case e.Actor == nil:
		return nil
	case e.ReasonCode == desk.ReasonTriageConfirmed:
		_, err := tx.ExecContext(ctx, `UPDATE triage_decisions SET confirmed_at = $1, confirmed_by = $2
			WHERE ticket_id = $3 AND field = $4 AND confirmed_at IS NULL AND corrected_at IS NULL`,
			micros(e.At), e.Actor.ID, e.TicketID, e.ReasonParams["field"])
		return wrapTriage(err)
	case desk.ResolvesAsPerson(e):
		// A person resolved the ticket leaving the desk's fields as they
		// were: they worked it through with those values, which confirms them.
		_, err := tx.ExecContext(ctx, `UPDATE triage_decisions SET confirmed_at = $1, confirmed_by = $2
			WHERE ticket_id = $3 AND confirmed_at IS NULL AND corrected_at IS NULL`,
			micros(e.At), e.Actor.ID, e.TicketID)
		return wrapTriage(err)
	case e.Kind != desk.EventUpdated && e.Kind != desk.EventReassigned:
		return nil
	}
	for _, c := range e.Changes {
		if !slices.Contains(desk.TriageFields, c.Field) {
			continue
		}
		_, err := tx.ExecContext(ctx, `UPDATE triage_decisions SET corrected_at = $1, corrected_by = $2, corrected_to = $3
			WHERE ticket_id = $4 AND field = $5 AND confirmed_at IS NULL AND corrected_at IS NULL`,
			micros(e.At), e.Actor.ID, c.New, e.TicketID, c.Field)
		if err != nil {
			return wrapTriage(err)
		}
	}
	return nil
}

func wrapTriage(err error) error {
	if err != nil {
		return fmt.Errorf("record triage decision: %w", err)
	}
	return nil
}

// TriageDecisions implements desk.TriageStore.
func (s *Store) TriageDecisions(ctx context.Context, ticketID int64) ([]desk.TriageDecision, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT ticket_id, field, value, confidence, model_version, decided_at,
		confirmed_at, corrected_at, COALESCE(corrected_to, '')
		FROM triage_decisions WHERE ticket_id = $1 ORDER BY field`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("read triage decisions: %w", err)
	}
	defer rows.Close()
	var out []desk.TriageDecision
	for rows.Next() {
		var d desk.TriageDecision
		var conf int
		var at int64
		var confirmed, corrected sql.NullInt64
		if err := rows.Scan(&d.TicketID, &d.Field, &d.Value, &conf, &d.ModelVersion, &at, &confirmed, &corrected, &d.CorrectedTo); err != nil {
			return nil, fmt.Errorf("read triage decisions: %w", err)
		}
		d.Confidence, d.DecidedAt = float64(conf)/1000, fromMicros(at)
		d.ConfirmedAt, d.CorrectedAt = timePtr(confirmed), timePtr(corrected)
		out = append(out, d)
	}
	return out, rows.Err()
}
