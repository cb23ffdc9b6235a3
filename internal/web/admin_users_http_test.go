package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/web"
)

// adminClient adds an administrator to e and returns their signed-in client.
func adminClient(t *testing.T, e *httpEnv) (*client, *desk.User) {
	t.Helper()
	ctx := context.Background()
	root, _, err := e.d.Bootstrap(ctx, desk.UserInput{Email: "root@example.com", Name: "Rita Root", Role: desk.RoleAdmin}, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.d.SetPassword(desk.AsSystem(ctx), root.ID, pw); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	c.signIn("root@example.com")
	return c, root
}

// wantForm checks a form answered 422 with msg next to field and the
// posted values shown again.
func wantForm(t *testing.T, p response, field, msg string, kept ...string) {
	t.Helper()
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422: %.300s", p.status, p.body)
	}
	if want := `id="` + field + `-error">` + msg; !strings.Contains(p.body, want) {
		t.Errorf("no %q in the page", want)
	}
	if !strings.Contains(p.body, `id="`+field+`"`) {
		t.Errorf("no field %s on the page", field)
	}
	for _, k := range kept {
		if !strings.Contains(p.body, k) {
			t.Errorf("the input %q is not kept", k)
		}
	}
}

func TestWeb_AdminUsersRoundTrip(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	a, root := adminClient(t, e)
	ctx := desk.WithActor(context.Background(), root)
	csrf := a.csrf("/admin/users")
	if p := a.get("/admin/users"); p.status != 200 || !strings.Contains(p.body, "lena@example.com") {
		t.Fatalf("list: %d", p.status)
	}

	// A wrong e-mail address: the page comes back with the input and the error next to the field.
	p := a.post("/admin/users", url.Values{"csrf": {csrf}, "name": {"Nick Network"}, "email": {"nick@"},
		"role": {"agent"}, "groups": {"1"}})
	wantForm(t, p, "email", "Give a valid e-mail address.", `value="Nick Network"`, `value="nick@"`,
		`value="1" checked`, `value="agent" selected`)
	// Requesters join no groups; nothing is stored.
	p = a.post("/admin/users", url.Values{"csrf": {csrf}, "name": {"Ann"}, "email": {"ann@example.com"},
		"role": {"requester"}, "groups": {"1"}})
	wantForm(t, p, "groups", "Requesters do not join support groups", `value="ann@example.com"`)
	if page, _ := e.d.ListUsers(ctx, desk.UserFilter{Query: "ann@"}); len(page.Users) != 0 {
		t.Error("a refused user was stored")
	}
	// A group that does not exist: nothing is stored either.
	p = a.post("/admin/users", url.Values{"csrf": {csrf}, "name": {"Ann"}, "email": {"ann@example.com"},
		"role": {"agent"}, "groups": {"999"}})
	wantForm(t, p, "groups", "Choose groups from the list.", `value="Ann"`)
	if page, _ := e.d.ListUsers(ctx, desk.UserFilter{Query: "ann@"}); len(page.Users) != 0 {
		t.Error("a user with an unknown group was stored")
	}
	// The same address twice.
	p = a.post("/admin/users", url.Values{"csrf": {csrf}, "name": {"Other Lena"}, "email": {"LENA@example.com"}, "role": {"agent"}})
	wantForm(t, p, "email", "Another user already has this e-mail address.", `value="Other Lena"`)

	p = a.post("/admin/users", url.Values{"csrf": {csrf}, "name": {"Nick Network"}, "email": {"nick@example.com"},
		"role": {"agent"}, "groups": {"1"}})
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/admin/users/") {
		t.Fatalf("create: %d %s", p.status, p.header.Get("Location"))
	}
	page, err := e.d.ListUsers(ctx, desk.UserFilter{Query: "nick@"})
	if err != nil || len(page.Users) != 1 {
		t.Fatalf("created user: %v %v", page, err)
	}
	nick := page.Users[0]
	if nick.Role != desk.RoleAgent || !nick.Active || len(nick.Groups) != 1 || nick.Groups[0].ID != 1 {
		t.Fatalf("stored user: %+v", nick)
	}
	path := fmt.Sprintf("/admin/users/%d", nick.ID)
	if p := a.get(p.header.Get("Location")); p.status != 200 || !strings.Contains(p.body, "The user is saved.") ||
		!strings.Contains(p.body, `value="1" checked`) || !strings.Contains(p.body, `value="agent" selected`) {
		t.Fatalf("edit page: %d", p.status)
	}

	// Edit: manager, inactive, no group.
	p = a.post(path, editForm(csrf, nick, "role", "manager", "active", "", "groups", ""))
	if p.status != http.StatusSeeOther {
		t.Fatalf("save: %d %.300s", p.status, p.body)
	}
	if nick, _ = e.d.User(ctx, nick.ID); nick.Role != desk.RoleManager || nick.Active || len(nick.Groups) != 0 {
		t.Fatalf("after edit: %+v", nick)
	}
	// Back to an active agent in the group.
	a.post(path, editForm(csrf, nick, "role", "agent", "active", "on", "groups", "1"))
	if nick, _ = e.d.User(ctx, nick.ID); nick.Role != desk.RoleAgent || !nick.Active || len(nick.Groups) != 1 {
		t.Fatalf("after second edit: %+v", nick)
	}
	// A bad role keeps the form.
	p = a.post(path, editForm(csrf, nick, "role", "king"))
	wantForm(t, p, "role", "Choose a role.", `name="active" checked`)
	// An administrator cannot demote themselves.
	p = a.post(fmt.Sprintf("/admin/users/%d", root.ID), editForm(csrf, root, "role", "agent"))
	wantForm(t, p, "role", "You cannot take the administrator role from yourself", `value="agent" selected`)
	p = a.post(fmt.Sprintf("/admin/users/%d", root.ID), editForm(csrf, root, "active", ""))
	wantForm(t, p, "active", "You cannot take the administrator role from yourself")
	if r, _ := e.d.User(ctx, root.ID); r.Role != desk.RoleAdmin || !r.Active {
		t.Fatal("the administrator demoted or deactivated themselves")
	}

	// Passwords: the two must match and be long enough; then the user signs in with it.
	p = a.post(path+"/password", url.Values{"csrf": {csrf}, "password": {"a new long secret"}, "password2": {"another"}})
	wantForm(t, p, "password2", "The two passwords differ.")
	p = a.post(path+"/password", url.Values{"csrf": {csrf}, "password": {"short"}, "password2": {"short"}})
	wantForm(t, p, "password", fmt.Sprintf("The password must be at least %d characters long.", desk.MinPasswordLen))
	p = a.post(path+"/password", url.Values{"csrf": {csrf}, "password": {"a new long secret"}, "password2": {"a new long secret"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("set password: %d", p.status)
	}
	n := e.client()
	p = n.post("/login", url.Values{"csrf": {n.csrf("/login")}, "email": {"nick@example.com"}, "password": {"a new long secret"}})
	if sessionCookie(p) == nil {
		t.Fatalf("nick cannot sign in with the new password: %d", p.status)
	}
}

// editForm is the edit form as the browser posts it for u, with changes
// given as name, value pairs ("" unchecks a box; groups take one id).
func editForm(csrf string, u *desk.User, changes ...string) url.Values {
	form := url.Values{"csrf": {csrf}, "name": {u.Name}, "email": {u.Email}, "phone": {u.Phone},
		"organization": {u.Organization}, "role": {string(u.Role)}}
	if u.VIP {
		form.Set("vip", "on")
	}
	if u.Active {
		form.Set("active", "on")
	}
	for _, g := range u.Groups {
		form.Add("groups", fmt.Sprint(g.ID))
	}
	for i := 0; i+1 < len(changes); i += 2 {
		if changes[i+1] == "" {
			form.Del(changes[i])
		} else {
			form.Set(changes[i], changes[i+1])
		}
	}
	return form
}

// TestWeb_AdminUserFullEdit: every field of a user is edited on one page;
// a refused save shows each error by its field with the input kept and
// stores nothing, not even the groups; deactivation ends the user's sessions.
func TestWeb_AdminUserFullEdit(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	a, root := adminClient(t, e)
	ctx := desk.WithActor(context.Background(), root)
	net, err := e.d.CreateGroup(ctx, desk.GroupInput{Name: "Network", Line: desk.Line2})
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/admin/users/%d", e.lena.ID)
	csrf := a.csrf(path)
	if p := a.get(path); !strings.Contains(p.body, `id="phone"`) || !strings.Contains(p.body, `value="lena@example.com"`) ||
		!strings.Contains(p.body, `id="vip"`) || !strings.Contains(p.body, `id="organization"`) {
		t.Fatalf("the edit page lacks the user's fields: %.500s", p.body)
	}
	lena := e.lena
	groups := fmt.Sprint(net.ID)

	// A taken address together with a group change: the error sits by the
	// e-mail field, the input comes back, and neither the name nor the
	// groups are stored.
	p := a.post(path, editForm(csrf, lena, "name", "Lena Network", "email", "SAM@example.com", "phone", "8 495 000",
		"organization", "Plant 2", "vip", "on", "groups", groups))
	wantForm(t, p, "email", "Another user already has this e-mail address.", `value="Lena Network"`,
		`value="SAM@example.com"`, `value="8 495 000"`, `value="Plant 2"`, `name="vip" checked`, `value="`+groups+`" checked`)
	if u, _ := e.d.User(ctx, lena.ID); u.Name != "Lena" || len(u.Groups) != 1 || u.Groups[0].ID != 1 {
		t.Fatalf("a refused save stored something: %+v", u)
	}
	// Too long a phone and organisation: both errors at once, by their fields.
	p = a.post(path, editForm(csrf, lena, "phone", strings.Repeat("1", 51), "organization", strings.Repeat("o", 201)))
	wantForm(t, p, "phone", "Give a phone number of at most 50 characters.")
	wantForm(t, p, "organization", "Give an organisation of at most 200 characters.")
	// A gender the desk does not know is refused before anything is stored.
	p = a.post(path, editForm(csrf, lena, "name", "Lena Network", "grammatical_gender", "neuter"))
	wantForm(t, p, "grammatical_gender", "Choose one of the listed options.", `value="Lena Network"`)
	if u, _ := e.d.User(ctx, lena.ID); u.Name != "Lena" {
		t.Fatalf("a save with a bad gender stored the name: %+v", u)
	}

	// Everything at once.
	p = a.post(path, editForm(csrf, lena, "name", "Lena Network", "email", "lena.n@example.com", "phone", "8 495 000",
		"organization", "Plant 2", "vip", "on", "role", "manager", "groups", groups, "grammatical_gender", "feminine"))
	if p.status != http.StatusSeeOther {
		t.Fatalf("save: %d %.300s", p.status, p.body)
	}
	u, _ := e.d.User(ctx, lena.ID)
	if u.Name != "Lena Network" || u.Email != "lena.n@example.com" || u.Phone != "8 495 000" || u.Organization != "Plant 2" ||
		!u.VIP || u.Role != desk.RoleManager || !u.Active || len(u.Groups) != 1 || u.Groups[0].ID != net.ID {
		t.Fatalf("after the save: %+v", u)
	}
	if prefs, _ := e.d.UserPreferences(ctx, lena.ID); prefs.Gender != desk.GenderFeminine {
		t.Errorf("the gender chosen by the administrator: %q", prefs.Gender)
	}
	if p := a.get(path); !strings.Contains(p.body, `<option value="feminine" selected>`) {
		t.Errorf("the edit page does not show the gender chosen")
	}

	// Deactivating ends her sessions at once.
	l := e.client()
	l.signIn("lena.n@example.com")
	if p := l.get("/console"); p.status != http.StatusOK {
		t.Fatalf("lena's console before deactivation: %d", p.status)
	}
	if p := a.post(path, editForm(csrf, u, "active", "")); p.status != http.StatusSeeOther {
		t.Fatalf("deactivate: %d %.300s", p.status, p.body)
	}
	if p := l.get("/console"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/login") {
		t.Fatalf("lena's console after deactivation: %d %s", p.status, p.header.Get("Location"))
	}
	u.Active = false
	if p := a.post(path, editForm(csrf, u, "active", "on")); p.status != http.StatusSeeOther {
		t.Fatalf("reactivate: %d", p.status)
	}
	if p := l.get("/console"); p.status != http.StatusSeeOther {
		t.Fatalf("the old session came back with the reactivation: %d", p.status)
	}
}

// TestWeb_AdminUsersPages: the list is paged by cursor, every user once.
func TestWeb_AdminUsersPages(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	a, root := adminClient(t, e)
	ctx := desk.WithActor(context.Background(), root)
	for i := range 60 {
		if _, err := e.d.CreateUser(ctx, desk.UserInput{Email: fmt.Sprintf("u%02d@example.com", i), Name: "U", Role: desk.RoleRequester}); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]int{}
	next := "/admin/users"
	for pages := 0; next != ""; pages++ {
		if pages > 3 {
			t.Fatal("too many pages")
		}
		p := a.get(next)
		if p.status != 200 {
			t.Fatalf("%s: %d", next, p.status)
		}
		for _, m := range emailRE.FindAllStringSubmatch(p.body, -1) {
			seen[m[1]]++
		}
		next = ""
		if m := moreRE.FindStringSubmatch(p.body); m != nil {
			next = strings.ReplaceAll(m[1], "&amp;", "&")
		}
	}
	// 60 + sam, lena and root.
	if len(seen) != 63 {
		t.Errorf("saw %d users, want 63", len(seen))
	}
	for em, n := range seen {
		if n != 1 {
			t.Errorf("%s listed %d times", em, n)
		}
	}
}

// TestWeb_AdminUsersAgentRefused: an agent may neither see nor post the
// administration pages, nor find them in the navigation.
func TestWeb_AdminUsersAgentRefused(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	lena := e.client()
	lena.signIn("lena@example.com")
	csrf := lena.csrf("/agent")
	for _, path := range []string{"/admin/users", fmt.Sprintf("/admin/users/%d", e.sam.ID),
		"/admin/categories", "/admin/services", "/admin/matrix", "/admin/sla", "/admin/calendars"} {
		if p := lena.get(path); p.status != http.StatusForbidden {
			t.Errorf("GET %s: %d", path, p.status)
		}
	}
	// Her navigation offers none of the pages only administrators may
	// open (the groups stay readable by staff); theirs does.
	console := lena.get("/console").body
	for _, path := range []string{"/admin/users", "/admin/categories", "/admin/services", "/admin/matrix", "/admin/sla", "/admin/calendars"} {
		if strings.Contains(console, `href="`+path+`"`) {
			t.Errorf("the agent's navigation links to %s", path)
		}
	}
	a, _ := adminClient(t, e)
	if p := a.get("/console"); !strings.Contains(p.body, `href="/admin/users"`) || !strings.Contains(p.body, `href="/admin/matrix"`) ||
		!strings.Contains(p.body, `href="/admin/sla"`) {
		t.Error("the administrator's navigation lacks the administration pages")
	}
	for path, form := range map[string]url.Values{
		"/admin/users": {"csrf": {csrf}, "name": {"X"}, "email": {"x@example.com"}, "role": {"admin"}},
		fmt.Sprintf("/admin/users/%d", e.lena.ID):         {"csrf": {csrf}, "role": {"admin"}, "active": {"on"}},
		fmt.Sprintf("/admin/users/%d/password", e.sam.ID): {"csrf": {csrf}, "password": {"a stolen password"}, "password2": {"a stolen password"}},
	} {
		if p := lena.post(path, form); p.status != http.StatusForbidden {
			t.Errorf("POST %s: %d", path, p.status)
		}
	}
	if u, _ := e.d.User(desk.WithActor(context.Background(), e.lena), e.lena.ID); u.Role != desk.RoleAgent {
		t.Error("the agent promoted herself")
	}
}

var (
	emailRE = regexp.MustCompile(`<td>([^<@]+@example\.com)</td>`)
	moreRE  = regexp.MustCompile(`href="(/admin/users\?after=[^"]+)"`)
)
