package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/jobs"
	"github.com/tierdesk/tierdesk/internal/pager"
	"github.com/tierdesk/tierdesk/internal/testdb"
	"github.com/tierdesk/tierdesk/internal/web"
)

// TestWeb_TicketPageWordsRu: on a Russian agent's ticket page impact
// (neuter «влияние») and urgency (feminine «срочность») agree with their
// values, in the facts, the selects and the timeline; the timeline names
// the paged team and shows no call or page ids.
func TestWeb_TicketPageWordsRu(t *testing.T) {
	clock := testdb.NewClock(time.Date(2026, 1, 6, 10, 0, 0, 0, time.UTC))
	e := newHTTPEnvClock(t, web.Options{Location: time.UTC}, clock)
	ctx, sys := context.Background(), desk.AsSystem(context.Background())
	sched := &desk.StoredSchedule{Doc: desk.ScheduleDoc{Name: "Desk daily", Zone: "UTC", Layers: []desk.LayerDoc{{
		Name: "day", Participants: []int64{e.lena.ID}, StartDate: "2026-01-05", HandOff: "09:00", Length: "1d"}}}}
	if err := e.d.SaveSchedule(sys, sched); err != nil {
		t.Fatal(err)
	}
	if err := e.d.PutEscalationPolicy(sys, &desk.EscalationPolicy{GroupID: 1, Name: "Desk", Repeat: 0, Active: true,
		Priorities: []desk.Priority{"P1"}, Steps: []desk.EscalationStep{{ScheduleIDs: []int64{sched.ID}, Delay: 5 * time.Minute}}}); err != nil {
		t.Fatal(err)
	}
	as := desk.WithActor(ctx, e.lena)
	tk, _, err := e.d.CreateTicket(as, desk.NewTicket{Type: desk.TypeIncident, Title: "Сеть недоступна", Channel: desk.ChannelPhone,
		Impact: desk.LevelHigh, Urgency: desk.LevelHigh, Requester: desk.PersonInput{Email: "sam@example.com"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := jobs.New(e.st, e.d, clock, jobs.Config{}, nil).RunDue(ctx, clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := pager.NewEngine(e.st, e.d, clock, pager.Config{}, nil).RunDue(ctx, clock.Now()); err != nil {
		t.Fatal(err)
	}
	low := desk.LevelLow
	if _, err := e.d.UpdateTicket(as, tk.Number, desk.TicketPatch{Urgency: &low, Reason: "обходной путь есть"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.d.ScheduleCall(as, tk.Number, desk.CallSpec{Start: clock.Now().Add(time.Hour), Duration: 15 * time.Minute,
		Kind: desk.CallPhone, Phone: "+7 495 000-00-00"}); err != nil {
		t.Fatal(err)
	}
	lena := e.client()
	lena.signIn("lena@example.com")
	body := lena.get("/tickets/"+tk.Number, "Accept-Language", "ru").body
	for _, want := range []string{"Влияние: высокое", "Срочность: низкая", "Срочность: высокая → низкая",
		`<option value="medium">среднее</option>`, `<option value="medium">средняя</option>`, "Вызванная группа: — → Service Desk"} {
		if !strings.Contains(body, want) {
			t.Errorf("the Russian ticket page lacks %q", want)
		}
	}
	for _, bad := range []string{"Срочность Низкое", "Высокое", "Звонок: — →", "Вызов: — →", "Вызванная группа: — → 1<"} {
		if strings.Contains(body, bad) {
			t.Errorf("the Russian ticket page shows %q", bad)
		}
	}
}
