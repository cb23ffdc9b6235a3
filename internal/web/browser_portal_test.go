package web_test

import (
	"strings"
	"testing"
)

// TestBrowser_Portal: a requester signs in, reports a problem through the
// plain-language form (first with a mistake, which comes back next to its
// field with the input kept), sees it in My tickets and comments on it.
func TestBrowser_Portal(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	s.api("POST", "/api/v1/services", map[string]any{"name": "E-mail", "description": "Corporate mail"})
	s.user("sam@example.com", "Sam Requester", "requester", "sam's long password")
	b := newBrowsers(t).browser(s)

	b.open("/my")
	if got := b.page(); got != "login" {
		t.Fatalf("an anonymous visitor to /my sees %q, want the sign-in page", got)
	}
	b.fill("#email", "sam@example.com")
	b.fill("#password", "not the password")
	b.submit("form[action='/login'] button[type=submit]")
	b.wantText("The e-mail address or the password is wrong.")
	b.signIn("sam@example.com", "sam's long password")
	if got := b.page(); got != "portal_my" {
		t.Fatalf("after sign-in the page is %q, want portal_my", got)
	}
	b.wantText("You have 0 open tickets.")
	b.screenshot("my-empty")

	b.open("/report")
	b.do("choose", chromedpClick("input[name=kind][value=broken]"), chromedpClick("input[name=people][value=many]"))
	b.fill("#title", "Mail does not arrive")
	b.fill("#description", "Since 9:00 no mail at all.")
	b.fill("#service", "No such service")
	b.submit("form[action='/report'] button[type=submit]")
	if got := b.page(); got != "portal_report" {
		t.Fatalf("an invalid report went to %q", got)
	}
	b.wantText("Choose a service from the list, or leave the field empty.", "Please choose how soon it blocks you.")
	if v := eval[string](b, "document.querySelector('#title').value"); v != "Mail does not arrive" {
		t.Errorf("the title typed was not kept: %q", v)
	}
	if !b.has("#service[aria-invalid=true]") {
		t.Error("the service field is not marked invalid")
	}
	b.screenshot("report-errors")
	b.fill("#service", "e-mail")
	b.do("choose", chromedpClick("input[name=soon][value=now]"))
	b.submit("form[action='/report'] button[type=submit]")
	if got := b.page(); got != "portal_ticket" {
		t.Fatalf("after reporting the page is %q", got)
	}
	h1 := b.text("h1")
	if !strings.HasPrefix(h1, "INC-") || !strings.Contains(h1, "Mail does not arrive") {
		t.Errorf("ticket heading %q", h1)
	}
	b.wantText("Thank you: your ticket is registered.", "Received", "Since 9:00 no mail at all.")
	b.screenshot("ticket-new")

	b.fill("#body", "It also fails on my phone.")
	b.submit("#comment-form button[type=submit]")
	b.wantText("Your comment is added.", "It also fails on my phone.")

	b.open("/my")
	b.wantText("You have 1 open ticket.", "Mail does not arrive", "The service desk will look at it soon.")
	b.screenshot("my-tickets")
}
