package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/langcheck"
)

// TestRender_PlaybookOverdue: the overdue task's mail names the case and
// the due time in the recipient's zone and language, nothing of the task.
func TestRender_PlaybookOverdue(t *testing.T) {
	moscow, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		t.Skip(err)
	}
	p := map[string]string{"ticket": "INC-000042", "deadline": "2026-03-29T09:00:00Z"}
	for lang, want := range map[string]string{"en": "12:00", "ru": "12:00"} {
		r, err := render(desk.Delivery{OutboxMessage: desk.OutboxMessage{Kind: desk.OutboxPlaybookOverdue, Payload: p}},
			Recipient{Language: lang, Location: moscow}, "")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(r.Subject, "INC-000042") || !strings.Contains(r.Text, want) || strings.Contains(r.Text, "<no value>") {
			t.Errorf("%s:\n%s\n%s", lang, r.Subject, r.Text)
		}
		if lang == "ru" {
			if w := langcheck.LatinWords(r.Subject+"\n"+r.Text, "INC"); len(w) > 0 {
				t.Errorf("English in the Russian mail: %v", w)
			}
		}
	}
}
