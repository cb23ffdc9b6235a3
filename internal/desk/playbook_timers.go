package desk

import (
	"context"
	"slices"
	"time"

	"github.com/tierdesk/tierdesk/internal/playbook"
)

// Overdue playbook tasks (issue 14) on the desk's durable timers: a case
// whose tasks are assigned and not done has one timer per distinct due
// instant (kind playbook_due, keyed by the instant as Timer.Cycle), kept
// with its other timers (the same table, claims and exactly-once
// handling). When one fires and tasks due at that instant are still not
// done, each is an internal event playbook_overdue on the timeline and its
// assignee is mailed, naming the case by number only. A handled timer
// stays done, so a task tells its assignee once per due time; moving the
// due time plans a new one, doing the task drops it.

// Timer, event and mail kinds of overdue tasks.
const (
	TimerPlaybookDue TimerKind = "playbook_due"

	EventPlaybookOverdue EventKind = "playbook_overdue" // a task not done at its due time (Changes: playbook_task, playbook_assignee)

	OutboxPlaybookOverdue OutboxKind = "playbook_overdue" // to the task's assignee: a task of the case is overdue
)

// caseTasks returns a security case's stored tasks with those being
// written in ctx in their place.
func (s *Desk) caseTasks(ctx context.Context, t *Ticket) ([]*playbook.Task, error) {
	tasks, err := s.store.PlaybookTasks(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	pending, _ := ctx.Value(pendingTasks{}).([]*playbook.Task)
	for _, p := range pending {
		if i := slices.IndexFunc(tasks, func(o *playbook.Task) bool { return p.ID != 0 && o.ID == p.ID }); i >= 0 {
			tasks[i] = p
		} else if p.TicketID == t.ID {
			tasks = append(tasks, p)
		}
	}
	return tasks, nil
}

// withPlaybookTimers adds t's overdue timers to timers.
func (s *Desk) withPlaybookTimers(ctx context.Context, t *Ticket, timers []Timer) ([]Timer, error) {
	if !t.Security {
		return timers, nil
	}
	tasks, err := s.caseTasks(ctx, t)
	if err != nil {
		return nil, err
	}
	var due []time.Time
	for _, task := range tasks {
		if !task.Done() && task.AssigneeID != 0 && !slices.ContainsFunc(due, task.DueAt.Equal) {
			due = append(due, task.DueAt)
		}
	}
	for _, at := range due {
		timers = append(timers, Timer{TicketID: t.ID, Kind: TimerPlaybookDue, Percent: 100, Cycle: at, DueAt: at})
	}
	return timers, nil
}

// playbookDue fires an overdue timer (claimed when due): every task due at
// its instant, still assigned and not done, is recorded and its assignee
// told. A timer whose
// tasks were done, moved or unassigned meanwhile is left to the replanned
// timers.
func (s *Desk) playbookDue(ctx context.Context, t *Ticket, tm Timer, o *TimerOutcome) error {
	tasks, err := s.store.PlaybookTasks(ctx, t.ID)
	if err != nil {
		return err
	}
	for _, task := range tasks {
		if task.Done() || task.AssigneeID == 0 || !task.DueAt.Equal(tm.Cycle) {
			continue
		}
		o.Done = true
		o.Events = append(o.Events, Event{Kind: EventPlaybookOverdue, Changes: []Change{
			{Field: FieldPlaybookTask, New: task.Title}, {Field: FieldPlaybookAssignee, New: task.AssigneeName}}})
		o.Outbox = append(o.Outbox, OutboxMessage{Kind: OutboxPlaybookOverdue, TicketID: t.ID, UserID: task.AssigneeID,
			Payload: map[string]string{"ticket": t.Number, "deadline": task.DueAt.UTC().Format(time.RFC3339)}})
	}
	return nil
}
