package devgen

import (
	"context"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/playbook"
)

// securityPlaybook puts the shipped Russian personal data breach playbook
// on the marked security case: its first task assigned to the security
// member and done, the second assigned to the named line-2 agent and
// overdue (awareness was 30 hours ago), the rest open and unassigned, so
// the case page shows every state of a task. The English playbook's texts
// are data on Russian pages (the admin list, the apply form).
func (b *showcase) securityPlaybook(sec context.Context, number string) {
	if b.err != nil {
		return
	}
	en := playbook.Builtin()[0]
	b.english(en.Name, en.Description)
	for _, s := range en.Steps {
		b.english(s.Title, s.Description)
	}
	tpls, err := b.d.PlaybookTemplates(sec)
	b.fail(err)
	var ru int64
	for _, tpl := range tpls {
		if tpl.Lang == "ru" && tpl.Name == playbook.Builtin()[1].Name {
			ru = tpl.ID
		}
	}
	_, tasks, err := b.d.ApplyPlaybook(sec, number, ru)
	b.fail(err)
	if err != nil || len(tasks) < 2 {
		return
	}
	me, l2, done := desk.ActorFrom(sec).ID, b.out.People["agent_l2"].ID, true
	_, err = b.d.UpdatePlaybookTask(sec, tasks[0].ID, desk.PlaybookTaskInput{AssigneeID: &me})
	b.fail(err)
	_, err = b.d.UpdatePlaybookTask(sec, tasks[0].ID, desk.PlaybookTaskInput{Done: &done})
	b.fail(err)
	due := time.Now().Add(-26 * time.Hour).Truncate(time.Second)
	_, err = b.d.UpdatePlaybookTask(sec, tasks[1].ID, desk.PlaybookTaskInput{AssigneeID: &l2, DueAt: &due})
	b.fail(err)
}
