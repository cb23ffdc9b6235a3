// Package playbook holds the rules of security cases' playbooks (issue 14):
// checklists of tasks grouped by the phases of NIST SP 800-61 (detection
// and analysis, containment, eradication, recovery, post-incident
// activity), kept as templates an administrator edits and applied to a
// security case, where each task is assigned to a person, has its own due
// time, and is done or not (who, when).
//
// A template's step says when its task is due as an offset from the case's
// start: when the organisation became aware of the breach if that is
// recorded, else when the ticket was opened. Applying a template turns the
// offsets into instants on the case; from then on a task's due time is its
// own and may be moved.
//
// The package is arithmetic and validation only: no I/O. The desk
// (internal/desk/playbook_case.go) decides who may do what and stores
// tasks through its store, with their timeline entries and audit.
package playbook

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/fieldcheck"
)

// Phase is a phase of NIST SP 800-61's incident response life cycle.
type Phase string

// The phases, in the life cycle's order.
const (
	PhaseDetection    Phase = "detection_analysis"
	PhaseContainment  Phase = "containment"
	PhaseEradication  Phase = "eradication"
	PhaseRecovery     Phase = "recovery"
	PhasePostIncident Phase = "post_incident"
)

// Phases are the phases in order.
var Phases = []Phase{PhaseDetection, PhaseContainment, PhaseEradication, PhaseRecovery, PhasePostIncident}

// Order is p's place in the life cycle (len(Phases) for an unknown one).
func (p Phase) Order() int {
	if i := slices.Index(Phases, p); i >= 0 {
		return i
	}
	return len(Phases)
}

// Languages a template is written in.
var Languages = []string{"en", "ru"}

// Limits of a template.
const (
	MaxName     = 200
	MaxTitle    = 300
	MaxText     = 4000
	MaxSteps    = 100
	MaxDueAfter = 365 * 24 * time.Hour
)

// Step is a template's task: its phase, what to do, and when it is due
// after the case's start.
type Step struct {
	Phase       Phase  `json:"phase"`
	Title       string `json:"title"`
	Description string `json:"description"`
	// DueAfterMinutes is the offset of the task's due time from the
	// case's start (awareness, else opening), in minutes; 0: due at start.
	DueAfterMinutes int64 `json:"due_after_minutes"`
}

// DueAfter is the step's offset as a duration.
func (s Step) DueAfter() time.Duration { return time.Duration(s.DueAfterMinutes) * time.Minute }

// Template is a playbook: an ordered list of steps in one language.
type Template struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Lang        string    `json:"lang"`
	Description string    `json:"description"`
	Steps       []Step    `json:"steps"`
	Active      bool      `json:"active"` // an inactive template is kept but not offered
	Rev         int       `json:"rev"`    // incremented by each save
	UpdatedBy   int64     `json:"updated_by"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Task is a step applied to a security case.
type Task struct {
	ID           int64     `json:"id"`
	TicketID     int64     `json:"-"`
	TemplateID   int64     `json:"template_id"`
	TemplateName string    `json:"template_name"`
	Seq          int       `json:"seq"` // the step's place in its template
	Phase        Phase     `json:"phase"`
	Title        string    `json:"title"`
	Description  string    `json:"description"`
	DueAt        time.Time `json:"due_at"`
	// AssigneeID is the person who does it (0: nobody yet).
	AssigneeID   int64      `json:"assignee_id,omitempty"`
	AssigneeName string     `json:"assignee_name,omitempty"`
	DoneAt       *time.Time `json:"done_at,omitempty"`
	DoneBy       int64      `json:"done_by,omitempty"`
	DoneByName   string     `json:"done_by_name,omitempty"`
	CreatedBy    int64      `json:"created_by"`
	CreatedAt    time.Time  `json:"created_at"`
	Rev          int        `json:"rev"` // incremented by each save
}

// Done reports whether the task is done.
func (t *Task) Done() bool { return t.DoneAt != nil }

// Overdue reports whether the task is not done and its due time has
// passed at now.
func (t *Task) Overdue(now time.Time) bool { return t.DoneAt == nil && now.After(t.DueAt) }

// Apply turns tpl's steps into tasks of a case whose start is start, in
// the steps' order; the caller sets the case, author and times.
func Apply(tpl *Template, start time.Time) []*Task {
	out := make([]*Task, 0, len(tpl.Steps))
	for i, s := range tpl.Steps {
		out = append(out, &Task{TemplateID: tpl.ID, TemplateName: tpl.Name, Seq: i + 1, Phase: s.Phase,
			Title: s.Title, Description: s.Description, DueAt: start.Add(s.DueAfter()).UTC()})
	}
	return out
}

// PhaseTasks are a phase's tasks of a case.
type PhaseTasks struct {
	Phase Phase
	Tasks []*Task
}

// ByPhase groups tasks by phase in the life cycle's order (phases with
// no task left out), each phase's tasks by due time, then as applied.
func ByPhase(tasks []*Task) []PhaseTasks {
	sorted := slices.Clone(tasks)
	slices.SortStableFunc(sorted, func(a, b *Task) int {
		return cmp.Or(cmp.Compare(a.Phase.Order(), b.Phase.Order()), a.DueAt.Compare(b.DueAt),
			cmp.Compare(a.ID, b.ID), cmp.Compare(a.Seq, b.Seq))
	})
	var out []PhaseTasks
	for _, t := range sorted {
		if len(out) == 0 || out[len(out)-1].Phase != t.Phase {
			out = append(out, PhaseTasks{Phase: t.Phase})
		}
		out[len(out)-1].Tasks = append(out[len(out)-1].Tasks, t)
	}
	return out
}

// Counts are a case's tasks done, open and overdue at an instant.
type Counts struct{ Total, Done, Overdue int }

// Count counts tasks at now.
func Count(tasks []*Task, now time.Time) Counts {
	var c Counts
	for _, t := range tasks {
		c.Total++
		if t.Done() {
			c.Done++
		} else if t.Overdue(now) {
			c.Overdue++
		}
	}
	return c
}

// FieldError is a refused field, with a rule named as the desk names its
// rules (required, too_long, one_of, out_of_range, too_many, too_few,
// invalid_text).
type FieldError = fieldcheck.Error

func phaseNames() []string {
	out := make([]string, len(Phases))
	for i, p := range Phases {
		out[i] = string(p)
	}
	return out
}

// CheckTemplate checks a template: a name, a known language, between one
// and MaxSteps steps, each with a known phase, a title and an offset
// between 0 and MaxDueAfter. Fields of steps are named steps[i].field.
func CheckTemplate(tpl *Template) []FieldError {
	var c fieldcheck.Checks
	c.Text("name", tpl.Name, MaxName, true)
	c.Text("description", tpl.Description, MaxText, false)
	if !slices.Contains(Languages, tpl.Lang) {
		c.Add("lang", "one_of", map[string]any{"allowed": Languages}, "must be one of "+strings.Join(Languages, ", "))
	}
	switch {
	case len(tpl.Steps) == 0:
		c.Add("steps", "too_few", map[string]any{"min": 1}, "must hold at least one task")
	case len(tpl.Steps) > MaxSteps:
		c.Add("steps", "too_many", map[string]any{"max": MaxSteps}, "holds too many tasks")
	}
	for i, s := range tpl.Steps {
		f := func(name string) string { return "steps[" + strconv.Itoa(i) + "]." + name }
		if !slices.Contains(Phases, s.Phase) {
			c.Add(f("phase"), "one_of", map[string]any{"allowed": phaseNames()}, "must be one of "+strings.Join(phaseNames(), ", "))
		}
		c.Text(f("title"), s.Title, MaxTitle, true)
		c.Text(f("description"), s.Description, MaxText, false)
		if s.DueAfterMinutes < 0 || s.DueAfter() > MaxDueAfter {
			c.Add(f("due_after_minutes"), "out_of_range", map[string]any{"min": 0, "max": int64(MaxDueAfter / time.Minute)},
				"must be between 0 and a year")
		}
	}
	return c
}

// Trim trims the template's texts.
func (tpl *Template) Trim() {
	tpl.Name, tpl.Description = strings.TrimSpace(tpl.Name), strings.TrimSpace(tpl.Description)
	for i := range tpl.Steps {
		tpl.Steps[i].Title = strings.TrimSpace(tpl.Steps[i].Title)
		tpl.Steps[i].Description = strings.TrimSpace(tpl.Steps[i].Description)
	}
}
