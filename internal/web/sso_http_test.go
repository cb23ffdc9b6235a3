package web_test

import (
	"context"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/sso"
	"github.com/tierdesk/tierdesk/internal/sso/ssotest"
	"github.com/tierdesk/tierdesk/internal/testdb"
	"github.com/tierdesk/tierdesk/internal/web"
)

// newSSOEnv serves a desk with the sign-on service (and whatever providers
// mod adds) and an administrator ada besides sam and lena.
func newSSOEnv(t *testing.T, mod func(*sso.Service, *web.Options)) (*httpEnv, *sso.Service) {
	t.Helper()
	st := testdb.SQLite(t)
	d := desk.New(st, desk.SystemClock{}, desk.DefaultConfig)
	svc := sso.New(d, st, desk.SystemClock{}, nil)
	opts := web.Options{Location: time.UTC, SSO: svc}
	if mod != nil {
		mod(svc, &opts)
	}
	h, err := web.New(d, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	e := &httpEnv{t: t, d: d, st: st, srv: httptest.NewServer(h)}
	t.Cleanup(e.srv.Close)
	ctx := context.Background()
	for _, u := range []desk.UserInput{{Email: "sam@example.com", Name: "Sam", Role: desk.RoleRequester},
		{Email: "lena@example.com", Name: "Lena", Role: desk.RoleAgent, Groups: []int64{1}},
		{Email: "ada@example.com", Name: "Ada", Role: desk.RoleAdmin}} {
		nu, _, err := d.Bootstrap(ctx, u, false)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.SetPassword(desk.AsSystem(ctx), nu.ID, pw); err != nil {
			t.Fatal(err)
		}
	}
	return e, svc
}

// TestWeb_AdminSSO: only administrators open the sign-on page; they add,
// change and delete rules (bad input comes back with the field's error)
// and turn staff passwords off, after which an agent's password is refused
// on the sign-in page with a clear message and a requester's is not.
func TestWeb_AdminSSO(t *testing.T) {
	e, svc := newSSOEnv(t, nil)
	lena, ada, sam := e.client(), e.client(), e.client()
	lena.signIn("lena@example.com")
	ada.signIn("ada@example.com")
	sam.signIn("sam@example.com")
	if r := lena.get("/admin/sso"); r.status != 403 {
		t.Errorf("agent on /admin/sso: %d", r.status)
	}
	if r := sam.get("/admin/sso"); r.status != 404 {
		t.Errorf("requester on /admin/sso: %d", r.status)
	}
	if r := lena.post("/admin/sso/rules", url.Values{"csrf": {lena.csrf("/my")}, "claim": {"groups"}, "value": {"x"}, "role": {"admin"}}); r.status != 403 {
		t.Errorf("agent adds a rule: %d", r.status)
	}
	csrf := ada.csrf("/admin/sso")
	r := ada.post("/admin/sso/rules", url.Values{"csrf": {csrf}, "claim": {"groups"}, "value": {""}, "role": {"agent"}})
	if r.status != 422 || !strings.Contains(r.body, `id="value-error"`) {
		t.Errorf("empty value: %d %s", r.status, r.body)
	}
	r = ada.post("/admin/sso/rules", url.Values{"csrf": {csrf}, "claim": {"groups"}, "value": {"helpdesk"}, "role": {"agent"}, "group": {"1"}})
	if r.status != 303 {
		t.Fatalf("add a rule: %d %s", r.status, r.body)
	}
	rules, _ := svc.Rules(desk.AsSystem(context.Background()))
	if len(rules) != 1 || rules[0].Value != "helpdesk" || rules[0].GroupID != 1 {
		t.Fatalf("rules: %+v", rules)
	}
	id := rules[0].ID
	page := ada.get("/admin/sso").body
	if !strings.Contains(page, `value="helpdesk"`) {
		t.Errorf("the rule is not on the page")
	}
	path := "/admin/sso/rules/" + strconv.FormatInt(id, 10)
	if r := ada.post(path, url.Values{"csrf": {csrf}, "claim": {"roles"}, "value": {"boss"}, "role": {"manager"}}); r.status != 303 {
		t.Errorf("save a rule: %d", r.status)
	}
	if rules, _ = svc.Rules(desk.AsSystem(context.Background())); rules[0].Role != desk.RoleManager || rules[0].GroupID != 0 {
		t.Errorf("saved: %+v", rules[0])
	}
	if r := ada.post(path+"/delete", url.Values{"csrf": {csrf}}); r.status != 303 {
		t.Errorf("delete a rule: %d", r.status)
	}
	if r := ada.post("/admin/sso/settings", url.Values{"csrf": {csrf}, "staff_passwords_off": {"on"}}); r.status != 303 {
		t.Errorf("settings: %d", r.status)
	}
	again := e.client()
	if r := again.signIn("lena@example.com"); r.status != 403 || !strings.Contains(r.body, "password sign-in is turned off") {
		t.Errorf("agent's password with staff passwords off: %d", r.status)
	}
	if r := again.signIn("sam@example.com"); r.status != 303 {
		t.Errorf("requester's password with staff passwords off: %d", r.status)
	}
}

// TestWeb_DirectorySignIn: the sign-in page offers the directory's form;
// the right password signs in with the mapped role, a wrong one and a
// directory that is down answer the page again with a clear message (no
// 5xx).
func TestWeb_DirectorySignIn(t *testing.T) {
	person := ssotest.Person{UID: "kira", Name: "Kira Keen", Mail: "kira@example.com", Password: "kira-pw-Mx3", Groups: []string{"helpdesk"}}
	var dir *ssotest.Directory
	e, svc := newSSOEnv(t, func(svc *sso.Service, o *web.Options) {
		dir = ssotest.StartSlapd(t, person)
		o.LDAP = svc.LDAP(sso.LDAPConfig{Name: "Example Directory", URL: dir.URL, BindDN: ssotest.ServiceDN,
			BindPassword: ssotest.ServicePass, BaseDN: ssotest.PeopleDN, GroupBaseDN: ssotest.GroupsDN})
	})
	if _, err := svc.CreateRule(desk.AsSystem(context.Background()), sso.RuleInput{Claim: "groups", Value: "helpdesk", Role: desk.RoleAgent, GroupID: 1}); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	login := c.get("/login").body
	if !strings.Contains(login, "Sign in with Example Directory") || !strings.Contains(login, `action="/sso/ldap"`) {
		t.Fatalf("the sign-in page offers no directory form")
	}
	form := func(pw string) url.Values {
		return url.Values{"csrf": {c.csrf("/login")}, "ldap_user": {"kira"}, "ldap_password": {pw}, "next": {"/"}}
	}
	if r := c.post("/sso/ldap", form("wrong")); r.status != 401 || !strings.Contains(r.body, "The user name or the password is wrong.") {
		t.Errorf("wrong password: %d", r.status)
	}
	r := c.post("/sso/ldap", form(person.Password))
	if r.status != 303 || sessionCookie(r) == nil {
		t.Fatalf("right password: %d", r.status)
	}
	if u, err := e.st.GetUserByEmail(context.Background(), person.Mail); err != nil || u.Role != desk.RoleAgent {
		t.Errorf("provisioned: %v %v", u, err)
	}
	dir.Stop()
	d := e.client()
	r = d.post("/sso/ldap", url.Values{"csrf": {d.csrf("/login")}, "ldap_user": {"kira"}, "ldap_password": {person.Password}})
	if r.status >= 500 || !strings.Contains(r.body, "The directory cannot be reached.") {
		t.Errorf("directory down: %d", r.status)
	}
}
