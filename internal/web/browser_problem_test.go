package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestBrowser_ProblemWorkaroundReachesRequesters, on the real binary with
// a real SMTP server: an agent on an incident's page presses f and creates
// a problem from it, links two more incidents on the problem's page (key
// a), publishes a workaround publicly (key w); the server's broadcast
// writes it on all three incidents (the API shows it on each timeline)
// and each requester receives it by mail.
func TestBrowser_ProblemWorkaroundReachesRequesters(t *testing.T) {
	box := newMailbox(t)
	s := majorSite(t, box)
	s.user("lena@example.com", "Lena Lineone", "agent", pw, 1)
	svc := s.id(s.api("POST", "/api/v1/services", map[string]any{"name": "VPN"}))
	numbers := s.incidents(3, svc, "VPN drops for user")

	b := newBrowsers(t).browser(s)
	b.signIn("lena@example.com", pw)
	b.open("/tickets/" + numbers[0])
	b.key("f")
	if got := eval[string](b, "document.activeElement ? document.activeElement.id : ''"); got != "prb-q" {
		t.Errorf("the key f focused %q, want the problem search", got)
	}
	if v := eval[string](b, "document.querySelector('#prb-new-title').value"); v != "VPN drops for user 0" {
		t.Errorf("the new problem's title is prefilled with %q", v)
	}
	b.submit("#prb-create")
	if b.page() != "problem" {
		t.Fatalf("creating a problem from the incident led to %s:\n%s", b.page(), b.bodyText())
	}
	b.wantText("The problem is recorded.", "PRB-000001", numbers[0])

	b.key("a")
	b.fill("#link-tickets", numbers[1]+", "+numbers[2])
	b.submit("#link-go")
	b.wantText("The incidents are linked.", numbers[1], numbers[2])

	const workaround = "Reconnect over TCP 443 until the concentrator is patched."
	b.key("w")
	b.fill("#workaround-text", workaround)
	b.do("public", chromedpClick("#workaround-public"))
	b.screenshot("workaround")
	b.submit("#workaround-go")
	b.wantText("The workaround is published", "Known error", workaround)

	for i, n := range numbers {
		deadline := time.Now().Add(30 * time.Second)
		for !onTimeline(s, n, workaround) {
			if time.Now().After(deadline) {
				t.Fatalf("%s has no public workaround on its timeline after 30 s", n)
			}
			time.Sleep(300 * time.Millisecond)
		}
		// The public workaround is the incident's first response here, so
		// its mail is "We are working on it" with the comment in it.
		mail := box.await(t, fmt.Sprintf("user%d@example.com", i), "We are working on it")
		if !strings.Contains(mail.Text, workaround) {
			t.Errorf("the mail to user%d@example.com does not carry the workaround: %s", i, mail.Text)
		}
	}
	b.open("/problems/PRB-000001")
	b.wantText("done: 3 incidents")
	b.open("/tickets/" + numbers[2])
	if !b.has("#prb-linked-workaround") {
		t.Errorf("%s's page does not show its problem's workaround", numbers[2])
	}
}

// onTimeline reports whether ticket number has a public entry with text.
func onTimeline(s *site, number, text string) bool {
	evs := s.api("GET", "/api/v1/tickets/"+number+"/events?limit=100", nil)
	items, _ := evs["events"].([]any)
	for _, it := range items {
		ev, _ := it.(map[string]any)
		if body, _ := ev["body"].(string); strings.Contains(body, text) && ev["public"] == true {
			return true
		}
	}
	return false
}
