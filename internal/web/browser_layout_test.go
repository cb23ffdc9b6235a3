package web_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// box is an element's place on the page in CSS pixels.
type box struct {
	Top, Bottom, Left, Right float64
	Found                    bool
}

// boxOf measures the first element matching sel.
func boxOf(b *browser, sel string) box {
	b.t.Helper()
	js := fmt.Sprintf(`(() => { const el = document.querySelector(%q); if (!el) return {Found: false};
	  const r = el.getBoundingClientRect(); const y = window.scrollY, x = window.scrollX;
	  return {Top: r.top + y, Bottom: r.bottom + y, Left: r.left + x, Right: r.right + x, Found: true}; })()`, sel)
	bx := eval[box](b, js)
	if !bx.Found {
		b.t.Fatalf("%s: no %s on the page", b.page(), sel)
	}
	return bx
}

// barLines counts the lines the top bar's visible items sit on: items
// whose vertical middles are more than half an item's height apart are on
// different lines.
func barLines(b *browser) (int, []string) {
	b.t.Helper()
	const js = `(() => {
	  const items = [...document.querySelectorAll('header.top .brand, header.top nav > a, header.top nav > details > summary, header.top .who, header.top .signout button')];
	  const mids = [], names = [];
	  for (const el of items) { const r = el.getBoundingClientRect(); mids.push((r.top + r.bottom) / 2); names.push(el.textContent.trim() + '@' + Math.round(r.top)); }
	  mids.sort((a, b) => a - b);
	  let lines = mids.length ? 1 : 0;
	  for (let i = 1; i < mids.length; i++) if (mids[i] - mids[i-1] > 12) lines++;
	  return {Lines: lines, Names: names};
	})()`
	v := eval[struct {
		Lines int
		Names []string
	}](b, js)
	return v.Lines, v.Names
}

// TestBrowser_Layout: at 1280 px the top bar of an administrator (who sees
// the most links) and of a line-1 agent is one line, in English and in
// Russian (whose words are longer), with every administration page one
// click away in its menu; on a 390 px phone the ticket page shows its
// header, facts and SLA box before the timeline, for the agent and for
// the requester, in both languages; at 1280 px the SLA box stands beside
// the timeline.
func TestBrowser_Layout(t *testing.T) {
	d := newDesk3(t)
	d.user("root@example.com", "Rita Root", "admin", pw)
	tk := d.api("POST", "/api/v1/tickets", map[string]any{"type": "incident", "title": "Mail does not arrive", "channel": "phone",
		"description": "Since 9 o'clock no mail reaches me.", "impact": "high", "urgency": "medium",
		"requester": map[string]any{"email": "sam@example.com"}})
	number := tk["number"].(string)
	d.api("POST", "/api/v1/tickets/"+number+"/comments", map[string]any{"body": "Looking into it."})

	bs := newBrowsers(t)
	root, lena, sam := bs.browser(d.site), bs.browser(d.site), bs.browser(d.site)
	root.signIn("root@example.com", pw)
	lena.signIn("lena@example.com", pw)
	sam.signIn("sam@example.com", pw)
	for _, lang := range []string{"en", "ru"} {
		if lang == "ru" {
			for _, b := range []*browser{root, lena, sam} {
				b.open("/")
				b.submit("button[name=lang][value=ru]")
			}
		}
		for _, b := range []*browser{root, lena} {
			b.do("wide", chromedp.EmulateViewport(1280, 900))
			for _, path := range []string{"/console", "/tickets/" + number, "/admin/users"} {
				b.open(path)
				if lines, items := barLines(b); lines != 1 {
					t.Errorf("%s %s at 1280 px: the top bar takes %d lines: %v", lang, path, lines, items)
				}
			}
		}
		lena.open("/tickets/" + number)
		wideTicket(t, lena, lang)
		for _, b := range []*browser{lena, sam} {
			b.do("phone", chromedp.EmulateViewport(390, 844))
			b.open("/tickets/" + number)
			phoneTicket(t, b, lang)
			b.screenshot(lang + "-ticket-390px-" + b.page())
		}
		adminMenu(t, root, lang)
	}
}

// adminMenu: the administrator's Administration menu holds every
// configuration page, opens by click, and its links lead there.
func adminMenu(t *testing.T, b *browser, lang string) {
	t.Helper()
	b.do("wide", chromedp.EmulateViewport(1280, 900))
	b.open("/console")
	links := eval[[]string](b, "[...document.querySelectorAll('header.top details.menu a')].map(a => a.getAttribute('href'))")
	want := []string{"/admin/groups", "/admin/users", "/admin/categories", "/admin/services", "/admin/matrix", "/admin/sla", "/admin/calendars", "/admin/mailboxes"}
	for _, w := range want {
		found := false
		for _, l := range links {
			found = found || l == w
		}
		if !found {
			t.Errorf("%s: the Administration menu lacks %s: %v", lang, w, links)
		}
	}
	if !b.has("header.top details.menu > summary") {
		t.Errorf("%s: no Administration menu in the top bar", lang)
		return
	}
	b.do("open the menu", chromedpClick("header.top details.menu > summary"))
	if right := boxOf(b, "header.top .menu-list").Right; right > 1280 {
		t.Errorf("%s: the open menu sticks out to %.0f px", lang, right)
	}
	b.submit("header.top .menu-list a[href='/admin/users']")
	if b.page() != "admin_users" {
		t.Errorf("%s: the menu's Users link led to %q", lang, b.page())
	}
	if !b.has("header.top details.menu summary.current") {
		t.Errorf("%s: on an administration page the menu is not marked current", lang)
	}
}

// phoneTicket: header, facts and SLA box come before the timeline.
func phoneTicket(t *testing.T, b *browser, lang string) {
	t.Helper()
	h1, facts, sla, timeline := boxOf(b, "main h1"), boxOf(b, "main .facts"), boxOf(b, "main .sla-col, main .side-col"), boxOf(b, "main ol.timeline")
	where := fmt.Sprintf("%s, %s at 390 px", lang, b.page())
	if !(h1.Bottom <= facts.Top && facts.Bottom <= sla.Top && sla.Bottom <= timeline.Top) {
		t.Errorf("%s: want header, facts, SLA box, timeline from the top; header %v facts %v SLA %v timeline %v", where, h1, facts, sla, timeline)
	}
	if sla.Right > 390 || timeline.Right > 390 {
		t.Errorf("%s: SLA box (right %.0f) or timeline (right %.0f) wider than the phone", where, sla.Right, timeline.Right)
	}
}

// wideTicket: at 1280 px the SLA box is in the right-hand column, level
// with the facts, and the timeline to its left.
func wideTicket(t *testing.T, b *browser, lang string) {
	t.Helper()
	facts, sla, timeline := boxOf(b, "main .facts"), boxOf(b, "main .sla-col, main .side-col"), boxOf(b, "main ol.timeline")
	if !(sla.Left >= facts.Right && sla.Left >= timeline.Right && sla.Top < facts.Bottom) {
		t.Errorf("%s at 1280 px: the SLA box %v is not beside the facts %v and the timeline %v", lang, sla, facts, timeline)
	}
}
