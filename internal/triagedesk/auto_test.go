package triagedesk_test

import (
	"slices"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/reasons"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/triagedesk"
)

func trained(t *testing.T, s *sqlstore.Store) *deskOf {
	t.Helper()
	history(t, s, 240, desk.StateResolved)
	x := newDesk(t, s)
	if ok, err := x.svc.Sweep(x.admin); !ok || err != nil {
		t.Fatalf("Sweep: %v, %v", ok, err)
	}
	return x
}

func decisions(t *testing.T, x *deskOf, tk *desk.Ticket) map[string]desk.TriageDecision {
	t.Helper()
	ds, err := x.d.TriageDecisions(x.admin, tk.Number)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]desk.TriageDecision{}
	for _, d := range ds {
		out[d.Field] = d
	}
	return out
}

// A portal ticket gets the confident suggestions applied by the desk,
// each recorded on the timeline as the system's decision with a reason
// worded in Russian for Russian readers; a ticket an agent registers by
// phone, or any ticket once the threshold is 0, gets none.
func TestAutoTriage_AppliesToPortalTickets(t *testing.T) {
	eachDB(t, func(t *testing.T, s *sqlstore.Store) {
		x := trained(t, s)
		if _, err := x.svc.SaveSettings(x.admin, 50, 24*time.Hour); err != nil {
			t.Fatal(err)
		}
		tk, _, err := x.d.CreateTicket(x.req, desk.NewTicket{Type: desk.TypeIncident, Title: "Принтер не печатает",
			Description: "замятие бумаги", Channel: desk.ChannelPortal}, "")
		if err != nil {
			t.Fatal(err)
		}
		if tk.Category == nil || tk.Category.Name != "Printers" || tk.Group.Name != "Field support" {
			t.Fatalf("portal ticket: category %v, group %v; want Printers and Field support set by the desk", tk.Category, tk.Group)
		}
		got := decisions(t, x, tk)
		if d := got["category"]; d.Value != "Printers" || d.ModelVersion != 1 || d.Confidence < 0.5 || d.Settled() {
			t.Errorf("category decision %+v", d)
		}
		if _, ok := got["type"]; ok {
			t.Error("the type a requester chose on the portal was replaced")
		}
		page, err := x.d.Events(x.admin, tk.Number, desk.EventFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var applied []desk.Event
		for _, e := range page.Events {
			if e.ReasonCode == desk.ReasonTriageApplied {
				applied = append(applied, *e)
			}
		}
		if len(applied) != len(got) || applied[0].Actor != nil || len(applied[0].Changes) != 1 {
			t.Fatalf("timeline: %+v, want one system event a decided field", applied)
		}
		for _, e := range applied {
			if e.ReasonParams["field"] == "category" {
				ru := reasons.Event("ru", &e)
				if want := "модель разбора установила: категория — Printers"; len(ru) < len(want) || ru[:len(want)] != want {
					t.Errorf("Russian reason %q, want it to start %q", ru, want)
				}
			}
		}
		phone, _, err := x.d.CreateTicket(x.admin, desk.NewTicket{Type: desk.TypeIncident, Title: "Принтер не печатает",
			Requester: desk.PersonInput{Email: "boris@example.com"}, Channel: desk.ChannelPhone}, "")
		if err != nil {
			t.Fatal(err)
		}
		if phone.Category != nil || len(decisions(t, x, phone)) != 0 {
			t.Errorf("a phone ticket an agent registered was triaged by the desk: %v", phone.Category)
		}
		if _, err := x.svc.SaveSettings(x.admin, 0, 24*time.Hour); err != nil {
			t.Fatal(err)
		}
		off, _, err := x.d.CreateTicket(x.req, desk.NewTicket{Type: desk.TypeIncident, Title: "Принтер не печатает", Channel: desk.ChannelPortal}, "")
		if err != nil || off.Category != nil {
			t.Errorf("with the threshold at 0 a portal ticket got %v, %v", off.Category, err)
		}
	})
}

// The model learns only from fields a person set, confirmed or
// corrected: a field the desk set by itself and nobody looked at is left
// out of training; a correction is recorded and learnt in its stead; the
// report measures accuracy by the corrections.
func TestAutoTriage_LearnsOnlyFromConfirmedFields(t *testing.T) {
	eachDB(t, func(t *testing.T, s *sqlstore.Store) {
		x := trained(t, s)
		if _, err := x.svc.SaveSettings(x.admin, 50, 24*time.Hour); err != nil {
			t.Fatal(err)
		}
		mk := func() *desk.Ticket {
			tk, _, err := x.d.CreateTicket(x.req, desk.NewTicket{Type: desk.TypeIncident, Title: "Принтер не печатает",
				Description: "замятие бумаги", Channel: desk.ChannelPortal}, "")
			if err != nil || tk.Category == nil {
				t.Fatalf("portal ticket: %v, %v", tk, err)
			}
			return tk
		}
		left, confirmed, corrected := mk(), mk(), mk()
		access := int64(0)
		cats, _ := s.ListCategories(t.Context())
		for _, c := range cats {
			if c.Name == "Access" {
				access = c.ID
			}
		}
		if _, err := x.d.UpdateTicket(x.admin, corrected.Number, desk.TicketPatch{CategoryID: &access}); err != nil {
			t.Fatal(err)
		}
		if _, err := x.d.ConfirmTriage(x.admin, confirmed.Number, []string{"category"}); err != nil {
			t.Fatal(err)
		}
		if _, err := x.d.ConfirmTriage(x.admin, confirmed.Number, []string{"category"}); desk.ErrorCode(err) != desk.ECONFLICT {
			t.Errorf("confirming twice: %v, want conflict", err)
		}
		if _, err := x.d.ConfirmTriage(x.admin, confirmed.Number, []string{"colour"}); desk.ErrorCode(err) != desk.EINVALID {
			t.Errorf("confirming an unknown field: %v, want invalid", err)
		}
		if d := decisions(t, x, corrected)["category"]; d.CorrectedAt == nil || d.CorrectedTo != "Access" {
			t.Errorf("corrected decision %+v, want corrected to Access", d)
		}
		for _, tk := range []*desk.Ticket{left, confirmed, corrected} {
			if _, err := x.d.Take(x.admin, tk.Number, 0); err != nil {
				t.Fatal(err)
			}
			// Resolved by a problem's broadcast, not by a person's own
			// resolution (which confirms: TestAutoTriage_ResolvingConfirms).
			if _, err := x.d.Transition(x.admin, tk.Number, desk.TransitionInput{To: desk.StateResolved,
				ResolutionCode: desk.ResolutionCodes[0], ResolutionNotes: "Cleared the jam",
				Because: desk.ReasonProblemResolved, BecauseParams: []string{"problem", "PRB-000001"}}); err != nil {
				t.Fatal(err)
			}
		}
		samples, err := s.TriageSamples(t.Context(), left.ID-1, 10)
		if err != nil {
			t.Fatal(err)
		}
		byID := map[int64]desk.TriageSample{}
		for _, smp := range samples {
			byID[smp.TicketID] = smp
		}
		if got := byID[left.ID]; got.Category != "" || got.Group != "" || got.Type != desk.TypeIncident {
			t.Errorf("a ticket whose category and group the desk guessed and nobody confirmed is learnt as %+v; want neither", got)
		}
		if got := byID[confirmed.ID]; got.Category != "Printers" || got.Group != "" {
			t.Errorf("confirmed category: learnt as %+v, want Printers and no group (not confirmed)", got)
		}
		if got := byID[corrected.ID]; got.Category != "Access" {
			t.Errorf("corrected category: learnt as %+v, want Access", got)
		}
		rep, err := x.svc.Report(x.admin, at, x.clk.Now().Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(rep, func(r triagedesk.FieldReport) bool { return r.Field == "category" })
		if c := rep[i]; c.Decided != 3 || c.Confirmed != 1 || c.Corrected != 1 || c.Kept != 2 || c.Accuracy < 0.66 || c.Accuracy > 0.67 {
			t.Errorf("category report %+v, want 3 decided, 1 confirmed, 1 corrected, 2 kept, accuracy 2/3", c)
		}
		if _, err := x.svc.Report(x.req, at, x.clk.Now()); desk.ErrorCode(err) != desk.EFORBIDDEN {
			t.Errorf("report by a requester: %v", err)
		}
	})
}

// A person resolving a ticket leaves the desk's fields as they were:
// that confirms them, and they are learnt from; a field the person
// corrected first stays corrected; a ticket the desk resolved by itself
// (with a reason of its own) confirms nothing.
func TestAutoTriage_ResolvingConfirms(t *testing.T) {
	eachDB(t, func(t *testing.T, s *sqlstore.Store) {
		x := trained(t, s)
		if _, err := x.svc.SaveSettings(x.admin, 50, 24*time.Hour); err != nil {
			t.Fatal(err)
		}
		mk := func() *desk.Ticket {
			tk, _, err := x.d.CreateTicket(x.req, desk.NewTicket{Type: desk.TypeIncident, Title: "Принтер не печатает",
				Description: "замятие бумаги", Channel: desk.ChannelPortal}, "")
			if err != nil || tk.Category == nil {
				t.Fatalf("portal ticket: %v, %v", tk, err)
			}
			return tk
		}
		kept, corrected, byDesk := mk(), mk(), mk()
		cats, _ := s.ListCategories(t.Context())
		var access int64
		for _, c := range cats {
			if c.Name == "Access" {
				access = c.ID
			}
		}
		if _, err := x.d.UpdateTicket(x.admin, corrected.Number, desk.TicketPatch{CategoryID: &access}); err != nil {
			t.Fatal(err)
		}
		for _, tk := range []*desk.Ticket{kept, corrected, byDesk} {
			if _, err := x.d.Take(x.admin, tk.Number, 0); err != nil {
				t.Fatal(err)
			}
			in := desk.TransitionInput{To: desk.StateResolved, ResolutionCode: desk.ResolutionCodes[0], ResolutionNotes: "Cleared the jam"}
			if tk == byDesk {
				in.Because, in.BecauseParams = desk.ReasonProblemResolved, []string{"problem", "PRB-000001"}
			}
			if _, err := x.d.Transition(x.admin, tk.Number, in); err != nil {
				t.Fatal(err)
			}
		}
		for _, d := range decisions(t, x, kept) {
			if d.ConfirmedAt == nil || d.CorrectedAt != nil {
				t.Errorf("%s of a ticket resolved as the desk set it: %+v, want confirmed", d.Field, d)
			}
		}
		if d := decisions(t, x, corrected)["category"]; d.CorrectedTo != "Access" || d.ConfirmedAt != nil {
			t.Errorf("a corrected category after resolving: %+v, want still corrected to Access", d)
		}
		for _, d := range decisions(t, x, byDesk) {
			if d.Settled() {
				t.Errorf("%s of a ticket resolved by the desk's own reason: %+v, want unsettled", d.Field, d)
			}
		}
		samples, err := s.TriageSamples(t.Context(), kept.ID-1, 10)
		if err != nil {
			t.Fatal(err)
		}
		byID := map[int64]desk.TriageSample{}
		for _, smp := range samples {
			byID[smp.TicketID] = smp
		}
		if got := byID[kept.ID]; got.Category != "Printers" || got.Group != "Field support" {
			t.Errorf("a ticket resolved as the desk set it is learnt as %+v, want Printers and Field support", got)
		}
		if got := byID[byDesk.ID]; got.Category != "" || got.Group != "" {
			t.Errorf("a ticket the desk resolved by itself is learnt as %+v, want neither guess", got)
		}
	})
}
