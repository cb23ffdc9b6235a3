package sso_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/sso"
	"github.com/tierdesk/tierdesk/internal/sso/ssotest"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

var (
	lena = ssotest.Person{UID: "lena", Name: "Lena Lead", Mail: "lena@example.com", Password: "lena-pw-Tq7",
		Groups: []string{"helpdesk", "desk-admins"}}
	oleg = ssotest.Person{UID: "oleg", Name: "Oleg Outsider", Mail: "oleg@example.com", Password: "oleg-pw-Rk4",
		Groups: []string{"sales"}}
)

// directory starts slapd and returns a directory sign-in through it with
// the fixture's rules (helpdesk → agent in Operations, desk-admins →
// admin, matched by the group's cn or DN).
func (f *fixture) directory(mod func(*sso.LDAPConfig)) (*ssotest.Directory, *sso.LDAP) {
	f.t.Helper()
	dir := ssotest.StartSlapd(f.t, lena, oleg)
	f.rule("groups", "helpdesk", desk.RoleAgent, f.ops.ID)
	f.rule("groups", "cn=desk-admins,"+ssotest.GroupsDN, desk.RoleAdmin, 0)
	cfg := sso.LDAPConfig{Name: "Directory", URL: dir.URL, BindDN: ssotest.ServiceDN, BindPassword: ssotest.ServicePass,
		BaseDN: ssotest.PeopleDN, UserAttr: "uid", UserFilter: "(objectClass=inetOrgPerson)", GroupBaseDN: ssotest.GroupsDN}
	if mod != nil {
		mod(&cfg)
	}
	return dir, f.svc.LDAP(cfg)
}

// TestLDAP_SignIn: a directory user is provisioned with the roles and
// groups their directory groups map to, over plain LDAP, StartTLS and
// LDAPS; taken out of a group, they lose what it gave at the next sign-in.
func TestLDAP_SignIn(t *testing.T) {
	f := newFixture(t, testdb.SQLiteInstances)
	dir, plain := f.directory(nil)
	token, u, err := plain.SignIn(context.Background(), "lena", lena.Password, "192.0.2.1")
	f.must(err)
	if u.Email != lena.Mail || u.Name != lena.Name || u.Role != desk.RoleAdmin || !slices.Equal(groupNames(u), []string{"Operations"}) {
		t.Errorf("got %s %q %s %v, want admin in Operations", u.Email, u.Name, u.Role, groupNames(u))
	}
	if su, _, err := f.d.SessionUser(context.Background(), token); err != nil || su.ID != u.ID {
		t.Errorf("session: %v %v", su, err)
	}
	for name, mod := range map[string]func(*sso.LDAPConfig){
		"StartTLS": func(c *sso.LDAPConfig) { c.StartTLS, c.TLS = true, dir.TLS() },
		"LDAPS":    func(c *sso.LDAPConfig) { c.URL, c.TLS = dir.LDAPSURL, dir.TLS() },
	} {
		cfg := sso.LDAPConfig{URL: dir.URL, BindDN: ssotest.ServiceDN, BindPassword: ssotest.ServicePass,
			BaseDN: ssotest.PeopleDN, GroupBaseDN: ssotest.GroupsDN}
		mod(&cfg)
		if _, u2, err := f.svc.LDAP(cfg).SignIn(context.Background(), "lena", lena.Password, ""); err != nil || u2.ID != u.ID {
			t.Errorf("%s: %v", name, err)
		}
		cfg.TLS = nil // the system's roots do not trust the test CA
		if _, _, err := f.svc.LDAP(cfg).SignIn(context.Background(), "lena", lena.Password, ""); sso.ReasonOf(err) != sso.ReasonDirectory {
			t.Errorf("%s with an untrusted certificate: %v", name, err)
		}
	}
	dir.SetGroups(t, "lena", "helpdesk")
	if _, u, err = plain.SignIn(context.Background(), "lena", lena.Password, ""); err != nil || u.Role != desk.RoleAgent {
		t.Errorf("out of desk-admins: %v %v", u, err)
	}
}

// TestLDAP_Refusals: a wrong password and an unknown user are refused
// alike, a user in no mapped group is refused (or let in as a requester
// when the directory allows it), repeated failures are throttled, and a
// directory that is down is a clear refusal, not an internal error.
func TestLDAP_Refusals(t *testing.T) {
	f := newFixture(t, testdb.SQLiteInstances)
	dir, l := f.directory(nil)
	ctx := context.Background()
	for _, c := range []struct{ user, pw string }{{"lena", "wrong"}, {"nobody", "whatever"}, {"lena", ""}, {"*", lena.Password}} {
		_, _, err := l.SignIn(ctx, c.user, c.pw, "")
		if sso.ReasonOf(err) != sso.ReasonCredentials || !strings.Contains(err.Error(), "wrong directory user name or password") {
			t.Errorf("%q/%q: %v", c.user, c.pw, err)
		}
	}
	if _, _, err := l.SignIn(ctx, "oleg", oleg.Password, ""); sso.ReasonOf(err) != sso.ReasonNotAllowed {
		t.Errorf("user in no mapped group: %v", err)
	}
	if _, err := f.st.GetUserByEmail(ctx, oleg.Mail); desk.ErrorCode(err) != desk.ENOTFOUND {
		t.Errorf("a refused user was created: %v", err)
	}
	open := f.svc.LDAP(sso.LDAPConfig{URL: dir.URL, BindDN: ssotest.ServiceDN, BindPassword: ssotest.ServicePass,
		BaseDN: ssotest.PeopleDN, GroupBaseDN: ssotest.GroupsDN, AllowUnmapped: true})
	if _, u, err := open.SignIn(ctx, "oleg", oleg.Password, ""); err != nil || u.Role != desk.RoleRequester {
		t.Errorf("user in no mapped group, unmapped allowed: %v %v", u, err)
	}
	for range desk.LoginFailuresPerAccount {
		l.SignIn(ctx, "lena", "wrong", "")
	}
	var te *desk.ThrottleError
	if _, _, err := l.SignIn(ctx, "lena", lena.Password, ""); !errorsAs(err, &te) {
		t.Errorf("after %d failures the right password: %v, want throttled", desk.LoginFailuresPerAccount, err)
	}
	bad := f.svc.LDAP(sso.LDAPConfig{URL: dir.URL, BindDN: ssotest.ServiceDN, BindPassword: "not-the-password", BaseDN: ssotest.PeopleDN})
	if _, _, err := bad.SignIn(ctx, "oleg", oleg.Password, ""); sso.ReasonOf(err) != sso.ReasonDirectory ||
		strings.Contains(err.Error(), "not-the-password") || strings.Contains(err.Error(), oleg.Password) {
		t.Errorf("wrong service password: %v", err)
	}
	dir.Stop()
	_, _, err := l.SignIn(ctx, "oleg", oleg.Password, "")
	if sso.ReasonOf(err) != sso.ReasonDirectory || sso.Status(err) >= 500 {
		t.Errorf("directory down: %v (status %d)", err, sso.Status(err))
	}
	if strings.Contains(f.logbuf.String()+err.Error(), ssotest.ServicePass) || strings.Contains(f.logbuf.String(), lena.Password) {
		t.Errorf("a password was logged:\n%s", f.logbuf.String())
	}
}

func errorsAs[T error](err error, target *T) bool { return errors.As(err, target) }
