package web_test

// The browser-test harness: the real tierdesk binary, built by the test and
// started on a free port over a fresh SQLite data directory, driven by
// Debian's Chromium through chromedp. See README.md for how to write a
// scenario.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/tierdesk/tierdesk/internal/testbin"
)

// chromiumPath finds Chromium, or skips the test (fails it under CI=true).
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("browser tests need Chromium and CI=true: install it with `apt-get install -y chromium`")
	}
	t.Skip("browser tests skipped: Chromium is not installed (apt-get install -y chromium)")
	return ""
}

// site is one running server with its data directory and an admin token
// for setting up through the API.
type site struct {
	t     *testing.T
	bin   string
	data  string
	base  string
	token string // admin API token
}

// newSite starts `tierdesk serve` on a free port over a fresh data
// directory and creates an admin with an API token.
func newSite(t *testing.T) *site {
	t.Helper()
	s := &site{t: t, bin: testbin.Build(t), data: t.TempDir()}
	out := s.cli("user", "add", "--email", "admin@example.com", "--name", "Ada Admin", "--role", "admin", "--token")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	s.token = lines[len(lines)-1]
	s.base = testbin.Serve(t, s.bin, testbin.CleanEnv(), "--data", s.data)
	return s
}

// cli runs the binary on the site's data and returns its standard output.
func (s *site) cli(args ...string) string {
	s.t.Helper()
	cmd := exec.Command(s.bin, append(args, "--data", s.data)...)
	cmd.Env = testbin.CleanEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		s.t.Fatalf("tierdesk %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

var userIDRE = regexp.MustCompile(`created user (\d+)`)

// user creates a user with a password and returns their id.
func (s *site) user(email, name, role, password string, groups ...int64) int64 {
	s.t.Helper()
	pw := filepath.Join(s.t.TempDir(), "pw")
	if err := os.WriteFile(pw, []byte(password+"\n"), 0o600); err != nil {
		s.t.Fatal(err)
	}
	args := []string{"user", "add", "--email", email, "--name", name, "--role", role, "--password-file", pw}
	for _, g := range groups {
		args = append(args, "--group", strconv.FormatInt(g, 10))
	}
	m := userIDRE.FindStringSubmatch(s.cli(args...))
	if m == nil {
		s.t.Fatal("user add did not print the id")
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// api sends an admin request to the REST API and decodes the answer.
func (s *site) api(method, path string, body any) map[string]any {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.base+path, rd)
	req.Header.Set("Authorization", "Bearer "+s.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		s.t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, b)
	}
	out := map[string]any{}
	json.Unmarshal(b, &out)
	return out
}

func (s *site) id(m map[string]any) int64 { return int64(m["id"].(float64)) }

// browserSet gives a test its browsers. One Chromium process serves the
// whole test binary (started on first use, stopped by TestMain); each
// browser from it has its own cookie jar (a separate browser context),
// like separate people.
type browserSet struct {
	t    *testing.T
	root context.Context
	dir  string // screenshots
}

var (
	chromiumOnce   sync.Once
	chromiumRoot   context.Context
	chromiumErr    error
	chromiumCancel = func() {}
)

func newBrowsers(t *testing.T) *browserSet {
	t.Helper()
	exe := chromiumPath(t)
	chromiumOnce.Do(func() {
		opts := []chromedp.ExecAllocatorOption{
			chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
			chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true),
			chromedp.Flag("no-default-browser-check", true), chromedp.WindowSize(1280, 900),
		}
		dir, err := os.MkdirTemp("", "tierdesk-chromium-")
		if err != nil {
			chromiumErr = err
			return
		}
		opts = append(opts, chromedp.UserDataDir(dir))
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		root, cancelRoot := chromedp.NewContext(alloc)
		chromiumRoot = root
		chromiumCancel = func() { cancelRoot(); cancelAlloc(); os.RemoveAll(dir) }
		chromiumErr = chromedp.Do(root) // starts the browser
	})
	if chromiumErr != nil {
		t.Fatalf("start chromium: %v", chromiumErr)
	}
	return &browserSet{t: t, root: chromiumRoot, dir: artifactDir(t)}
}

// TestMain stops the shared Chromium after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	chromiumCancel()
	os.Exit(code)
}

var (
	artifactsOnce sync.Once
	artifacts     string
)

// artifactDir is where screenshots go: TIERDESK_TEST_ARTIFACTS, else a
// temporary directory that outlives the test so a reviewer can look.
func artifactDir(t *testing.T) string {
	artifactsOnce.Do(func() {
		artifacts = os.Getenv("TIERDESK_TEST_ARTIFACTS")
		if artifacts == "" {
			artifacts, _ = os.MkdirTemp("", "tierdesk-screenshots-")
		}
		os.MkdirAll(artifacts, 0o755)
	})
	t.Logf("screenshots in %s", artifacts)
	return artifacts
}

// browser is one person's browser window.
type browser struct {
	t       *testing.T
	ctx     context.Context
	base    string
	shots   string
	dialogs atomic.Int32
}

// browser opens a window with its own cookies on site s; every step must
// finish within eight minutes (generous: CI machines may be busy).
func (bs *browserSet) browser(s *site) *browser {
	bs.t.Helper()
	ctx, cancel := chromedp.NewContext(bs.root, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(ctx); err != nil {
		bs.t.Fatal(err)
	}
	b := &browser{t: bs.t, base: s.base, shots: bs.dir}
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			b.dialogs.Add(1) // an alert() from an injected script: the XSS test fails on it
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	tctx, tcancel := context.WithTimeout(ctx, 8*time.Minute)
	bs.t.Cleanup(func() { tcancel(); cancel() })
	b.ctx = tctx
	return b
}

func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// open loads a page and waits until it has rendered.
func (b *browser) open(path string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.base+path), chromedp.WaitReady(chromedp.CSS("body[data-page]")))
}

// page returns the name of the rendered page template (body data-page).
func (b *browser) page() string {
	b.t.Helper()
	return eval[string](b, "document.body ? document.body.dataset.page || '' : ''")
}

func eval[T any](b *browser, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// submit clicks a button that submits a form, and waits for the next page
// to load completely.
func (b *browser) submit(sel string) {
	b.t.Helper()
	eval[bool](b, "window.__before = true")
	b.do("click "+sel, chromedp.Click(chromedp.CSS(sel)))
	b.waitNewPage()
}

// waitNewPage waits until the page marked by submit has been replaced.
// Evaluations during the navigation fail; they are tried again.
func (b *browser) waitNewPage() {
	b.t.Helper()
	const js = "!window.__before && document.readyState === 'complete' && !!document.body && !!document.body.dataset.page"
	var last error
	for b.ctx.Err() == nil {
		done, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](js))
		if err == nil && done {
			return
		}
		last = err
		time.Sleep(50 * time.Millisecond)
	}
	b.t.Fatalf("waiting for the next page: %v (last: %v)", b.ctx.Err(), last)
}

// fill sets a field's value (an empty value too), as pasting would.
func (b *browser) fill(sel, value string) {
	b.t.Helper()
	js := "(() => { const el = document.querySelector(" + strconv.Quote(sel) + "); if (!el) return false; el.value = " +
		strconv.Quote(value) + "; el.dispatchEvent(new Event('input', {bubbles: true})); return true; })()"
	if !eval[bool](b, js) {
		b.t.Fatalf("fill %s: no such field", sel)
	}
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return v
}

// has reports whether an element matches sel now.
func (b *browser) has(sel string) bool {
	b.t.Helper()
	return eval[bool](b, "document.querySelector("+strconv.Quote(sel)+") !== null")
}

// bodyText is the visible text of the page.
func (b *browser) bodyText() string {
	b.t.Helper()
	return eval[string](b, "document.body.innerText")
}

// wantText fails unless the page shows every one of texts.
func (b *browser) wantText(texts ...string) {
	b.t.Helper()
	body := b.bodyText()
	for _, s := range texts {
		if !strings.Contains(body, s) {
			b.t.Errorf("page %s does not show %q; it shows:\n%s", b.page(), s, body)
		}
	}
}

// signIn signs in through the login form.
func (b *browser) signIn(email, password string) {
	b.t.Helper()
	b.open("/login")
	b.fill("#email", email)
	b.fill("#password", password)
	b.submit("form[action='/login'] button[type=submit]")
}

// screenshot saves a full-page PNG named after the test and name.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	file := filepath.Join(b.shots, strings.NewReplacer("/", "_", " ", "_").Replace(b.t.Name())+"-"+name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
	}
}

// key presses one key (a character, or "\t", "\r", "\x1b" for Tab, Enter,
// Escape) in the focused element.
func (b *browser) key(k string) {
	b.t.Helper()
	b.do("key "+strconv.Quote(k), chromedp.KeyEvent(k))
}

// chromedpClick clicks the first element matching a CSS selector.
func chromedpClick(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(chromedp.CSS(sel))
}

// choose selects an option of a <select> as a user would, firing change.
func (b *browser) choose(sel, value string) {
	b.t.Helper()
	js := "(() => { const el = document.querySelector(" + strconv.Quote(sel) + "); el.value = " + strconv.Quote(value) +
		"; el.dispatchEvent(new Event('change', {bubbles: true})); return el.value; })()"
	if got := eval[string](b, js); got != value {
		b.t.Fatalf("select %s: value %q, want %q (no such option?)", sel, got, value)
	}
}

// action opens one of the agent page's action panels (<details>).
func (b *browser) action(id string) {
	b.t.Helper()
	b.do("open "+id, chromedp.Click(chromedp.CSS("#"+id+" > summary")))
}

// desk is a site with the three lines staffed, a requester and a
// service, as the scenarios need it.
type desk3 struct {
	*site
	net, core int64 // line-2 and line-3 groups
}

const pw = "a long password!"

func newDesk3(t *testing.T) *desk3 {
	t.Helper()
	s := newSite(t)
	d := &desk3{site: s}
	boss := s.user("boss@example.com", "Bob Boss", "manager", pw)
	d.net = s.id(s.api("POST", "/api/v1/groups", map[string]any{"name": "Network", "line": 2}))
	d.core = s.id(s.api("POST", "/api/v1/groups", map[string]any{"name": "Core Systems", "line": 3, "manager_id": boss}))
	s.api("POST", "/api/v1/services", map[string]any{"name": "E-mail", "description": "Corporate mail"})
	s.api("POST", "/api/v1/categories", map[string]any{"name": "Mail"})
	s.user("sam@example.com", "Sam Requester", "requester", pw)
	s.user("lena@example.com", "Lena Lineone", "agent", pw, 1) // the default Service Desk group
	s.user("nick@example.com", "Nick Network", "agent", pw, d.net)
	s.user("ines@example.com", "Ines Core", "agent", pw, d.core)
	return d
}

// report files a ticket through the portal and returns its number.
func (b *browser) report(title, service, kind, people, soon string) string {
	b.t.Helper()
	b.open("/report")
	b.do("answer", chromedpClick("input[name=kind][value="+kind+"]"),
		chromedpClick("input[name=people][value="+people+"]"), chromedpClick("input[name=soon][value="+soon+"]"))
	b.fill("#title", title)
	b.fill("#description", "Details of "+title)
	b.fill("#service", service)
	b.submit("form[action='/report'] button[type=submit]")
	if b.page() != "portal_ticket" {
		b.t.Fatalf("reporting went to %q: %s", b.page(), b.bodyText())
	}
	return strings.Fields(b.text("h1 .num"))[0]
}

// optionValue returns the value of the option of a <select> whose text
// starts with label.
func (b *browser) optionValue(sel, label string) string {
	b.t.Helper()
	js := "(() => { for (const o of document.querySelectorAll(" + strconv.Quote(sel+" option") + ")) { if (o.textContent.trim().startsWith(" +
		strconv.Quote(label) + ")) return o.value; } return ''; })()"
	v := eval[string](b, js)
	if v == "" {
		b.t.Fatalf("%s has no option %q", sel, label)
	}
	return v
}
