package web_test

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tierdesk/tierdesk/internal/sso/ssotest"
	"github.com/tierdesk/tierdesk/internal/testbin"
)

const ssoSecret = "browser-client-secret-Vn5"

// newSSOSite serves the built binary on a port chosen beforehand (the
// provider must know the redirect URI) with sign-in through the test
// OpenID provider op; it returns the site and its server, whose log the
// test reads.
func newSSOSite(t *testing.T, op *ssotest.Provider) (*site, *testbin.Server) {
	t.Helper()
	s := &site{t: t, bin: testbin.Build(t), data: t.TempDir()}
	out := s.cli("user", "add", "--email", "admin@example.com", "--name", "Ada Admin", "--role", "admin", "--token")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	s.token = lines[len(lines)-1]
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	secret := filepath.Join(t.TempDir(), "oidc-secret")
	if err := os.WriteFile(secret, []byte(ssoSecret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	op.AllowRedirect("http://" + addr + "/sso/oidc/callback")
	srv := testbin.Start(t, s.bin, testbin.CleanEnv(), "--data", s.data, "--addr", addr, "--public-url", "http://"+addr,
		"--oidc-issuer", op.Issuer, "--oidc-client-id", op.ClientID, "--oidc-client-secret-file", secret,
		"--oidc-name", "Test ID", "--oidc-scopes", "groups")
	s.base = srv.Base
	return s, srv
}

// ssoSignIn signs in on the sign-in page with the provider as username.
func (b *browser) ssoSignIn(username string) {
	b.t.Helper()
	b.open("/login")
	b.wantText("Sign in with Test ID")
	b.do("go to the provider", chromedp.Click(chromedp.CSS("#sso-oidc")), chromedp.WaitVisible(chromedp.CSS("#op-username")))
	b.fill("#op-username", username)
	b.submit("#op-submit")
}

// roleOf is the role the desk has for the address, read over the API.
func (s *site) roleOf(email string) string {
	s.t.Helper()
	users, _ := s.api("GET", "/api/v1/users?q="+url.QueryEscape(email), nil)["users"].([]any)
	for _, u := range users {
		if m := u.(map[string]any); m["email"] == email {
			return fmt.Sprint(m["role"])
		}
	}
	return ""
}

// TestBrowser_SingleSignOn: in Chromium against a real OpenID provider on
// loopback, an administrator maps the provider's group "helpdesk" to the
// agents on /admin/sso; a user of that group signs in with the provider
// and is provisioned as an agent; the provider's redirect replayed (in the
// same browser and in another) is refused; tokens for another audience
// and expired ones are refused with a clear message and no session; once
// the provider takes the user out of the group, the next sign-in is
// refused with a clear message (the binary runs without
// --oidc-allow-unmapped), the account loses the agent role, and the
// browser she signed in with before is signed out. The server's log holds
// neither the client secret nor the code and state.
func TestBrowser_SingleSignOn(t *testing.T) {
	bs := newBrowsers(t)
	op := ssotest.Start(t, "tierdesk", ssoSecret)
	op.SetUser(ssotest.User{Username: "anna", Subject: "sub-anna", Email: "anna@example.com", EmailVerified: true,
		Name: "Anna Agent", Groups: []string{"helpdesk"}})
	s, srv := newSSOSite(t, op)
	s.user("root@example.com", "Root Admin", "admin", "root password for the browser")

	admin := bs.browser(s)
	admin.signIn("root@example.com", "root password for the browser")
	admin.open("/admin/sso")
	admin.wantText("Test ID")
	admin.fill("#claim", "groups")
	admin.fill("#value", "helpdesk")
	admin.fill("#role", "agent")
	admin.fill("#group", "1")
	admin.submit("form[action='/admin/sso/rules'] button[type=submit]")
	if !admin.has("input[value='helpdesk']") {
		t.Fatalf("the rule is not on /admin/sso:\n%s", admin.bodyText())
	}

	anna := bs.browser(s)
	anna.ssoSignIn("anna")
	if p := anna.page(); p == "login" || p == "portal_my" {
		t.Fatalf("after signing in with the provider the agent is on %q:\n%s", p, anna.bodyText())
	}
	if r := s.roleOf("anna@example.com"); r != "agent" {
		t.Errorf("provisioned as %q, want agent", r)
	}
	callback := op.LastCallback()
	for name, b := range map[string]*browser{"same browser": anna, "another browser": bs.browser(s)} {
		b.do("replay the provider's redirect", chromedp.Navigate(callback), chromedp.WaitReady(chromedp.CSS("body[data-page]")))
		if b.page() != "login" || !b.has("#sso-error") {
			t.Errorf("%s: the replayed state was not refused (page %q)", name, b.page())
		}
	}

	for name, bad := range map[string]struct {
		set  func()
		want string
	}{
		"wrong audience": {func() { op.SetAudience("another-app") }, "meant for another application"},
		"expired token":  {func() { op.SetIDTokenLifetime(-time.Minute) }, "expired token"},
	} {
		bad.set()
		b := bs.browser(s)
		b.ssoSignIn("anna")
		if b.page() != "login" || !strings.Contains(b.text("#sso-error"), bad.want) {
			t.Errorf("%s: page %q, %s", name, b.page(), b.bodyText())
		}
		op.SetAudience("")
		op.SetIDTokenLifetime(0)
	}

	op.SetUser(ssotest.User{Username: "anna", Subject: "sub-anna", Email: "anna@example.com", EmailVerified: true,
		Name: "Anna Agent", Groups: []string{"staff"}})
	again := bs.browser(s)
	again.ssoSignIn("anna")
	if p := again.page(); p != "login" || !strings.Contains(again.text("#sso-error"), "in no group that may sign in here") {
		t.Errorf("out of the mapped group (unmapped users refused by default): on %q, %s", p, again.bodyText())
	}
	anna.open("/")
	if p := anna.page(); p != "login" {
		t.Errorf("the browser anna signed in with before the provider took her out of the group is still signed in (on %q)", p)
	}
	if r := s.roleOf("anna@example.com"); r != "requester" {
		t.Errorf("out of the mapped group the account is still %q, want requester", r)
	}

	cb, _ := url.Parse(callback)
	log := srv.Log()
	for what, secret := range map[string]string{"client secret": ssoSecret, "code": cb.Query().Get("code"), "state": cb.Query().Get("state")} {
		if secret == "" || strings.Contains(log, secret) {
			t.Errorf("the %s (%q) is in the server's log", what, secret)
		}
	}
}
