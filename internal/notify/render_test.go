package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func TestRender(t *testing.T) {
	d := desk.Delivery{OutboxMessage: desk.OutboxMessage{Kind: desk.OutboxSLAWarning, Payload: map[string]string{
		"ticket": "INC-000042", "title": "Line one\r\nBcc: evil@example.com <b>", "priority": "P2",
		"clock": "resolution", "percent": "75", "deadline": "2026-03-02T13:00:00Z"}}}
	en := Recipient{Language: "en", Location: time.UTC}
	tests := []struct {
		name, subject, text, html string
		rc                        Recipient
		kind                      desk.OutboxKind
	}{
		{"warning", "[INC-000042] SLA warning: resolution clock at 75% - Line one Bcc: evil@example.com <b>",
			"has used 75% of its resolution target", "Line one\r\nBcc: evil@example.com &lt;b&gt;", en, desk.OutboxSLAWarning},
		{"deadline in the recipient's zone", "[INC-000042] SLA warning:", "Deadline: Mon, 2 Mar 2026 16:00 MSK",
			"<a href=\"https://desk.example.com/tickets/INC-000042\">", Recipient{Language: "en", Location: moscow(t)}, desk.OutboxSLAWarning},
		{"russian", "[INC-000042] Предупреждение SLA: срок «решение» — 75%", "Срок: пн, 2 марта 2026, 16:00 MSK",
			"срок «решение» израсходован на 75%", Recipient{Language: "ru", Location: moscow(t)}, desk.OutboxSLAWarning},
		{"unknown language falls back to English", "[INC-000042] SLA warning:", "Deadline: Mon, 2 Mar 2026 13:00 UTC",
			"Deadline:", Recipient{Language: "de"}, desk.OutboxSLAWarning},
		{"unknown kind gets the generic text", "[INC-000042] Notification about", "There is news on ticket INC-000042",
			"There is news", en, desk.OutboxKind("something_new")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d.Kind = tc.kind
			r, err := render(d, tc.rc, "https://desk.example.com/")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(r.Subject, tc.subject) || strings.ContainsAny(r.Subject, "\r\n") {
				t.Errorf("subject = %q, want prefix %q on one line", r.Subject, tc.subject)
			}
			if !strings.Contains(r.Text, tc.text) || !strings.Contains(r.Text, "https://desk.example.com/tickets/INC-000042") {
				t.Errorf("text = %q, want %q and the link", r.Text, tc.text)
			}
			if !strings.Contains(r.HTML, tc.html) || strings.Contains(r.HTML, "evil@example.com <b>") {
				t.Errorf("html = %q, want %q and nothing unescaped", r.HTML, tc.html)
			}
		})
	}
}

// TestRenderClosedSaysOneThing: the "closed" and "merged" messages tell
// the requester that a reply registers a new ticket, and do not also say
// it adds a comment (a reply to a closed ticket opens a new one); an open
// ticket's message still says a reply adds a comment.
func TestRenderClosedSaysOneThing(t *testing.T) {
	payload := map[string]string{"ticket": "INC-000007", "title": "VPN", "into": "INC-000005", "into_title": "VPN down"}
	for _, lang := range []string{"en", "ru"} {
		comment := map[string]string{"en": "add a comment", "ru": "добавить комментарий"}[lang]
		for kind, wantComment := range map[desk.OutboxKind]bool{desk.OutboxClosed: false, desk.OutboxMerged: false, desk.OutboxComment: true} {
			d := desk.Delivery{OutboxMessage: desk.OutboxMessage{Kind: kind, Payload: payload}}
			r, err := render(d, Recipient{Name: "Sam", Language: lang, Location: time.UTC}, "https://desk.example.com/")
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(r.Text, comment); got != wantComment {
				t.Errorf("%s %s: says a reply adds a comment = %v, want %v:\n%s", lang, kind, got, wantComment, r.Text)
			}
		}
	}
}

func moscow(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestRenderEveryKind renders every notification kind in every language
// from a full payload: nothing is left unfilled, the comment's lines and
// markup survive as text, and the HTML is the same text, escaped.
func TestRenderEveryKind(t *testing.T) {
	payload := map[string]string{"ticket": "INC-000007", "title": "VPN <drops>", "priority": "P2", "state": "in_progress",
		"group": "Service Desk", "actor": "Lena", "assignee": "Lena", "body": "Line 1\n<script>x</script>",
		"reason": "need logs", "resolution": "Replaced the token", "reopen_until": "2026-03-09T09:00:00Z",
		"respond_by": "2026-03-02T09:30:00Z", "resolve_by": "2026-03-02T17:00:00Z", "clock": "response",
		"percent": "90", "deadline": "2026-03-02T10:00:00Z", "line": "2", "call_kind": "video",
		"call_start": "2026-03-03T10:00:00Z", "call_minutes": "30", "call_url": "https://meet.example.com/x?a=1&b=2",
		"call_note": "bring the laptop", "organizer": "Kim", "into": "INC-000005", "into_title": "VPN down", "round": "1", "started_at": "2026-03-02T09:05:00Z",
		"ack_url":     "https://desk.example.com/api/v1/page-links/tok?action=acknowledge",
		"resolve_url": "https://desk.example.com/api/v1/page-links/tok?action=resolve",
		"ticket_url":  "https://desk.example.com/tickets/INC-000007"}
	for _, lang := range []string{"en", "ru"} {
		for _, kind := range desk.NotificationKinds {
			d := desk.Delivery{OutboxMessage: desk.OutboxMessage{Kind: kind, Payload: payload}}
			r, err := render(d, Recipient{Name: "Sam", Language: lang, Location: time.UTC}, "")
			if err != nil {
				t.Fatalf("%s %s: %v", lang, kind, err)
			}
			for _, part := range []string{r.Subject, r.Text, r.HTML} {
				if strings.Contains(part, "<no value>") || strings.Contains(part, "{{") {
					t.Errorf("%s %s: unfilled template: %q", lang, kind, part)
				}
			}
			if !strings.HasPrefix(r.Subject, "[INC-000007] ") || !strings.Contains(r.Subject, "VPN <drops>") {
				t.Errorf("%s %s: subject %q", lang, kind, r.Subject)
			}
			if strings.Contains(r.HTML, "<script>") || strings.Contains(r.HTML, "<drops>") {
				t.Errorf("%s %s: unescaped HTML %q", lang, kind, r.HTML)
			}
			if _, own := languages[lang].kinds[kind]; !own {
				t.Errorf("%s has no text of its own for %s", lang, kind)
			}
		}
	}
	d := desk.Delivery{OutboxMessage: desk.OutboxMessage{Kind: desk.OutboxComment, Payload: payload}}
	r, _ := render(d, Recipient{Language: "en"}, "")
	if !strings.Contains(r.Text, "Line 1\n<script>x</script>") || !strings.Contains(r.HTML, "Line 1<br>&lt;script&gt;x&lt;/script&gt;") {
		t.Errorf("comment body: text %q html %q", r.Text, r.HTML)
	}
	d.Kind = desk.OutboxRegistered
	r, _ = render(d, Recipient{Name: "Sam", Language: "ru", Location: time.UTC}, "")
	for _, want := range []string{"Здравствуйте, Sam!", "Первый ответ — до пн, 2 марта 2026, 09:30 UTC",
		"Решение ожидается до пн, 2 марта 2026, 17:00 UTC", "Ответьте на это письмо"} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("registered (ru) lacks %q:\n%s", want, r.Text)
		}
	}
}
