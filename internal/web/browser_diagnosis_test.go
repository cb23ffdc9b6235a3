package web_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestBrowser_DiagnosisChecklist: the printers' category has a diagnosis
// checklist, a published article and a known error. Line 1 categorises a
// caller's ticket with g and finds the article and the known error's
// workaround above the checklist; an escalation without answers is
// refused (the desk requires a reason) with the field marked; she
// answers the checklist (q) and escalates; line 2 opens the ticket and
// reads the answers without asking again.
func TestBrowser_DiagnosisChecklist(t *testing.T) {
	s := newSite(t)
	net := s.id(s.api("POST", "/api/v1/groups", map[string]any{"name": "Network", "line": 2}))
	s.user("lena@example.com", "Lena Line", "agent", pw, 1)
	s.user("nick@example.com", "Nick Network", "agent", pw, net)
	cat := s.id(s.api("POST", "/api/v1/categories", map[string]any{"name": "Printers"}))
	s.api("POST", "/api/v1/checklists", map[string]any{"category_id": cat, "items": []map[string]any{
		{"question": map[string]string{"en": "Does a test page print?", "ru": "Печатается ли пробная страница?"}, "kind": "yes_no"},
		{"question": map[string]string{"en": "What does the printer's panel say?"}, "kind": "text"}}})
	s.api("PUT", "/api/v1/diagnosis/mode", map[string]any{"mode": "require"})
	art := s.id(s.api("POST", "/api/v1/articles", map[string]any{"category_id": cat, "audience": "internal",
		"translations": []map[string]any{{"lang": "en", "title": "Printer shows E-13", "body": "Open the rear tray and remove the jammed sheet."}}}))
	s.api("POST", fmt.Sprintf("/api/v1/articles/%d/publish", art), map[string]any{})
	prb := s.api("POST", "/api/v1/problems", map[string]any{"title": "Third-floor printers drop off the network", "category_id": cat})
	s.api("POST", fmt.Sprintf("/api/v1/problems/%d/workaround", s.id(prb)), map[string]any{"text": "Power-cycle the print server PS-3."})
	tk := s.api("POST", "/api/v1/tickets", map[string]any{"type": "incident", "title": "Printer offline on the third floor",
		"channel": "phone", "requester": map[string]any{"name": "Sam Seller", "email": "sam@example.com"}})
	num := tk["number"].(string)
	bs := newBrowsers(t)

	lena := bs.browser(s)
	lena.signIn("lena@example.com", pw)
	lena.open("/tickets/" + num)
	if lena.has("#dx") {
		t.Fatal("a ticket without a category shows a checklist")
	}
	lena.key("g")
	lena.choose("#category", fmt.Sprint(cat))
	lena.submit("#act-categorise button[type=submit]")
	lena.wantText("Printer shows E-13", "Power-cycle the print server PS-3.", "Does a test page print?")
	above := func(first, then string) bool {
		return eval[bool](lena, fmt.Sprintf(`!!(document.querySelector(%q).compareDocumentPosition(document.querySelector(%q)) & Node.DOCUMENT_POSITION_FOLLOWING)`, first, then))
	}
	if !above("#prb-known", "#dx") || !above("#kb-ticket-q", "#dx") {
		t.Error("the known error and the articles are not above the checklist")
	}
	lena.screenshot("checklist")

	lena.action("act-escalate")
	lena.choose("#escalate-group", fmt.Sprint(net))
	lena.fill("#escalate-reason", "The printer's network port is dead")
	lena.submit("#act-escalate button[type=submit]")
	if !eval[bool](lena, `document.querySelector('#escalate-dx').getAttribute('aria-invalid') === 'true'`) {
		t.Fatalf("an unanswered escalation was not refused:\n%s", lena.bodyText())
	}
	lena.key("\x1b")
	lena.key("q")
	if !eval[bool](lena, `document.querySelector('#act-diagnose').open`) {
		t.Error("q did not open the checklist")
	}
	lena.do("answer no", chromedpClick("input[name=answer_0][value=no]"))
	lena.fill("#dx-1", "E-13, then offline")
	lena.submit("#dx-save")
	lena.wantText("Answers saved.", "Answers by Lena Line")
	lena.action("act-escalate")
	lena.choose("#escalate-group", fmt.Sprint(net))
	lena.fill("#escalate-reason", "The printer's network port is dead")
	lena.submit("#act-escalate button[type=submit]")
	lena.wantText("Network (line 2)")

	nick := bs.browser(s)
	nick.signIn("nick@example.com", pw)
	nick.open("/tickets/" + num)
	if got := nick.text("#dx-answers"); !contains(got, "Does a test page print?", "No", "What does the printer's panel say?", "E-13, then offline", "Lena Line") {
		t.Errorf("line 2 reads the answers as %q", got)
	}
	if nick.has("#escalate-dx") {
		t.Error("an answered ticket still asks why it is not answered")
	}
	nick.screenshot("line2")
}

// contains reports whether s holds every one of want.
func contains(s string, want ...string) bool {
	for _, w := range want {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}
