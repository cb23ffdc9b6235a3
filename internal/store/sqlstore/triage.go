package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// keptTriageModels is how many versions stay stored; older ones are
// deleted when a new one is saved.
const keptTriageModels = 3

// TriageSamples implements desk.TriageStore.
func (s *Store) TriageSamples(ctx context.Context, after int64, limit int) ([]desk.TriageSample, error) {
	// A field the desk set by itself that nobody confirmed or corrected
	// is read as none: the model never learns from its own guesses.
	guess := func(field, col string) string {
		return `CASE WHEN EXISTS (SELECT 1 FROM triage_decisions d WHERE d.ticket_id = t.id AND d.field = '` + field +
			`' AND d.confirmed_at IS NULL AND d.corrected_at IS NULL) THEN '' ELSE ` + col + ` END`
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT t.id, t.title, t.description, `+guess("type", "t.type")+`,
		`+guess("category", "COALESCE(c.name, '')")+`, `+guess("group", "g.name")+`, `+guess("service", "COALESCE(sv.name, '')")+`, t.impact, t.urgency
		FROM tickets t
		JOIN support_groups g ON g.id = t.group_id
		LEFT JOIN categories c ON c.id = t.category_id
		LEFT JOIN services sv ON sv.id = t.service_id
		WHERE t.state IN ('resolved', 'closed') AND t.id > $1
		ORDER BY t.id LIMIT $2`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("read triage samples: %w", err)
	}
	defer rows.Close()
	var out []desk.TriageSample
	for rows.Next() {
		var x desk.TriageSample
		if err := rows.Scan(&x.TicketID, &x.Title, &x.Description, &x.Type, &x.Category, &x.Group, &x.Service, &x.Impact, &x.Urgency); err != nil {
			return nil, fmt.Errorf("read triage samples: %w", err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// TriageSamplesFloor implements desk.TriageStore.
func (s *Store) TriageSamplesFloor(ctx context.Context, newest int) (int64, error) {
	var id int64
	err := s.rdb.QueryRowContext(ctx, `SELECT id FROM tickets WHERE state IN ('resolved', 'closed')
		ORDER BY id DESC LIMIT 1 OFFSET $1`, newest).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read triage samples' floor: %w", err)
	}
	return id, nil
}

// SaveTriageModel implements desk.TriageStore.
func (s *Store) SaveTriageModel(ctx context.Context, m *desk.TriageModel) error {
	summary, err := json.Marshal(m.Fields)
	if err != nil {
		return err
	}
	return s.inAuditedTx(ctx, entry("triage.model", named("triage", "model"), "version", &m.Version), func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO triage_models (version, trained_at, model, summary)
			SELECT COALESCE(MAX(version), 0) + 1, $1, $2, $3 FROM triage_models RETURNING version`,
			micros(m.TrainedAt), m.Model, string(summary)).Scan(&m.Version)
		if err != nil {
			if s.dialect.IsUniqueViolation(err) {
				return desk.Errorf(desk.ECONFLICT, "another triage model was saved at the same time")
			}
			return fmt.Errorf("save triage model: %w", err)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM triage_models WHERE version <= $1`, m.Version-keptTriageModels)
		return err
	})
}

// LatestTriageModel implements desk.TriageStore.
func (s *Store) LatestTriageModel(ctx context.Context, withModel bool) (*desk.TriageModel, error) {
	cols := "version, trained_at, summary, NULL"
	if withModel {
		cols = "version, trained_at, summary, model"
	}
	var m desk.TriageModel
	var at int64
	var summary string
	err := s.rdb.QueryRowContext(ctx, `SELECT `+cols+` FROM triage_models ORDER BY version DESC LIMIT 1`).
		Scan(&m.Version, &at, &summary, &m.Model)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, desk.Errorf(desk.ENOTFOUND, "no triage model has been trained")
	}
	if err != nil {
		return nil, fmt.Errorf("read triage model: %w", err)
	}
	m.TrainedAt = fromMicros(at)
	if err := json.Unmarshal([]byte(summary), &m.Fields); err != nil {
		return nil, fmt.Errorf("read triage model %d: summary: %w", m.Version, err)
	}
	return &m, nil
}
