package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/clientip"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/sso"
	"github.com/tierdesk/tierdesk/internal/sso/ssotest"
	"github.com/tierdesk/tierdesk/internal/testclock"
	"github.com/tierdesk/tierdesk/internal/testdb"
	"github.com/tierdesk/tierdesk/internal/web"
)

// oidcEnv is the web handler with sign-in through a real OpenID provider
// on loopback, behind a trusted proxy (loopback) so that a test names the
// client in X-Forwarded-For; the sign-on service runs on clock.
type oidcEnv struct {
	*httpEnv
	op    *ssotest.Provider
	svc   *sso.Service
	clock *testclock.Clock
}

func newOIDCEnv(t *testing.T, lim sso.LoginLimits, allowUnmapped bool) *oidcEnv {
	t.Helper()
	st := testdb.SQLite(t)
	d := desk.New(st, desk.SystemClock{}, desk.DefaultConfig)
	clock := testclock.New(time.Now())
	svc := sso.New(d, st, clock, nil)
	srv := httptest.NewUnstartedServer(nil)
	t.Cleanup(srv.Close)
	op := ssotest.Start(t, "tierdesk", ssoSecret)
	callback := "http://" + srv.Listener.Addr().String() + "/sso/oidc/callback"
	op.AllowRedirect(callback)
	proxies, err := clientip.Parse([]string{"127.0.0.0/8"})
	if err != nil {
		t.Fatal(err)
	}
	o := svc.OIDC(sso.OIDCConfig{Name: "Test ID", Issuer: op.Issuer, ClientID: "tierdesk", ClientSecret: ssoSecret,
		RedirectURL: callback, Scopes: []string{"groups"}, Limits: lim, AllowUnmapped: allowUnmapped})
	h, err := web.New(d, nil, web.Options{Location: time.UTC, SSO: svc, OIDC: o, Proxies: proxies})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = h
	srv.Start()
	if _, err := svc.CreateRule(desk.AsSystem(context.Background()), sso.RuleInput{Claim: "groups", Value: "helpdesk",
		Role: desk.RoleAgent, GroupID: 1}); err != nil {
		t.Fatal(err)
	}
	op.SetUser(ssotest.User{Username: "anna", Subject: "sub-anna", Email: "anna@example.com", EmailVerified: true,
		Name: "Anna Agent", Groups: []string{"helpdesk"}})
	op.SetUser(ssotest.User{Username: "rita", Subject: "sub-rita", Email: "rita@example.com", EmailVerified: true,
		Name: "Rita Requester", Groups: []string{"staff"}})
	return &oidcEnv{httpEnv: &httpEnv{t: t, d: d, st: st, srv: srv}, op: op, svc: svc, clock: clock}
}

// start is GET /sso/oidc/start from the client at addr.
func (e *oidcEnv) start(c *client, addr string, hdr ...string) response {
	e.t.Helper()
	return c.get("/sso/oidc/start?next=/tickets", append([]string{"X-Forwarded-For", addr}, hdr...)...)
}

// signIn walks a whole sign-in as username from addr in a fresh browser
// that follows the provider's redirects and stops at the desk's answer to
// the callback.
func (e *oidcEnv) signIn(addr, username string, hdr ...string) response {
	e.t.Helper()
	c := e.client()
	r := e.start(c, addr, hdr...)
	if r.status != http.StatusSeeOther {
		return r
	}
	jar, _ := cookiejar.New(nil)
	opc := &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, _ []*http.Request) error {
		if req.URL.Host == strings.TrimPrefix(e.srv.URL, "http://") {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	resp, err := opc.Get(r.header.Get("Location"))
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	id := resp.Request.URL.Query().Get("authRequestID")
	resp, err = opc.PostForm(e.op.Issuer+"/login", url.Values{"id": {id}, "username": {username}})
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	back := resp.Header.Get("Location")
	if resp.StatusCode/100 != 3 || !strings.HasPrefix(back, e.srv.URL) {
		e.t.Fatalf("the provider did not send the browser back: %d %q", resp.StatusCode, back)
	}
	return c.get(strings.TrimPrefix(back, e.srv.URL), append([]string{"X-Forwarded-For", addr}, hdr...)...)
}

// TestWeb_OIDCStartFlood: anonymous GET /sso/oidc/start from one address
// stops at the limit per client with 429, Retry-After and the reason on
// the sign-in page in the visitor's language; a flood from many addresses
// stops at the cap; the table never holds more than the cap; once the
// background sweep forgot the expired rows, a real sign-in through the
// provider works.
func TestWeb_OIDCStartFlood(t *testing.T) {
	e := newOIDCEnv(t, sso.LoginLimits{PerClient: 30, Total: 100}, false)
	c := e.client()
	codes := map[int]int{}
	for range 60 {
		codes[e.start(c, "198.51.100.7").status]++
	}
	if codes[http.StatusSeeOther] != 30 || codes[http.StatusTooManyRequests] != 30 {
		t.Errorf("60 starts from one address: %v, want 30 sent to the provider and 30 refused 429", codes)
	}
	r := e.start(c, "198.51.100.7")
	if r.header.Get("Retry-After") != "600" || !strings.Contains(r.body, "Too many sign-ins were started from your network") {
		t.Errorf("the refusal: Retry-After %q, body:\n%s", r.header.Get("Retry-After"), r.body)
	}
	if r := e.start(c, "198.51.100.7", "Accept-Language", "ru"); !strings.Contains(r.body, "Из вашей сети начато слишком много входов") {
		t.Errorf("the refusal in Russian:\n%s", r.body)
	}
	codes = map[int]int{}
	for i := range 200 {
		codes[e.start(c, fmt.Sprintf("10.0.%d.%d", i/200, i%200+1)).status]++
	}
	if codes[http.StatusSeeOther] != 70 || codes[http.StatusTooManyRequests] != 130 {
		t.Errorf("200 starts from 200 addresses: %v, want 70 to the cap of 100 and 130 refused", codes)
	}
	n, err := e.st.SSOLoginsPending(context.Background())
	if err != nil || n != 100 {
		t.Errorf("%d sign-ins stored after the floods (%v), want the cap, 100", n, err)
	}
	if r := e.signIn("192.0.2.10", "anna"); r.status != http.StatusTooManyRequests ||
		!strings.Contains(r.body, "Too many sign-ins are under way right now") {
		t.Errorf("a newcomer while full: %d", r.status)
	}
	e.clock.Advance(sso.LoginTTL + time.Second)
	if n, err := e.svc.Sweep(context.Background()); n != 100 || err != nil {
		t.Errorf("sweep: %d %v, want 100", n, err)
	}
	r = e.signIn("198.51.100.7", "anna")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/tickets" || sessionCookie(r) == nil {
		t.Errorf("a legitimate sign-in after the flood: %d %q", r.status, r.header.Get("Location"))
	}
}

// TestWeb_OIDCUnmapped: by default a provider user whom no rule matches is
// refused with 403 and the reason on the sign-in page, in English and in
// Russian, and no account is made; a mapped one signs in. With unmapped
// users allowed, the same user becomes a requester.
func TestWeb_OIDCUnmapped(t *testing.T) {
	e := newOIDCEnv(t, sso.LoginLimits{}, false)
	r := e.signIn("192.0.2.1", "rita")
	if r.status != http.StatusForbidden || sessionCookie(r) != nil ||
		!strings.Contains(r.body, "Your account at the sign-in provider is in no group that may sign in here.") {
		t.Errorf("unmapped rita: %d\n%s", r.status, r.body)
	}
	r = e.signIn("192.0.2.1", "rita", "Accept-Language", "ru")
	if r.status != http.StatusForbidden || !strings.Contains(r.body, "Ваша учётная запись у поставщика входа не входит ни в одну группу") {
		t.Errorf("unmapped rita in Russian: %d\n%s", r.status, r.body)
	}
	if _, err := e.st.GetUserByEmail(context.Background(), "rita@example.com"); desk.ErrorCode(err) != desk.ENOTFOUND {
		t.Errorf("the refused user has an account: %v", err)
	}
	if r := e.signIn("192.0.2.1", "anna"); r.status != http.StatusSeeOther || sessionCookie(r) == nil {
		t.Errorf("mapped anna: %d", r.status)
	}

	lax := newOIDCEnv(t, sso.LoginLimits{}, true)
	if r := lax.signIn("192.0.2.1", "rita"); r.status != http.StatusSeeOther || sessionCookie(r) == nil {
		t.Errorf("unmapped rita allowed: %d", r.status)
	}
	if u, err := lax.st.GetUserByEmail(context.Background(), "rita@example.com"); err != nil || u.Role != desk.RoleRequester {
		t.Errorf("unmapped rita allowed: %v %v, want a requester", u, err)
	}
}
