package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/diagnosis"
)

var _ diagnosis.Store = (*Store)(nil)

const checklistCols = `k.id, k.category_id, c.name, k.service_id, sv.name, k.items, k.version, k.created_at, k.updated_at`

const checklistFrom = ` FROM diagnosis_checklists k JOIN categories c ON c.id = k.category_id LEFT JOIN services sv ON sv.id = k.service_id`

func scanChecklist(sc scanner) (*diagnosis.Checklist, error) {
	var c diagnosis.Checklist
	var svc nullRef
	var items string
	var created, updated int64
	if err := sc.Scan(&c.ID, &c.Category.ID, &c.Category.Name, &svc.id, &svc.name, &items, &c.Version, &created, &updated); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(items), &c.Items); err != nil {
		return nil, fmt.Errorf("checklist %d items: %w", c.ID, err)
	}
	c.Service, c.CreatedAt, c.UpdatedAt = svc.ref(), fromMicros(created), fromMicros(updated)
	return &c, nil
}

// checklistArgs are category_id, service_id, scope_service, items,
// version and updated_at.
func checklistArgs(c *diagnosis.Checklist) []any {
	items, _ := json.Marshal(c.Items) // plain structs always encode
	var scope int64
	if c.Service != nil {
		scope = c.Service.ID
	}
	return []any{c.Category.ID, refID(c.Service), scope, string(items), c.Version, micros(c.UpdatedAt)}
}

func (s *Store) checklistError(ctx context.Context, op string, err error, c *diagnosis.Checklist) error {
	if err != nil && s.dialect.IsUniqueViolation(err) {
		return fieldError(desk.ECONFLICT, "category_id", desk.RuleTaken, nil,
			"the category (with this service) has a checklist already: edit that one")
	}
	return s.refError(ctx, op, err, ref{"category_id", "categories", c.Category.ID}, ref{"service_id", "services", refID(c.Service)})
}

// CreateChecklist implements diagnosis.Store.
func (s *Store) CreateChecklist(ctx context.Context, c *diagnosis.Checklist) error {
	err := s.inAuditedTx(ctx, entry("checklist.create", about("checklist", &c.ID), "category", c.Category.ID), func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO diagnosis_checklists (category_id, service_id, scope_service, items, version, updated_at, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, append(checklistArgs(c), micros(c.CreatedAt))...).Scan(&c.ID)
	})
	return s.checklistError(ctx, "create checklist", err, c)
}

// SaveChecklist implements diagnosis.Store.
func (s *Store) SaveChecklist(ctx context.Context, c *diagnosis.Checklist) error {
	err := s.inAuditedTx(ctx, entry("checklist.update", about("checklist", &c.ID), "version", c.Version), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE diagnosis_checklists SET category_id = $1, service_id = $2, scope_service = $3,
			items = $4, version = $5, updated_at = $6 WHERE id = $7 AND version = $8`, append(checklistArgs(c), c.ID, c.Version-1)...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			var cur int
			if tx.QueryRowContext(ctx, "SELECT version FROM diagnosis_checklists WHERE id = $1", c.ID).Scan(&cur) != nil {
				return notFound("checklist", c.ID)
			}
			return desk.Errorf(desk.ESTALE, "checklist %d is at version %d, not %d: reload it and edit again", c.ID, cur, c.Version-1)
		}
		return nil
	})
	return s.checklistError(ctx, "save checklist", err, c)
}

// DeleteChecklist implements diagnosis.Store.
func (s *Store) DeleteChecklist(ctx context.Context, id int64) error {
	return s.inAuditedTx(ctx, entry("checklist.delete", about("checklist", &id)), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM diagnosis_checklists WHERE id = $1", id)
		if err != nil {
			return fmt.Errorf("delete checklist %d: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return notFound("checklist", id)
		}
		return nil
	})
}

// Checklist implements diagnosis.Store.
func (s *Store) Checklist(ctx context.Context, id int64) (*diagnosis.Checklist, error) {
	c, err := scanChecklist(s.rdb.QueryRowContext(ctx, "SELECT "+checklistCols+checklistFrom+" WHERE k.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("checklist", id)
	}
	return c, err
}

// Checklists implements diagnosis.Store.
func (s *Store) Checklists(ctx context.Context) ([]*diagnosis.Checklist, error) {
	return s.queryChecklists(ctx, "SELECT "+checklistCols+checklistFrom+" ORDER BY c.name, k.scope_service, k.id")
}

// ChecklistsFor implements diagnosis.Store.
func (s *Store) ChecklistsFor(ctx context.Context, categoryIDs []int64) ([]*diagnosis.Checklist, error) {
	if len(categoryIDs) == 0 {
		return nil, nil
	}
	var a args
	ids := make([]any, len(categoryIDs))
	for i, id := range categoryIDs {
		ids[i] = id
	}
	return s.queryChecklists(ctx, "SELECT "+checklistCols+checklistFrom+" WHERE k.category_id IN ("+a.addAll(ids...)+") ORDER BY k.id", a...)
}

func (s *Store) queryChecklists(ctx context.Context, q string, vals ...any) ([]*diagnosis.Checklist, error) {
	rows, err := s.rdb.QueryContext(ctx, q, vals...)
	if err != nil {
		return nil, fmt.Errorf("list checklists: %w", err)
	}
	defer rows.Close()
	var out []*diagnosis.Checklist
	for rows.Next() {
		c, err := scanChecklist(rows)
		if err != nil {
			return nil, fmt.Errorf("list checklists: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// RecordDiagnosis implements diagnosis.Store.
func (s *Store) RecordDiagnosis(ctx context.Context, d *diagnosis.Diagnosis, w desk.TicketWrite) error {
	if len(w.Events) == 0 {
		return fmt.Errorf("record diagnosis: no timeline entry")
	}
	answers, _ := json.Marshal(d.Answers) // plain structs always encode
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.applyTicketWrites(ctx, tx, []desk.TicketWrite{w}); err != nil {
			return err
		}
		d.EventID = w.Events[0].ID
		return tx.QueryRowContext(ctx, `INSERT INTO ticket_diagnoses (ticket_id, checklist_id, checklist_version, event_id, answers,
			answered_by, answered_by_name, answered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			d.TicketID, d.ChecklistID, d.ChecklistVersion, d.EventID, string(answers), refID(d.By), d.By.Name, micros(d.At)).Scan(&d.ID)
	})
	if err != nil {
		return s.refError(ctx, "record diagnosis", err, ref{"checklist_id", "diagnosis_checklists", d.ChecklistID})
	}
	w.Ticket.Version++
	return nil
}

// Diagnoses implements diagnosis.Store.
func (s *Store) Diagnoses(ctx context.Context, ticketID int64) ([]*diagnosis.Diagnosis, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT id, ticket_id, checklist_id, checklist_version, event_id, answers, answered_by,
		answered_by_name, answered_at FROM ticket_diagnoses WHERE ticket_id = $1 ORDER BY id`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("diagnoses of ticket %d: %w", ticketID, err)
	}
	defer rows.Close()
	var out []*diagnosis.Diagnosis
	for rows.Next() {
		var d diagnosis.Diagnosis
		var list sql.NullInt64
		var by nullRef
		var answers string
		var at int64
		if err := rows.Scan(&d.ID, &d.TicketID, &list, &d.ChecklistVersion, &d.EventID, &answers, &by.id, &by.name, &at); err != nil {
			return nil, fmt.Errorf("diagnoses of ticket %d: %w", ticketID, err)
		}
		if err := json.Unmarshal([]byte(answers), &d.Answers); err != nil {
			return nil, fmt.Errorf("diagnosis %d answers: %w", d.ID, err)
		}
		d.ChecklistID, d.At = list.Int64, fromMicros(at)
		if by.id.Valid {
			d.By = by.ref()
		} else {
			d.By = &desk.Ref{Name: by.name.String}
		}
		out = append(out, &d)
	}
	return out, rows.Err()
}

// DiagnosisMode implements diagnosis.Store.
func (s *Store) DiagnosisMode(ctx context.Context) (diagnosis.Mode, error) {
	var m diagnosis.Mode
	if err := s.rdb.QueryRowContext(ctx, "SELECT mode FROM diagnosis_settings WHERE id = 1").Scan(&m); err != nil {
		return "", fmt.Errorf("read diagnosis mode: %w", err)
	}
	return m, nil
}

// SetDiagnosisMode implements diagnosis.Store.
func (s *Store) SetDiagnosisMode(ctx context.Context, m diagnosis.Mode) error {
	return s.inAuditedTx(ctx, entry("setting.diagnosis", named("setting", "diagnosis"), "mode", string(m)), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE diagnosis_settings SET mode = $1 WHERE id = 1", string(m))
		return err
	})
}
