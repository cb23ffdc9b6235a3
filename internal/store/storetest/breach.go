package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tierdesk/tierdesk/internal/breach"
	"github.com/tierdesk/tierdesk/internal/desk"
)

// testBreachCases: a security case's breach record (awareness, regimes and
// their reasons) is stored with the ticket, created or updated, read back
// as written, and changed in place; a case without one reads nil.
func testBreachCases(t *testing.T, open Opener) {
	f := newFixture(t, open)
	plain := f.ticket("Security case without a record", 0)
	plain.Security, plain.Restricted = true, true
	f.create(t, plain)
	got, err := f.s.GetTicket(ctx(t), plain.ID)
	must(t, err)
	if got.Breach != nil {
		t.Fatalf("no record written, read %+v", got.Breach)
	}

	aware := base.Add(-90 * time.Minute)
	tk := f.ticket("My account sends spam", 1)
	tk.Security, tk.Restricted = true, true
	tk.Breach = &desk.BreachCase{AwareAt: &aware, AwareReason: "SOC alert", Regime: breach.FZ152, RegimeReason: "Russian customers"}
	f.create(t, tk)
	got, err = f.s.GetTicketByNumber(ctx(t), tk.Number)
	must(t, err)
	if diff := cmp.Diff(tk.Breach, got.Breach); diff != "" {
		t.Fatalf("created record (-want +got):\n%s", diff)
	}

	later := aware.Add(30 * time.Minute)
	got.Breach = &desk.BreachCase{AwareAt: &later, AwareReason: "the log says later", Regime: breach.Both, RegimeReason: "EU customers too"}
	must(t, f.s.UpdateTicket(ctx(t), got, []desk.Event{{At: base, Actor: &desk.Ref{ID: f.agent.ID}, Kind: desk.EventUpdated,
		Reason: "the log says later", Changes: []desk.Change{{Field: desk.FieldBreachAware, Old: "a", New: "b"}}}}))
	again, err := f.s.GetTicket(ctx(t), tk.ID)
	must(t, err)
	want := &desk.BreachCase{AwareAt: &later, AwareReason: "the log says later", Regime: breach.Both, RegimeReason: "EU customers too"}
	if diff := cmp.Diff(want, again.Breach); diff != "" {
		t.Fatalf("updated record (-want +got):\n%s", diff)
	}
	// Awareness not yet recorded, a regime chosen.
	none := f.ticket("Regime first", 2)
	none.Security, none.Restricted = true, true
	none.Breach = &desk.BreachCase{Regime: breach.None, RegimeReason: "no personal data"}
	f.create(t, none)
	got, err = f.s.GetTicket(ctx(t), none.ID)
	must(t, err)
	if got.Breach == nil || got.Breach.AwareAt != nil || got.Breach.Regime != breach.None {
		t.Fatalf("record without awareness read %+v", got.Breach)
	}
	// The register's cases: those with a record, not the one without.
	ids, err := f.s.BreachCaseTickets(ctx(t))
	must(t, err)
	if diff := cmp.Diff([]int64{tk.ID, none.ID}, ids); diff != "" {
		t.Fatalf("breach cases (-want +got):\n%s", diff)
	}
}
