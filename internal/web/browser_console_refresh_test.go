package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestBrowser_ConsoleRefreshKeepsPlace: a keyboard user is on a row whose
// ticket someone else cancels; when the queue refreshes, the row goes and
// the focus moves to the row that took its place (selected too), not to the
// page's body, where the next j would start again from the top.
func TestBrowser_ConsoleRefreshKeepsPlace(t *testing.T) {
	s := newSite(t)
	s.user("lena@example.com", "Lena Lineone", "agent", pw, 1)
	ids := map[string]float64{} // ticket page → API id
	for i := range 5 {
		m := s.api("POST", "/api/v1/tickets", map[string]any{"type": "incident", "title": fmt.Sprint("Printer jam ", i),
			"channel": "phone", "requester": map[string]any{"email": "sam@example.com", "name": "Sam Requester"},
			"impact": "low", "urgency": "low"})
		ids["/tickets/"+m["number"].(string)] = m["id"].(float64)
	}
	b := newBrowsers(t).browser(s)
	b.signIn("lena@example.com", pw)
	if b.page() != "console_queue" {
		t.Fatalf("staff land on %q, want the console's queue", b.page())
	}
	eval[bool](b, "window.__sameDocument = true") // gone if the page reloads
	for range 3 {
		b.key("j")
	}
	const focusedRow = "Array.from(document.querySelectorAll('#queue tbody tr')).indexOf(document.activeElement.closest('#queue tbody tr'))"
	if i := eval[float64](b, focusedRow); i != 2 {
		t.Fatalf("after j j j the focus is on row %v, want 2", i)
	}
	gone := eval[string](b, "document.activeElement.getAttribute('href')")
	s.api("POST", fmt.Sprintf("/api/v1/tickets/%d/transitions", int64(ids[gone])),
		map[string]any{"to": "canceled", "reason": "duplicate"})

	// Coming back to the tab refreshes at once (rather than in 30 s).
	eval[bool](b, "document.dispatchEvent(new Event('visibilitychange'))")
	deadline := time.Now().Add(10 * time.Second)
	for b.has("#queue a[href='" + gone + "']") {
		if time.Now().After(deadline) {
			t.Fatalf("the canceled %s is still in the queue 10 s after the refresh began", gone)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !eval[bool](b, "window.__sameDocument === true") {
		t.Fatal("the page was reloaded")
	}
	if tag := eval[string](b, "document.activeElement.tagName"); tag == "BODY" {
		t.Fatal("after the refresh the focus fell to the page's body")
	}
	if i := eval[float64](b, focusedRow); i != 2 {
		t.Errorf("after the refresh the focus is on row %v (%q), want row 2, the one in the canceled ticket's place", i,
			eval[string](b, "document.activeElement.outerHTML"))
	}
	if !b.has("#queue tbody tr.selected a:focus") || strings.Count(eval[string](b, "document.querySelector('#queue tbody').innerHTML"), "selected") != 1 {
		t.Error("the focused row is not the one selected row")
	}
	b.key("j") // the keys go on from there
	if i := eval[float64](b, focusedRow); i != 3 {
		t.Errorf("j after the refresh went to row %v, want 3", i)
	}
}
