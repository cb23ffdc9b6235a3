package sso_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/sso"
	"github.com/tierdesk/tierdesk/internal/testclock"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// boundedOIDC is a second sign-in with the fixture's provider on a clock
// the test moves, with small limits.
func (f *fixture) boundedOIDC(lim sso.LoginLimits, allowUnmapped bool) (*sso.OIDC, *sso.Service, *testclock.Clock) {
	clock := testclock.New(time.Now())
	svc := sso.New(f.d, f.st, clock, nil)
	o := svc.OIDC(sso.OIDCConfig{Name: "Test ID", Issuer: f.op.Issuer, ClientID: clientID, ClientSecret: clientSecret,
		RedirectURL: redirectURL, Scopes: []string{"groups"}, Limits: lim, AllowUnmapped: allowUnmapped})
	return o, svc, clock
}

func (f *fixture) pending() int {
	f.t.Helper()
	n, err := f.st.SSOLoginsPending(context.Background())
	f.must(err)
	return n
}

// TestOIDC_StartFlood: anyone may start a sign-in, and each start stores a
// row; a flood from one address stops at the limit per client (an IPv6
// client counted by its /64), a flood from many at the cap of the table,
// each refused with its reason and nothing stored; the rows expire and the
// background sweep forgets them, after which a legitimate sign-in works,
// from a flooding address too.
func TestOIDC_StartFlood(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		f.mapped()
		o, svc, clock := f.boundedOIDC(sso.LoginLimits{PerClient: 5, Total: 40}, false)
		ctx := context.Background()
		begin := func(client string) sso.Reason {
			t.Helper()
			_, state, err := o.Begin(ctx, "/", client)
			if r := sso.ReasonOf(err); r != "" || err != nil {
				if state != "" {
					t.Errorf("a refused start returned a state")
				}
				if r == "" {
					t.Fatalf("start for %s: %v", client, err)
				}
				return r
			}
			return ""
		}
		count := func(clients []string) map[sso.Reason]int {
			out := map[sso.Reason]int{}
			for _, c := range clients {
				out[begin(c)]++
			}
			return out
		}
		same := make([]string, 50)
		for i := range same {
			same[i] = "198.51.100.7"
		}
		if got := count(same); got[""] != 5 || got[sso.ReasonTooMany] != 45 {
			t.Errorf("50 starts from one address: %v, want 5 stored and 45 refused too_many", got)
		}
		var v6 []string
		for i := range 20 {
			v6 = append(v6, fmt.Sprintf("2001:db8:1:2:%x::1", i+1)) // one /64, twenty hosts
		}
		if got := count(v6); got[""] != 5 || got[sso.ReasonTooMany] != 15 {
			t.Errorf("20 starts from one IPv6 /64: %v, want 5 stored", got)
		}
		if f.pending() != 10 {
			t.Errorf("%d rows after two floods, want 10", f.pending())
		}
		var many []string
		for i := range 500 {
			many = append(many, fmt.Sprintf("10.%d.%d.1", i/250, i%250))
		}
		got := count(many)
		if got[""] != 30 || got[sso.ReasonBusy] != 470 {
			t.Errorf("500 starts from 500 addresses: %v, want 30 stored (to the cap of 40) and 470 refused busy", got)
		}
		if n := f.pending(); n != 40 {
			t.Errorf("%d rows after the floods, want the cap, 40", n)
		}
		if r := begin("192.0.2.99"); r != sso.ReasonBusy {
			t.Errorf("a newcomer while the table is full: %q, want busy", r)
		}

		clock.Advance(sso.LoginTTL - time.Second)
		if n, err := svc.Sweep(ctx); err != nil || n != 0 {
			t.Errorf("sweep before expiry: %d %v, want 0", n, err)
		}
		clock.Advance(2 * time.Second)
		if n, err := svc.Sweep(ctx); err != nil || n != 40 {
			t.Errorf("sweep after expiry: %d %v, want 40 forgotten", n, err)
		}
		if n := f.pending(); n != 0 {
			t.Errorf("%d rows after the sweep", n)
		}
		// Without a sweep, a start forgets the expired rows on the way.
		if got := count(many[:100]); got[""] != 40 {
			t.Errorf("a second flood: %v, want 40 stored", got)
		}
		clock.Advance(sso.LoginTTL + time.Second)
		if r := begin("192.0.2.50"); r != "" || f.pending() != 1 {
			t.Errorf("a start after the second flood expired: %q, %d rows; want stored, 1 row", r, f.pending())
		}
		for _, client := range []string{"198.51.100.7", "192.0.2.99"} {
			state, q := f.authorizeWith(o, client, "anna")
			if _, u, _, err := o.Finish(ctx, state, q); err != nil || u.Email != anna.Email {
				t.Errorf("a legitimate sign-in from %s after the flood: %v", client, err)
			}
		}
		if n := f.pending(); n != 1 {
			t.Errorf("%d rows after two finished sign-ins, want 1 (192.0.2.50's)", n)
		}
	})
}

// TestOIDC_StartKeepsShortNext: the local page to return to is anyone's to
// write, so a long one is not stored: the sign-in returns to "/".
func TestOIDC_StartKeepsShortNext(t *testing.T) {
	f := newFixture(t, testdb.SQLiteInstances)
	f.mapped()
	ctx := context.Background()
	for next, want := range map[string]string{"/tickets?state=open": "/tickets?state=open",
		"/" + strings.Repeat("x", sso.MaxNextLen): "/"} {
		authURL, state, err := f.oidc.Begin(ctx, next, "192.0.2.1")
		f.must(err)
		q := f.completeAt(authURL, "anna")
		_, _, got, err := f.oidc.Finish(ctx, state, q)
		f.must(err)
		if got != want {
			t.Errorf("next of %d bytes came back as %.40q, want %q", len(next), got, want)
		}
	}
}

func TestClientKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.1":            "192.0.2.1",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2::ffff":   "2001:db8:1:2::/64",
		"2001:db8:1:3::1":      "2001:db8:1:3::/64",
		"pipe":                 "pipe",
		"":                     "",
		"::ffff:192.0.2.1":     "::ffff:192.0.2.1",
		"fe80::1%eth0":         "fe80::/64",
	} {
		if got := sso.ClientKey(in); got != want {
			t.Errorf("ClientKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// strictFixture is a fixture with the tests' rules and a sign-in that
// refuses users whom no rule matches (the default).
func strictFixture(t *testing.T, open testdb.Opener) (*fixture, *sso.OIDC) {
	t.Helper()
	f := newFixture(t, open)
	f.mapped()
	strict, _, _ := f.boundedOIDC(sso.LoginLimits{}, false)
	return f, strict
}

// TestOIDC_Unmapped: by default a user whom no rule matches is refused
// (as the directory sign-in refuses), with nothing created or linked, and
// a mapped user still signs in; with AllowUnmapped the same user becomes a
// requester.
func TestOIDC_Unmapped(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f, strict := strictFixture(t, open)
		ctx := context.Background()
		state, q := f.authorizeWith(strict, "192.0.2.1", "rita")
		token, _, _, err := strict.Finish(ctx, state, q)
		if sso.ReasonOf(err) != sso.ReasonUnmapped || token != "" || sso.Status(err) != 403 {
			t.Fatalf("unmapped rita: %v (status %d), token %q; want refused unmapped, 403", err, sso.Status(err), token)
		}
		if _, err := f.st.GetUserByEmail(ctx, rita.Email); desk.ErrorCode(err) != desk.ENOTFOUND {
			t.Errorf("a refused unmapped user was created: %v", err)
		}
		if _, err := f.st.SSOIdentityUser(ctx, strict.ProviderKey(), rita.Subject); desk.ErrorCode(err) != desk.ENOTFOUND {
			t.Errorf("a refused unmapped identity was linked: %v", err)
		}
		state, q = f.authorizeWith(strict, "192.0.2.1", "anna")
		if _, u, _, err := strict.Finish(ctx, state, q); err != nil || u.Role != desk.RoleAgent {
			t.Errorf("mapped anna through the strict sign-in: %v", err)
		}
		lax, _, _ := f.boundedOIDC(sso.LoginLimits{}, true)
		state, q = f.authorizeWith(lax, "192.0.2.1", "rita")
		if _, u, _, err := lax.Finish(ctx, state, q); err != nil || u.Role != desk.RoleRequester {
			t.Errorf("unmapped rita with AllowUnmapped: %v %v, want a requester", u, err)
		}
	})
}

// sessionAt says whether the desk accepts the session token at the time:
// a desk on the fixture's database whose clock the test sets.
func (f *fixture) sessionAt(token string, at time.Time) bool {
	f.t.Helper()
	_, _, err := desk.New(f.st, testclock.New(at), desk.DefaultConfig).SessionUser(context.Background(), token)
	if err != nil && desk.ErrorCode(err) != desk.EUNAUTHENTICATED {
		f.t.Fatal(err)
	}
	return err == nil
}

// TestOIDC_RemovedFromMappedGroupEndsSessions: a user whom the provider
// takes out of every mapped group is refused at the next sign-in (unmapped
// users are refused by default), and that refusal also takes away what the
// rules gave (the role and the groups: a requester is in none) and
// signs the user out of every browser already signed in, where the old
// role would otherwise last for the session's week. Put back in the group,
// the user signs in again with the role.
func TestOIDC_RemovedFromMappedGroupEndsSessions(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f, strict := strictFixture(t, open)
		ctx := context.Background()
		signIn := func() (string, *desk.User, error) {
			state, q := f.authorizeWith(strict, "192.0.2.7", "anna")
			token, u, _, err := strict.Finish(ctx, state, q)
			return token, u, err
		}
		first, u, err := signIn()
		f.must(err)
		byHand := []int64{f.ops.ID, f.l2.ID}
		_, err = f.d.UpdateUser(f.admin, u.ID, desk.UserPatch{Groups: &byHand})
		f.must(err)
		second, _, err := signIn()
		f.must(err)
		now := time.Now()
		if !f.sessionAt(first, now) || !f.sessionAt(second, now) {
			t.Fatal("the sessions of the mapped user do not work")
		}

		out := anna
		out.Groups = []string{"staff"}
		f.op.SetUser(out)
		if token, _, err := signIn(); sso.ReasonOf(err) != sso.ReasonUnmapped || token != "" {
			t.Fatalf("out of every mapped group: %v, token %q; want refused unmapped", err, token)
		}
		for name, token := range map[string]string{"first": first, "second": second} {
			if f.sessionAt(token, time.Now()) {
				t.Errorf("the %s browser is still signed in after the provider took the user out of the mapped group", name)
			}
		}
		stored, err := f.d.User(f.admin, u.ID)
		f.must(err)
		if stored.Role != desk.RoleRequester || len(stored.Groups) != 0 {
			t.Errorf("after the refused sign-in: %s %v, want a requester in no group", stored.Role, groupNames(stored))
		}

		f.op.SetUser(anna)
		if _, u, err := signIn(); err != nil || u.Role != desk.RoleAgent {
			t.Errorf("back in helpdesk: %v %v, want an agent", u, err)
		}
	})
}

// TestOIDC_SessionsEndAtSessionMax: a session opened by single sign-on ends
// DefaultSessionMax after sign-in however it is used, so that the browser
// goes back to the provider and the rules apply again; SetSessionMax
// shortens it. A password session of the same age goes on.
func TestOIDC_SessionsEndAtSessionMax(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		f.mapped()
		ctx := context.Background()
		root, err := f.st.GetUserByEmail(ctx, "root@example.com")
		f.must(err)
		f.must(f.d.SetPassword(desk.AsSystem(ctx), root.ID, "root password of the session test"))
		local, _, err := f.d.SignIn(ctx, "root@example.com", "root password of the session test", "192.0.2.8")
		f.must(err)
		start := time.Now()
		sso8h, _, err := f.signIn("anna")
		f.must(err)

		// used an hour before the end, and just after it
		if !f.sessionAt(sso8h, start.Add(sso.DefaultSessionMax-time.Hour)) {
			t.Fatalf("the single sign-on session ended before %v", sso.DefaultSessionMax)
		}
		if f.sessionAt(sso8h, start.Add(sso.DefaultSessionMax+time.Minute)) {
			t.Errorf("the single sign-on session still works %v after sign-in", sso.DefaultSessionMax+time.Minute)
		}
		if !f.sessionAt(local, start.Add(sso.DefaultSessionMax+time.Minute)) {
			t.Errorf("the password session ended with the single sign-on one")
		}

		f.svc.SetSessionMax(time.Hour)
		start = time.Now()
		sso1h, _, err := f.signIn("anna")
		f.must(err)
		if !f.sessionAt(sso1h, start.Add(59*time.Minute)) || f.sessionAt(sso1h, start.Add(61*time.Minute)) {
			t.Errorf("with SetSessionMax(1h) the session does not end after an hour")
		}
	})
}
