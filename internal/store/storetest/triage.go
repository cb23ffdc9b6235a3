package storetest

import (
	"bytes"
	"database/sql"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// testTriage: the samples are the resolved and closed tickets with the
// names of their category, group and service and their impact and
// urgency, page by page; a saved model
// becomes the newest version, read with or without its bytes, and only
// the newest few are kept.
func testTriage(t *testing.T, open Opener) {
	f := newFixture(t, open)
	if _, err := f.s.LatestTriageModel(ctx(t), true); desk.ErrorCode(err) != desk.ENOTFOUND {
		t.Fatalf("LatestTriageModel on a fresh desk: %v, want not found", err)
	}
	mk := func(title string, state desk.State, cat *desk.Category, svc *desk.Service, group *desk.Group) *desk.Ticket {
		tk := f.ticket(title, 0)
		tk.State, tk.Group = state, desk.GroupRef{ID: group.ID}
		if cat != nil {
			tk.Category = &desk.Ref{ID: cat.ID}
		}
		if svc != nil {
			tk.Service = &desk.Ref{ID: svc.ID}
		}
		if state == desk.StateResolved || state == desk.StateClosed {
			tk.ResolvedAt = ptr(tk.ReportedAt.Add(time.Hour))
			tk.ResolutionCode, tk.ResolutionNotes = desk.ResolutionCodes[0], "done"
		}
		return f.create(t, tk)
	}
	printer := mk("Принтер не печатает", desk.StateResolved, f.printers, nil, f.desk)
	mk("VPN is down", desk.StateAssigned, nil, f.mail, f.net)
	mail := f.ticket("Mail bounces", 0)
	mail.State, mail.Group, mail.Service, mail.Impact, mail.Urgency = desk.StateClosed, desk.GroupRef{ID: f.net.ID}, &desk.Ref{ID: f.mail.ID}, desk.LevelHigh, desk.LevelLow
	mail.ResolvedAt, mail.ResolutionCode, mail.ResolutionNotes = ptr(mail.ReportedAt.Add(time.Hour)), desk.ResolutionCodes[0], "done"
	mail = f.create(t, mail)
	bare := mk("Something else", desk.StateResolved, nil, nil, f.desk)
	got, err := f.s.TriageSamples(ctx(t), 0, 2)
	must(t, err)
	diff(t, "first page", []desk.TriageSample{
		{TicketID: printer.ID, Title: printer.Title, Description: printer.Description, Type: desk.TypeIncident, Category: "Printers", Group: f.desk.Name,
			Impact: printer.Impact, Urgency: printer.Urgency},
		{TicketID: mail.ID, Title: mail.Title, Description: mail.Description, Type: desk.TypeIncident, Group: "Network", Service: "E-mail",
			Impact: desk.LevelHigh, Urgency: desk.LevelLow},
	}, got)
	got, err = f.s.TriageSamples(ctx(t), mail.ID, 2)
	must(t, err)
	if len(got) != 1 || got[0].TicketID != bare.ID || got[0].Category != "" || got[0].Service != "" {
		t.Errorf("second page %+v, want only the ticket without category or service", got)
	}
	// The floor counts resolved and closed tickets only, from the newest:
	// the open VPN ticket between them is not one.
	for newest, want := range map[int]int64{0: bare.ID, 1: mail.ID, 2: printer.ID, 3: 0, 10: 0} {
		floor, err := f.s.TriageSamplesFloor(ctx(t), newest)
		must(t, err)
		if floor != want {
			t.Errorf("floor under the newest %d = %d, want %d", newest, floor, want)
		}
	}

	at := base.Add(time.Hour)
	for i := range 5 {
		m := &desk.TriageModel{TrainedAt: at.Add(time.Duration(i) * time.Minute), Model: bytes.Repeat([]byte{byte(i), 0, 0xff}, 1000),
			Fields: []desk.TriageField{{Field: "category", Labels: 8, Trained: 800 + i, Held: 200, Correct: 170, Accuracy: 0.85}}}
		must(t, f.s.SaveTriageModel(ctx(t), m))
		if m.Version != int64(i+1) {
			t.Fatalf("saved model %d got version %d, want %d", i, m.Version, i+1)
		}
	}
	latest, err := f.s.LatestTriageModel(ctx(t), true)
	must(t, err)
	want := &desk.TriageModel{Version: 5, TrainedAt: at.Add(4 * time.Minute), Model: bytes.Repeat([]byte{4, 0, 0xff}, 1000),
		Fields: []desk.TriageField{{Field: "category", Labels: 8, Trained: 804, Held: 200, Correct: 170, Accuracy: 0.85}}}
	diff(t, "latest with its bytes", want, latest)
	latest, err = f.s.LatestTriageModel(ctx(t), false)
	must(t, err)
	want.Model = nil
	diff(t, "latest without its bytes", want, latest)
	var kept int
	must(t, f.s.(interface{ DB() *sql.DB }).DB().QueryRowContext(ctx(t), "SELECT COUNT(*) FROM triage_models").Scan(&kept))
	if kept != 3 {
		t.Errorf("%d model versions kept, want the newest 3", kept)
	}
}
