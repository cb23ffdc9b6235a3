package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/playbook"
)

// testPlaybooks: the shipped personal data breach templates are stored as
// playbook.Builtin says, in English and Russian; a template is saved and
// changed at its revision (a stale one is ESTALE); a case's tasks are
// stored with its event in one transaction and read back as written, an
// update at a stale revision stores nothing; each write has its audit
// entry.
func testPlaybooks(t *testing.T, open Opener) {
	f := newFixture(t, open)
	all, err := f.s.PlaybookTemplates(ctx(t))
	must(t, err)
	want := playbook.Builtin()
	if len(all) < len(want) {
		t.Fatalf("shipped templates: %d, want %d", len(all), len(want))
	}
	for i, w := range want {
		g := all[i]
		if g.Name != w.Name || g.Lang != w.Lang || !g.Active || g.Rev != 1 || !cmp.Equal(g.Steps, w.Steps) {
			t.Errorf("shipped template %d: %+v\nwant %+v", i, g, w)
		}
	}
	tpl := &playbook.Template{Name: "Ransomware", Lang: "en", Active: true, UpdatedBy: f.agent.ID, UpdatedAt: base,
		Steps: []playbook.Step{{Phase: playbook.PhaseContainment, Title: "Isolate hosts", DueAfterMinutes: 60}}}
	must(t, f.s.SavePlaybookTemplate(ctx(t), tpl, "create"))
	if tpl.ID == 0 || tpl.Rev != 1 {
		t.Fatalf("created template id %d rev %d", tpl.ID, tpl.Rev)
	}
	got, err := f.s.PlaybookTemplate(ctx(t), tpl.ID)
	must(t, err)
	if diff := cmp.Diff(tpl, got); diff != "" {
		t.Fatalf("template read back (-want +got):\n%s", diff)
	}
	stale := *got
	stale.Rev, stale.Name = 5, "stale"
	if err := f.s.SavePlaybookTemplate(ctx(t), &stale, "update"); desk.ErrorCode(err) != desk.ESTALE {
		t.Fatalf("stale template: %v", err)
	}
	got.Active = false
	must(t, f.s.SavePlaybookTemplate(ctx(t), got, "update"))
	if again, err := f.s.PlaybookTemplate(ctx(t), tpl.ID); err != nil || again.Active || again.Rev != 2 || again.Name != "Ransomware" {
		t.Fatalf("updated template: %+v %v", again, err)
	}
	if _, err := f.s.PlaybookTemplate(ctx(t), 99999); desk.ErrorCode(err) != desk.ENOTFOUND {
		t.Fatalf("missing template: %v", err)
	}

	tk := f.ticket("My account sends spam", 1)
	tk.Security, tk.Restricted = true, true
	f.create(t, tk)
	ev := func(field string) []desk.Event {
		return []desk.Event{{At: base, Actor: &desk.Ref{ID: f.agent.ID}, Kind: desk.EventUpdated,
			Changes: []desk.Change{{Field: field, New: "x"}}}}
	}
	tasks := playbook.Apply(got, base)
	tasks = append(tasks, playbook.Apply(all[1], base)[:2]...)
	for _, k := range tasks {
		k.TicketID, k.CreatedBy, k.CreatedAt = tk.ID, f.agent.ID, base
	}
	version := tk.Version
	must(t, f.s.SavePlaybookTasks(ctx(t), tasks, "apply", desk.TicketWrite{Ticket: tk, Events: ev(desk.FieldPlaybook)}))
	if tasks[0].ID == 0 || tasks[0].Rev != 1 || tk.Version != version+1 {
		t.Fatalf("applied task id %d rev %d, ticket version %d→%d", tasks[0].ID, tasks[0].Rev, version, tk.Version)
	}
	stored, err := f.s.PlaybookTasks(ctx(t), tk.ID)
	must(t, err)
	if diff := cmp.Diff(tasks, stored); diff != "" {
		t.Fatalf("tasks read back (-want +got):\n%s", diff)
	}
	k := stored[1]
	done := base.Add(time.Hour)
	k.AssigneeID, k.AssigneeName, k.DueAt = f.agent.ID, f.agent.Name, base.Add(3*time.Hour)
	k.DoneAt, k.DoneBy, k.DoneByName = &done, f.agent.ID, f.agent.Name
	must(t, f.s.SavePlaybookTasks(ctx(t), []*playbook.Task{k}, "update", desk.TicketWrite{Ticket: tk, Events: ev(desk.FieldPlaybookDone)}))
	one, err := f.s.PlaybookTask(ctx(t), k.ID)
	must(t, err)
	if diff := cmp.Diff(k, one); diff != "" {
		t.Fatalf("updated task (-want +got):\n%s", diff)
	}
	staleTask := *one
	staleTask.Rev, staleTask.DoneAt = 9, nil
	err = f.s.SavePlaybookTasks(ctx(t), []*playbook.Task{&staleTask}, "update", desk.TicketWrite{Ticket: tk, Events: ev(desk.FieldPlaybookDone)})
	if desk.ErrorCode(err) != desk.ESTALE {
		t.Fatalf("stale task: %v", err)
	}
	if _, err := f.s.PlaybookTask(ctx(t), 99999); desk.ErrorCode(err) != desk.ENOTFOUND {
		t.Fatalf("missing task: %v", err)
	}
	evs, err := f.s.ListEvents(ctx(t), tk.ID, desk.EventFilter{Limit: 100})
	must(t, err)
	if len(evs.Events) != 3 { // created + apply + update, none from the refused one
		t.Fatalf("events: %d", len(evs.Events))
	}
	if al, ok := f.s.(auditLister); ok {
		_, err := al.SealAudit(ctx(t))
		must(t, err)
		page, err := al.ListAudit(ctx(t), audit.Filter{Kind: "playbook.", Limit: 50})
		must(t, err)
		if n := len(page.Entries); n != 2+len(tasks)+1 { // two template saves, the tasks applied, one update
			t.Errorf("playbook audit entries: %d, want one per stored write", n)
		}
	}
}
