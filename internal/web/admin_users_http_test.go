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
	p = a.post(path, url.Values{"csrf": {csrf}, "role": {"manager"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("save: %d %.300s", p.status, p.body)
	}
	if nick, _ = e.d.User(ctx, nick.ID); nick.Role != desk.RoleManager || nick.Active || len(nick.Groups) != 0 {
		t.Fatalf("after edit: %+v", nick)
	}
	// Back to an active agent in the group.
	a.post(path, url.Values{"csrf": {csrf}, "role": {"agent"}, "active": {"on"}, "groups": {"1"}})
	if nick, _ = e.d.User(ctx, nick.ID); nick.Role != desk.RoleAgent || !nick.Active || len(nick.Groups) != 1 {
		t.Fatalf("after second edit: %+v", nick)
	}
	// A bad role keeps the form.
	p = a.post(path, url.Values{"csrf": {csrf}, "role": {"king"}, "active": {"on"}})
	wantForm(t, p, "role", "Choose a role.", `name="active" checked`)
	// An administrator cannot demote themselves.
	p = a.post(fmt.Sprintf("/admin/users/%d", root.ID), url.Values{"csrf": {csrf}, "role": {"agent"}, "active": {"on"}})
	wantForm(t, p, "role", "You cannot take the administrator role from yourself", `value="agent" selected`)
	if r, _ := e.d.User(ctx, root.ID); r.Role != desk.RoleAdmin {
		t.Fatal("the administrator demoted themselves")
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

// TestWeb_AdminUsersAgentRefused: an agent may neither see nor post the pages.
func TestWeb_AdminUsersAgentRefused(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	lena := e.client()
	lena.signIn("lena@example.com")
	csrf := lena.csrf("/agent")
	for _, path := range []string{"/admin/users", fmt.Sprintf("/admin/users/%d", e.sam.ID)} {
		if p := lena.get(path); p.status != http.StatusForbidden {
			t.Errorf("GET %s: %d", path, p.status)
		}
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
