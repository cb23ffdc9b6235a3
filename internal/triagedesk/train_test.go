package triagedesk_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/testdb"
	"github.com/tierdesk/tierdesk/internal/triage"
	. "github.com/tierdesk/tierdesk/internal/triagedesk"
)

var at = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// history stores n tickets in state of three kinds: password resets
// (Access, Service Desk), broken printers (Printers, Field support) and
// mail faults (E-mail service, Network), in English and Russian.
func history(t *testing.T, s desk.Store, n int, state desk.State) {
	t.Helper()
	c := t.Context()
	sd, err := s.DefaultGroup(c)
	if err != nil {
		t.Fatal(err)
	}
	field := &desk.Group{Name: "Field support", Line: desk.Line2, Active: true}
	network := &desk.Group{Name: "Network", Line: desk.Line2, Active: true}
	access := &desk.Category{Name: "Access"}
	printers := &desk.Category{Name: "Printers"}
	for _, err := range []error{s.CreateGroup(c, field), s.CreateGroup(c, network), s.CreateCategory(c, access), s.CreateCategory(c, printers)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	mail := &desk.Service{Name: "E-mail", OwnerGroup: &desk.Ref{ID: network.ID}}
	if err := s.CreateService(c, mail); err != nil {
		t.Fatal(err)
	}
	req := &desk.User{Email: "anna@example.com", Name: "Anna", Role: desk.RoleRequester, Active: true}
	if err := s.CreateUser(c, req); err != nil {
		t.Fatal(err)
	}
	kinds := []struct {
		titles []string
		typ    desk.TicketType
		group  int64
		cat    *desk.Category
		svc    *desk.Service
		impact desk.Level
		urgent desk.Level
	}{
		{[]string{"Reset my password", "Account locked after login attempts", "Не могу войти, пароль не подходит", "Учетная запись заблокирована"}, desk.TypeRequest, sd.ID, access, nil, desk.LevelLow, desk.LevelHigh},
		{[]string{"Printer jams on floor %d", "The printer prints blank pages", "Принтер не печатает", "Замятие бумаги в принтере"}, desk.TypeIncident, field.ID, printers, nil, desk.LevelLow, desk.LevelLow},
		{[]string{"Mail bounces from outlook", "Cannot send e-mail to partners", "Не уходит почта", "Почтовый ящик переполнен"}, desk.TypeIncident, network.ID, nil, mail, desk.LevelHigh, desk.LevelMedium},
	}
	for i := range n {
		k := kinds[i%3]
		title := k.titles[(i/3)%len(k.titles)]
		if title[len(title)-1] == 'd' && title[len(title)-2] == '%' {
			title = fmt.Sprintf(title, i)
		}
		tk := &desk.Ticket{Type: k.typ, Title: title, Description: fmt.Sprintf("Reported by Anna, case %d", i),
			State: state, Impact: k.impact, Urgency: k.urgent, Priority: desk.P3,
			Group: desk.GroupRef{ID: k.group}, Requester: desk.Person{ID: req.ID}, Channel: desk.ChannelPortal,
			ReportedAt: at, CreatedAt: at, UpdatedAt: at}
		if k.cat != nil {
			tk.Category = &desk.Ref{ID: k.cat.ID}
		}
		if k.svc != nil {
			tk.Service = &desk.Ref{ID: k.svc.ID}
		}
		if state == desk.StateResolved {
			tk.ResolvedAt = &at
			tk.ResolutionCode, tk.ResolutionNotes = desk.ResolutionCodes[0], "done"
		}
		if _, err := s.CreateTicket(c, tk, []desk.Event{{At: at, Kind: desk.EventCreated}}, nil); err != nil {
			t.Fatal(err)
		}
	}
}

func smallConfig() triage.Config {
	c := triage.DefaultConfig()
	c.Bits = 16
	return c
}

func TestTrain_FreshDeskSuggestsNothing(t *testing.T) {
	s := testdb.SQLite(t)
	history(t, s, 300, desk.StateAssigned) // open tickets are not learnt from
	if _, err := Train(t.Context(), s, smallConfig(), at); !errors.Is(err, ErrTooLittleHistory) {
		t.Fatalf("Train on a desk with no resolved ticket: %v, want ErrTooLittleHistory", err)
	}
}

func TestTrain_LearnsFromResolvedTickets(t *testing.T) {
	s := testdb.SQLite(t)
	history(t, s, 240, desk.StateResolved)
	m, err := Train(t.Context(), s, smallConfig(), at)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]desk.TriageField{}
	for _, f := range m.Fields {
		got[f.Field] = f
	}
	// 240 tickets, one in five held back: 192 trained on, 48 held; the
	// category and the service are set on two kinds and one kind of three;
	// impact takes two values, urgency three.
	want := map[string]desk.TriageField{
		"type":     {Field: "type", Labels: 2, Trained: 192, Held: 48},
		"category": {Field: "category", Labels: 2, Trained: 128, Held: 32},
		"group":    {Field: "group", Labels: 3, Trained: 192, Held: 48},
		"impact":   {Field: "impact", Labels: 2, Trained: 192, Held: 48},
		"urgency":  {Field: "urgency", Labels: 3, Trained: 192, Held: 48},
	}
	if len(got) != len(want) {
		t.Errorf("fields %v, want type, category, group, impact and urgency (the service has one value only)", m.Fields)
	}
	for name, w := range want {
		g := got[name]
		if g.Labels != w.Labels || g.Trained != w.Trained || g.Held != w.Held || g.Accuracy < 0.9 || g.Correct != int(g.Accuracy*float64(g.Held)+0.5) {
			t.Errorf("%s: %+v, want %d labels, %d trained, %d held and accuracy ≥ 0.9", name, g, w.Labels, w.Trained, w.Held)
		}
	}
	if err := s.SaveTriageModel(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	stored, err := s.LatestTriageModel(t.Context(), true)
	if err != nil {
		t.Fatal(err)
	}
	model, err := triage.Decode(stored.Model)
	if err != nil {
		t.Fatal(err)
	}
	sug := model.Suggest(Text("Принтер снова не печатает", "бумага застряла"), 3)
	if sug[0].Label != "incident" || sug[1].Label != "Printers" || sug[2].Label != "Field support" {
		t.Errorf("suggested %+v, want incident, Printers, Field support", sug)
	}
}

// TestTrain_ReadsOnlyTheNewest: a training reads the newest tickets up to
// its cap, oldest first (the store suite's Triage checks that open ones
// are not counted).
func TestTrain_ReadsOnlyTheNewest(t *testing.T) {
	s := testdb.SQLite(t)
	history(t, s, 60, desk.StateResolved)
	all, err := ReadSamples(t.Context(), s, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 60 {
		t.Fatalf("read %d tickets under a cap of 1000, want the 60 resolved ones", len(all))
	}
	got, err := ReadSamples(t.Context(), s, 25)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 25 {
		t.Fatalf("read %d tickets under a cap of 25, want 25", len(got))
	}
	for i := range got {
		if want := all[35+i].TicketID; got[i].TicketID != want {
			t.Fatalf("ticket %d read is %d, want %d: the newest 25 resolved, oldest first", i, got[i].TicketID, want)
		}
	}
}
