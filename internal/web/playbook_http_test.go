package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// builtinPlaybook is the shipped English personal data breach template.
func builtinPlaybook(t *testing.T, d *desk.Desk) int64 {
	t.Helper()
	tpls, err := d.PlaybookTemplates(desk.AsSystem(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	for _, tpl := range tpls {
		if tpl.Name == "Personal data breach" && tpl.Lang == "en" {
			return tpl.ID
		}
	}
	t.Fatal("no shipped playbook")
	return 0
}

// TestWeb_Playbook: the case's page offers its owner the playbooks; the
// applied one lists its tasks by phase in English and Russian; the owner
// assigns a task and moves it into the past (overdue shown), then ticks
// it (who and when shown); each is on the timeline; a form without its
// token is refused; people outside the case can neither see nor change it.
func TestWeb_Playbook(t *testing.T) {
	c := newEvidenceCase(t)
	b := c.sec.get(c.page).body
	for _, want := range []string{`id="playbook-h"`, "No playbook yet", `id="playbook-apply"`, "Personal data breach", "Утечка персональных данных"} {
		if !strings.Contains(b, want) {
			t.Errorf("the case's page lacks %q", want)
		}
	}
	apply := "/tickets/" + c.tk.Number + "/playbook"
	id := fmt.Sprint(builtinPlaybook(t, c.e.d))
	if r := c.sec.post(apply, url.Values{"template_id": {id}}); r.status != http.StatusForbidden {
		t.Errorf("a form without its token: %d", r.status)
	}
	for name, cl := range map[string]*client{"line 1": c.lena, "non-member admin": c.adm, "requester": c.sam} {
		r := cl.post(apply, url.Values{"template_id": {id}, "csrf": {cl.csrf("/settings")}})
		if r.status != http.StatusNotFound && r.status != http.StatusForbidden || strings.Contains(r.body, secWord) {
			t.Errorf("%s applies a playbook: %d", name, r.status)
		}
	}
	if r := c.sec.post(apply, url.Values{"template_id": {id}, "csrf": {c.sec.csrf(c.page)}}); r.status != http.StatusSeeOther ||
		!strings.HasSuffix(r.header.Get("Location"), "?done=playbook") {
		t.Fatalf("apply: %d %s", r.status, r.header.Get("Location"))
	}
	_, tasks, err := c.e.d.CasePlaybook(desk.WithActor(context.Background(), c.sid), c.tk.Number)
	if err != nil || len(tasks) != 15 {
		t.Fatalf("tasks %d, %v", len(tasks), err)
	}
	for lang, wants := range map[string][]string{
		"en": {"The playbook is updated.", "0 of 15 tasks done", "Detection and analysis", "Post-incident activity", "Confirm that a personal data breach occurred", "Playbook applied"},
		"ru": {"План реагирования", "Выполнено 0 из 15 задач", "Обнаружение и анализ", "Действия после инцидента", "Применён план реагирования"},
	} {
		text := pageText(c.sec.get(c.page+"?done=playbook", "Accept-Language", lang).body)
		for _, want := range wants {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the page lacks %q", lang, want)
			}
		}
	}
	task := fmt.Sprintf("%s/%d", apply, tasks[0].ID)
	past := time.Now().Add(-3 * time.Hour).UTC().Format("2006-01-02T15:04")
	r := c.sec.post(task, url.Values{"csrf": {c.sec.csrf(c.page)}, "do": {"change"}, "rev": {"1"},
		"assignee_id": {fmt.Sprint(c.e.lena.ID)}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="playbook.assignee-error"`) {
		t.Errorf("assigned to line 1, who is not on the case: %d", r.status)
	}
	r = c.sec.post(task, url.Values{"csrf": {c.sec.csrf(c.page)}, "do": {"change"}, "rev": {"1"},
		"assignee_id": {fmt.Sprint(c.sid.ID)}, "due_at": {past}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("assign: %d %s", r.status, r.body)
	}
	b = c.sec.get(c.page).body
	if !strings.Contains(b, `id="playbook-task-`+fmt.Sprint(tasks[0].ID)+`" class="overdue"`) || !strings.Contains(pageText(b), "1 overdue") {
		t.Errorf("the task moved into the past is not shown overdue")
	}
	r = c.sec.post(task, url.Values{"csrf": {c.sec.csrf(c.page)}, "do": {"done"}, "rev": {"2"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("done: %d %s", r.status, r.body)
	}
	if r := c.sec.post(task, url.Values{"csrf": {c.sec.csrf(c.page)}, "do": {"undo"}, "rev": {"1"}}); r.status != http.StatusConflict {
		t.Errorf("a tick from a stale page: %d", r.status)
	}
	text := pageText(c.sec.get(c.page).body)
	for _, want := range []string{"1 of 15 tasks done", "Done: sid", "Task state: not done → done", "Task assignee: — → sid"} {
		if !strings.Contains(text, want) {
			t.Errorf("after the tick the page lacks %q", want)
		}
	}
	if strings.Contains(text, "1 overdue") {
		t.Error("a done task is still counted overdue")
	}
	for name, cl := range map[string]*client{"line 1": c.lena, "non-member admin": c.adm} {
		r := cl.post(task, url.Values{"csrf": {cl.csrf("/settings")}, "do": {"undo"}})
		if r.status != http.StatusNotFound || strings.Contains(r.body, "personal data breach") {
			t.Errorf("%s ticks a task: %d", name, r.status)
		}
	}
	// The security case page holds the same panel; its forms come back there.
	casePage := c.page + "/breach"
	if b := c.sec.get(casePage).body; !strings.Contains(b, `id="playbook-h"`) || !strings.Contains(b, `name="back" value="breach"`) {
		t.Error("the security case page lacks the playbook panel")
	}
	r = c.sec.post(task, url.Values{"csrf": {c.sec.csrf(casePage)}, "do": {"undo"}, "back": {"breach"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != casePage+"?done=playbook#playbook" {
		t.Errorf("a tick from the case page: %d %s", r.status, r.header.Get("Location"))
	}
	if b := c.sam.get(c.page).body; strings.Contains(b, "playbook") || strings.Contains(b, "Playbook") {
		t.Error("the requester's page shows the playbook")
	}
}

// TestWeb_PlaybookAdmin: administrators list, create and change templates
// (a bad row refused with its field, the input kept); other staff read
// them without a form and cannot post one.
func TestWeb_PlaybookAdmin(t *testing.T) {
	c := newEvidenceCase(t)
	b := c.adm.get("/admin/playbooks").body
	for _, want := range []string{"Personal data breach", "Утечка персональных данных", `id="pb-create"`, `name="s4_title"`} {
		if !strings.Contains(b, want) {
			t.Errorf("the admin page lacks %q", want)
		}
	}
	form := func(kv ...string) url.Values {
		f := url.Values{"csrf": {c.adm.csrf("/admin/playbooks")}, "name": {"Ransomware <i>"}, "lang": {"en"}, "active": {"1"},
			"s0_phase": {"containment"}, "s0_title": {"Isolate the hosts"}, "s0_hours": {"1.5"},
			"s1_phase": {"recovery"}, "s1_title": {""}, "s1_hours": {""}}
		for i := 0; i+1 < len(kv); i += 2 {
			f.Set(kv[i], kv[i+1])
		}
		return f
	}
	for _, bad := range []struct {
		name string
		form url.Values
		want string
	}{
		{"hours", form("s0_hours", "soon"), `id="s0_hours-error"`},
		{"negative", form("s0_hours", "-2"), `id="s0_hours-error"`},
		{"phase", form("s0_phase", "lessons"), `id="s0_phase-error"`},
		{"no tasks", form("s0_title", ""), `id="steps-error"`},
		{"no name", form("name", ""), `id="name-error"`},
	} {
		r := c.adm.post("/admin/playbooks", bad.form)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, bad.want) || !strings.Contains(r.body, "Isolate the hosts") && bad.name != "no tasks" {
			t.Errorf("%s: %d, want 422 with %s and the input kept", bad.name, r.status, bad.want)
		}
	}
	if r := c.adm.post("/admin/playbooks", form()); r.status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	b = c.adm.get("/admin/playbooks?done=playbook_saved").body
	if !strings.Contains(b, "The playbook is saved.") || !strings.Contains(b, "Ransomware &lt;i&gt;") {
		t.Errorf("the new playbook is not listed, escaped")
	}
	tpls, err := c.e.d.PlaybookTemplates(desk.AsSystem(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, tpl := range tpls {
		if strings.HasPrefix(tpl.Name, "Ransomware") {
			id = tpl.ID
			if len(tpl.Steps) != 1 || tpl.Steps[0].DueAfterMinutes != 90 {
				t.Errorf("saved steps %+v", tpl.Steps)
			}
		}
	}
	edit := fmt.Sprintf("/admin/playbooks/%d", id)
	f := form("name", "Ransomware v2", "rev", "1")
	f.Del("active")
	if r := c.adm.post(edit, f); r.status != http.StatusSeeOther {
		t.Fatalf("edit: %d %s", r.status, r.body)
	}
	if r := c.adm.post(edit, form("rev", "1")); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "changed this playbook meanwhile") {
		t.Errorf("a stale edit: %d", r.status)
	}
	if b := c.adm.get("/admin/playbooks", "Accept-Language", "ru").body; !strings.Contains(b, "Ransomware v2") || !strings.Contains(b, "не предлагается") {
		t.Errorf("the changed playbook is not listed as not offered")
	}
	b = c.lena.get(edit).body
	if strings.Contains(b, `id="pb-save"`) || !strings.Contains(b, "Isolate the hosts") {
		t.Errorf("line 1 reads the playbook with a form, or not at all")
	}
	if r := c.lena.post("/admin/playbooks", form("csrf", c.lena.csrf("/admin/playbooks"))); r.status != http.StatusForbidden {
		t.Errorf("line 1 creates a playbook: %d", r.status)
	}
}

// TestWeb_EvidenceOnTimeline: what was done with the case's evidence is on
// the ticket's own timeline, in time order among its entries, internal,
// for the case's members; the requester's page of the same ticket shows
// none of it.
func TestWeb_EvidenceOnTimeline(t *testing.T) {
	c := newEvidenceCase(t)
	content := []byte("Received: from mx.evil.example")
	r := c.sec.postFile(c.list, c.form(), "headers.eml", content)
	if r.status != http.StatusSeeOther {
		t.Fatalf("record: %d", r.status)
	}
	item := strings.TrimSuffix(r.header.Get("Location"), "?done=evidence_added")
	c.sec.get(item)
	c.sec.get(item + "/file")
	body := c.sec.get(c.page).body
	_, tl, _ := strings.Cut(body, `class="event event-`)
	if n := strings.Count(tl, "event-evidence internal"); n != 3 {
		t.Errorf("%d evidence entries on the timeline, want recorded, viewed, downloaded", n)
	}
	for lang, wants := range map[string][]string{
		"en": {"sid handled evidence", "Action: — → recorded", "Action: — → downloaded", "Evidence: — → Headers <b>" + secWord},
		"ru": {"работа с доказательством", "Действие: — → скачано"},
	} {
		text := pageText(c.sec.get(c.page, "Accept-Language", lang).body)
		for _, want := range wants {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the timeline lacks %q", lang, want)
			}
		}
	}
	if strings.Contains(body, "<b>"+secWord) {
		t.Error("the item's title is not escaped on the timeline")
	}
	marked := strings.Index(body, "event-updated")
	if i := strings.Index(body, "event-evidence"); i < marked {
		t.Error("the evidence entries are not after the marking, in time order")
	}
	if b := c.sam.get(c.page).body; strings.Contains(b, "event-evidence") || strings.Contains(b, "Headers") {
		t.Error("the requester's page shows the evidence")
	}
}
