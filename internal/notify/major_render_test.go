package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/langcheck"
)

// TestRenderMajorKinds renders every major-incident and status-page kind in
// both languages with every status: each names what it must, and the
// Russian ones have no English beyond the quoted data.
func TestRenderMajorKinds(t *testing.T) {
	p := map[string]string{"major": "INC-000007", "title": "Mail relay down", "ticket": "INC-000009", "affected": "Sending mail",
		"doing": "Restarting the relay", "next_at": "2026-12-07T10:00:00Z", "due_at": "2026-12-07T10:00:00Z",
		"resolution": "Replaced the relay", "name": "Mail is delayed", "body": "Some messages arrive late.",
		"at": "2026-12-07T09:30:00Z", "page_url": "https://desk.example.com/status",
		"unsubscribe_url": "https://desk.example.com/status/unsubscribe/abc", "confirm_url": "https://desk.example.com/status/confirm/abc"}
	data := []string{"Mail relay down", "Sending mail", "Restarting the relay", "Replaced the relay", "Mail is delayed", "Some messages arrive late.", "Tierdesk"}
	statuses := []string{"investigating", "identified", "monitoring", "resolved", "postmortem", "maintenance_scheduled", "maintenance_start", "maintenance_end"}
	for _, lang := range []string{"en", "ru"} {
		for kind := range payloadKinds[lang] {
			for _, st := range statuses {
				q := map[string]string{"status": st}
				for k, v := range p {
					q[k] = v
				}
				r, err := render(desk.Delivery{OutboxMessage: desk.OutboxMessage{Kind: kind, Payload: q}}, Recipient{Language: lang, Location: time.UTC}, "https://desk.example.com")
				if err != nil {
					t.Fatalf("%s %s: %v", lang, kind, err)
				}
				if strings.Contains(r.Text, "<no value>") || strings.Contains(r.HTML, "<no value>") {
					t.Errorf("%s %s: missing value\n%s", lang, kind, r.Text)
				}
				if lang == "ru" {
					if w := langcheck.LatinWords(r.Subject+"\n"+r.Text, data...); len(w) > 0 {
						t.Errorf("%s %s: English %v\n%s", kind, st, w, r.Text)
					}
				}
			}
		}
	}
	r, _ := render(desk.Delivery{OutboxMessage: desk.OutboxMessage{Kind: kindMajorUpdate, Payload: p}}, Recipient{Language: "en", Location: time.UTC}, "")
	for _, want := range []string{"Sending mail", "Restarting the relay", "Mon, 7 Dec 2026 10:00 UTC", "INC-000009"} {
		if !strings.Contains(r.Subject+r.Text, want) {
			t.Errorf("update lacks %q:\n%s\n%s", want, r.Subject, r.Text)
		}
	}
}
