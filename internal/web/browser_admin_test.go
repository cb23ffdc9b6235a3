package web_test

import (
	"strconv"
	"testing"
)

// TestBrowser_AdminGroupRoundTrip: an administrator edits a support group;
// a mistake comes back with the input kept and the error next to its
// field; the saved group shows in the list; the same in Russian.
func TestBrowser_AdminGroupRoundTrip(t *testing.T) {
	s := newSite(t)
	s.user("root@example.com", "Rita Root", "admin", pw)
	s.user("boss@example.com", "Bob Boss", "manager", pw)
	net := s.id(s.api("POST", "/api/v1/groups", map[string]any{"name": "Network", "line": 2}))
	b := newBrowsers(t).browser(s)
	b.signIn("root@example.com", pw)

	b.open("/admin/groups/1")
	b.fill("#name", "   ")
	b.choose("#line", "1")
	b.choose("#manager", strconv.FormatInt(s.id(s.api("GET", "/api/v1/users?q=boss", nil)["users"].([]any)[0].(map[string]any)), 10))
	b.submit("form[action='/admin/groups/1'] button[type=submit]")
	if b.page() != "admin_group" || !b.has("#name[aria-invalid=true]") || !b.has("#name-error") {
		t.Fatalf("an empty name: page %q without the error next to the field", b.page())
	}
	if got := eval[string](b, "document.querySelector('#manager').selectedOptions[0].textContent"); got != "Bob Boss" {
		t.Errorf("the chosen manager was not kept: %q", got)
	}
	b.screenshot("error")
	b.fill("#name", "First Line")
	b.submit("form[action='/admin/groups/1'] button[type=submit]")
	b.wantText("The group is saved.", "First Line", "Bob Boss")

	// The default group stays active: the error sits by the checkbox.
	b.open("/admin/groups/1")
	eval[bool](b, "document.querySelector('#active').checked = false")
	b.submit("form[action='/admin/groups/1'] button[type=submit]")
	if !b.has("#active-error") {
		t.Errorf("deactivating the default group: no error by the checkbox")
	}

	b.submit("button[name=lang][value=ru]")
	b.open("/admin/groups/" + strconv.FormatInt(net, 10))
	eval[string](b, "document.querySelector('#name').value = ''")
	b.submit("form[action='/admin/groups/" + strconv.FormatInt(net, 10) + "'] button[type=submit]")
	b.wantText("Укажите название группы")
	b.screenshot("error-ru")
	b.fill("#name", "Сеть")
	b.choose("#line", "3")
	b.submit("form[action='/admin/groups/" + strconv.FormatInt(net, 10) + "'] button[type=submit]")
	b.wantText("Группа сохранена.", "Сеть", "Линия 3")

	// An agent may read a group but is offered no form to change it (a
	// forged save is refused: TestWeb_AgentsSeeNoAdminForms).
	s.user("lena@example.com", "Lena Lineone", "agent", pw, 1)
	a := newBrowsers(t).browser(s)
	a.signIn("lena@example.com", pw)
	a.open("/admin/groups/1")
	if a.has("form[action='/admin/groups/1']") {
		t.Error("an agent is offered the group's edit form")
	}
	if a.page() != "admin_group" {
		t.Errorf("an agent reading a group sees %q, want the group's page", a.page())
	}
}
