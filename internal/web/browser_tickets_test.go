package web_test

import (
	"fmt"
	"strings"
	"testing"
)

// ticketIn is a ticket for the API, phoned in by requester.
func ticketIn(title, channel, requester string) map[string]any {
	return map[string]any{"type": "incident", "title": title, "channel": channel, "impact": "low", "urgency": "low",
		"requester": map[string]any{"email": requester}}
}

// TestBrowser_TicketsSearchAndSave: an agent finds tickets with words and
// filters, by keyboard where it matters, and saves the search for her team.
func TestBrowser_TicketsSearchAndSave(t *testing.T) {
	d := newDesk3(t)
	vpn := d.api("POST", "/api/v1/tickets", ticketIn("VPN drops every hour", "phone", "sam@example.com"))["number"].(string)
	d.api("POST", "/api/v1/tickets", ticketIn("VPN is slow", "email", "sam@example.com"))
	d.api("POST", "/api/v1/tickets", ticketIn("Printer jam", "phone", "sam@example.com"))
	b := newBrowsers(t).browser(d.site)
	b.signIn("lena@example.com", pw)
	b.open("/console")
	b.submit("nav a[href='/tickets']") // marks the page, follows the link, waits for the next one
	if b.page() != "tickets" {
		t.Fatalf("the Tickets link opens %q", b.page())
	}
	b.wantText("3 tickets found")
	b.key("/")
	if id := eval[string](b, "document.activeElement.id"); id != "q" {
		t.Errorf("/ focuses %q, want the search box", id)
	}
	b.fill("#q", "vpn")
	b.do("tick phone", chromedpClick("input[name=channel][value=phone]"))
	b.submit("#search-go")
	b.wantText("1 ticket found", "VPN drops every hour")
	if strings.Contains(b.bodyText(), "Printer jam") || strings.Contains(b.bodyText(), "VPN is slow") {
		t.Errorf("the search shows tickets it should not:\n%s", b.bodyText())
	}
	b.fill("#s-name", "Phone VPN")
	b.do("share with my team", chromedpClick("#save-filter input[name=shared_with]"))
	b.submit("#save-go")
	b.wantText("The search is saved.", "Tickets: Phone VPN", "1 ticket found")
	if !b.has("nav.saved a[aria-current=page]") || b.text("nav.saved a[aria-current=page]") != "Phone VPN" {
		t.Errorf("the saved filter is not listed as the current one")
	}
	if got := eval[string](b, "document.getElementById('q').value"); got != "vpn" {
		t.Errorf("the saved filter's words %q", got)
	}
	b.screenshot("saved")
	list := d.api("GET", "/api/v1/filters", nil)
	fs := list["filters"].([]any)
	if len(fs) != 0 { // the admin sees only his own and his groups'
		t.Errorf("the admin (in no group) sees %v", fs)
	}
	b.open("/tickets/" + vpn)
	if b.page() != "agent_ticket" {
		t.Errorf("the result's link opens %q", b.page())
	}
}

// TestBrowser_TicketsBulkMerge: three reports of one outage are selected
// on the Tickets page and merged into the first: the other two are
// canceled with a link to it, their requesters told once each.
func TestBrowser_TicketsBulkMerge(t *testing.T) {
	d := newDesk3(t)
	d.user("kim@example.com", "Kim Requester", "requester", pw)
	var nums []string
	for i, who := range []string{"sam@example.com", "kim@example.com", "sam@example.com"} {
		nums = append(nums, d.api("POST", "/api/v1/tickets", ticketIn(fmt.Sprintf("Mail is down (%d)", i+1), "phone", who))["number"].(string))
	}
	b := newBrowsers(t).browser(d.site)
	b.signIn("lena@example.com", pw)
	b.open("/tickets?q=mail&sort=created")
	b.wantText("3 tickets found")
	for _, n := range nums {
		b.do("select "+n, chromedpClick("#sel-"+n))
	}
	b.choose("#b-action", "merge")
	if !eval[bool](b, "document.querySelector('[data-for=assign]').hidden && !document.querySelector('[data-for=merge]').hidden") {
		t.Errorf("the merge fields are not the ones shown")
	}
	b.fill("#b-into", nums[0])
	b.submit("#bulk-go")
	b.wantText("Merge duplicates into one: 2 of 2 done", "kept: "+nums[0])
	if id := eval[string](b, "document.activeElement.id"); id != "bulk-result" {
		t.Errorf("focus after the bulk action is on %q, want the outcome", id)
	}
	b.screenshot("merged")
	for _, n := range nums[1:] {
		tk := d.api("GET", "/api/v1/tickets/"+n, nil)
		if tk["state"] != "canceled" {
			t.Errorf("%s is %v, want canceled", n, tk["state"])
		}
	}
	if tk := d.api("GET", "/api/v1/tickets/"+nums[0], nil); tk["state"] != "new" {
		t.Errorf("the survivor is %v", tk["state"])
	}
	links := d.api("GET", "/api/v1/tickets/"+nums[0]+"/links", nil)
	if ls, _ := links["links"].([]any); len(ls) != 2 {
		t.Errorf("the survivor's links: %v", links)
	}
	told := map[string]int{}
	for _, state := range []string{"queued", "sent", "failed"} {
		for _, m := range d.api("GET", "/api/v1/outbox?limit=500&state="+state, nil)["messages"].([]any) {
			if msg := m.(map[string]any); msg["kind"] == "merged" {
				told[fmt.Sprint(msg["user_id"])]++
			}
		}
	}
	if len(told) != 2 {
		t.Errorf("merge notices by user: %v, want one for each of the two requesters", told)
	}
	for u, n := range told {
		if n != 1 {
			t.Errorf("user %s told %d times", u, n)
		}
	}
	b.open("/tickets/" + nums[1])
	b.wantText("Merged into", nums[0])
}
