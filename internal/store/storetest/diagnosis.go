package storetest

import (
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/diagnosis"
)

// dxFixture is the problem fixture with diagnosis checklists over it and
// a line-2 agent in Network.
type dxFixture struct {
	*prbFixture
	dx  *diagnosis.Service
	nic *desk.User
}

func newDxFixture(t *testing.T, open Opener) *dxFixture {
	t.Helper()
	p := newPrbFixture(t, open)
	st, ok := p.s.(diagnosis.Store)
	if !ok {
		t.Skipf("%T keeps no checklists", p.s)
	}
	f := &dxFixture{prbFixture: p, dx: diagnosis.New(st, p.d, p.clock)}
	f.dx.Guard()
	f.nic = f.user(t, "nick@example.com", "Nick Network", desk.RoleAgent)
	must(t, p.d.SetGroupMember(p.as(t, p.admin), f.net.ID, f.nic.ID, true))
	u, err := f.s.GetUser(ctx(t), f.nic.ID)
	must(t, err)
	f.nic = u
	return f
}

func question(en, ru string) map[string]string { return map[string]string{"en": en, "ru": ru} }

// printerTicket is an incident in Hardware / Printers for the mail service.
func (f *dxFixture) printerTicket(t *testing.T, title string, service bool) *desk.Ticket {
	t.Helper()
	tk := f.ticket(title, 1)
	tk.Category, tk.Subcategory = &desk.Ref{ID: f.hardware.ID}, &desk.Ref{ID: f.printers.ID}
	if service {
		tk.Service = &desk.Ref{ID: f.mail.ID}
	}
	return f.create(t, tk)
}

func testDiagnosis(t *testing.T, open Opener) {
	t.Run("Checklists", func(t *testing.T) { t.Parallel(); testDiagnosisChecklists(t, open) })
	t.Run("AnswerAndEscalate", func(t *testing.T) { t.Parallel(); testDiagnosisEscalate(t, open) })
}

func testDiagnosisChecklists(t *testing.T, open Opener) {
	f := newDxFixture(t, open)
	admin, agent := f.as(t, f.admin), f.as(t, f.agent)
	hw := &diagnosis.Checklist{Category: desk.Ref{ID: f.hardware.ID}, Items: []diagnosis.Item{
		{Question: question("Is it plugged in?", "Устройство подключено?"), Kind: diagnosis.YesNo}}}
	wantCode(t, "an agent writes a checklist", f.dx.Create(agent, hw), desk.EFORBIDDEN)
	must(t, f.dx.Create(admin, hw))
	again := &diagnosis.Checklist{Category: desk.Ref{ID: f.hardware.ID}, Items: hw.Items}
	wantField(t, "a second checklist of the category", f.dx.Create(admin, again), desk.ECONFLICT, "category_id")
	svc := &diagnosis.Checklist{Category: desk.Ref{ID: f.printers.ID}, Service: &desk.Ref{ID: f.mail.ID}, Items: []diagnosis.Item{
		{Question: map[string]string{"en": "Which printer model?"}, Kind: diagnosis.Text},
		{Question: question("Does a test page print?", "Печатается ли пробная страница?"), Kind: diagnosis.YesNo}}}
	must(t, f.dx.Create(admin, svc))
	unknown := &diagnosis.Checklist{Category: desk.Ref{ID: 99999}, Items: hw.Items}
	wantField(t, "an unknown category", f.dx.Create(admin, unknown), desk.EINVALID, "category_id")
	bad := &diagnosis.Checklist{Category: desk.Ref{ID: f.printers.ID}, Items: []diagnosis.Item{{Question: map[string]string{"de": "Was?"}, Kind: "maybe"}}}
	err := f.dx.Create(admin, bad)
	wantField(t, "a bad kind", err, desk.EINVALID, "items[0].kind")
	wantField(t, "a bad language", err, desk.EINVALID, "items[0].question")
	wantField(t, "no questions", f.dx.Create(admin, &diagnosis.Checklist{Category: desk.Ref{ID: f.printers.ID}}), desk.EINVALID, "items")

	lists, err := f.dx.Checklists(agent)
	must(t, err)
	if len(lists) != 2 || lists[0].ID != hw.ID || lists[1].Service == nil || lists[1].Service.Name != "E-mail" || lists[1].Category.Name != "Printers" {
		t.Fatalf("checklists by category name: %+v", lists)
	}
	diff(t, "items read back", svc.Items, lists[1].Items)

	edit := *hw
	edit.Items = append(edit.Items, diagnosis.Item{Question: question("Error text?", "Текст ошибки?"), Kind: diagnosis.Text})
	must(t, f.dx.Save(admin, &edit, 1))
	stale := *hw
	wantCode(t, "a save over version 1 again", f.dx.Save(admin, &stale, 1), desk.ESTALE)
	got, err := f.dx.Checklist(agent, hw.ID)
	must(t, err)
	if got.Version != 2 || len(got.Items) != 2 {
		t.Errorf("saved checklist: version %d, %d items", got.Version, len(got.Items))
	}

	// The closest checklist wins: the subcategory with the service, else
	// the category for any service.
	withSvc := f.printerTicket(t, "Printer jams", true)
	v, err := f.dx.ForTicket(agent, withSvc.Number)
	must(t, err)
	if v.Checklist == nil || v.Checklist.ID != svc.ID {
		t.Errorf("ticket with the service: checklist %+v, want %d", v.Checklist, svc.ID)
	}
	plain := f.printerTicket(t, "Printer jams again", false)
	if v, err = f.dx.ForTicket(agent, plain.Number); err != nil || v.Checklist == nil || v.Checklist.ID != hw.ID {
		t.Errorf("ticket without the service: %+v %v, want checklist %d", v, err, hw.ID)
	}
	none := f.create(t, f.ticket("No category", 2))
	if v, err = f.dx.ForTicket(agent, none.Number); err != nil || v.Checklist != nil {
		t.Errorf("ticket without a category: %+v %v", v, err)
	}
	_, err = f.dx.ForTicket(f.as(t, f.req1), plain.Number)
	wantCode(t, "the requester reads the diagnosis", err, desk.EFORBIDDEN)

	must(t, f.dx.Delete(admin, hw.ID))
	wantCode(t, "delete twice", f.dx.Delete(admin, hw.ID), desk.ENOTFOUND)
	wantField(t, "mode", f.dx.SetMode(admin, "sometimes"), desk.EINVALID, "mode")
	wantCode(t, "an agent sets the mode", f.dx.SetMode(agent, diagnosis.Require), desk.EFORBIDDEN)
}

func testDiagnosisEscalate(t *testing.T, open Opener) {
	f := newDxFixture(t, open)
	admin, agent, nic := f.as(t, f.admin), f.as(t, f.agent), f.as(t, f.nic)
	c := &diagnosis.Checklist{Category: desk.Ref{ID: f.printers.ID}, Items: []diagnosis.Item{
		{Question: question("Does a test page print?", "Печатается ли пробная страница?"), Kind: diagnosis.YesNo},
		{Question: question("Error on the panel?", "Ошибка на панели?"), Kind: diagnosis.Text}}}
	must(t, f.dx.Create(admin, c))
	up := func(tk *desk.Ticket, skipped string) (*desk.Ticket, error) {
		return f.d.Escalate(agent, tk.Number, desk.EscalationInput{Kind: desk.EscalateFunctional, GroupID: f.net.ID,
			Reason: "Needs the network team", DiagnosisSkipped: skipped})
	}
	notes := func(tk *desk.Ticket, as *desk.User) map[desk.ReasonCode]*desk.Event {
		page, err := f.d.Events(f.as(t, as), tk.Number, desk.EventFilter{})
		must(t, err)
		out := map[desk.ReasonCode]*desk.Event{}
		for _, e := range page.Events {
			if e.ReasonCode != "" {
				out[e.ReasonCode] = e
			}
		}
		return out
	}

	// Warn (the default): through, noted as unanswered without a reason.
	warned := f.printerTicket(t, "Printer offline", false)
	if _, err := up(warned, ""); err != nil {
		t.Fatalf("escalate under warn: %v", err)
	}
	if e := notes(warned, f.agent)[desk.ReasonDiagnosisMissing]; e == nil || e.Public || e.Kind != desk.EventWorkNote {
		t.Errorf("warned escalation's note: %+v", e)
	}

	// Require: refused without a reason, nothing stored; through with one.
	must(t, f.dx.SetMode(admin, diagnosis.Require))
	held := f.printerTicket(t, "Printer smudges", false)
	_, err := up(held, "  ")
	wantField(t, "escalate unanswered under require", err, desk.EINVALID, "diagnosis_skipped")
	if got, _ := f.d.Ticket(agent, held.Number); got.Group.ID != f.desk.ID || got.EscalationCount != 0 {
		t.Errorf("refused escalation moved the ticket: group %d, escalations %d", got.Group.ID, got.EscalationCount)
	}
	if _, err := up(held, "The caller hung up before the questions"); err != nil {
		t.Fatalf("escalate with a reason: %v", err)
	}
	e := notes(held, f.nic)[desk.ReasonDiagnosisSkipped]
	if e == nil || e.Body != "The caller hung up before the questions" || e.Public {
		t.Errorf("skipped note seen by line 2: %+v", e)
	}

	// Answered: the escalation needs no reason; line 2 reads the answers.
	done := f.printerTicket(t, "Printer prints blank pages", false)
	_, err = f.dx.Answer(agent, done.Number, []string{"yes"})
	wantField(t, "too few answers", err, desk.EINVALID, "answers")
	_, err = f.dx.Answer(agent, done.Number, []string{"perhaps", "E-13"})
	wantField(t, "not yes or no", err, desk.EINVALID, "answers[0]")
	_, err = f.dx.Answer(f.as(t, f.req1), done.Number, []string{"yes", "E-13"})
	wantCode(t, "the requester answers", err, desk.EFORBIDDEN)
	d, err := f.dx.Answer(agent, done.Number, []string{"No", "E-13 paper jam"})
	must(t, err)
	if _, err := up(done, ""); err != nil {
		t.Fatalf("escalate answered: %v", err)
	}
	got := notes(done, f.nic)
	if e := got[desk.ReasonDiagnosisRecorded]; e == nil || e.ID != d.EventID || e.Public || e.ReasonParams["answers"] != "2" {
		t.Errorf("diagnosis entry: %+v (diagnosis event %d)", e, d.EventID)
	}
	if got[desk.ReasonDiagnosisMissing] != nil || got[desk.ReasonDiagnosisSkipped] != nil {
		t.Errorf("an answered escalation was noted as unanswered: %v", got)
	}
	if len(notes(done, f.req1)) != 0 {
		t.Errorf("the requester sees diagnosis entries: %v", notes(done, f.req1))
	}
	v, err := f.dx.ForTicket(nic, done.Number)
	must(t, err)
	want := []diagnosis.Answer{{Question: c.Items[0].Question, Kind: diagnosis.YesNo, Value: "no"},
		{Question: c.Items[1].Question, Kind: diagnosis.Text, Value: "E-13 paper jam"}}
	if !v.Answered() || v.Latest() == nil || v.Latest().By.ID != f.agent.ID {
		t.Fatalf("line 2's view: answered %v, latest %+v", v.Answered(), v.Latest())
	}
	diff(t, "answers line 2 reads", want, v.Latest().Answers)
}
