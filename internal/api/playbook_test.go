package api

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

type playbookTemplateOut struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Lang  string `json:"lang"`
	Rev   int    `json:"rev"`
	Steps []struct {
		Phase string `json:"phase"`
	} `json:"steps"`
}

type playbookTaskOut struct {
	ID       int64  `json:"id"`
	Title    string `json:"title"`
	Phase    string `json:"phase"`
	DueAt    string `json:"due_at"`
	Overdue  bool   `json:"overdue"`
	Done     bool   `json:"done"`
	Rev      int    `json:"rev"`
	Assignee *struct {
		ID int64 `json:"id"`
	} `json:"assignee"`
	DoneBy *struct {
		ID int64 `json:"id"`
	} `json:"done_by"`
}

type playbookTasksOut struct {
	Tasks   []playbookTaskOut `json:"tasks"`
	Total   int               `json:"total"`
	Done    int               `json:"done"`
	Overdue int               `json:"overdue"`
}

// builtinTemplate returns the shipped English personal data breach
// playbook's id as c lists it.
func builtinTemplate(t *testing.T, c *client) playbookTemplateOut {
	t.Helper()
	list := decode[struct {
		Templates []playbookTemplateOut `json:"templates"`
	}](t, c.get("/api/v1/playbook-templates").want(t, http.StatusOK))
	for _, tpl := range list.Templates {
		if tpl.Name == "Personal data breach" && tpl.Lang == "en" {
			return tpl
		}
	}
	t.Fatalf("no shipped playbook in %+v", list.Templates)
	return playbookTemplateOut{}
}

// applyPlaybook has the security member apply the shipped playbook to the
// case and returns its first task's id.
func (e *secEnv) applyPlaybook(t *testing.T) int64 {
	t.Helper()
	tpl := builtinTemplate(t, e.sec)
	got := decode[playbookTasksOut](t, e.sec.do("POST", ticketURL(e.tk, "/playbook"),
		map[string]any{"template_id": tpl.ID}).want(t, http.StatusCreated))
	if len(got.Tasks) != len(tpl.Steps) || got.Total != len(tpl.Steps) {
		t.Fatalf("applied %d tasks, want %d", len(got.Tasks), len(tpl.Steps))
	}
	return got.Tasks[0].ID
}

// playbookPaths are the read paths of the case's playbook.
func (e *secEnv) playbookPaths() []string {
	return []string{ticketURL(e.tk, "/playbook"), fmt.Sprintf("/api/v1/playbook-tasks/%d", e.taskID)}
}

// playbookWritesRefused: c can neither apply a playbook to the case nor
// touch its task (each 404, as if neither existed).
func (e *secEnv) playbookWritesRefused(t *testing.T, c *client) {
	t.Helper()
	tpl := builtinTemplate(t, e.sec)
	for _, r := range []*response{
		c.do("POST", ticketURL(e.tk, "/playbook"), map[string]any{"template_id": tpl.ID}),
		c.do("PATCH", fmt.Sprintf("/api/v1/playbook-tasks/%d", e.taskID), map[string]any{"done": true}),
	} {
		if r.status != http.StatusNotFound || leaks(r.body, e.tk) {
			t.Errorf("a write of the case's playbook answered %d: %s", r.status, r.body)
		}
	}
	if k := decode[playbookTaskOut](t, e.sec.get(fmt.Sprintf("/api/v1/playbook-tasks/%d", e.taskID)).want(t, http.StatusOK)); k.Done {
		t.Error("a refused write ticked the task")
	}
}

// TestPlaybook_API: templates are listed by staff and kept by
// administrators (bad input 422, a stale revision 412); the case's owner
// applies one, assigns a task to a person named on the case, who ticks
// it; a task past its due time is overdue.
func TestPlaybook_API(t *testing.T) {
	e := newSecEnv(t)
	e.mark(t)
	e.alice.get("/api/v1/playbook-templates").want(t, http.StatusForbidden)
	step := map[string]any{"phase": "containment", "title": "Isolate the hosts", "due_after_minutes": 60}
	e.agent.do("POST", "/api/v1/playbook-templates", map[string]any{"name": "Ransomware", "lang": "en",
		"steps": []any{step}}).want(t, http.StatusForbidden)
	p := problemOf(t, e.admin.do("POST", "/api/v1/playbook-templates", map[string]any{"name": "", "lang": "de",
		"steps": []any{map[string]any{"phase": "lessons", "title": "x", "due_after_minutes": -5}}}, invalid).want(t, http.StatusUnprocessableEntity))
	if len(p.Errors) != 4 {
		t.Errorf("refused fields %+v, want name, lang, the step's phase and due time", p.Errors)
	}
	tpl := decode[playbookTemplateOut](t, e.admin.do("POST", "/api/v1/playbook-templates", map[string]any{"name": "Ransomware",
		"lang": "en", "steps": []any{step}}).want(t, http.StatusCreated))
	url := fmt.Sprintf("/api/v1/playbook-templates/%d", tpl.ID)
	e.agent.get(url).want(t, http.StatusOK)
	e.admin.do("PUT", url, map[string]any{"name": "Ransomware", "lang": "en", "steps": []any{step}, "rev": 7}).want(t, http.StatusPreconditionFailed)
	tpl = decode[playbookTemplateOut](t, e.admin.do("PUT", url, map[string]any{"name": "Ransomware v2", "lang": "en",
		"steps": []any{step, step}, "rev": tpl.Rev}).want(t, http.StatusOK))
	if tpl.Name != "Ransomware v2" || len(tpl.Steps) != 2 || tpl.Rev != 2 {
		t.Errorf("changed template %+v", tpl)
	}

	// The case's owner applies it; the named member ticks her task.
	taskID := e.applyPlaybook(t)
	task := fmt.Sprintf("/api/v1/playbook-tasks/%d", taskID)
	e.sec.do("POST", ticketURL(e.tk, "/security/members"), map[string]any{"reason": "forensics", "user_id": e.l2.userID}).want(t, http.StatusOK)
	e.l2.do("POST", ticketURL(e.tk, "/playbook"), map[string]any{"template_id": tpl.ID}).want(t, http.StatusForbidden)
	problemOf(t, e.sec.do("PATCH", task, map[string]any{"assignee_id": e.agent.userID}).want(t, http.StatusUnprocessableEntity))
	problemOf(t, e.sec.do("PATCH", task, map[string]any{"due_at": "tomorrow"}, invalid).want(t, http.StatusUnprocessableEntity))
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	k := decode[playbookTaskOut](t, e.sec.do("PATCH", task, map[string]any{"assignee_id": e.l2.userID, "due_at": past}).want(t, http.StatusOK))
	if k.Assignee == nil || k.Assignee.ID != e.l2.userID || !k.Overdue || k.Done {
		t.Errorf("assigned task %+v: to l2, overdue", k)
	}
	e.l2.do("PATCH", task, map[string]any{"done": true, "rev": k.Rev + 3}).want(t, http.StatusPreconditionFailed)
	k = decode[playbookTaskOut](t, e.l2.do("PATCH", task, map[string]any{"done": true, "rev": k.Rev}).want(t, http.StatusOK))
	if !k.Done || k.Overdue || k.DoneBy == nil || k.DoneBy.ID != e.l2.userID {
		t.Errorf("ticked task %+v", k)
	}
	all := decode[playbookTasksOut](t, e.l2.get(ticketURL(e.tk, "/playbook")).want(t, http.StatusOK))
	if all.Done != 1 || all.Total != len(all.Tasks) {
		t.Errorf("counts %d done of %d", all.Done, all.Total)
	}
	e.sec.do("POST", ticketURL(e.other, "/playbook"), map[string]any{"template_id": tpl.ID}).want(t, http.StatusConflict)
}
