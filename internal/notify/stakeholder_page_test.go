package notify_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/major"
	"github.com/tierdesk/tierdesk/internal/pager"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestStakeholderPage_SMTP: a stakeholder who asked to be paged is paged
// through their e-mail contact method when a major incident is declared on
// their service: the page reaches the method's address (not the account's)
// over real SMTP, in the stakeholder's Russian, says why, and does not
// claim their group is needed.
func TestStakeholderPage_SMTP(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		majors := major.New(f.d, f.store, f.store, f.clock, major.DefaultConfig)
		vera := f.user("vera@example.com", desk.RoleManager)
		ru := "ru"
		_, err := f.d.SetUserPreferences(f.admin, vera.ID, desk.PreferencesPatch{Language: &ru})
		must(t, err)
		must(t, f.d.AddContactMethod(f.admin, &desk.ContactMethod{UserID: vera.ID, Kind: desk.ContactEmail, Target: "vera.pager@example.com"}))
		groups, err := f.d.Groups(f.admin)
		must(t, err)
		svc, err := f.d.CreateService(f.admin, desk.ServiceInput{Name: "Почта", OwnerGroupID: groups[0].ID})
		must(t, err)
		_, err = majors.AddStakeholder(f.admin, major.Stakeholder{ServiceID: svc.ID, UserID: vera.ID, Page: true})
		must(t, err)
		tk, _, err := f.d.CreateTicket(f.l1, desk.NewTicket{Type: desk.TypeIncident, Title: "Почта не ходит", Channel: desk.ChannelPhone,
			Requester: desk.PersonInput{Email: "sam@example.com"}, Impact: desk.LevelHigh, Urgency: desk.LevelHigh, ServiceID: svc.ID}, "")
		must(t, err)
		_, err = majors.Declare(f.l1, tk.Number, major.DeclareInput{CommanderID: desk.ActorFrom(f.l1).ID})
		must(t, err)
		if _, err := pager.NewEngine(f.store, f.d, f.clock, pager.Config{}, nil).RunDue(context.Background(), f.clock.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := pager.NewWorker(f.store, f.clock, pager.Config{}, nil, nil).RunDue(context.Background(), f.clock.Now()); err != nil {
			t.Fatal(err)
		}
		f.run(f.worker(nil))
		var page, declared *received
		for _, g := range f.smtp.messages() {
			switch g.Env.GetHeader("X-Tierdesk-Notification") {
			case string(desk.OutboxOnCallPage):
				page = &g
			case string(major.OutboxDeclared):
				declared = &g
			}
		}
		if page == nil || declared == nil {
			t.Fatalf("page %v, declaration notice %v", page, declared)
		}
		if page.To[0] != "vera.pager@example.com" || declared.To[0] != "vera@example.com" {
			t.Errorf("page to %v, notice to %v: want the contact method's address and the account's", page.To, declared.To)
		}
		subj, body := page.Env.GetHeader("Subject"), page.Env.Text
		if !strings.Contains(subj, "ВЫЗОВ: P1 Почта не ходит") || !strings.Contains(body, "объявлен крупный инцидент "+tk.Number+": Почта не ходит") ||
			!strings.Contains(body, "требует немедленного участия.") {
			t.Errorf("page:\n%s\n%s", subj, body)
		}
	})
}
