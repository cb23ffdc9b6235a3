package web_test

// Accessibility measured in the real browser: axe-core (installed by
// .ci/run into tools/a11y, never committed) runs its WCAG 2.0/2.1 A and AA
// rules on every main page, in English and Russian, at 360 px and 1280 px;
// and every control reached with Tab shows a visible focus outline.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeScript is tools/a11y's axe-core; without it the test skips locally and
// fails under CI=true (.ci/run installs it with npm ci).
func axeScript(t *testing.T) string {
	t.Helper()
	file := filepath.Join("..", "..", "tools", "a11y", "node_modules", "axe-core", "axe.min.js")
	src, err := os.ReadFile(file)
	if err == nil {
		return string(src)
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("the accessibility test needs axe-core under CI=true: run `npm ci --prefix tools/a11y` (%v)", err)
	}
	t.Skipf("accessibility test skipped: axe-core is not installed (run `npm ci --prefix tools/a11y` in the repository root): %v", err)
	return ""
}

// axeViolation is what axe.run reports for one rule broken on a page.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// runAxe checks the open page against WCAG 2 A/AA (2.0 and 2.1) and
// describes each violation, one line per element.
func runAxe(b *browser, axe string) []string {
	b.t.Helper()
	if !eval[bool](b, "typeof window.axe === 'object'") {
		eval[chromedp.Void](b, axe) // DevTools evaluation: not subject to the page's CSP
	}
	const run = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
		resultTypes: ['violations']}).then(r => JSON.stringify(r.violations))`
	out, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](run, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("axe.run: %v", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		b.t.Fatalf("axe results: %v", err)
	}
	var lines []string
	for _, v := range vs {
		for _, n := range v.Nodes {
			lines = append(lines, fmt.Sprintf("%s (%s) %s\n      at %v: %s", v.ID, v.Impact, v.Help, n.Target,
				strings.ReplaceAll(n.Summary, "\n", " / ")))
		}
	}
	return lines
}

// overflow names the elements that stick out past the right edge of the
// window (the page scrolls sideways), empty when it fits.
func overflow(b *browser) []string {
	b.t.Helper()
	const js = `(() => {
	  const w = document.documentElement.clientWidth;
	  if (document.documentElement.scrollWidth <= w) return [];
	  const out = [];
	  const clipped = el => {
	    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement)
	      if (getComputedStyle(p).overflowX !== 'visible') return true;
	    return false;
	  };
	  for (const el of document.querySelectorAll('body *')) {
	    if (clipped(el)) continue;
	    const r = el.getBoundingClientRect();
	    const p = el.parentElement.getBoundingClientRect();
	    if (r.right > w + 1 && p.right <= w + 1 && out.length < 5)
	      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + String(el.className).replace(/ /g, '.') : '') + ' right=' + Math.round(r.right));
	  }
	  return out.length ? out : ['the page is ' + document.documentElement.scrollWidth + ' px wide'];
	})()`
	return eval[[]string](b, js)
}

// a11yPage is one page to check: who looks at it and how to get there.
type a11yPage struct {
	who  *browser
	path string
	// open reaches the page when loading path is not enough (a form sent
	// with mistakes); nil means b.open(path).
	open func(b *browser)
}

// TestBrowser_Accessibility: axe-core finds no WCAG 2 A/AA violation on any
// main page (portal, console, ticket pages, dashboard, on-call, every admin
// page in the navigation and their first detail page, forms with errors),
// in English and Russian, at 360 px and 1280 px; and at 360 px nothing
// makes the page scroll sideways.
func TestBrowser_Accessibility(t *testing.T) {
	axe := axeScript(t)
	d := newDesk3(t)
	d.user("root@example.com", "Rita Root", "admin", pw)
	tk := d.api("POST", "/api/v1/tickets", map[string]any{"type": "incident", "title": "Mail does not arrive", "channel": "portal",
		"description": "Since 9 o'clock no mail reaches me.", "impact": "high", "urgency": "medium",
		"requester": map[string]any{"email": "sam@example.com"}})
	number := tk["number"].(string)
	d.api("POST", "/api/v1/tickets/"+number+"/comments", map[string]any{"body": "Looking into it."})
	d.api("POST", "/api/v1/tickets/"+number+"/comments", map[string]any{"body": "Checked the MX records.", "internal": true})

	bs := newBrowsers(t)
	anon, sam, lena, root := bs.browser(d.site), bs.browser(d.site), bs.browser(d.site), bs.browser(d.site)
	sam.signIn("sam@example.com", pw)
	lena.signIn("lena@example.com", pw)
	root.signIn("root@example.com", pw)

	pages := []a11yPage{
		{who: anon, path: "/login"},
		{who: anon, path: "/login#mistake", open: func(b *browser) {
			b.open("/login")
			b.fill("#email", "sam@example.com")
			b.fill("#password", "not the password")
			b.submit("form[action='/login'] button[type=submit]")
		}},
		{who: sam, path: "/tickets/" + number},
		{who: sam, path: "/report#mistakes", open: func(b *browser) {
			b.open("/report")
			b.submit("form[action='/report'] button[type=submit]")
		}},
		{who: sam, path: "/no-such-page"},
		{who: lena, path: "/tickets/" + number},
		{who: lena, path: "/console/dashboard"},
		{who: lena, path: "/console/queues/breached"},
		{who: root, path: "/admin/calendars/business"},
		{who: root, path: "/admin/sla#mistakes", open: func(b *browser) {
			b.open("/admin/sla")
			b.fill("#response", "soon")
			b.submit("form[action='/admin/sla'] button[type=submit]")
		}},
		{who: root, path: "/admin/calendars#mistakes", open: func(b *browser) {
			b.open("/admin/calendars")
			b.fill("#zone", "Berlin")
			b.fill("#week\\.monday", "17:00-09:00")
			b.fill("#holidays", "someday")
			b.submit("form[action='/admin/calendars'] button[type=submit]")
		}},
	}
	sec, secPages := securityA11yPages(t, d, bs) // a security case's pages (issue 14)
	pages = append(pages, secPages...)
	seen := map[string]bool{}
	for _, p := range pages {
		seen[p.path] = true
	}
	// Every page in each person's navigation (new pages are checked as they
	// land); the admin pages as the administrator, who may change things
	// there, with the first thing each list links to.
	for _, who := range []*browser{sam, lena, root} {
		who.open("/")
		for _, path := range eval[[]string](who, "[...document.querySelectorAll('nav.nav a')].map(a => a.getAttribute('href'))") {
			if seen[path] || (strings.HasPrefix(path, "/admin/") && who != root) {
				continue
			}
			seen[path] = true
			pages = append(pages, a11yPage{who: who, path: path})
			if !strings.HasPrefix(path, "/admin/") {
				continue
			}
			who.open(path)
			js := "(() => { const a = document.querySelector('main a[href^=" + strconv.Quote(path+"/") + "]'); return a ? a.getAttribute('href') : ''; })()"
			if detail := eval[string](who, js); detail != "" && !seen[detail] {
				seen[detail] = true
				pages = append(pages, a11yPage{who: who, path: detail})
			}
		}
	}
	if len(pages) < 21 {
		t.Fatalf("only %d pages to check; the navigation lost its links?", len(pages))
	}

	for _, lang := range []string{"en", "ru"} {
		if lang == "ru" {
			for _, b := range []*browser{anon, sam, lena, root, sec} {
				b.open("/")
				b.submit("button[name=lang][value=ru]")
			}
		}
		for _, width := range []int64{360, 1280} {
			for _, b := range []*browser{anon, sam, lena, root, sec} {
				b.do("viewport", chromedp.EmulateViewport(width, 800))
			}
			for _, p := range pages {
				checkPage(t, p, axe, lang, width)
			}
		}
	}
}

// checkPage opens one page, opens its collapsed sections (so the forms in
// them are checked too) and reports what axe and the width check find.
func checkPage(t *testing.T, p a11yPage, axe, lang string, width int64) {
	t.Helper()
	b := p.who
	if p.open != nil {
		p.open(b)
	} else {
		b.open(p.path)
	}
	eval[chromedp.Void](b, "document.querySelectorAll('details').forEach(d => d.open = true)")
	where := fmt.Sprintf("%s (%s, %s, %d px)", p.path, b.page(), lang, width)
	if lines := runAxe(b, axe); len(lines) > 0 {
		t.Errorf("%s: %d accessibility violations:\n    %s", where, len(lines), strings.Join(lines, "\n    "))
	}
	if width <= 360 {
		if wide := overflow(b); len(wide) > 0 {
			t.Errorf("%s scrolls sideways: %s", where, strings.Join(wide, ", "))
		}
		if lang == "en" {
			b.screenshot(fmt.Sprintf("%s-%s-%dpx", b.page(), strings.Trim(strings.NewReplacer("/", "_", "#", "_").Replace(p.path), "_"), width))
		}
	}
}

// TestBrowser_FocusVisible: with the keyboard only, Tab reaches every link,
// button and field of the report form and the agent's ticket page in
// turn, and each one shows a focus outline at least 2 px wide.
func TestBrowser_FocusVisible(t *testing.T) {
	d := newDesk3(t)
	tk := d.api("POST", "/api/v1/tickets", map[string]any{"type": "incident", "title": "VPN drops", "channel": "phone",
		"impact": "medium", "urgency": "medium", "requester": map[string]any{"email": "sam@example.com"}})
	bs := newBrowsers(t)
	sam, lena := bs.browser(d.site), bs.browser(d.site)
	sam.signIn("sam@example.com", pw)
	lena.signIn("lena@example.com", pw)
	tabThrough(sam, "/report")
	tabThrough(lena, "/tickets/"+tk["number"].(string))
}

// tabThrough presses Tab from the top of the page until the focus comes
// back round, checking the outline of each focused control.
func tabThrough(b *browser, path string) {
	b.t.Helper()
	b.open(path)
	const probe = `(() => {
	  const el = document.activeElement;
	  if (!el || el === document.body) return '';
	  const s = getComputedStyle(el);
	  const ok = el.matches(':focus-visible') && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
	  const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.name ? '[name=' + el.name + ']' : '') +
	    ' "' + (el.textContent || el.value || '').trim().slice(0, 30) + '"';
	  return (ok ? 'ok ' : 'NO ') + name + (ok ? '' : ' (outline ' + s.outlineStyle + ' ' + s.outlineWidth + ')');
	})()`
	var reached []string
	kinds := map[string]bool{}
	for i := 0; i < 150; i++ {
		b.key("\t")
		got := eval[string](b, probe)
		if got == "" || (len(reached) > 0 && got == reached[0]) {
			break
		}
		reached = append(reached, got)
		kinds[strings.Fields(got[3:])[0]] = true
		if strings.HasPrefix(got, "NO ") {
			b.t.Errorf("%s: focus is not visible on %s", path, got[3:])
		}
	}
	for _, tag := range []string{"a", "button"} {
		if !kindReached(kinds, tag) {
			b.t.Errorf("%s: Tab never reached a %s; it reached %v", path, tag, reached)
		}
	}
	if !kindReached(kinds, "input") && !kindReached(kinds, "textarea") && !kindReached(kinds, "summary") {
		b.t.Errorf("%s: Tab never reached a field; it reached %v", path, reached)
	}
	b.t.Logf("%s: Tab reached %d controls", path, len(reached))
}

func kindReached(kinds map[string]bool, tag string) bool {
	for k := range kinds {
		if k == tag || strings.HasPrefix(k, tag+"#") || strings.HasPrefix(k, tag+"[") {
			return true
		}
	}
	return false
}
