package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// TestRender_SecurityOpenedNoGroup: the opening notice of a case no
// security group takes tells the administrator, in both languages, that
// nobody sees it and how to take it; the ordinary notice does not.
func TestRender_SecurityOpenedNoGroup(t *testing.T) {
	for lang, want := range map[string]string{"en": "No security group is set up to take it",
		"ru": "Группа безопасности, которая его примет, не настроена"} {
		for _, noGroup := range []bool{true, false} {
			p := map[string]string{"ticket": "INC-000042"}
			if noGroup {
				p["no_group"] = "true"
			}
			d := desk.Delivery{OutboxMessage: desk.OutboxMessage{Kind: desk.OutboxSecurityOpened, Payload: p}}
			r, err := render(d, Recipient{Name: "Ada", Language: lang, Location: time.UTC}, "")
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(r.Text, want) != noGroup || strings.Contains(r.HTML, want) != noGroup {
				t.Errorf("%s, no group %v:\n%s", lang, noGroup, r.Text)
			}
		}
	}
}
