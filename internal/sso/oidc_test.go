package sso_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/sso"
	"github.com/tierdesk/tierdesk/internal/sso/ssotest"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestMain stops the PgBouncer that the tests through it started.
func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

var (
	anna = ssotest.User{Username: "anna", Subject: "sub-anna", Email: "anna@example.com", EmailVerified: true,
		Name: "Anna Agent", Groups: []string{"helpdesk", "staff"}}
	boss = ssotest.User{Username: "boss", Subject: "sub-boss", Email: "boss@example.com", EmailVerified: true,
		Name: "Bea Boss", Groups: []string{"desk-admins", "helpdesk"}}
	rita = ssotest.User{Username: "rita", Subject: "sub-rita", Email: "rita@example.com", EmailVerified: true,
		Name: "Rita Requester", Groups: []string{"staff"}}
)

// mapped sets the rules of the tests: helpdesk → agent in Operations,
// desk-admins → admin.
func (f *fixture) mapped() {
	f.rule("groups", "helpdesk", desk.RoleAgent, f.ops.ID)
	f.rule("groups", "desk-admins", desk.RoleAdmin, 0)
	for _, u := range []ssotest.User{anna, boss, rita} {
		f.op.SetUser(u)
	}
}

// TestOIDC_FirstSignInProvisions: a first sign-in creates the user with the
// role and groups the rules give, linked so that the next one finds them,
// and opens a session the desk accepts.
func TestOIDC_FirstSignInProvisions(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		f.mapped()
		cases := []struct {
			user   ssotest.User
			role   desk.Role
			groups []string
		}{
			{anna, desk.RoleAgent, []string{"Operations"}},
			{boss, desk.RoleAdmin, []string{"Operations"}},
			{rita, desk.RoleRequester, nil},
		}
		for _, c := range cases {
			token, u, err := f.signIn(c.user.Username)
			f.must(err)
			if u.Email != c.user.Email || u.Name != c.user.Name || u.Role != c.role || !slices.Equal(groupNames(u), c.groups) {
				t.Errorf("%s: got %s %q %s %v, want %s %v", c.user.Username, u.Email, u.Name, u.Role, groupNames(u), c.role, c.groups)
			}
			su, _, err := f.d.SessionUser(context.Background(), token)
			f.must(err)
			if su.ID != u.ID {
				t.Errorf("%s: the session is user %d's, want %d", c.user.Username, su.ID, u.ID)
			}
		}
		_, again, err := f.signIn("anna")
		f.must(err)
		if page, _ := f.d.ListUsers(f.admin, desk.UserFilter{Limit: 50}); len(page.Users) != 4 {
			t.Errorf("%d users after a second sign-in, want 4 (no duplicate)", len(page.Users))
		}
		if again.Role != desk.RoleAgent {
			t.Errorf("second sign-in: role %s", again.Role)
		}
	})
}

// TestOIDC_RemovedFromMappedGroup: at every sign-in the rules apply again,
// so a user taken out of the mapped group at the provider loses the role
// and the group; a group no rule names, joined by hand, is kept.
func TestOIDC_RemovedFromMappedGroup(t *testing.T) {
	f := newFixture(t, testdb.SQLiteInstances)
	f.mapped()
	_, b, err := f.signIn("boss")
	f.must(err)
	groups := []int64{f.ops.ID, f.l2.ID}
	_, err = f.d.UpdateUser(f.admin, b.ID, desk.UserPatch{Groups: &groups})
	f.must(err)

	demoted := boss
	demoted.Groups = []string{"helpdesk"}
	f.op.SetUser(demoted)
	_, u, err := f.signIn("boss")
	f.must(err)
	if u.Role != desk.RoleAgent || !slices.Equal(groupNames(u), []string{"Operations", "Network"}) {
		t.Errorf("out of desk-admins: %s %v, want agent [Operations Network]", u.Role, groupNames(u))
	}
	demoted.Groups = []string{"staff"}
	f.op.SetUser(demoted)
	_, u, err = f.signIn("boss")
	f.must(err)
	if u.Role != desk.RoleRequester || len(u.Groups) != 0 {
		t.Errorf("out of every mapped group: %s %v, want requester in no group", u.Role, groupNames(u))
	}
	stored, err := f.d.User(f.admin, u.ID)
	f.must(err)
	if stored.Role != desk.RoleRequester {
		t.Errorf("stored role %s", stored.Role)
	}
}

// TestOIDC_Refusals: tokens for another audience, expired or signed with
// a key the provider does not publish are refused with their reason, and
// nobody is created or signed in.
func TestOIDC_Refusals(t *testing.T) {
	f := newFixture(t, testdb.SQLiteInstances)
	f.mapped()
	cases := []struct {
		name  string
		setup func()
		want  sso.Reason
	}{
		{"wrong audience", func() { f.op.SetAudience("another-app") }, sso.ReasonAudience},
		{"expired", func() { f.op.SetIDTokenLifetime(-time.Minute) }, sso.ReasonExpired},
		{"bad signature", func() { f.op.SignWithRogueKey(true) }, sso.ReasonSignature},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.setup()
			defer func() { f.op.SetAudience(""); f.op.SetIDTokenLifetime(0); f.op.SignWithRogueKey(false) }()
			token, _, err := f.signIn("anna")
			if got := sso.ReasonOf(err); got != c.want || token != "" {
				t.Fatalf("got reason %q (%v), token %q; want %q", got, err, token, c.want)
			}
			if _, err := f.st.GetUserByEmail(context.Background(), anna.Email); desk.ErrorCode(err) != desk.ENOTFOUND {
				t.Errorf("a refused sign-in created the user: %v", err)
			}
		})
	}
	if _, _, err := f.signIn("anna"); err != nil {
		t.Errorf("after the provider is mended: %v", err)
	}
}

// TestOIDC_StateReplay: a callback works once; the same state again, a
// state this browser did not start, and an error from the provider are
// refused.
func TestOIDC_StateReplay(t *testing.T) {
	f := newFixture(t, testdb.SQLiteInstances)
	f.mapped()
	state, q := f.authorize("anna")
	if _, _, _, err := f.oidc.Finish(context.Background(), state, q); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := f.oidc.Finish(context.Background(), state, q); sso.ReasonOf(err) != sso.ReasonState {
		t.Errorf("replayed state: %v", err)
	}
	other, q2 := f.authorize("anna")
	if _, _, _, err := f.oidc.Finish(context.Background(), other+"x", q2); sso.ReasonOf(err) != sso.ReasonState {
		t.Errorf("another browser's state: %v", err)
	}
	if _, _, _, err := f.oidc.Finish(context.Background(), other, q2); err != nil {
		t.Errorf("the right browser after a wrong one: %v", err)
	}
	q2.Set("error", "access_denied")
	if _, _, _, err := f.oidc.Finish(context.Background(), other, q2); sso.ReasonOf(err) != sso.ReasonDenied {
		t.Errorf("provider error: %v", err)
	}
}

// TestOIDC_ExistingAccount: a first sign-in links the account with the
// address only when the provider verifies it.
func TestOIDC_ExistingAccount(t *testing.T) {
	f := newFixture(t, testdb.SQLiteInstances)
	f.mapped()
	local, err := f.d.CreateUser(f.admin, desk.UserInput{Email: "anna@example.com", Name: "Anna", Role: desk.RoleRequester})
	f.must(err)
	unverified := anna
	unverified.EmailVerified = false
	f.op.SetUser(unverified)
	if _, _, err := f.signIn("anna"); sso.ReasonOf(err) != sso.ReasonUnverified {
		t.Fatalf("unverified address of an existing account: %v", err)
	}
	f.op.SetUser(anna)
	_, u, err := f.signIn("anna")
	f.must(err)
	if u.ID != local.ID || u.Role != desk.RoleAgent {
		t.Errorf("linked user %d %s, want %d agent", u.ID, u.Role, local.ID)
	}
	off := false
	_, err = f.d.UpdateUser(f.admin, u.ID, desk.UserPatch{Active: &off})
	f.must(err)
	if _, _, err := f.signIn("anna"); sso.ReasonOf(err) != sso.ReasonDeactivated {
		t.Errorf("deactivated: %v", err)
	}
}

// TestOIDC_StaffPasswordsOff: with staff passwords off, an agent's right
// password is refused and a requester's is not; with them on, both work.
func TestOIDC_StaffPasswordsOff(t *testing.T) {
	f := newFixture(t, testdb.SQLiteInstances)
	agent, err := f.d.CreateUser(f.admin, desk.UserInput{Email: "a@example.com", Name: "A", Role: desk.RoleAgent})
	f.must(err)
	req, err := f.d.CreateUser(f.admin, desk.UserInput{Email: "r@example.com", Name: "R", Role: desk.RoleRequester})
	f.must(err)
	const pw = "correct horse battery staple"
	f.must(f.d.SetPassword(f.admin, agent.ID, pw))
	f.must(f.d.SetPassword(f.admin, req.ID, pw))
	_, err = f.svc.SetSettings(f.admin, sso.Settings{StaffPasswordsOff: true})
	f.must(err)
	if _, _, err := f.d.SignIn(context.Background(), "a@example.com", pw, ""); desk.ErrorCode(err) != desk.EFORBIDDEN {
		t.Errorf("agent's password with staff passwords off: %v", err)
	}
	if _, _, err := f.d.SignIn(context.Background(), "r@example.com", pw, ""); err != nil {
		t.Errorf("requester's password with staff passwords off: %v", err)
	}
	_, err = f.svc.SetSettings(f.admin, sso.Settings{})
	f.must(err)
	if _, _, err := f.d.SignIn(context.Background(), "a@example.com", pw, ""); err != nil {
		t.Errorf("agent's password with staff passwords on: %v", err)
	}
}

// TestOIDC_SecretsNotLogged: nothing the service logs, or says in an
// error, holds the client secret, the code, the state or a session token.
func TestOIDC_SecretsNotLogged(t *testing.T) {
	f := newFixture(t, testdb.SQLiteInstances)
	f.mapped()
	state, q := f.authorize("anna")
	token, _, _, err := f.oidc.Finish(context.Background(), state, q)
	f.must(err)
	_, _, _, replay := f.oidc.Finish(context.Background(), state, q)
	f.op.SetAudience("another-app")
	_, _, refused := f.signIn("anna")
	text := f.logbuf.String() + replay.Error() + refused.Error()
	if !strings.Contains(f.logbuf.String(), "single sign-on") {
		t.Fatalf("nothing logged: %q", f.logbuf.String())
	}
	for name, secret := range map[string]string{"client secret": clientSecret, "code": q.Get("code"),
		"state": state, "session token": token} {
		if secret != "" && strings.Contains(text, secret) {
			t.Errorf("the %s appears in the log or an error:\n%s", name, text)
		}
	}
}

// TestRules_AdminOnlyAndValidated: only administrators read or change the
// rules; bad input is refused field by field.
func TestRules_AdminOnlyAndValidated(t *testing.T) {
	f := newFixture(t, testdb.SQLiteInstances)
	r := f.rule("groups", "helpdesk", desk.RoleAgent, f.ops.ID)
	agent, err := f.d.CreateUser(f.admin, desk.UserInput{Email: "a@example.com", Name: "A", Role: desk.RoleAgent})
	f.must(err)
	actx := desk.WithActor(context.Background(), agent)
	if _, err := f.svc.Rules(actx); desk.ErrorCode(err) != desk.EFORBIDDEN {
		t.Errorf("agent lists rules: %v", err)
	}
	if _, err := f.svc.CreateRule(actx, sso.RuleInput{Claim: "groups", Value: "x", Role: desk.RoleAdmin}); desk.ErrorCode(err) != desk.EFORBIDDEN {
		t.Errorf("agent creates a rule: %v", err)
	}
	if _, err := f.svc.Rules(context.Background()); desk.ErrorCode(err) != desk.EUNAUTHENTICATED {
		t.Errorf("anonymous lists rules: %v", err)
	}
	bad := []sso.RuleInput{
		{Claim: "", Value: "x", Role: desk.RoleAgent},
		{Claim: "groups", Value: "", Role: desk.RoleAgent},
		{Claim: "groups", Value: "x", Role: "boss"},
		{Claim: "groups", Value: "x"},
		{Claim: "groups", Value: "x", GroupID: 9999},
		{Claim: "groups", Value: strings.Repeat("x", sso.MaxValueLen+1), Role: desk.RoleAgent},
	}
	for _, in := range bad {
		if _, err := f.svc.CreateRule(f.admin, in); desk.ErrorCode(err) != desk.EINVALID {
			t.Errorf("%+v: %v", in, err)
		}
	}
	got, err := f.svc.UpdateRule(f.admin, r.ID, sso.RuleInput{Claim: "roles", Value: "boss", Role: desk.RoleManager})
	f.must(err)
	if got.Claim != "roles" || got.Role != desk.RoleManager || got.GroupID != 0 {
		t.Errorf("updated: %+v", got)
	}
	if _, err := f.svc.UpdateRule(f.admin, 999, sso.RuleInput{Claim: "a", Value: "b", Role: desk.RoleAgent}); desk.ErrorCode(err) != desk.ENOTFOUND {
		t.Errorf("update of no rule: %v", err)
	}
	f.must(f.svc.DeleteRule(f.admin, r.ID))
	if err := f.svc.DeleteRule(f.admin, r.ID); desk.ErrorCode(err) != desk.ENOTFOUND {
		t.Errorf("second delete: %v", err)
	}
}
