package web_test

import (
	"strings"
	"testing"
)

// TestBrowser_FullFlow: a requester reports an incident; line 1
// categorises, prioritises (seeing the priority before saving) and
// escalates it to line 2; line 2 takes it, schedules a call with the
// requester (who sees it on the portal) and escalates to line 3; line 3
// resolves it; the requester confirms, which closes it.
func TestBrowser_FullFlow(t *testing.T) {
	t.Parallel()
	d := newDesk3(t)
	bs := newBrowsers(t)
	sam, lena, nick, ines := bs.browser(d.site), bs.browser(d.site), bs.browser(d.site), bs.browser(d.site)

	sam.signIn("sam@example.com", pw)
	num := sam.report("Mail server down", "E-mail", "broken", "me", "later")
	sam.wantText("Received", "Service Desk")
	other := sam.report("Mail is slow too", "E-mail", "broken", "me", "later")

	lena.signIn("lena@example.com", pw)
	if lena.page() != "console_queue" { // the console's queue of her teams
		t.Fatalf("staff land on %q", lena.page())
	}
	lena.wantText(num, "Mail server down")
	lena.screenshot("agent-home")
	lena.open("/tickets/" + num)
	lena.wantText("Sam Requester", "sam@example.com", "Details of Mail server down")

	lena.action("act-categorise")
	lena.choose("#category", lena.optionValue("#category", "Mail"))
	lena.submit("#act-categorise button[type=submit]")
	lena.wantText("The classification is saved.")

	lena.action("act-priority")
	if got := lena.text("#priority-preview"); got != "P4" {
		t.Errorf("preview before changes: %q, want P4 (low impact, low urgency)", got)
	}
	lena.choose("#impact", "high")
	lena.choose("#urgency", "high")
	if got := lena.text("#priority-preview"); got != "P1" {
		t.Errorf("preview after high/high: %q, want P1", got)
	}
	lena.screenshot("priority-preview")
	lena.fill("#priority-reason", "the whole office is without mail")
	lena.submit("#act-priority button[type=submit]")
	lena.wantText("Impact and urgency are saved.", "P1", "the whole office is without mail")

	lena.action("act-link")
	lena.choose("#link-kind", "related")
	lena.fill("#link-ticket", other)
	lena.submit("#act-link button[type=submit]")
	lena.wantText("The tickets are linked.", "Linked tickets", "is related to "+other)

	lena.action("act-escalate")
	lena.choose("#escalate-group", lena.optionValue("#escalate-group", "Network"))
	lena.fill("#escalate-reason", "needs the mail relay team")
	lena.submit("#act-escalate button[type=submit]")
	lena.wantText("The ticket is escalated.", "Network (line 2)", "needs the mail relay team")

	nick.signIn("nick@example.com", pw)
	nick.wantText(num)
	nick.open("/tickets/" + num)
	nick.submit("#act-take")
	nick.wantText("You are working on this ticket now.", "In progress")
	nick.action("act-call")
	nick.fill("#call-start", "2030-01-15T10:00")
	nick.fill("#call-duration", "45")
	nick.fill("#call-phone", "+7 900 123-45-67")
	nick.fill("#call-note", "We will check the mail client together.")
	nick.submit("#act-call button[type=submit]")
	nick.wantText("The call is scheduled; the requester gets an invitation.", "Phone call", "Jan 15, 2030, 10:00 UTC",
		"45 minutes", "scheduled a call")
	sam.open("/tickets/" + num)
	sam.wantText("Calls", "Phone call", "Jan 15, 2030, 10:00 UTC", "+7 900 123-45-67", "We will check the mail client together.")
	sam.screenshot("portal-call")
	nick.action("act-escalate")
	nick.choose("#escalate-group", nick.optionValue("#escalate-group", "Core Systems"))
	nick.fill("#escalate-reason", "storage cluster fault")
	nick.submit("#act-escalate button[type=submit]")
	nick.wantText("The ticket is escalated.", "Core Systems (line 3)")

	ines.signIn("ines@example.com", pw)
	ines.open("/tickets/" + num)
	ines.submit("#act-take")
	ines.action("act-resolve")
	ines.choose("#resolution-code", "solved")
	ines.fill("#resolution-notes", "Replaced the failed disk; mail flows again.")
	ines.submit("#act-resolve button[type=submit]")
	ines.wantText("The ticket is resolved.", "Resolved")
	ines.screenshot("agent-ticket-resolved")
	body := ines.bodyText()
	for _, want := range []string{"registered the ticket", "escalated the ticket", "changed the state"} {
		if !strings.Contains(body, want) {
			t.Errorf("timeline lacks %q", want)
		}
	}

	sam.open("/tickets/" + num)
	sam.wantText("We think this is solved", "Replaced the failed disk; mail flows again.", "Core Systems")
	sam.do("rate", chromedpClick("input[name=score][value='5']"))
	sam.fill("#rate-comment", "Quick and clear.")
	sam.submit("#rate-send")
	sam.wantText("Thank you for your rating.", "You rated this 5 out of 5.", "Quick and clear.")
	sam.screenshot("portal-resolved")
	sam.submit("#confirm")
	sam.wantText("Thank you for confirming: the ticket is closed.", "Closed")
	if sam.has("#comment-form") {
		t.Error("a closed ticket still offers the comment form")
	}
	sam.open("/my")
	sam.wantText("You have 1 open ticket.", "Finished tickets", num)
}
