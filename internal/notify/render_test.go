package notify

import (
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func TestRender(t *testing.T) {
	d := desk.Delivery{OutboxMessage: desk.OutboxMessage{Kind: desk.OutboxSLAWarning, Payload: map[string]string{
		"ticket": "INC-000042", "title": "Line one\r\nBcc: evil@example.com <b>", "priority": "P2",
		"clock": "resolution", "percent": "75", "deadline": "2026-03-02T13:00:00Z"}}}
	tests := []struct {
		name, lang, subject, text, html string
		kind                            desk.OutboxKind
	}{
		{"warning", "en", "[INC-000042] SLA warning: resolution clock at 75% - Line one Bcc: evil@example.com <b>",
			"has used 75% of its resolution target", "Line one\r\nBcc: evil@example.com &lt;b&gt;", desk.OutboxSLAWarning},
		{"unknown language falls back to English", "ru", "[INC-000042] SLA warning:", "Deadline: 2026-03-02T13:00:00Z",
			"<a href=\"https://desk.example.com/tickets/INC-000042\">", desk.OutboxSLAWarning},
		{"unknown kind gets the generic text", "en", "[INC-000042] Notification about", "There is news on ticket INC-000042",
			"There is news", desk.OutboxKind("assigned")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d.Kind = tc.kind
			r, err := render(d, tc.lang, "https://desk.example.com/")
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
