package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// waitFor waits until js is true in the page (the lookup's answer arrives
// a little after typing).
func (b *browser) waitFor(what, js string) {
	b.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !eval[bool](b, js) {
		if time.Now().After(deadline) {
			b.t.Fatalf("waiting for %s: %s", what, b.bodyText())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// pressSubmit presses a key that submits a form and waits for the next page.
func (b *browser) pressSubmit(k string) {
	b.t.Helper()
	eval[bool](b, "window.__before = true")
	b.key(k)
	b.waitNewPage()
}

// TestBrowser_RegisterCaller: Sam phones about a problem he already
// reported. Line 1 opens the form with n from the console, finds Sam as
// she types, sees his open ticket and adds the call to it instead of
// filing a duplicate. Then a new caller walks in, is registered inline,
// and the ticket is resolved on first contact (a mistake on the way keeps
// every input).
func TestBrowser_RegisterCaller(t *testing.T) {
	t.Parallel()
	d := newDesk3(t)
	bs := newBrowsers(t)
	sam, lena := bs.browser(d.site), bs.browser(d.site)
	sam.signIn("sam@example.com", pw)
	num := sam.report("VPN drops every few minutes", "E-mail", "broken", "me", "later")

	lena.signIn("lena@example.com", pw)
	if lena.page() != "console_queue" {
		t.Fatalf("staff land on %q", lena.page())
	}
	eval[bool](lena, "window.__before = true")
	lena.key("n")
	lena.waitNewPage()
	if lena.page() != "register" {
		t.Fatalf("n opened %q", lena.page())
	}
	lena.key("/") // the lookup box
	lena.do("type", chromedpSendKeys("#q", "sam req"))
	lena.waitFor("the lookup's matches", "document.querySelectorAll('#lookup .pick').length === 1")
	lena.wantText("Sam Requester", "sam@example.com")
	lena.screenshot("lookup")
	lena.key(kb.ArrowDown)
	if !eval[bool](lena, "document.activeElement.classList.contains('pick')") {
		t.Fatal("ArrowDown does not reach the matches")
	}
	lena.pressSubmit("\r")
	lena.wantText("Open and recent tickets of Sam Requester", num, "VPN drops every few minutes")
	lena.fill("#title", "VPN dropped again")
	lena.fill("#description", "Drops again after lunch, whole floor")
	lena.screenshot("duplicate")
	lena.submit("button[name=add][value='" + num + "']")
	if lena.page() != "agent_ticket" {
		t.Fatalf("adding the call went to %q", lena.page())
	}
	lena.wantText("The call is added to the ticket.", "Call (Phone):", "Drops again after lunch, whole floor")
	if list := d.api("GET", "/api/v1/tickets?limit=10", nil)["tickets"].([]any); len(list) != 1 {
		t.Errorf("%d tickets after the call, want the one (no duplicate)", len(list))
	}
	sam.open("/tickets/" + num)
	sam.wantText("Drops again after lunch, whole floor") // a public comment by default

	// A walk-in caller nobody knows yet, resolved on the spot.
	lena.open("/console/register")
	lena.do("type", chromedpSendKeys("#q", "Kim Walker"))
	lena.waitFor("no matches", "!!document.querySelector('#lookup p.muted')")
	lena.wantText("Nobody matches")
	lena.fill("#requester\\.name", "Kim Walker")
	lena.fill("#requester\\.email", "kim@example.com")
	lena.fill("#requester\\.organization", "Initech")
	lena.choose("#channel", "walk_in")
	lena.choose("#impact", "high")
	lena.choose("#urgency", "high")
	if got := lena.text("#priority-preview"); got != "P1" {
		t.Errorf("priority preview %q, want P1", got)
	}
	lena.do("tick", chromedpClick("#fcr"))
	lena.choose("#resolution_code", "user_instructed")
	lena.fill("#resolution_notes", "Showed how to reconnect the VPN")
	lena.submit("#register-submit") // no title yet
	if lena.page() != "register" {
		t.Fatalf("a registration without title went to %q", lena.page())
	}
	lena.wantText("Please fill this in.")
	if got := eval[string](lena, "document.querySelector('#requester\\\\.email').value + '|' + document.querySelector('#resolution_notes').value + '|' + document.querySelector('#channel').value + '|' + document.querySelector('#fcr').checked"); got != "kim@example.com|Showed how to reconnect the VPN|walk_in|true" {
		t.Errorf("inputs after the error: %q", got)
	}
	if got := lena.text("#priority-preview"); got != "P1" {
		t.Errorf("priority preview after the error %q, want P1", got)
	}
	lena.fill("#title", "VPN client will not connect")
	lena.submit("#register-submit")
	if lena.page() != "agent_ticket" {
		t.Fatalf("registering went to %q: %s", lena.page(), lena.bodyText())
	}
	lena.wantText("The ticket is registered and resolved on first contact.", "Kim Walker", "Resolved on first contact",
		"Showed how to reconnect the VPN", "Walk-in")
	lena.screenshot("first-contact")
	if body := lena.bodyText(); strings.Contains(body, "first_contact") {
		t.Errorf("the timeline shows a raw key:\n%s", body)
	}
}

// chromedpSendKeys types text into the element as a user would, key by key.
func chromedpSendKeys(sel, text string) chromedp.Action[chromedp.Void] {
	return chromedp.SendKeys(chromedp.CSS(sel), text)
}
