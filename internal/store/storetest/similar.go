package storetest

import (
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// testSimilar: the resolved tickets most like a text come first (shared
// rare words weigh more than common ones, then a shared category), open
// tickets only when asked for (canceled ones never), the ticket itself
// never, restricted ones only to those who may see them, and security
// cases never, whoever asks.
func testSimilar(t *testing.T, open Opener) {
	f := newFixture(t, open)
	mk := func(title, desc string, state desk.State, minutes int) *desk.Ticket {
		tk := f.ticket(title, minutes)
		tk.Description = desc
		tk.State = state
		if state == desk.StateResolved || state == desk.StateClosed {
			tk.ResolvedAt = ptr(tk.ReportedAt.Add(90 * time.Minute))
			tk.ResolutionCode, tk.ResolutionNotes = desk.ResolutionCodes[0], "Fixed: "+title
		}
		return f.create(t, tk)
	}
	vpn := mk("VPN не подключается с ноутбука", "Cisco AnyConnect: ошибка сертификата", desk.StateResolved, 0)
	vpn2 := mk("VPN drops on the laptop", "AnyConnect reconnects every hour", desk.StateClosed, 1)
	printer := mk("Принтер не печатает", "Замятие бумаги в лотке", desk.StateResolved, 2)
	openVPN := mk("VPN AnyConnect ошибка сертификата", "ещё не решено", desk.StateAssigned, 3)
	secret := mk("AnyConnect сертификат истёк", "Сертификат VPN истёк", desk.StateResolved, 4)
	secret.Restricted, secret.Group = true, desk.GroupRef{ID: f.net.ID}
	must(t, f.s.UpdateTicket(ctx(t), secret, nil))
	common := mk("Ноутбук ошибка", "ошибка", desk.StateResolved, 5)
	sec := f.ticket("Ошибка сертификата AnyConnect VPN: подозрение на взлом", 6)
	sec.State, sec.Security, sec.ResolvedAt = desk.StateResolved, true, ptr(sec.ReportedAt.Add(90*time.Minute))
	sec.ResolutionCode, sec.ResolutionNotes = desk.ResolutionCodes[0], "Rotated the leaked certificate"
	f.create(t, sec)
	voided := mk("VPN AnyConnect ошибка сертификата при подключении", "отменена", desk.StateCanceled, 7)

	similar := func(q desk.SimilarQuery) []int64 {
		t.Helper()
		q.Limit = desk.SimilarLimit
		got, err := f.s.SimilarTickets(ctx(t), q)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, s := range got {
			ids = append(ids, s.Ticket.ID)
			if s.Ticket.State.IsOpen() {
				continue
			}
			if s.Ticket.ResolutionNotes == "" || s.TimeTaken() != 90*time.Minute {
				t.Errorf("similar ticket %d: notes %q, time taken %v", s.Ticket.ID, s.Ticket.ResolutionNotes, s.TimeTaken())
			}
		}
		return ids
	}
	q := desk.SimilarQuery{Title: "Ошибка сертификата AnyConnect при подключении VPN", Visibility: all}
	diff(t, "all visible", []int64{vpn.ID, secret.ID, vpn2.ID, common.ID}, similar(q))
	q.Visibility = desk.Visibility{}
	diff(t, "restricted hidden", []int64{vpn.ID, vpn2.ID, common.ID}, similar(q))
	q.Visibility = desk.Visibility{RestrictedGroups: []int64{f.net.ID}}
	diff(t, "restricted to its group", []int64{vpn.ID, secret.ID, vpn2.ID, common.ID}, similar(q))
	q.ExcludeID = vpn.ID
	diff(t, "itself excluded", []int64{secret.ID, vpn2.ID, common.ID}, similar(q))
	diff(t, "printer", []int64{printer.ID}, similar(desk.SimilarQuery{Title: "принтеры не печатают", Visibility: all}))
	diff(t, "nothing shared", []int64(nil), similar(desk.SimilarQuery{Title: "xylophone", Visibility: all}))
	diff(t, "no words", []int64(nil), similar(desk.SimilarQuery{Title: `" * -`, Visibility: all}))
	everyone := desk.Visibility{AllRestricted: true, AllSecurity: true}
	q = desk.SimilarQuery{Title: "Ошибка сертификата AnyConnect при подключении VPN", Visibility: everyone}
	diff(t, "a security case seen by all its readers still never similar", []int64{vpn.ID, secret.ID, vpn2.ID, common.ID}, similar(q))
	q.Visibility = desk.Visibility{SecurityMember: f.agent.ID, AllRestricted: true}
	diff(t, "nor to a member", []int64{vpn.ID, secret.ID, vpn2.ID, common.ID}, similar(q))
	q.Open = true
	diff(t, "open ones when asked for, canceled never", []int64{openVPN.ID, vpn.ID, secret.ID, vpn2.ID, common.ID}, similar(q))
	q.Visibility = desk.Visibility{RequesterID: f.req2.ID, AllRestricted: true, AllSecurity: true}
	diff(t, "a requester's own only", []int64(nil), similar(q))
	_ = voided
}
