package api

import (
	"net/http"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/playbook"
)

// Playbooks of security cases (issue 14; desk/playbook_case.go):
// administrators keep the templates, staff read them; a case's owners
// apply them and assign and reschedule its tasks, a task's assignee marks
// it done; only the case's members find its tasks.

type playbookTemplateJSON struct {
	ID          int64           `json:"id"`
	Name        string          `json:"name"`
	Lang        string          `json:"lang"`
	Description string          `json:"description"`
	Steps       []playbook.Step `json:"steps"`
	Active      bool            `json:"active"`
	Rev         int             `json:"rev"`
	UpdatedAt   string          `json:"updated_at"`
}

func templateView(tpl *playbook.Template) playbookTemplateJSON {
	steps := tpl.Steps
	if steps == nil {
		steps = []playbook.Step{}
	}
	return playbookTemplateJSON{ID: tpl.ID, Name: tpl.Name, Lang: tpl.Lang, Description: tpl.Description, Steps: steps,
		Active: tpl.Active, Rev: tpl.Rev, UpdatedAt: rfc3339(tpl.UpdatedAt)}
}

type playbookTaskJSON struct {
	ID           int64     `json:"id"`
	Ticket       string    `json:"ticket"`
	TemplateID   int64     `json:"template_id"`
	TemplateName string    `json:"template_name"`
	Seq          int       `json:"seq"`
	Phase        string    `json:"phase"`
	Title        string    `json:"title"`
	Description  string    `json:"description"`
	DueAt        string    `json:"due_at"`
	Overdue      bool      `json:"overdue"`
	Assignee     *desk.Ref `json:"assignee"`
	Done         bool      `json:"done"`
	DoneAt       *string   `json:"done_at"`
	DoneBy       *desk.Ref `json:"done_by"`
	Rev          int       `json:"rev"`
}

func taskView(number string, k *playbook.Task, now time.Time) playbookTaskJSON {
	v := playbookTaskJSON{ID: k.ID, Ticket: number, TemplateID: k.TemplateID, TemplateName: k.TemplateName, Seq: k.Seq,
		Phase: string(k.Phase), Title: k.Title, Description: k.Description, DueAt: rfc3339(k.DueAt),
		Overdue: k.Overdue(now), Done: k.Done(), DoneAt: optTime(k.DoneAt), Rev: k.Rev}
	if k.AssigneeID != 0 {
		v.Assignee = &desk.Ref{ID: k.AssigneeID, Name: k.AssigneeName}
	}
	if k.DoneBy != 0 {
		v.DoneBy = &desk.Ref{ID: k.DoneBy, Name: k.DoneByName}
	}
	return v
}

// listPlaybookTemplates lists the templates (staff).
func (s *server) listPlaybookTemplates(w http.ResponseWriter, r *http.Request) error {
	all, err := s.desk.PlaybookTemplates(r.Context())
	if err != nil {
		return err
	}
	out := make([]playbookTemplateJSON, len(all))
	for i, tpl := range all {
		out[i] = templateView(tpl)
	}
	writeJSON(w, http.StatusOK, map[string]any{"templates": out})
	return nil
}

// getPlaybookTemplate answers one template (staff).
func (s *server) getPlaybookTemplate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "pid", "playbook template")
	if err != nil {
		return err
	}
	tpl, err := s.desk.PlaybookTemplate(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, templateView(tpl))
	return nil
}

// createPlaybookTemplate adds a template (administrators).
func (s *server) createPlaybookTemplate(w http.ResponseWriter, r *http.Request) error {
	return s.savePlaybookTemplate(w, r, 0, http.StatusCreated)
}

// putPlaybookTemplate changes a template (administrators); with rev, one
// changed since is 412.
func (s *server) putPlaybookTemplate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "pid", "playbook template")
	if err != nil {
		return err
	}
	return s.savePlaybookTemplate(w, r, id, http.StatusOK)
}

func (s *server) savePlaybookTemplate(w http.ResponseWriter, r *http.Request, id int64, status int) error {
	var in desk.PlaybookTemplateInput
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	tpl, err := s.desk.SavePlaybookTemplate(r.Context(), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, status, templateView(tpl))
	return nil
}

// caseTasks answers a case's tasks grouped as stored (by id), with counts.
func (s *server) writeCaseTasks(w http.ResponseWriter, status int, number string, tasks []*playbook.Task) {
	now := s.desk.Now()
	out := make([]playbookTaskJSON, len(tasks))
	for i, k := range tasks {
		out[i] = taskView(number, k, now)
	}
	c := playbook.Count(tasks, now)
	writeJSON(w, status, map[string]any{"ticket": number, "tasks": out,
		"total": c.Total, "done": c.Done, "overdue": c.Overdue})
}

// getCasePlaybook lists a security case's tasks (its members).
func (s *server) getCasePlaybook(w http.ResponseWriter, r *http.Request) error {
	t, tasks, err := s.desk.CasePlaybook(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	s.writeCaseTasks(w, http.StatusOK, t.Number, tasks)
	return nil
}

type applyPlaybookBody struct {
	TemplateID int64 `json:"template_id"`
}

// applyPlaybook puts a template's tasks on a security case (its owners)
// and answers the tasks it added.
func (s *server) applyPlaybook(w http.ResponseWriter, r *http.Request) error {
	var b applyPlaybookBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	t, tasks, err := s.desk.ApplyPlaybook(r.Context(), r.PathValue("id"), b.TemplateID)
	if err != nil {
		return err
	}
	s.writeCaseTasks(w, http.StatusCreated, t.Number, tasks)
	return nil
}

// getPlaybookTask answers one task (its case's members).
func (s *server) getPlaybookTask(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "tid", "playbook task")
	if err != nil {
		return err
	}
	t, k, err := s.desk.PlaybookTask(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, taskView(t.Number, k, s.desk.Now()))
	return nil
}

type taskPatchBody struct {
	AssigneeID *int64  `json:"assignee_id"`
	DueAt      *string `json:"due_at"`
	Done       *bool   `json:"done"`
	Rev        int     `json:"rev"`
}

// patchPlaybookTask assigns, reschedules or ticks a task.
func (s *server) patchPlaybookTask(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "tid", "playbook task")
	if err != nil {
		return err
	}
	var b taskPatchBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	in := desk.PlaybookTaskInput{AssigneeID: b.AssigneeID, Done: b.Done, Rev: b.Rev}
	if b.DueAt != nil {
		at, err := time.Parse(time.RFC3339, *b.DueAt)
		if err != nil {
			return fieldProblem("due_at", desk.RuleInvalidFmt, desk.Params{"format": "date-time"},
				"must be a time with its offset, such as 2026-12-07T09:30:00+01:00")
		}
		in.DueAt = &at
	}
	if _, err := s.desk.UpdatePlaybookTask(r.Context(), id, in); err != nil {
		return err
	}
	return s.getPlaybookTask(w, r)
}
