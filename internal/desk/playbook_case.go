package desk

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/playbook"
)

// Playbooks of security cases (issue 14; the rules are in
// internal/playbook). Administrators keep the templates; a case's owner
// (the system, a member of a security group, or the case's assignee)
// applies one to a security case, which puts its tasks on the case with
// due times counted from the case's start (awareness when recorded, else
// the ticket's opening), assigns each to a member of the case's group or a
// person named on the case, and moves its due time; the owner or the
// task's assignee marks it done or not done. A case may hold several
// playbooks.
//
// Tasks belong to the case: only its members (staff who see it, by the
// deny-by-default rule of security.go) read them; anyone else finds no
// such task. Every task write is an internal event on the case's timeline
// (fields playbook, playbook_task, playbook_assignee, playbook_due,
// playbook_done) stored with the tasks and their audit entries in one
// transaction, and it replans the case's overdue timers: a task not done
// at its due time tells its assignee once (playbookTimer).

// PlaybookStore keeps playbook templates and cases' tasks.
type PlaybookStore interface {
	// PlaybookTemplates returns every template by id.
	PlaybookTemplates(ctx context.Context) ([]*playbook.Template, error)
	// PlaybookTemplate returns one, ENOTFOUND when none.
	PlaybookTemplate(ctx context.Context, id int64) (*playbook.Template, error)
	// SavePlaybookTemplate inserts tpl (ID 0, setting it) or updates it
	// at revision tpl.Rev (ESTALE otherwise), with its audit entry of
	// kind "playbook.template_"+action; tpl.Rev is incremented.
	SavePlaybookTemplate(ctx context.Context, tpl *playbook.Template, action string) error
	// PlaybookTasks returns a case's tasks by id.
	PlaybookTasks(ctx context.Context, ticketID int64) ([]*playbook.Task, error)
	// PlaybookTask returns one task, ENOTFOUND when none.
	PlaybookTask(ctx context.Context, id int64) (*playbook.Task, error)
	// SavePlaybookTasks inserts the tasks with ID 0 (setting it) and
	// updates the others at their Rev (ESTALE otherwise), each with its
	// audit entry of kind "playbook.task_"+action, and stores w as
	// UpdateTicket does, all in one transaction. Each task's Rev is
	// incremented.
	SavePlaybookTasks(ctx context.Context, tasks []*playbook.Task, action string, w TicketWrite) error
}

// Fields of playbooks' timeline entries.
const (
	FieldPlaybook         = "playbook"          // a template applied: its name
	FieldPlaybookTask     = "playbook_task"     // the task's title
	FieldPlaybookAssignee = "playbook_assignee" // old → new assignee's name
	FieldPlaybookDue      = "playbook_due"      // old → new due time, RFC 3339 in UTC
	FieldPlaybookDone     = "playbook_done"     // old → new: "open" or "done"
)

// Values of FieldPlaybookDone.
const (
	PlaybookOpen = "open"
	PlaybookDone = "done"
)

// PlaybookTemplateInput is a template's content for a save; Rev is the
// revision an edit is based on (0: any).
type PlaybookTemplateInput struct {
	Name        string          `json:"name"`
	Lang        string          `json:"lang"`
	Description string          `json:"description"`
	Steps       []playbook.Step `json:"steps"`
	Active      *bool           `json:"active"`
	Rev         int             `json:"rev"`
}

// PlaybookTaskInput changes a task: each field set is changed. Rev is the
// revision the change is based on (0: any).
type PlaybookTaskInput struct {
	// AssigneeID assigns the task (0: nobody).
	AssigneeID *int64     `json:"assignee_id"`
	DueAt      *time.Time `json:"due_at"`
	Done       *bool      `json:"done"`
	Rev        int        `json:"rev"`
}

// PlaybookTemplates returns the templates (staff: they hold no case's
// content), active ones first, then by name.
func (s *Desk) PlaybookTemplates(ctx context.Context) ([]*playbook.Template, error) {
	if _, err := requireStaff(ctx); err != nil {
		return nil, err
	}
	all, err := s.store.PlaybookTemplates(ctx)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(all, func(a, b *playbook.Template) int {
		if a.Active != b.Active {
			if a.Active {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	return all, nil
}

// PlaybookTemplate returns one template (staff).
func (s *Desk) PlaybookTemplate(ctx context.Context, id int64) (*playbook.Template, error) {
	if _, err := requireStaff(ctx); err != nil {
		return nil, err
	}
	return s.store.PlaybookTemplate(ctx, id)
}

// SavePlaybookTemplate creates (id 0) or changes a template
// (administrators).
func (s *Desk) SavePlaybookTemplate(ctx context.Context, id int64, in PlaybookTemplateInput) (*playbook.Template, error) {
	u, err := requireAdmin(ctx)
	if err != nil {
		return nil, err
	}
	tpl, action := &playbook.Template{Active: true}, "create"
	if id != 0 {
		if tpl, err = s.store.PlaybookTemplate(ctx, id); err != nil {
			return nil, err
		}
		if in.Rev != 0 && in.Rev != tpl.Rev {
			return nil, Errorf(ESTALE, "template %d changed since revision %d (now %d): reload it", id, in.Rev, tpl.Rev)
		}
		action = "update"
	}
	tpl.Name, tpl.Lang, tpl.Description, tpl.Steps = in.Name, in.Lang, in.Description, slices.Clone(in.Steps)
	if in.Active != nil {
		tpl.Active = *in.Active
	}
	tpl.Trim()
	v := fieldErrors(playbook.CheckTemplate(tpl))
	if err := v.err(); err != nil {
		return nil, err
	}
	tpl.UpdatedBy, tpl.UpdatedAt = u.ID, s.clock.Now()
	if err := s.store.SavePlaybookTemplate(ctx, tpl, action); err != nil {
		return nil, fmt.Errorf("save playbook template: %w", err)
	}
	return tpl, nil
}

// CasePlaybook returns a security case's tasks by id (its members).
func (s *Desk) CasePlaybook(ctx context.Context, ref string) (*Ticket, []*playbook.Task, error) {
	_, t, err := s.caseMember(ctx, ref)
	if err != nil {
		return nil, nil, err
	}
	tasks, err := s.store.PlaybookTasks(ctx, t.ID)
	return t, tasks, err
}

// PlaybookTask returns one task with its case (case members: anyone else
// finds no such task).
func (s *Desk) PlaybookTask(ctx context.Context, id int64) (*Ticket, *playbook.Task, error) {
	task, err := s.store.PlaybookTask(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	t, err := s.caseOfRecord(ctx, task.TicketID, "playbook task", id)
	if err != nil {
		return nil, nil, err
	}
	return t, task, nil
}

// caseStart is when a case's playbook clocks start: awareness of the
// breach when recorded, else the ticket's opening.
func caseStart(t *Ticket) time.Time {
	if t.Breach != nil && t.Breach.AwareAt != nil {
		return *t.Breach.AwareAt
	}
	return t.CreatedAt
}

// ApplyPlaybook puts an active template's tasks on the security case ref
// (its owners), due from the case's start.
func (s *Desk) ApplyPlaybook(ctx context.Context, ref string, templateID int64) (*Ticket, []*playbook.Task, error) {
	u, t, err := s.forCaseOwner(ctx, ref)
	if err != nil {
		return nil, nil, err
	}
	tpl, err := s.store.PlaybookTemplate(ctx, templateID)
	if ErrorCode(err) == ENOTFOUND || err == nil && !tpl.Active {
		return nil, nil, fieldError("template_id", RuleUnknown, nil, "no active playbook template %d", templateID)
	}
	if err != nil {
		return nil, nil, err
	}
	now := s.clock.Now()
	tasks := playbook.Apply(tpl, caseStart(t))
	for _, task := range tasks {
		task.TicketID, task.CreatedBy, task.CreatedAt = t.ID, u.ID, now
	}
	ch := []Change{{Field: FieldPlaybook, New: tpl.Name}}
	if err := s.writeTasks(ctx, t, u, tasks, "apply", ch); err != nil {
		return nil, nil, err
	}
	return t, tasks, nil
}

// forCaseOwner loads a security case for its owner to change.
func (s *Desk) forCaseOwner(ctx context.Context, ref string) (*User, *Ticket, error) {
	u, t, err := s.caseMember(ctx, ref)
	if err != nil {
		return nil, nil, err
	}
	if !ownsSecurityCase(u, t) {
		return nil, nil, Refusef(EFORBIDDEN, RuleCaseOwner, nil,
			"only the security group or the case's assignee may change its playbook")
	}
	return u, t, nil
}

// UpdatePlaybookTask assigns a task, moves its due time, or marks it done
// or not done. The case's owners do any of it; the task's assignee may
// mark it done or not done.
func (s *Desk) UpdatePlaybookTask(ctx context.Context, id int64, in PlaybookTaskInput) (*playbook.Task, error) {
	t, task, err := s.PlaybookTask(ctx, id)
	if err != nil {
		return nil, err
	}
	u := ActorFrom(ctx)
	owner := ownsSecurityCase(u, t)
	mine := task.AssigneeID != 0 && task.AssigneeID == u.ID
	if !owner && !(mine && in.AssigneeID == nil && in.DueAt == nil) {
		return nil, Refusef(EFORBIDDEN, RuleCaseOwner, nil,
			"only the security group, the case's assignee, or the task's assignee (done or not) may change a playbook task")
	}
	if in.Rev != 0 && in.Rev != task.Rev {
		return nil, Errorf(ESTALE, "playbook task %d changed since revision %d (now %d): reload it", id, in.Rev, task.Rev)
	}
	ch, err := s.taskChanges(ctx, t, u, task, in)
	if err != nil || len(ch) == 0 {
		return task, err
	}
	ch = append([]Change{{Field: FieldPlaybookTask, New: task.Title}}, ch...)
	return task, s.writeTasks(ctx, t, u, []*playbook.Task{task}, "update", ch)
}

// taskChanges applies in to task and returns the timeline's changes.
func (s *Desk) taskChanges(ctx context.Context, t *Ticket, u *User, task *playbook.Task, in PlaybookTaskInput) ([]Change, error) {
	var ch []Change
	if in.AssigneeID != nil && *in.AssigneeID != task.AssigneeID {
		name := ""
		if *in.AssigneeID != 0 {
			m, err := s.taskAssignee(ctx, t, *in.AssigneeID)
			if err != nil {
				return nil, err
			}
			name = m.Name
		}
		ch = append(ch, Change{Field: FieldPlaybookAssignee, Old: task.AssigneeName, New: name})
		task.AssigneeID, task.AssigneeName = *in.AssigneeID, name
	}
	if in.DueAt != nil && !in.DueAt.IsZero() && !in.DueAt.Equal(task.DueAt) {
		due := in.DueAt.UTC().Truncate(time.Second)
		ch = append(ch, Change{Field: FieldPlaybookDue, Old: task.DueAt.UTC().Format(time.RFC3339), New: due.Format(time.RFC3339)})
		task.DueAt = due
	}
	if in.Done != nil && *in.Done != task.Done() {
		if *in.Done {
			now := s.clock.Now()
			task.DoneAt, task.DoneBy, task.DoneByName = &now, u.ID, u.Name
			ch = append(ch, Change{Field: FieldPlaybookDone, Old: PlaybookOpen, New: PlaybookDone})
		} else {
			task.DoneAt, task.DoneBy, task.DoneByName = nil, 0, ""
			ch = append(ch, Change{Field: FieldPlaybookDone, Old: PlaybookDone, New: PlaybookOpen})
		}
	}
	return ch, nil
}

// taskAssignee returns the person a task may be assigned to: active staff
// in the case's group or named on the case.
func (s *Desk) taskAssignee(ctx context.Context, t *Ticket, id int64) (*User, error) {
	m, err := s.store.GetUser(ctx, id)
	if ErrorCode(err) == ENOTFOUND || err == nil && (!m.Active || !m.Role.IsStaff() || !memberOf(m, t.Group.ID) && !namedOn(m, t)) {
		return nil, fieldError("assignee_id", RuleNotAllowed, nil,
			"user %d is not an active member of the case's group nor named on the case", id)
	}
	return m, err
}

// pendingTasks carries tasks being written to the timers planned with
// them.
type pendingTasks struct{}

// writeTasks stores tasks with their timeline entry and replanned timers.
func (s *Desk) writeTasks(ctx context.Context, t *Ticket, u *User, tasks []*playbook.Task, action string, ch []Change) error {
	ctx = context.WithValue(ctx, pendingTasks{}, tasks)
	now := s.clock.Now()
	t.UpdatedAt = now
	events := []Event{{Kind: EventUpdated, Public: false, Changes: ch}}
	stamp(events, u, now)
	timers, err := s.timersAfter(ctx, t, true, events)
	if err != nil {
		return err
	}
	if err := s.store.SavePlaybookTasks(ctx, tasks, action, TicketWrite{Ticket: t, Events: events, Timers: timers}); err != nil {
		return fmt.Errorf("playbook of security case %s: %w", t.Number, err)
	}
	return nil
}

// OwnsSecurityCase reports whether u decides t's record and playbook: the
// system, a member of a security group, or its assignee (for adapters
// that offer only what the desk will allow).
func OwnsSecurityCase(u *User, t *Ticket) bool { return ownsSecurityCase(u, t) }
