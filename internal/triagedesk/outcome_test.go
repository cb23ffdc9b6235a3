package triagedesk_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/triagedesk"
)

// The model suggests impact and urgency (so the priority) with the words
// behind them, but the desk never sets them by itself, however confident.
func TestService_SuggestsImpactAndUrgency(t *testing.T) {
	eachDB(t, func(t *testing.T, s *sqlstore.Store) {
		x := trained(t, s)
		if _, err := x.svc.SaveSettings(x.admin, 1, 24*time.Hour); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ title, impact, urgency string }{
			{"Reset my password please", "low", "high"},
			{"Не уходит почта к партнёрам", "high", "medium"},
			{"Принтер снова не печатает", "low", "low"},
		} {
			sg, err := x.svc.Suggest(x.admin, c.title, "")
			if err != nil {
				t.Fatal(err)
			}
			got := fields(sg)
			for field, want := range map[string]string{"impact": c.impact, "urgency": c.urgency} {
				if f := got[field]; f.Value != want || len(f.Reasons) == 0 || f.ID != 0 || f.Key() != want {
					t.Errorf("%q: %s suggestion %+v, want %s with reasons", c.title, field, f, want)
				}
				if got[field].Auto {
					t.Errorf("%q: %s would be set by the desk itself", c.title, field)
				}
			}
			if !got["category"].Auto && !got["service"].Auto {
				t.Errorf("%q: at 1 %% nothing is applied by itself: %+v", c.title, got)
			}
		}
	})
}

// What an agent registered against what was suggested is recorded once a
// ticket and field, with the ticket in its transaction, and counted per
// field: the suggested value kept, another chosen, or the field left empty
// (neither).
func TestService_Outcomes(t *testing.T) {
	eachDB(t, func(t *testing.T, s *sqlstore.Store) {
		x := trained(t, s)
		title := "Reset my password please"
		sg, err := x.svc.Suggest(x.admin, title, "")
		if err != nil {
			t.Fatal(err)
		}
		got := fields(sg)
		cat := got["category"].ID
		register := func(chosen map[string]string, key string) (int64, error) {
			out, err := x.svc.Outcomes(x.admin, title, "", chosen)
			if err != nil {
				t.Fatal(err)
			}
			tk, _, err := x.d.CreateTicket(x.admin, desk.NewTicket{Type: desk.TypeRequest, Title: title, Channel: desk.ChannelPhone,
				Requester: desk.PersonInput{Email: "boris@example.com"}, CategoryID: cat, TriageOutcomes: out}, key)
			if err != nil {
				return 0, err
			}
			return tk.ID, nil
		}
		chosen := map[string]string{"type": "request", "category": strconv.FormatInt(cat, 10), "group": "", "service": "",
			"impact": "high", "urgency": "high"}
		for _, urgency := range []string{"high", "low"} { // the second is a replay and records nothing
			chosen["urgency"] = urgency
			if _, err := register(chosen, "once"); err != nil {
				t.Fatal(err)
			}
		}
		chosen["urgency"] = "high"
		chosen["category"] = "999"
		if _, err := register(chosen, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := x.svc.Outcomes(x.req, title, "", chosen); desk.ErrorCode(err) != desk.EFORBIDDEN {
			t.Errorf("a requester's outcomes: %v, want forbidden", err)
		}
		assertOutcomesWithTicket(t, x)
		from, to := x.clk.Now().Add(-time.Hour), x.clk.Now().Add(time.Hour)
		rep, err := x.svc.Acceptance(x.admin, from, to)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][3]int{"type": {2, 2, 0}, "category": {2, 1, 1}, "group": {2, 0, 0}, "impact": {2, 0, 2}, "urgency": {2, 2, 0}}
		if got["service"].Value != "" {
			want["service"] = [3]int{2, 0, 0}
		}
		for _, r := range rep {
			w := want[r.Field]
			if r.Suggested != w[0] || r.Accepted != w[1] || r.Overridden != w[2] {
				t.Errorf("%s: suggested %d accepted %d overridden %d, want %v", r.Field, r.Suggested, r.Accepted, r.Overridden, w)
			}
			if w[0] > 0 && r.Rate != float64(w[1])/float64(w[0]) {
				t.Errorf("%s: rate %v", r.Field, r.Rate)
			}
		}
		if len(rep) != len(triagedesk.Fields) {
			t.Errorf("%d fields reported, want every suggested one", len(rep))
		}
		if rep, _ := x.svc.Acceptance(x.admin, to, to.Add(time.Hour)); rep[0].Suggested != 0 {
			t.Errorf("a later day counts %+v", rep[0])
		}
		if _, err := x.svc.Acceptance(x.admin, to, from); desk.ErrorCode(err) != desk.EINVALID {
			t.Errorf("a report ending before it starts: %v, want invalid", err)
		}
		if _, err := x.svc.Acceptance(x.req, from, to); desk.ErrorCode(err) != desk.EFORBIDDEN {
			t.Errorf("a requester reads the acceptance: %v, want forbidden", err)
		}
	})
}

// An outcome the store cannot write takes the ticket's registration with
// it: they are one transaction.
func assertOutcomesWithTicket(t *testing.T, x *deskOf) {
	t.Helper()
	bad := []desk.TriageOutcome{{Field: "category", Suggested: "1", Chosen: "1", Accepted: true}, {Field: "no such field"}}
	_, _, err := x.d.CreateTicket(x.admin, desk.NewTicket{Type: desk.TypeRequest, Title: "Outcome that cannot be written",
		Channel: desk.ChannelPhone, Requester: desk.PersonInput{Email: "boris@example.com"}, TriageOutcomes: bad}, "")
	if err == nil {
		t.Fatal("a ticket registered with an outcome the store refuses")
	}
	q := "Outcome that cannot be written"
	page, err := x.d.ListTickets(x.admin, desk.TicketFilter{Query: q, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Tickets) != 0 {
		t.Errorf("the ticket was registered without its outcomes: %+v", page.Tickets[0])
	}
}
