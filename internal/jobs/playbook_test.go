package jobs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/breach"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/playbook"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if desk.ErrorCode(err) != code {
		t.Errorf("%s: %v, want %s", what, err, code)
	}
}

// TestPlaybook_Case: a security case's playbook as its people meet it, on
// SQLite and PostgreSQL. The shipped template's tasks land on the case
// due from awareness; only the case's owners apply, assign and move them,
// to members of its group or people named on it; a task's assignee marks
// it done; nobody outside the case finds its tasks (deny by default); each
// write is an internal timeline entry; a task still open at its due time
// tells its assignee once, however often sweeps repeat, and a task done
// in time tells nobody.
func TestPlaybook_Case(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		tk, secCtx, sec, _ := f.breachCase(breach.Both)
		tpls, err := f.d.PlaybookTemplates(f.l1)
		must(t, err)
		var en *playbook.Template
		for _, tpl := range tpls {
			if tpl.Name == "Personal data breach" && tpl.Lang == "en" {
				en = tpl
			}
		}
		if en == nil || len(tpls) < 2 {
			t.Fatalf("templates %+v: the shipped personal data breach playbook is missing", tpls)
		}
		_, err = f.d.PlaybookTemplates(f.sam)
		wantCode(t, "a requester lists templates", err, desk.EFORBIDDEN)

		// Outside the case nobody finds it to apply a playbook to.
		for name, ctx := range map[string]context.Context{"line 1": f.l1, "non-member admin": f.admin, "requester": f.sam} {
			_, _, err := f.d.ApplyPlaybook(ctx, tk.Number, en.ID)
			wantCode(t, name+" applies", err, desk.ENOTFOUND)
			_, _, err = f.d.CasePlaybook(ctx, tk.Number)
			wantCode(t, name+" reads", err, desk.ENOTFOUND)
		}
		_, tasks, err := f.d.ApplyPlaybook(secCtx, tk.Number, en.ID)
		must(t, err)
		if len(tasks) != len(en.Steps) || !tasks[0].DueAt.Equal(start.Add(2*time.Hour)) || tasks[0].ID == 0 {
			t.Fatalf("applied %d tasks, first %+v: want %d due 2 h after awareness", len(tasks), tasks[0], len(en.Steps))
		}
		_, _, err = f.d.ApplyPlaybook(secCtx, tk.Number, 99999)
		wantCode(t, "an unknown template", err, desk.EINVALID)
		for name, ctx := range map[string]context.Context{"line 1": f.l1, "non-member admin": f.admin, "requester": f.sam} {
			_, _, err := f.d.PlaybookTask(ctx, tasks[0].ID)
			wantCode(t, name+" reads a task", err, desk.ENOTFOUND)
			_, err = f.d.UpdatePlaybookTask(ctx, tasks[0].ID, desk.PlaybookTaskInput{Done: ptr(true)})
			wantCode(t, name+" ticks a task", err, desk.ENOTFOUND)
		}

		// Lena (line 1) is named on the case: she reads it and may be
		// assigned; the manager, in neither, may not.
		_, err = f.d.NameSecurityMember(secCtx, tk.Number, desk.SecurityInput{Reason: "mailbox forensics", UserID: f.agent.ID})
		must(t, err)
		_, err = f.d.UpdatePlaybookTask(secCtx, tasks[0].ID, desk.PlaybookTaskInput{AssigneeID: &f.manager.ID})
		wantCode(t, "assigned to a non-member", err, desk.EINVALID)
		_, err = f.d.UpdatePlaybookTask(secCtx, tasks[0].ID, desk.PlaybookTaskInput{AssigneeID: &f.agent.ID})
		must(t, err)
		_, err = f.d.UpdatePlaybookTask(secCtx, tasks[1].ID, desk.PlaybookTaskInput{AssigneeID: &sec.ID})
		must(t, err)
		_, got, err := f.d.CasePlaybook(f.l1, tk.Number)
		must(t, err)
		if got[0].AssigneeName != "Lena" || got[1].AssigneeName != "Sasha" {
			t.Fatalf("assignees %q, %q", got[0].AssigneeName, got[1].AssigneeName)
		}
		// Lena is no owner: she neither applies nor assigns, nor ticks
		// another's task; her own she does.
		_, _, err = f.d.ApplyPlaybook(f.l1, tk.Number, en.ID)
		wantCode(t, "a named member applies", err, desk.EFORBIDDEN)
		_, err = f.d.UpdatePlaybookTask(f.l1, tasks[2].ID, desk.PlaybookTaskInput{AssigneeID: &f.agent.ID})
		wantCode(t, "a named member assigns", err, desk.EFORBIDDEN)
		_, err = f.d.UpdatePlaybookTask(f.l1, tasks[1].ID, desk.PlaybookTaskInput{Done: ptr(true)})
		wantCode(t, "a named member ticks another's task", err, desk.EFORBIDDEN)
		later := start.Add(3 * time.Hour)
		_, err = f.d.UpdatePlaybookTask(f.l1, tasks[0].ID, desk.PlaybookTaskInput{DueAt: &later})
		wantCode(t, "the assignee moves the due time", err, desk.EFORBIDDEN)

		// Sasha does hers in time; Lena's is overdue at 2 h and tells her once.
		f.clock.Set(start.Add(time.Hour))
		done, err := f.d.UpdatePlaybookTask(secCtx, tasks[1].ID, desk.PlaybookTaskInput{Done: ptr(true)})
		must(t, err)
		if done.DoneAt == nil || done.DoneBy != sec.ID || done.DoneByName != "Sasha" {
			t.Fatalf("done task %+v", done)
		}
		// A task done before its due time plans no timer.
		_, err = f.d.UpdatePlaybookTask(secCtx, tasks[2].ID, desk.PlaybookTaskInput{AssigneeID: &sec.ID, Done: ptr(true)})
		must(t, err)
		for _, tm := range f.pending(tk) {
			if tm.Kind == desk.TimerPlaybookDue && !tm.Cycle.Equal(tasks[0].DueAt) {
				t.Errorf("a timer for a task done or unassigned: %+v", tm)
			}
		}
		for _, at := range []time.Duration{2*time.Hour - 2*time.Second, 2 * time.Hour, 2*time.Hour + time.Minute, 5 * time.Hour} {
			f.clock.Set(start.Add(at))
			f.sweep()
			f.edit(tk)
			f.sweep()
		}
		overdue, mails := f.playbookOverdue(tk)
		if len(overdue) != 1 || overdue[0] != tasks[0].Title || len(mails) != 1 || mails[0] != f.agent.ID {
			t.Errorf("overdue events %q, mail to %v: want Lena's task once, to her", overdue, mails)
		}
		// Lena ticks hers; unticking is recorded too.
		mine, err := f.d.UpdatePlaybookTask(f.l1, tasks[0].ID, desk.PlaybookTaskInput{Done: ptr(true)})
		must(t, err)
		if _, err := f.d.UpdatePlaybookTask(f.l1, tasks[0].ID, desk.PlaybookTaskInput{Done: ptr(false), Rev: mine.Rev - 1}); desk.ErrorCode(err) != desk.ESTALE {
			t.Errorf("a stale revision: %v", err)
		}
		_, err = f.d.UpdatePlaybookTask(f.l1, tasks[0].ID, desk.PlaybookTaskInput{Done: ptr(false), Rev: mine.Rev})
		must(t, err)
		kinds := map[string]int{}
		for _, e := range f.events(tk) {
			for _, c := range e.Changes {
				if strings.HasPrefix(c.Field, "playbook") {
					kinds[c.Field]++
					if e.Public {
						t.Errorf("a playbook entry is public: %+v", e)
					}
				}
			}
		}
		if kinds[desk.FieldPlaybook] != 1 || kinds[desk.FieldPlaybookAssignee] != 4 || kinds[desk.FieldPlaybookDone] != 4 {
			t.Errorf("timeline's playbook fields %v", kinds)
		}
	})
}

// playbookOverdue returns the titles of the case's overdue entries and
// the users its overdue mail went to.
func (f *fixture) playbookOverdue(tk *desk.Ticket) ([]string, []int64) {
	f.t.Helper()
	var titles []string
	for _, e := range f.events(tk) {
		if e.Kind == desk.EventPlaybookOverdue {
			if e.Actor != nil || e.Public {
				f.t.Errorf("overdue entry should be internal, by the system: %+v", e)
			}
			titles = append(titles, e.Changes[0].New)
		}
	}
	msgs, err := f.store.Outbox(context.Background(), tk.ID)
	must(f.t, err)
	var to []int64
	for _, m := range msgs {
		if m.Kind == desk.OutboxPlaybookOverdue {
			if m.Payload["ticket"] != tk.Number || len(m.Payload) != 2 {
				f.t.Errorf("overdue mail carries %v: the number and due time only", m.Payload)
			}
			to = append(to, m.UserID)
		}
	}
	return titles, to
}

func ptr[T any](v T) *T { return &v }
