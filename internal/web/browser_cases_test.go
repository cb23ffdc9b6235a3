package web_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowser_Conflict: two agents have the same ticket open; the first
// changes impact and urgency; the second's comment, sent from the stale
// page, is not saved over it: the page shows what changed, keeps the text,
// and a second send (now from the current version) goes through.
func TestBrowser_Conflict(t *testing.T) {
	t.Parallel()
	d := newDesk3(t)
	d.user("lara@example.com", "Lara Lineone", "agent", pw, 1)
	bs := newBrowsers(t)
	sam, lena, lara := bs.browser(d.site), bs.browser(d.site), bs.browser(d.site)
	sam.signIn("sam@example.com", pw)
	num := sam.report("Printer jams", "", "broken", "some", "today")

	lena.signIn("lena@example.com", pw)
	lara.signIn("lara@example.com", pw)
	lena.open("/tickets/" + num)
	lara.open("/tickets/" + num)

	lena.action("act-priority")
	lena.choose("#impact", "high")
	lena.fill("#priority-reason", "the whole floor prints there")
	lena.submit("#act-priority button[type=submit]")
	lena.wantText("Impact and urgency are saved.")

	lara.action("act-comment")
	lara.fill("#comment-body", "I will call the requester.")
	lara.submit("#act-comment button[type=submit]")
	lara.wantText("Someone else changed this ticket while you were working on it",
		"the whole floor prints there", "Impact: medium → high")
	if got := eval[string](lara, "document.querySelector('#comment-body').value"); got != "I will call the requester." {
		t.Errorf("the stale comment was not kept: %q", got)
	}
	if !lara.has("#act-comment[open]") {
		t.Error("the comment form is not open on the conflict page")
	}
	lara.screenshot("conflict")
	lara.submit("#act-comment button[type=submit]")
	lara.wantText("Your comment is added.", "I will call the requester.", "Impact: high")
	if lara.has(".stale") {
		t.Error("the resent comment conflicted again")
	}
}

// xssPayloads each set window.__xss (and open an alert) if they ever run.
var xssPayloads = []string{
	`<script>window.__xss=1;alert(1)</script>`,
	`<img src=x onerror="window.__xss=1;alert(2)">`,
	`"><svg onload="window.__xss=1;alert(3)">`,
	`'><iframe src="javascript:top.__xss=1;alert(4)"></iframe>`,
	`<a href="javascript:window.__xss=1">click</a> javascript:window.__xss=1`,
	`https://example.com/"onmouseover="window.__xss=1;alert(5)"`,
	`</textarea><script>window.__xss=1</script>`,
	`{{.}}<style>body{display:none}</style>`,
}

// TestBrowser_XSSCorpus renders payloads in titles, descriptions,
// comments, people's, groups', services' and categories' names on every
// main page and checks that no script ran, no dialog opened, and the
// payloads show as the text they are.
func TestBrowser_XSSCorpus(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	evil := strings.Join(xssPayloads, " ")
	g := s.id(s.api("POST", "/api/v1/groups", map[string]any{"name": "Net " + xssPayloads[1], "line": 2}))
	s.api("POST", "/api/v1/services", map[string]any{"name": "Svc " + xssPayloads[2]})
	s.api("POST", "/api/v1/categories", map[string]any{"name": "Cat " + xssPayloads[0]})
	s.user("eve@example.com", "Eve "+xssPayloads[0], "requester", pw)
	s.user("lena@example.com", "Lena "+xssPayloads[1], "agent", pw, 1)
	bs := newBrowsers(t)
	eve, lena := bs.browser(s), bs.browser(s)

	eve.signIn("eve@example.com", pw)
	eve.open("/report")
	eve.do("answer", chromedpClick("input[name=kind][value=broken]"),
		chromedpClick("input[name=people][value=me]"), chromedpClick("input[name=soon][value=later]"))
	eve.fill("#title", xssPayloads[0]+xssPayloads[1])
	eve.fill("#description", evil)
	eve.fill("#service", "Svc "+xssPayloads[2])
	eve.submit("form[action='/report'] button[type=submit]")
	num := strings.Fields(eve.text("h1 .num"))[0]
	eve.fill("#body", evil)
	evilFile := filepath.Join(t.TempDir(), `"><img src=x onerror="window.__xss=1;alert(6)">.txt`)
	if err := os.WriteFile(evilFile, []byte("<script>window.__xss=1</script>"), 0o644); err != nil {
		t.Fatal(err)
	}
	eve.do("attach", chromedp.SetUploadFiles(chromedp.CSS("#comment-file"), []string{evilFile}))
	eve.submit("#comment-form button[type=submit]")
	// Chromium sends '"' as %22 and desk turns < and > into _: the name is
	// shown as the harmless text that is left.
	eve.wantText(`img src=x onerror=`, `alert(6)`, `.txt (31 bytes)`)

	lena.signIn("lena@example.com", pw)
	lena.open("/tickets/" + num)
	lena.action("act-comment")
	lena.fill("#comment-body", evil)
	lena.submit("#act-comment button[type=submit]")
	lena.action("act-categorise")
	lena.choose("#category", lena.optionValue("#category", "Cat "))
	lena.submit("#act-categorise button[type=submit]")
	lena.action("act-escalate")
	lena.choose("#escalate-group", strconv.FormatInt(g, 10))
	lena.fill("#escalate-reason", evil)
	lena.submit("#act-escalate button[type=submit]")

	for _, p := range []struct {
		b    *browser
		path string
	}{{eve, "/my"}, {eve, "/tickets/" + num}, {lena, "/agent"}, {lena, "/tickets/" + num}, {eve, "/report"}} {
		p.b.open(p.path)
		p.b.do("hover and focus everything", chromedp.Evaluate[chromedp.Void](`void document.querySelectorAll('*').forEach(e => {
			e.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); })`))
		if ran := eval[bool](p.b, "window.__xss !== undefined"); ran {
			t.Errorf("%s: an injected script ran", p.path)
		}
		if n := eval[int](p.b, "document.querySelectorAll('a[href^=\"javascript\"], iframe, svg, img[onerror], [onmouseover]').length"); n != 0 {
			t.Errorf("%s: %d injected elements in the DOM", p.path, n)
		}
		if p.path != "/agent" && p.path != "/report" && !strings.Contains(p.b.bodyText(), "<script>window.__xss=1;alert(1)</script>") {
			t.Errorf("%s: the payload is not shown as text", p.path)
		}
	}
	lena.screenshot("xss-agent")
	eve.open("/tickets/" + num)
	eve.screenshot("xss-portal")
	if n := eve.dialogs.Load() + lena.dialogs.Load(); n != 0 {
		t.Errorf("%d alert dialogs opened", n)
	}
}

// TestBrowser_Russian: the language switch turns the whole UI Russian,
// with Russian plural forms, dates and form errors; the page fits a 360 px
// screen.
func TestBrowser_Russian(t *testing.T) {
	t.Parallel()
	d := newDesk3(t)
	b := newBrowsers(t).browser(d.site)
	b.open("/login")
	b.submit("button[name=lang][value=ru]")
	if got := b.text("h1"); got != "Вход" {
		t.Fatalf("login heading %q after switching to Russian", got)
	}
	b.signIn("sam@example.com", pw)
	b.wantText("Мои заявки", "У вас 0 открытых заявок.")
	b.report("Не работает почта", "E-mail", "broken", "me", "now")
	b.wantText("Спасибо: заявка зарегистрирована.", "Получена", "Наши сроки")
	if !regexpRu.MatchString(b.bodyText()) {
		t.Errorf("no Russian date on the ticket page:\n%s", b.bodyText())
	}
	b.report("Нужен доступ к папке", "", "need", "me", "later")
	b.open("/my")
	b.wantText("У вас 2 открытые заявки.")
	b.open("/report")
	b.submit("form[action='/report'] button[type=submit]")
	b.wantText("Выберите один из вариантов.", "Заполните, пожалуйста.")
	b.screenshot("report-errors-ru")

	b.do("narrow", chromedp.EmulateViewport(360, 740))
	for _, path := range []string{"/my", "/report", "/tickets/INC-000001"} {
		b.open(path)
		if w := eval[int](b, "document.documentElement.scrollWidth"); w > 360 {
			t.Errorf("%s is %d px wide at a 360 px viewport", path, w)
		}
		b.screenshot("360px" + strings.ReplaceAll(path, "/", "-"))
	}
}

// TestBrowser_Keyboard: an agent works with the keyboard only: Tab through
// the queue to a ticket, Enter opens it, "c" opens the comment form with
// the cursor in it, Tab and Space make it public, Enter sends it.
func TestBrowser_Keyboard(t *testing.T) {
	t.Parallel()
	d := newDesk3(t)
	bs := newBrowsers(t)
	sam, lena := bs.browser(d.site), bs.browser(d.site)
	sam.signIn("sam@example.com", pw)
	num := sam.report("Laptop will not boot", "", "broken", "me", "now")

	lena.signIn("lena@example.com", pw)
	if lena.page() != "console_queue" { // the console's queue of her teams
		t.Fatalf("staff land on %q", lena.page())
	}
	found := false
	for range 40 {
		lena.key("\t")
		if eval[string](lena, "document.activeElement.textContent.trim()") == num {
			found = true
			break
		}
	}
	if !found {
		t.Fatalf("Tab never reached the link to %s in the queue", num)
	}
	if style := eval[string](lena, "getComputedStyle(document.activeElement).outlineStyle"); style == "none" {
		t.Error("the focused link has no visible focus outline")
	}
	eval[bool](lena, "window.__before = true")
	lena.key("\r")
	lena.waitNewPage()
	if lena.page() != "agent_ticket" {
		t.Fatalf("Enter on the queue link opened %q", lena.page())
	}
	lena.key("c")
	if id := eval[string](lena, "document.activeElement.id"); id != "comment-body" {
		t.Fatalf("after 'c' the focus is on %q, want the comment text", id)
	}
	lena.do("type", chromedp.KeyEvent("Called, booting from USB now."))
	lena.key("\t") // to the file chooser
	lena.key("\t")
	if id := eval[string](lena, "document.activeElement.id"); id != "comment-internal" {
		t.Fatalf("Tab from the file chooser went to %q", id)
	}
	lena.key(" ") // public after all
	lena.key("\t")
	eval[bool](lena, "window.__before = true")
	lena.key("\r")
	lena.waitNewPage()
	lena.wantText("Your comment is added.", "Called, booting from USB now.")
	if lena.has(".event-comment.internal") || !lena.has(".event-comment") {
		t.Error("the comment was not recorded as a public comment")
	}
	lena.screenshot("keyboard")
	sam.open("/tickets/" + num)
	sam.wantText("Called, booting from USB now.")
}

var regexpRu = regexp.MustCompile(`\d{1,2} (янв|февр|мар|апр|мая|июн|июл|авг|сент|окт|нояб|дек)\.? 20\d\d, \d\d:\d\d`)
