package web_test

import (
	"fmt"
	"testing"
	"time"
)

// TestBrowser_OnCall: an agent of a paged team opens the on-call page, sees
// who is on call and the page the server's pager started, and acknowledges
// it with the button.
func TestBrowser_OnCall(t *testing.T) {
	s := newSite(t)
	g := s.id(s.api("POST", "/api/v1/groups", map[string]any{"name": "Storage", "line": 3}))
	nina := s.user("nina@example.com", "Nina Oncall", "agent", "nina's long password", g)
	sched := s.id(s.api("POST", "/api/v1/schedules", map[string]any{"name": "Storage week", "zone": "UTC", "layers": []any{
		map[string]any{"name": "week", "participants": []int64{nina}, "start_date": "2026-01-05", "hand_off": "09:00", "length": "7d"}}}))
	s.api("PUT", fmt.Sprintf("/api/v1/groups/%d/escalation-policy", g), map[string]any{"name": "Storage", "repeat": 1,
		"priorities": []string{"P1"}, "steps": []any{map[string]any{"schedule_ids": []int64{sched}, "delay_minutes": 5}}})
	tk := s.api("POST", "/api/v1/tickets", map[string]any{"type": "incident", "title": "Array offline", "channel": "phone",
		"impact": "high", "urgency": "high", "group_id": g, "requester": map[string]any{"email": "sam@example.com", "name": "Sam"}})
	number := tk["number"].(string)

	b := newBrowsers(t).browser(s)
	b.signIn("nina@example.com", "nina's long password")
	// The server's timers and pager poll every second: the page shows up
	// within a few reloads.
	ack := "tr[data-ticket='" + number + "'] form[action='/oncall/acknowledge'] button"
	for i := 0; ; i++ {
		b.open("/oncall")
		if b.has(ack) {
			break
		}
		if i == 30 {
			t.Fatalf("no page for %s on /oncall after 15 s:\n%s", number, b.bodyText())
		}
		time.Sleep(500 * time.Millisecond)
	}
	if b.page() != "oncall" {
		t.Fatal(b.page())
	}
	b.wantText("Storage week", "On call now", "Nina Oncall", "1 page is waiting")
	b.screenshot("oncall")
	b.submit(ack)
	b.wantText("Page acknowledged", "0 pages are waiting")
}
