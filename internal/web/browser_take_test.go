package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestBrowser_TakeNewP1: a brand-new P1 (state new, nobody assigned) is
// paging the service desk's on-call agent; she opens it from the console's
// queue and presses t, Enter: the ticket is in progress, hers, and the page is
// over (acknowledged by her).
func TestBrowser_TakeNewP1(t *testing.T) {
	s := newSite(t)
	lena := s.user("lena@example.com", "Lena Lineone", "agent", pw, 1)
	sched := s.id(s.api("POST", "/api/v1/schedules", map[string]any{"name": "Desk week", "zone": "UTC", "layers": []any{
		map[string]any{"name": "week", "participants": []int64{lena}, "start_date": "2026-01-05", "hand_off": "09:00", "length": "7d"}}}))
	s.api("PUT", "/api/v1/groups/1/escalation-policy", map[string]any{"name": "Desk", "repeat": 1,
		"priorities": []string{"P1"}, "steps": []any{map[string]any{"schedule_ids": []int64{sched}, "delay_minutes": 5}}})
	number := s.phoneTicket("Payments down for everyone", "high", "high", time.Now())
	pages := func() []any {
		return s.api("GET", "/api/v1/tickets/"+number+"/pages", nil)["pages"].([]any)
	}
	for i := 0; len(pages()) == 0; i++ { // the server's pager polls every second
		if i == 30 {
			t.Fatalf("no page started for %s after 15 s", number)
		}
		time.Sleep(500 * time.Millisecond)
	}

	b := newBrowsers(t).browser(s)
	b.signIn("lena@example.com", pw)
	if b.page() != "console_queue" {
		t.Fatalf("lena lands on %q", b.page())
	}
	b.submit("#queue a[href='/tickets/" + number + "']")
	if b.page() != "agent_ticket" {
		t.Fatalf("the queue's link opened %q", b.page())
	}
	b.wantText("New")
	b.key("t") // focuses the take button; Enter presses it
	eval[bool](b, "window.__before = true")
	b.key("\r")
	b.waitNewPage()
	b.wantText("You are working on this ticket now.", "In progress", "Lena Lineone")
	b.screenshot("taken")

	tk := s.api("GET", "/api/v1/tickets/"+number, nil)
	if tk["state"] != "in_progress" || tk["assignee"] == nil || tk["assignee"].(map[string]any)["name"] != "Lena Lineone" {
		t.Errorf("after take: state %v, assignee %v", tk["state"], tk["assignee"])
	}
	for i := 0; ; i++ { // the page ends right after the take committed
		p := pages()[0].(map[string]any)
		if p["state"] == "acknowledged" {
			if by, _ := p["acknowledged_by"].(map[string]any); by == nil || by["name"] != "Lena Lineone" {
				t.Errorf("page acknowledged by %v", p["acknowledged_by"])
			}
			break
		}
		if i == 20 {
			t.Fatalf("the page is %v after the take", p["state"])
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// TestBrowser_RatingRoundTrip: the requester rates a resolved ticket in the
// portal; the box starts empty, the comment comes back on the page and
// through the API exactly as typed, with the group named.
func TestBrowser_RatingRoundTrip(t *testing.T) {
	s := newSite(t)
	lena := s.user("lena@example.com", "Lena Lineone", "agent", pw, 1)
	s.user("sam@example.com", "Sam Requester", "requester", pw)
	number := s.phoneTicket("Mouse double-clicks", "low", "low", time.Now())
	s.api("POST", "/api/v1/tickets/"+number+"/transitions", map[string]any{"to": "in_progress", "assignee_id": lena})
	s.api("POST", "/api/v1/tickets/"+number+"/transitions", map[string]any{"to": "resolved",
		"resolution_code": "solved", "resolution_notes": "New mouse."})

	b := newBrowsers(t).browser(s)
	b.signIn("sam@example.com", pw)
	b.open("/tickets/" + number)
	if got := eval[string](b, "document.querySelector('#rate-comment').value"); got != "" {
		t.Fatalf("the rating box starts with %q", got)
	}
	comment := `Quick & polite — "merci" <3`
	b.do("score", chromedpClick("input[name=score][value='4']"))
	b.fill("#rate-comment", comment)
	b.submit("#rate-send")
	b.wantText(comment)
	if got := eval[string](b, "document.querySelector('#rate-comment').value"); got != comment {
		t.Errorf("the box holds %q after sending, want the comment", got)
	}
	r := s.api("GET", "/api/v1/tickets/"+number+"/rating", nil)
	group, _ := r["group"].(map[string]any)
	if r["comment"] != comment || fmt.Sprint(r["score"]) != "4" || group == nil || group["name"] == "" {
		t.Errorf("the API reads the rating as %v", r)
	}
	if strings.Contains(b.bodyText(), "<nil>") {
		t.Error("the page shows <nil>")
	}
}
