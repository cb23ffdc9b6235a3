package web_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// phoneTicket records an incident Sam reported by phone at the given time
// (the SLA clocks start then) and returns its number.
func (s *site) phoneTicket(title, impact, urgency string, reported time.Time) string {
	s.t.Helper()
	m := s.api("POST", "/api/v1/tickets", map[string]any{"type": "incident", "title": title, "channel": "phone",
		"requester": map[string]any{"email": "sam@example.com", "name": "Sam Requester"}, "impact": impact, "urgency": urgency,
		"reported_at": reported.UTC().Format(time.RFC3339)})
	return m["number"].(string)
}

// TestBrowser_ConsoleLive: the console's queue lives without a reload. A
// countdown ticks every second; a ticket whose first-response deadline is a
// few seconds away turns red and says it is late the moment the deadline
// passes, without its row changing height; a ticket created through the API
// while the page is open appears in the queue within the refresh interval,
// with the keyboard selection, the focus and the scroll position kept.
func TestBrowser_ConsoleLive(t *testing.T) {
	s := newSite(t)
	s.user("lena@example.com", "Lena Lineone", "agent", pw, 1)
	ticket := func(title, level string, reported time.Time) string {
		return s.phoneTicket(title, level, level, reported)
	}
	for i := range 12 { // enough rows for the page to scroll in a short window
		ticket("Printer jam "+strconv.Itoa(i), "low", time.Now())
	}
	// P1 answers within 15 minutes round the clock: reported 14 min 40 s
	// ago, its deadline is 20 seconds away (time enough to sign in on a
	// busy machine).
	soon := ticket("Core switch flapping", "high", time.Now().Add(-15*time.Minute+20*time.Second))

	b := newBrowsers(t).browser(s)
	b.do("viewport", chromedp.EmulateViewport(1280, 500))
	b.signIn("lena@example.com", pw)
	if b.page() != "console_queue" {
		t.Fatalf("staff land on %q, want the console's queue", b.page())
	}
	eval[bool](b, "window.__sameDocument = true") // gone if the page reloads
	cd := "#queue a[href='/tickets/" + soon + "']"
	countdown := "document.querySelector(" + strconv.Quote(cd) + ").closest('tr').querySelector('.countdown')"
	first := eval[string](b, countdown+".textContent")
	if !strings.HasPrefix(first, "in ") || !strings.HasSuffix(first, " s") || eval[bool](b, countdown+".classList.contains('late')") {
		t.Fatalf("the countdown to a deadline seconds away reads %q, want \"in … s\" and not late", first)
	}
	height := eval[float64](b, countdown+".closest('tr').getBoundingClientRect().height")
	time.Sleep(2100 * time.Millisecond)
	if again := eval[string](b, countdown+".textContent"); again == first {
		t.Errorf("after 2 s the countdown still reads %q: it does not tick", again)
	}

	deadline := time.Now().Add(30 * time.Second)
	for !eval[bool](b, countdown+".classList.contains('late')") {
		if time.Now().After(deadline) {
			t.Fatalf("the deadline passed long ago, the countdown still reads %q", eval[string](b, countdown+".textContent"))
		}
		time.Sleep(200 * time.Millisecond)
	}
	if text := eval[string](b, countdown+".textContent"); !strings.HasSuffix(text, " late") {
		t.Errorf("a passed deadline reads %q, want \"… late\"", text)
	}
	if color := eval[string](b, "getComputedStyle("+countdown+").color"); color != "rgb(164, 14, 38)" {
		t.Errorf("the passed deadline is %s, want red", color)
	}
	if h := eval[float64](b, countdown+".closest('tr').getBoundingClientRect().height"); h != height {
		t.Errorf("the row went from %v to %v px high as the countdown changed", height, h)
	}
	if !eval[bool](b, "window.__sameDocument === true") {
		t.Fatal("the page was reloaded")
	}
	b.screenshot("late")

	// Select the second row with the keyboard and scroll down a little;
	// then a new ticket arrives.
	b.key("j")
	b.key("j")
	selected := eval[string](b, "document.activeElement.textContent")
	eval[chromedp.Void](b, "window.scrollTo(0, 120)")
	scrolled := eval[float64](b, "window.scrollY")
	if scrolled < 100 {
		t.Fatalf("the page does not scroll (scrollY %v): the test needs more rows", scrolled)
	}
	count := b.text("#queue-count")
	fresh := ticket("Payroll export fails", "medium", time.Now())
	deadline = time.Now().Add(45 * time.Second) // the queue refreshes every 30 s
	for !b.has("#queue a[href='/tickets/" + fresh + "']") {
		if time.Now().After(deadline) {
			t.Fatalf("%s did not appear in the open queue within 45 s", fresh)
		}
		time.Sleep(500 * time.Millisecond)
	}
	if !eval[bool](b, "window.__sameDocument === true") {
		t.Fatal("the page was reloaded to show the new ticket")
	}
	if now := b.text("#queue-count"); now == count || !strings.HasPrefix(now, "14 tickets") {
		t.Errorf("the count reads %q after the refresh (before: %q)", now, count)
	}
	if got := eval[string](b, "document.activeElement.textContent"); got != selected {
		t.Errorf("after the refresh the focus is on %q, want %q", got, selected)
	}
	if got := eval[string](b, "document.querySelector('#queue tr.selected a').textContent"); got != selected {
		t.Errorf("after the refresh the selected row is %q, want %q", got, selected)
	}
	if y := eval[float64](b, "window.scrollY"); y != scrolled {
		t.Errorf("the refresh scrolled the page from %v to %v", scrolled, y)
	}
	if text := eval[string](b, countdown+".textContent"); !strings.HasSuffix(text, " late") {
		t.Errorf("after the refresh the late countdown reads %q", text)
	}
	b.key("j") // the keys work on the new rows
	if got := eval[string](b, "document.activeElement.textContent"); got == selected || !b.has("#queue tr.selected a:focus") {
		t.Errorf("j after the refresh left the focus on %q", got)
	}
	b.screenshot("refreshed")
}
