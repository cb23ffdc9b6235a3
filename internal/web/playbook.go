package web

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/playbook"
)

// The playbook of a security case on its page (issue 14,
// desk/playbook_case.go): the tasks grouped by NIST SP 800-61 phase, each
// with its due time (overdue marked), assignee and who did it when; the
// case's owners apply a template and assign and reschedule tasks, a
// task's assignee ticks it. The panel is the partial "playbookpanel"
// (templates/partials/playbook.html), built only for the case's members:
// the desk finds the tasks for nobody else.
func init() {
	registerArea("playbook", func(s *server) {
		s.post("/tickets/{ref}/playbook", staffOnly, s.playbookApply)
		s.post("/tickets/{ref}/playbook/{id}", staffOnly, s.playbookTask)
	})
}

// playbookPanel is the case page's playbook.
type playbookPanel struct {
	Phases    []playbook.PhaseTasks
	Counts    playbook.Counts
	Now       time.Time
	Owner     bool                 // may apply, assign and reschedule
	Me        int64                // the viewer, who ticks the tasks assigned to them
	People    []desk.Ref           // whom a task may be assigned to
	Templates []*playbook.Template // the active templates to apply
}

// playbookTicketPanel is the panel for a security case the viewer is a
// member of; nil for any other ticket.
func (s *server) playbookTicketPanel(rq *request, t *desk.Ticket) (*playbookPanel, error) {
	if !t.Security || !rq.user.Role.IsStaff() {
		return nil, nil
	}
	_, tasks, err := s.desk.CasePlaybook(rq.ctx, t.Number)
	if err != nil {
		return nil, err
	}
	now := s.desk.Now()
	p := &playbookPanel{Phases: playbook.ByPhase(tasks), Counts: playbook.Count(tasks, now), Now: now, Me: rq.user.ID,
		Owner: desk.OwnsSecurityCase(rq.user, t)}
	if !p.Owner {
		return p, nil
	}
	all, err := s.desk.PlaybookTemplates(rq.ctx)
	if err != nil {
		return nil, err
	}
	for _, tpl := range all {
		if tpl.Active {
			p.Templates = append(p.Templates, tpl)
		}
	}
	members, err := s.desk.GroupMembers(rq.ctx, t.Group.ID)
	if err != nil {
		return nil, err
	}
	for _, m := range members {
		p.People = append(p.People, desk.Ref{ID: m.ID, Name: m.Name})
	}
	for _, m := range t.SecurityMembers {
		p.People = append(p.People, desk.Ref{ID: m.UserID, Name: m.Name})
	}
	return p, nil
}

// playbookApply applies a template to the case.
func (s *server) playbookApply(rq *request) error {
	_, _, err := s.desk.ApplyPlaybook(rq.ctx, rq.ref(), rq.formID("template_id"))
	return s.playbookBack(rq, err)
}

// playbookTask changes one task: "do" says what (done, undo, or change:
// assignee and due time).
func (s *server) playbookTask(rq *request) error {
	id, _ := strconv.ParseInt(rq.r.PathValue("id"), 10, 64)
	in, err := s.playbookInput(rq)
	if err == nil {
		_, err = s.desk.UpdatePlaybookTask(rq.ctx, id, in)
	}
	return s.playbookBack(rq, err)
}

// playbookBack goes back to the page the form was on: the case page
// ("back" breach) after a success, else the ticket page, which also
// shows a refusal with the form's input.
func (s *server) playbookBack(rq *request, err error) error {
	if err == nil && rq.r.PostFormValue("back") == "breach" {
		return rq.redirect("/tickets/" + url.PathEscape(rq.ref()) + "/breach?done=playbook#playbook")
	}
	return s.ticketAction(rq, "playbook", func(int) error { return err })
}

func (s *server) playbookInput(rq *request) (desk.PlaybookTaskInput, error) {
	f := rq.r.PostForm
	rev, _ := strconv.Atoi(f.Get("rev"))
	in := desk.PlaybookTaskInput{Rev: rev}
	switch f.Get("do") {
	case "done", "undo":
		done := f.Get("do") == "done"
		in.Done = &done
		return in, nil
	}
	assignee := rq.formID("assignee_id")
	in.AssigneeID = &assignee
	if raw := strings.TrimSpace(f.Get("due_at")); raw != "" {
		at, err := parseLocalTime(raw, rq.loc)
		if err != nil {
			return in, desk.InvalidFields(desk.Invalid("due_at", desk.RuleInvalidFmt, nil, "must be a date and time"))
		}
		in.DueAt = &at
	}
	return in, nil
}
