package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func TestRender_OnCallPage(t *testing.T) {
	link := "https://desk.example.com/api/v1/page-links/abc?action=acknowledge&x=<y>"
	d := desk.Delivery{OutboxMessage: desk.OutboxMessage{Kind: desk.OutboxOnCallPage, Payload: map[string]string{
		"ticket": "INC-000007", "title": "DB <down>", "priority": "P1", "group": "Core", "reason": "P1 incident in Core",
		"body": link, "ack_url": link}}}
	for _, tc := range []struct {
		lang, subject, text, reason string
	}{
		{"en", "[INC-000007] PAGE: P1 DB <down>", "Vera, you are paged: ticket INC-000007 (P1) “DB <down>” needs Core now.", "Why: P1 incident in the group Core"},
		{"ru", "[INC-000007] ВЫЗОВ: P1 DB <down>", "Vera, вас вызывают: заявка INC-000007 (P1) «DB <down>» требует немедленного участия группы Core.",
			"Причина: инцидент P1, группа Core"},
	} {
		r, err := render(d, Recipient{Name: "Vera", Language: tc.lang, Location: time.UTC}, "https://desk.example.com")
		if err != nil {
			t.Fatal(err)
		}
		if r.Subject != tc.subject {
			t.Errorf("%s subject %q", tc.lang, r.Subject)
		}
		if !strings.Contains(r.Text, tc.text) || !strings.Contains(r.Text, link) || !strings.Contains(r.Text, tc.reason) {
			t.Errorf("%s text:\n%s", tc.lang, r.Text)
		}
		escaped := "https://desk.example.com/api/v1/page-links/abc?action=acknowledge&amp;x=&lt;y&gt;"
		if !strings.Contains(r.HTML, `<a href="`+escaped+`">`) || strings.Contains(r.HTML, "<down>") {
			t.Errorf("%s html:\n%s", tc.lang, r.HTML)
		}
	}
}
