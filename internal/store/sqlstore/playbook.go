package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/playbook"
)

// Playbooks of security cases (desk/playbook_case.go, migrations 00050 and
// 00051): templates with their steps as JSON, and cases' tasks. Every
// write appends its audit entry in its transaction; tasks are written with
// their case's timeline entry and timers.

const templateColumns = `id, name, lang, description, steps, active, rev, updated_by, updated_at`

func scanTemplate(row scanner) (*playbook.Template, error) {
	tpl := &playbook.Template{}
	var steps string
	var by sql.NullInt64
	var at int64
	if err := row.Scan(&tpl.ID, &tpl.Name, &tpl.Lang, &tpl.Description, &steps, &tpl.Active, &tpl.Rev, &by, &at); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(steps), &tpl.Steps); err != nil {
		return nil, fmt.Errorf("playbook template %d steps: %w", tpl.ID, err)
	}
	tpl.UpdatedBy, tpl.UpdatedAt = by.Int64, fromMicros(at)
	return tpl, nil
}

// PlaybookTemplates implements desk.PlaybookStore.
func (s *Store) PlaybookTemplates(ctx context.Context) ([]*playbook.Template, error) {
	return queryAll(ctx, s.rdb, "playbook templates", scanTemplate, "SELECT "+templateColumns+" FROM playbook_templates ORDER BY id")
}

// PlaybookTemplate implements desk.PlaybookStore.
func (s *Store) PlaybookTemplate(ctx context.Context, id int64) (*playbook.Template, error) {
	tpl, err := scanTemplate(s.rdb.QueryRowContext(ctx, "SELECT "+templateColumns+" FROM playbook_templates WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, desk.Errorf(desk.ENOTFOUND, "no playbook template %d", id)
	}
	if err != nil {
		return nil, fmt.Errorf("playbook template %d: %w", id, err)
	}
	return tpl, nil
}

// SavePlaybookTemplate implements desk.PlaybookStore.
func (s *Store) SavePlaybookTemplate(ctx context.Context, tpl *playbook.Template, action string) error {
	steps, err := json.Marshal(tpl.Steps)
	if err != nil {
		return err
	}
	id := tpl.ID
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		id = tpl.ID
		if id == 0 {
			err := tx.QueryRowContext(ctx, `INSERT INTO playbook_templates (name, lang, description, steps, active, rev,
				updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $7) RETURNING id`, tpl.Name, tpl.Lang,
				tpl.Description, string(steps), tpl.Active, nullID(tpl.UpdatedBy), micros(tpl.UpdatedAt)).Scan(&id)
			if err != nil {
				return fmt.Errorf("insert playbook template: %w", err)
			}
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE playbook_templates SET name = $1, lang = $2, description = $3,
				steps = $4, active = $5, updated_by = $6, updated_at = $7, rev = rev + 1 WHERE id = $8 AND rev = $9`,
				tpl.Name, tpl.Lang, tpl.Description, string(steps), tpl.Active, nullID(tpl.UpdatedBy),
				micros(tpl.UpdatedAt), id, tpl.Rev)
			if err != nil {
				return fmt.Errorf("update playbook template %d: %w", id, err)
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				return errors.Join(err, desk.Errorf(desk.ESTALE, "playbook template %d changed since revision %d", id, tpl.Rev))
			}
		}
		return s.Audit(ctx, tx, audit.Entry{ActorID: tpl.UpdatedBy, At: tpl.UpdatedAt, Kind: "playbook.template_" + action,
			Subject: audit.Subject("playbook_template", id), Detail: audit.Detail("name", tpl.Name, "lang", tpl.Lang,
				"steps", len(tpl.Steps), "active", tpl.Active)})
	})
	if err != nil {
		return err
	}
	tpl.ID, tpl.Rev = id, tpl.Rev+1
	return nil
}

const taskColumns = `k.id, k.ticket_id, k.template_id, k.template_name, k.seq, k.phase, k.title, k.description, k.due_at,
	k.assignee_id, au.name, k.done_at, k.done_by, du.name, k.created_by, k.created_at, k.rev`

const taskFrom = ` FROM playbook_tasks k LEFT JOIN users au ON au.id = k.assignee_id LEFT JOIN users du ON du.id = k.done_by`

func scanTask(row scanner) (*playbook.Task, error) {
	k := &playbook.Task{}
	var template, assignee, doneAt, doneBy sql.NullInt64
	var assigneeName, doneByName sql.NullString
	var due, created int64
	err := row.Scan(&k.ID, &k.TicketID, &template, &k.TemplateName, &k.Seq, &k.Phase, &k.Title, &k.Description, &due,
		&assignee, &assigneeName, &doneAt, &doneBy, &doneByName, &k.CreatedBy, &created, &k.Rev)
	if err != nil {
		return nil, err
	}
	k.TemplateID, k.AssigneeID, k.AssigneeName = template.Int64, assignee.Int64, assigneeName.String
	k.DoneAt, k.DoneBy, k.DoneByName = timePtr(doneAt), doneBy.Int64, doneByName.String
	k.DueAt, k.CreatedAt = fromMicros(due), fromMicros(created)
	return k, nil
}

// PlaybookTasks implements desk.PlaybookStore.
func (s *Store) PlaybookTasks(ctx context.Context, ticketID int64) ([]*playbook.Task, error) {
	return queryAll(ctx, s.rdb, fmt.Sprintf("playbook tasks of ticket %d", ticketID), scanTask,
		"SELECT "+taskColumns+taskFrom+" WHERE k.ticket_id = $1 ORDER BY k.id", ticketID)
}

// PlaybookTask implements desk.PlaybookStore.
func (s *Store) PlaybookTask(ctx context.Context, id int64) (*playbook.Task, error) {
	k, err := scanTask(s.rdb.QueryRowContext(ctx, "SELECT "+taskColumns+taskFrom+" WHERE k.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, desk.Errorf(desk.ENOTFOUND, "no playbook task %d", id)
	}
	if err != nil {
		return nil, fmt.Errorf("playbook task %d: %w", id, err)
	}
	return k, nil
}

// SavePlaybookTasks implements desk.PlaybookStore.
func (s *Store) SavePlaybookTasks(ctx context.Context, tasks []*playbook.Task, action string, w desk.TicketWrite) error {
	ids := make([]int64, len(tasks))
	var updated *desk.Ticket
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for i, k := range tasks {
			id, err := writeTask(ctx, tx, k)
			if err != nil {
				return err
			}
			ids[i] = id
			err = s.Audit(ctx, tx, audit.Entry{ActorID: eventsActor(w.Events), Kind: "playbook.task_" + action,
				Subject: audit.Subject("playbook_task", id), Detail: audit.Detail("ticket", k.TicketID,
					"template", k.TemplateID, "phase", string(k.Phase), "due_at", k.DueAt, "assignee", k.AssigneeID,
					"done", k.Done())})
			if err != nil {
				return err
			}
		}
		var err error
		updated, err = s.applyTicketWrite(ctx, tx, w, true)
		return err
	})
	if err != nil {
		return s.refError(ctx, fmt.Sprintf("save playbook tasks of ticket %d", w.Ticket.ID), err)
	}
	for i, k := range tasks {
		k.ID, k.Rev = ids[i], k.Rev+1
	}
	*w.Ticket = *updated
	return nil
}

// writeTask inserts k (ID 0) or updates it at its revision.
func writeTask(ctx context.Context, tx *sql.Tx, k *playbook.Task) (int64, error) {
	if k.ID == 0 {
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO playbook_tasks (ticket_id, template_id, template_name, seq, phase,
			title, description, due_at, assignee_id, done_at, done_by, created_by, created_at, rev)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1) RETURNING id`, k.TicketID,
			nullID(k.TemplateID), k.TemplateName, k.Seq, string(k.Phase), k.Title, k.Description, micros(k.DueAt),
			nullID(k.AssigneeID), nullMicros(k.DoneAt), nullID(k.DoneBy), k.CreatedBy, micros(k.CreatedAt)).Scan(&id)
		if err != nil {
			return 0, fmt.Errorf("insert playbook task: %w", err)
		}
		return id, nil
	}
	res, err := tx.ExecContext(ctx, `UPDATE playbook_tasks SET due_at = $1, assignee_id = $2, done_at = $3, done_by = $4,
		rev = rev + 1 WHERE id = $5 AND rev = $6`, micros(k.DueAt), nullID(k.AssigneeID), nullMicros(k.DoneAt),
		nullID(k.DoneBy), k.ID, k.Rev)
	if err != nil {
		return 0, fmt.Errorf("update playbook task %d: %w", k.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return 0, errors.Join(err, desk.Errorf(desk.ESTALE, "playbook task %d changed since revision %d", k.ID, k.Rev))
	}
	return k.ID, nil
}
