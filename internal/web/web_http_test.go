package web_test

import (
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/evidence"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
	"github.com/tierdesk/tierdesk/internal/triagedesk"
	"github.com/tierdesk/tierdesk/internal/web"
)

// httpEnv is the web handler over a real SQLite desk, for checks a browser
// test cannot make easily: headers, cookie attributes, status codes.
type httpEnv struct {
	t    testing.TB
	d    *desk.Desk
	st   *sqlstore.Store
	srv  *httptest.Server
	sam  *desk.User
	lena *desk.User
}

func newHTTPEnv(t testing.TB, opts web.Options) *httpEnv {
	t.Helper()
	return newHTTPEnvClock(t, opts, desk.SystemClock{})
}

// newHTTPEnvClock is newHTTPEnv with the desk on clock.
func newHTTPEnvClock(t testing.TB, opts web.Options, clock desk.Clock) *httpEnv {
	t.Helper()
	return newHTTPEnvConfig(t, opts, clock, desk.DefaultConfig)
}

// newHTTPEnvConfig is newHTTPEnvClock with the desk's configuration.
func newHTTPEnvConfig(t testing.TB, opts web.Options, clock desk.Clock, cfg desk.Config) *httpEnv {
	t.Helper()
	return newHTTPEnvStore(t, opts, clock, cfg, nil)
}

// newHTTPEnvStore is newHTTPEnvConfig with the desk's store wrapped by
// wrap (nil: not wrapped), for tests that watch the desk's reads.
func newHTTPEnvStore(t testing.TB, opts web.Options, clock desk.Clock, cfg desk.Config, wrap func(*sqlstore.Store) desk.Store) *httpEnv {
	t.Helper()
	st := testdb.SQLite(t)
	var ds desk.Store = st
	if wrap != nil {
		ds = wrap(st)
	}
	d := desk.New(ds, clock, cfg)
	if opts.Triage == nil {
		opts.Triage = triagedesk.New(st, d, clock, triagedesk.Options{})
	}
	if opts.Evidence == nil {
		opts.Evidence = evidence.New(st, d, clock, 1<<20)
	}
	if opts.Audit == nil {
		opts.Audit = audit.NewService(st, d)
	}
	h, err := web.New(d, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	e := &httpEnv{t: t, d: d, st: st, srv: httptest.NewServer(h)}
	t.Cleanup(e.srv.Close)
	ctx := context.Background()
	e.sam, _, err = d.Bootstrap(ctx, desk.UserInput{Email: "sam@example.com", Name: "Sam", Role: desk.RoleRequester}, false)
	if err != nil {
		t.Fatal(err)
	}
	e.lena, _, err = d.Bootstrap(ctx, desk.UserInput{Email: "lena@example.com", Name: "Lena", Role: desk.RoleAgent}, false, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []*desk.User{e.sam, e.lena} {
		if err := d.SetPassword(desk.AsSystem(ctx), u.ID, pw); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// client is one browser: a cookie jar that does not follow redirects.
type client struct {
	e  *httpEnv
	hc *http.Client
}

func (e *httpEnv) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type response struct {
	status int
	header http.Header
	body   string
}

func (c *client) do(req *http.Request) response {
	c.e.t.Helper()
	res, err := c.hc.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

func (c *client) get(path string, hdr ...string) response {
	c.e.t.Helper()
	req, _ := http.NewRequest("GET", c.e.srv.URL+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return c.do(req)
}

func (c *client) post(path string, form url.Values, hdr ...string) response {
	c.e.t.Helper()
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return c.do(req)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the CSRF token from a page's form.
func (c *client) csrf(path string) string {
	c.e.t.Helper()
	m := csrfRE.FindStringSubmatch(c.get(path).body)
	if m == nil {
		c.e.t.Fatalf("no CSRF token on %s", path)
	}
	return m[1]
}

func (c *client) signIn(email string) response {
	c.e.t.Helper()
	return c.post("/login", url.Values{"csrf": {c.csrf("/login")}, "email": {email}, "password": {pw}, "next": {"/my"}})
}

func sessionCookie(p response) *http.Cookie {
	for _, raw := range p.header.Values("Set-Cookie") {
		if c, err := http.ParseSetCookie(raw); err == nil && c.Name == "tierdesk_session" {
			return c
		}
	}
	return nil
}

func TestWeb_SignInCookieAndRotation(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	c := e.client()
	p := c.signIn("sam@example.com")
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/my" {
		t.Fatalf("sign in: %d to %q", p.status, p.header.Get("Location"))
	}
	first := sessionCookie(p)
	if first == nil || !first.HttpOnly || first.SameSite != http.SameSiteLaxMode || first.Secure || first.Path != "/" {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, not Secure over plain HTTP", first)
	}
	if _, _, err := e.d.SessionUser(context.Background(), first.Value); err != nil {
		t.Fatalf("the cookie is not a live session: %v", err)
	}
	// Signing in again (say, as someone else) replaces the session: the old
	// token dies.
	second := sessionCookie(c.post("/login", url.Values{"csrf": {c.csrf("/my")}, "email": {"sam@example.com"},
		"password": {pw}}))
	if second == nil || second.Value == first.Value {
		t.Fatal("the session token did not change at sign-in")
	}
	if _, _, err := e.d.SessionUser(context.Background(), first.Value); desk.ErrorCode(err) != desk.EUNAUTHENTICATED {
		t.Errorf("the old session still works after signing in again: %v", err)
	}
	// Sign-out ends it.
	if p := c.post("/logout", url.Values{"csrf": {c.csrf("/my")}}); p.status != http.StatusSeeOther {
		t.Fatalf("sign out: %d", p.status)
	}
	if _, _, err := e.d.SessionUser(context.Background(), second.Value); desk.ErrorCode(err) != desk.EUNAUTHENTICATED {
		t.Errorf("session alive after sign-out: %v", err)
	}
	if p := c.get("/my"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/login?next=") {
		t.Errorf("after sign-out /my answers %d %q", p.status, p.header.Get("Location"))
	}
	// Only local paths are followed after sign-in.
	p = c.post("/login", url.Values{"csrf": {c.csrf("/login")}, "email": {"sam@example.com"}, "password": {pw},
		"next": {"//evil.example.com/"}})
	if loc := p.header.Get("Location"); loc != "/" {
		t.Errorf("next=//evil... redirected to %q", loc)
	}
}

func TestWeb_SecureCookies(t *testing.T) {
	e := newHTTPEnv(t, web.Options{SecureCookies: true})
	if c := sessionCookie(e.client().signIn("sam@example.com")); c == nil || !c.Secure {
		t.Errorf("with SecureCookies the session cookie is %+v", c)
	}
}

func TestWeb_CSRF(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	c := e.client()
	c.signIn("sam@example.com")
	form := url.Values{"kind": {"broken"}, "title": {"x"}, "people": {"me"}, "soon": {"now"}}
	if p := c.post("/report", form); p.status != http.StatusForbidden {
		t.Errorf("a form without the token: %d, want 403", p.status)
	}
	form.Set("csrf", "forged")
	if p := c.post("/report", form); p.status != http.StatusForbidden {
		t.Errorf("a form with a wrong token: %d, want 403", p.status)
	}
	// Another session's token is no good either.
	other := e.client()
	other.signIn("lena@example.com")
	form.Set("csrf", other.csrf("/agent"))
	if p := c.post("/report", form); p.status != http.StatusForbidden {
		t.Errorf("a form with another session's token: %d, want 403", p.status)
	}
	form.Set("csrf", c.csrf("/report"))
	if p := c.post("/report", form, "Sec-Fetch-Site", "cross-site"); p.status != http.StatusForbidden {
		t.Errorf("a cross-site post with a good token: %d, want 403", p.status)
	}
	if p := c.post("/report", form); p.status != http.StatusSeeOther {
		t.Errorf("a good form: %d, want 303; %s", p.status, p.body)
	}
	// The sign-in form is protected before there is a session.
	anon := e.client()
	if p := anon.post("/login", url.Values{"email": {"sam@example.com"}, "password": {pw}}); p.status != http.StatusForbidden {
		t.Errorf("sign-in without a token: %d, want 403", p.status)
	}
}

func TestWeb_LoginThrottle(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	c := e.client()
	for i := range desk.LoginFailuresPerAccount {
		p := c.post("/login", url.Values{"csrf": {c.csrf("/login")}, "email": {"sam@example.com"}, "password": {"guess"}})
		if p.status != http.StatusUnauthorized || !strings.Contains(p.body, "The e-mail address or the password is wrong.") {
			t.Fatalf("failure %d: %d", i+1, p.status)
		}
		if !strings.Contains(p.body, `value="sam@example.com"`) {
			t.Errorf("failure %d: the e-mail address typed is not kept", i+1)
		}
	}
	p := c.signIn("sam@example.com")
	if p.status != http.StatusTooManyRequests || !strings.Contains(p.body, "Too many failed attempts. Try again in 15 minutes.") {
		t.Errorf("the right password after %d failures: %d", desk.LoginFailuresPerAccount, p.status)
	}
	if sessionCookie(p) != nil {
		t.Error("a throttled sign-in set a session cookie")
	}
}

func TestWeb_HeadersAndAssets(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	c := e.client()
	c.signIn("sam@example.com")
	p := c.get("/report")
	csp := p.header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP %q", csp)
	}
	if p.header.Get("X-Content-Type-Options") != "nosniff" || p.header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("headers %v", p.header)
	}
	for _, re := range []string{`<script>`, `<script [^>]*>[^<]`, ` on[a-z]+=`, ` style=`, `https?://(?:[^"]*)"\s*(?:rel="stylesheet"|defer)`} {
		if regexp.MustCompile(re).MatchString(p.body) {
			t.Errorf("the page has inline script, style or a foreign asset (%s)", re)
		}
	}
	asset := regexp.MustCompile(`/static/app\.[0-9a-f]{8}\.css`).FindString(p.body)
	if asset == "" {
		t.Fatal("no hashed stylesheet URL")
	}
	a := c.get(asset)
	if a.status != 200 || a.header.Get("Cache-Control") != "public, max-age=31536000, immutable" ||
		!strings.HasPrefix(a.header.Get("Content-Type"), "text/css") {
		t.Errorf("asset: %d %v", a.status, a.header)
	}
	if c.get("/static/app.00000000.css").status != http.StatusNotFound {
		t.Error("an asset URL with a wrong hash is served")
	}
}

func TestWeb_LanguageNegotiation(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	c := e.client()
	p := c.get("/login", "Accept-Language", "ru-RU,ru;q=0.9,en;q=0.5")
	if !strings.Contains(p.body, "<h1>Вход</h1>") || p.header.Get("Content-Language") != "ru" {
		t.Errorf("Accept-Language ru: %s", p.header.Get("Content-Language"))
	}
	if p := c.get("/login", "Accept-Language", "de-DE"); !strings.Contains(p.body, "<h1>Sign in</h1>") {
		t.Error("an unsupported language does not fall back to English")
	}
	// The switch overrides the browser.
	c.post("/language", url.Values{"csrf": {c.csrf("/login")}, "lang": {"en"}, "back": {"/login"}})
	if p := c.get("/login", "Accept-Language", "ru"); !strings.Contains(p.body, "<h1>Sign in</h1>") {
		t.Error("the language switch does not override Accept-Language")
	}
	// A signed-in user's stored language wins over the browser's and the
	// cookie; the switch stores it.
	sam := e.client()
	sam.signIn("sam@example.com")
	ru := "ru"
	if _, err := e.d.SetUserPreferences(desk.WithActor(context.Background(), e.sam), e.sam.ID,
		desk.PreferencesPatch{Language: &ru}); err != nil {
		t.Fatal(err)
	}
	if p := sam.get("/my", "Accept-Language", "en"); !strings.Contains(p.body, "<h1>Мои заявки</h1>") {
		t.Error("the user's stored language does not win over Accept-Language")
	}
	sam.post("/language", url.Values{"csrf": {sam.csrf("/my")}, "lang": {"en"}, "back": {"/my"}})
	prefs, err := e.d.UserPreferences(desk.WithActor(context.Background(), e.sam), e.sam.ID)
	if err != nil || prefs.Language != "en" {
		t.Errorf("the switch did not store the preference: %+v %v", prefs, err)
	}
	// English is the desk's default, and still a choice: sam's other
	// browser, asking for Russian, gets English. Lena chose nothing, so
	// her browser's Russian applies.
	other := e.client()
	other.signIn("sam@example.com")
	if p := other.get("/my", "Accept-Language", "ru"); !strings.Contains(p.body, "<h1>My tickets</h1>") {
		t.Error("a stored choice of the default language loses to the browser's")
	}
	lena := e.client()
	lena.signIn("lena@example.com")
	if p := lena.get("/console", "Accept-Language", "ru"); p.header.Get("Content-Language") != "ru" {
		t.Errorf("no stored language: Content-Language %q, want the browser's ru", p.header.Get("Content-Language"))
	}
}

func TestWeb_RequesterCannotUseAgentPages(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	sam, lena := e.client(), e.client()
	sam.signIn("sam@example.com")
	lena.signIn("lena@example.com")
	tk, _, err := e.d.CreateTicket(desk.WithActor(context.Background(), e.sam), desk.NewTicket{Type: desk.TypeIncident,
		Title: "Broken", Channel: desk.ChannelPortal}, "")
	if err != nil {
		t.Fatal(err)
	}
	if p := sam.get("/agent"); p.status != http.StatusNotFound {
		t.Errorf("requester on /agent: %d", p.status)
	}
	p := sam.post("/tickets/"+tk.Number+"/resolve", url.Values{"csrf": {sam.csrf("/my")}, "resolution_code": {"solved"},
		"resolution_notes": {"x"}})
	if p.status != http.StatusNotFound {
		t.Errorf("requester resolving: %d", p.status)
	}
	// Internal notes never reach the requester's page.
	if _, _, err := e.d.Comment(desk.WithActor(context.Background(), e.lena), tk.Number,
		desk.CommentInput{Body: "secret internal remark", Internal: true}); err != nil {
		t.Fatal(err)
	}
	if p := sam.get("/tickets/" + tk.Number); p.status != 200 || strings.Contains(p.body, "secret internal remark") {
		t.Errorf("requester page: %d, internal note shown: %v", p.status, strings.Contains(p.body, "secret internal remark"))
	}
	if p := lena.get("/tickets/" + tk.Number); !strings.Contains(p.body, "secret internal remark") {
		t.Error("the agent does not see the internal note")
	}
	other, _, _ := e.d.Bootstrap(context.Background(), desk.UserInput{Email: "kim@example.com", Name: "Kim", Role: desk.RoleRequester}, false)
	e.d.SetPassword(desk.AsSystem(context.Background()), other.ID, pw)
	kim := e.client()
	kim.signIn("kim@example.com")
	if p := kim.get("/tickets/" + tk.Number); p.status != http.StatusNotFound {
		t.Errorf("another requester sees the ticket: %d", p.status)
	}
}

// postFile sends a multipart form with one file.
func (c *client) postFile(path string, fields url.Values, name string, content []byte) response {
	c.e.t.Helper()
	var buf strings.Builder
	w := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	fw, _ := w.CreateFormFile("file", name)
	fw.Write(content)
	w.Close()
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, strings.NewReader(buf.String()))
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

func TestWeb_Attachments(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	sam, lena := e.client(), e.client()
	sam.signIn("sam@example.com")
	lena.signIn("lena@example.com")
	tk, _, err := e.d.CreateTicket(desk.WithActor(context.Background(), e.sam), desk.NewTicket{Type: desk.TypeIncident,
		Title: "Broken", Channel: desk.ChannelPortal}, "")
	if err != nil {
		t.Fatal(err)
	}
	page := "/tickets/" + tk.Number
	if p := sam.get(page); !strings.Contains(p.body, "up to 20 MB per file") {
		t.Error("the ticket page does not show the size limit")
	}
	p := sam.postFile(page+"/comment", url.Values{"csrf": {sam.csrf(page)}, "body": {"screenshot attached"}},
		"экран <1>.html", []byte("<script>alert(1)</script>"))
	if p.status != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", p.status, p.body)
	}
	m := regexp.MustCompile(`href="/attachments/(\d+)" download>([^<]*)<`).FindStringSubmatch(lena.get(page).body)
	if m == nil {
		t.Fatal("the agent's page does not link the file")
	}
	dl := lena.get("/attachments/" + m[1])
	if dl.status != 200 || dl.body != "<script>alert(1)</script>" {
		t.Fatalf("download: %d %q", dl.status, dl.body)
	}
	cd := dl.header.Get("Content-Disposition")
	if !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename*=utf-8''") {
		t.Errorf("Content-Disposition %q", cd)
	}
	if ct := dl.header.Get("Content-Type"); strings.Contains(ct, "html") {
		t.Errorf("an HTML upload is served as %q", ct)
	}
	if !strings.Contains(dl.header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("download CSP %q", dl.header.Get("Content-Security-Policy"))
	}
	other, _, _ := e.d.Bootstrap(context.Background(), desk.UserInput{Email: "kim@example.com", Name: "Kim", Role: desk.RoleRequester}, false)
	e.d.SetPassword(desk.AsSystem(context.Background()), other.ID, pw)
	kim := e.client()
	kim.signIn("kim@example.com")
	if p := kim.get("/attachments/" + m[1]); p.status != http.StatusNotFound {
		t.Errorf("another requester downloads the file: %d", p.status)
	}
	// A work note's file stays internal.
	lp := lena.postFile(page+"/comment", url.Values{"csrf": {lena.csrf(page)}, "body": {"log"}, "internal": {"on"}},
		"server.log", []byte("internal log"))
	if lp.status != http.StatusSeeOther {
		t.Fatalf("agent upload: %d", lp.status)
	}
	if p := sam.get(page); strings.Contains(p.body, "server.log") {
		t.Error("the requester sees a work note's file")
	}
	// Too big: the form comes back with the error next to the file field.
	big := make([]byte, desk.DefaultAttachmentMaxBytes+1)
	p = sam.postFile(page+"/comment", url.Values{"csrf": {sam.csrf(page)}, "body": {"huge"}}, "huge.bin", big)
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="comment.file-error"`) ||
		!strings.Contains(p.body, "huge.bin is larger than 20 MB.") || !strings.Contains(p.body, ">huge</textarea>") {
		t.Errorf("oversized upload: %d", p.status)
	}
}
