package notify_test

import (
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/diagnosis"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestEscalation_CarriesDiagnosis: line 1 answers the checklist of the
// ticket's category and escalates to line 2; each line-2 agent's mail,
// received over SMTP in their language, carries every question with its
// answer (yes/no translated, text as written, HTML escaped), so line 2
// need not ask again. An escalation nobody diagnosed has no such part.
func TestEscalation_CarriesDiagnosis(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		dx := diagnosis.New(f.store, f.d, f.clock)
		dx.Guard()
		net, err := f.d.CreateGroup(f.admin, desk.GroupInput{Name: "Network", Line: desk.Line2})
		must(t, err)
		ru := "ru"
		for _, email := range []string{"nick@example.com", "olga@example.com"} {
			u := f.user(email, desk.RoleAgent)
			must(t, f.d.SetGroupMember(f.admin, net.ID, u.ID, true))
			if email == "olga@example.com" {
				_, err = f.d.SetUserPreferences(f.admin, u.ID, desk.PreferencesPatch{Language: &ru})
				must(t, err)
			}
		}
		cat, err := f.d.CreateCategory(f.admin, desk.CategoryInput{Name: "Printers"})
		must(t, err)
		must(t, dx.Create(f.admin, &diagnosis.Checklist{Category: desk.Ref{ID: cat.ID}, Items: []diagnosis.Item{
			{Question: map[string]string{"en": "Does a test page print?", "ru": "Печатается ли пробная страница?"}, Kind: diagnosis.YesNo},
			{Question: map[string]string{"en": "What does the panel say?"}, Kind: diagnosis.Text}}}))
		register := func(title string) *desk.Ticket {
			tk, _, err := f.d.CreateTicket(f.l1, desk.NewTicket{Type: desk.TypeIncident, Title: title, Channel: desk.ChannelPhone,
				Requester: desk.PersonInput{Email: "sam@example.com"}, Impact: desk.LevelMedium, Urgency: desk.LevelMedium, CategoryID: cat.ID}, "")
			must(t, err)
			return tk
		}
		tk := register("Printer on floor 3 jams")
		_, err = dx.Answer(f.l1, tk.Number, []string{"no", "Error <E52> & paper jam"})
		must(t, err)
		_, err = f.d.Escalate(f.l1, tk.Number, desk.EscalationInput{Kind: desk.EscalateFunctional, GroupID: net.ID, Reason: "Needs the vendor tool"})
		must(t, err)
		bare := register("Printer on floor 4 is slow")
		_, err = f.d.Escalate(f.l1, bare.Number, desk.EscalationInput{Kind: desk.EscalateFunctional, GroupID: net.ID,
			Reason: "Queue", DiagnosisSkipped: "the caller hung up"})
		must(t, err)
		if res := f.run(f.worker(nil)); res.Failed != 0 {
			t.Fatalf("delivery %+v", res)
		}
		for _, c := range []struct{ to, text, html string }{
			{"nick@example.com", "Line 1's diagnosis:\n- Does a test page print?: no\n- What does the panel say?: Error <E52> & paper jam",
				"- What does the panel say?: Error &lt;E52&gt; &amp; paper jam"},
			{"olga@example.com", "Диагностика первой линии:\n- Печатается ли пробная страница?: нет\n- What does the panel say?: Error <E52> & paper jam",
				"- Печатается ли пробная страница?: нет<br>"},
		} {
			var got, other string
			for _, m := range f.smtp.to(c.to) {
				switch {
				case strings.Contains(m.GetHeader("Subject"), tk.Number):
					got = strings.ReplaceAll(m.Text, "\r\n", "\n")
					if !strings.Contains(m.HTML, c.html) {
						t.Errorf("%s: HTML lacks %q:\n%s", c.to, c.html, m.HTML)
					}
				case strings.Contains(m.GetHeader("Subject"), bare.Number):
					other = strings.ReplaceAll(m.Text, "\r\n", "\n")
				}
			}
			if !strings.Contains(got, c.text) {
				t.Errorf("%s: the escalation mail lacks the answers %q:\n%s", c.to, c.text, got)
			}
			if other == "" || strings.Contains(other, "\n- ") {
				t.Errorf("%s: the undiagnosed escalation's mail:\n%s", c.to, other)
			}
		}
	})
}
