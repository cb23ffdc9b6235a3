package sso_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/sso"
	"github.com/tierdesk/tierdesk/internal/sso/ssotest"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

const (
	clientID     = "tierdesk"
	clientSecret = "s3cret-of-the-client-Zq8"
	redirectURL  = "http://127.0.0.1:1/sso/oidc/callback" // never fetched: the test stops there
)

// fixture is a desk on a real database, a real OpenID provider on loopback
// and the sign-on service between them, logging into a buffer.
type fixture struct {
	t      *testing.T
	st     *sqlstore.Store
	d      *desk.Desk
	svc    *sso.Service
	oidc   *sso.OIDC
	op     *ssotest.Provider
	admin  context.Context
	ops    *desk.Group
	l2     *desk.Group
	logbuf *lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func newFixture(t *testing.T, open testdb.Opener) *fixture {
	t.Helper()
	f := &fixture{t: t, logbuf: &lockedBuffer{}}
	clock := desk.SystemClock{} // the provider stamps tokens with the real time
	f.st, _ = open(t, sqlstore.WithClock(clock))
	f.d = desk.New(f.st, clock, desk.DefaultConfig)
	log := slog.New(slog.NewTextHandler(f.logbuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f.svc = sso.New(f.d, f.st, clock, log)
	f.op = ssotest.Start(t, clientID, clientSecret)
	f.op.AllowRedirect(redirectURL)
	f.oidc = f.svc.OIDC(sso.OIDCConfig{Name: "Test ID", Issuer: f.op.Issuer, ClientID: clientID,
		ClientSecret: clientSecret, RedirectURL: redirectURL, Scopes: []string{"groups"},
		AllowUnmapped: true}) // the tests of provisioning let rita in as a requester; TestOIDC_Unmapped refuses her
	u, _, err := f.d.Bootstrap(context.Background(), desk.UserInput{Email: "root@example.com", Name: "Root", Role: desk.RoleAdmin}, false)
	f.must(err)
	f.admin = desk.WithActor(context.Background(), u)
	f.ops, err = f.d.CreateGroup(f.admin, desk.GroupInput{Name: "Operations", Line: desk.Line2})
	f.must(err)
	f.l2, err = f.d.CreateGroup(f.admin, desk.GroupInput{Name: "Network", Line: desk.Line2})
	f.must(err)
	return f
}

func (f *fixture) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) rule(claim, value string, role desk.Role, group int64) *sso.Rule {
	f.t.Helper()
	r, err := f.svc.CreateRule(f.admin, sso.RuleInput{Claim: claim, Value: value, Role: role, GroupID: group})
	f.must(err)
	return r
}

// authorize starts a sign-in and walks a cookie-keeping client through
// the provider's login page as username; it returns the state the browser
// kept and the callback's query, without completing the sign-in.
func (f *fixture) authorize(username string) (string, url.Values) {
	f.t.Helper()
	return f.authorizeWith(f.oidc, "192.0.2.10", username)
}

// authorizeWith is authorize through o for the caller at client.
func (f *fixture) authorizeWith(o *sso.OIDC, client, username string) (string, url.Values) {
	f.t.Helper()
	authURL, state, err := o.Begin(context.Background(), "/after", client)
	f.must(err)
	return state, f.completeAt(authURL, username)
}

// completeAt walks a cookie-keeping client from the provider's
// authorisation URL through its login page as username and returns the
// callback's query.
func (f *fixture) completeAt(authURL, username string) url.Values {
	f.t.Helper()
	jar, _ := cookiejar.New(nil)
	var callback *url.URL
	c := &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, _ []*http.Request) error {
		if strings.HasPrefix(req.URL.String(), redirectURL) {
			callback = req.URL
			return http.ErrUseLastResponse
		}
		return nil
	}}
	resp, err := c.Get(authURL)
	f.must(err)
	resp.Body.Close()
	id := resp.Request.URL.Query().Get("authRequestID")
	if id == "" {
		f.t.Fatalf("the provider did not show its login page: %s", resp.Request.URL)
	}
	resp, err = c.PostForm(f.op.Issuer+"/login", url.Values{"id": {id}, "username": {username}})
	f.must(err)
	resp.Body.Close()
	if callback == nil {
		f.t.Fatalf("the provider did not send the browser back (status %d)", resp.StatusCode)
	}
	return callback.Query()
}

// signIn completes a whole sign-in as username.
func (f *fixture) signIn(username string) (string, *desk.User, error) {
	f.t.Helper()
	state, q := f.authorize(username)
	token, u, next, err := f.oidc.Finish(context.Background(), state, q)
	if err == nil && next != "/after" {
		f.t.Errorf("next = %q, want /after", next)
	}
	return token, u, err
}

func groupNames(u *desk.User) []string {
	var out []string
	for _, g := range u.Groups {
		out = append(out, g.Name)
	}
	return out
}
