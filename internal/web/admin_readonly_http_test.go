package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/web"
)

// TestWeb_AgentsSeeNoAdminForms: an agent may read the support groups but
// is offered no create or edit form there (saving answered "Not allowed");
// the pages only administrators open stay closed; an administrator gets
// every form.
func TestWeb_AgentsSeeNoAdminForms(t *testing.T) {
	e := newHTTPEnv(t, web.Options{Location: time.UTC})
	ctx := desk.AsSystem(context.Background())
	admin, _, err := e.d.Bootstrap(context.Background(), desk.UserInput{Email: "ada@example.com", Name: "Ada", Role: desk.RoleAdmin}, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.d.SetPassword(ctx, admin.ID, pw); err != nil {
		t.Fatal(err)
	}
	as := desk.WithActor(context.Background(), admin)
	cat, err := e.d.CreateCategory(as, desk.CategoryInput{Name: "Hardware"})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := e.d.CreateService(as, desk.ServiceInput{Name: "Mail"})
	if err != nil {
		t.Fatal(err)
	}
	pols, err := e.d.SLAPolicies(as)
	if err != nil {
		t.Fatal(err)
	}
	pages := []string{"/admin/groups", "/admin/groups/1", "/admin/users", "/admin/users/" + strconv.FormatInt(e.sam.ID, 10),
		"/admin/categories", "/admin/categories/" + strconv.FormatInt(cat.ID, 10), "/admin/services",
		"/admin/services/" + strconv.FormatInt(svc.ID, 10), "/admin/matrix", "/admin/sla",
		"/admin/sla/" + strconv.FormatInt(pols[0].ID, 10), "/admin/calendars"}
	postForm := regexp.MustCompile(`<form method="post" action="(/admin[^"]*)"`)
	lena, ada := e.client(), e.client()
	lena.signIn("lena@example.com")
	ada.signIn("ada@example.com")
	for _, p := range pages {
		r := lena.get(p)
		switch {
		case r.status == 403: // pages only administrators may open
		case r.status != 200:
			t.Errorf("agent on %s: %d", p, r.status)
		case postForm.MatchString(r.body):
			t.Errorf("agent is offered the form %s on %s", postForm.FindStringSubmatch(r.body)[1], p)
		}
		if a := ada.get(p); !postForm.MatchString(a.body) {
			t.Errorf("the administrator has no form on %s", p)
		}
	}
	if r := lena.get("/admin/groups/1"); !strings.Contains(r.body, "Line 1") {
		t.Error("the agent no longer reads the group's line")
	}
	// Without the form, a save sent by hand is still refused by the desk.
	forged := url.Values{"csrf": {lena.csrf("/admin/groups/1")}, "name": {"Hijacked"}, "line": {"1"}, "active": {"on"}}
	if r := lena.post("/admin/groups/1", forged); r.status != 403 {
		t.Errorf("an agent's forged save of a group: %d, want 403", r.status)
	}
	if r := ada.get("/admin/groups/1"); strings.Contains(r.body, "Hijacked") {
		t.Error("an agent's forged save renamed the group")
	}
}

// TestWeb_AdminCheckboxesInTheirLabels: every checkbox of the user, group
// and catalogue forms sits inside its label, so the label is beside it and
// clicking the words ticks the box (they were on separate lines).
func TestWeb_AdminCheckboxesInTheirLabels(t *testing.T) {
	e := newHTTPEnv(t, web.Options{Location: time.UTC})
	admin, _, err := e.d.Bootstrap(context.Background(), desk.UserInput{Email: "ada@example.com", Name: "Ada", Role: desk.RoleAdmin}, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.d.SetPassword(desk.AsSystem(context.Background()), admin.ID, pw); err != nil {
		t.Fatal(err)
	}
	cat, err := e.d.CreateCategory(desk.WithActor(context.Background(), admin), desk.CategoryInput{Name: "Hardware"})
	if err != nil {
		t.Fatal(err)
	}
	ada := e.client()
	ada.signIn("ada@example.com")
	box := regexp.MustCompile(`(.{0,40})<input type="checkbox"`)
	for _, p := range []string{"/admin/groups/1", "/admin/users", "/admin/users/" + strconv.FormatInt(e.lena.ID, 10),
		"/admin/categories/" + strconv.FormatInt(cat.ID, 10)} {
		found := box.FindAllStringSubmatch(ada.get(p).body, -1)
		if len(found) == 0 {
			t.Errorf("no checkbox on %s", p)
		}
		for _, m := range found {
			if !strings.HasSuffix(m[1], `<label class="choice">`) {
				t.Errorf("a checkbox on %s is outside its label: …%s", p, m[1])
			}
		}
	}
}
