package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/jobs"
	"github.com/tierdesk/tierdesk/internal/pager"
	"github.com/tierdesk/tierdesk/internal/testdb"
	"github.com/tierdesk/tierdesk/internal/web"
)

// onCallRow returns the <tr> of the schedules table for the schedule id.
func onCallRow(t *testing.T, body string, id int64) string {
	t.Helper()
	marker := `data-schedule="` + strconv.FormatInt(id, 10) + `"`
	i := strings.Index(body, marker)
	if i < 0 {
		t.Fatalf("no row for schedule %d in %s", id, body)
	}
	row := body[i:]
	return row[:strings.Index(row, "</tr>")]
}

func TestWeb_OnCall(t *testing.T) {
	e := newHTTPEnv(t, web.Options{Location: time.UTC})
	ctx := context.Background()
	oleg, _, err := e.d.Bootstrap(ctx, desk.UserInput{Email: "oleg@example.com", Name: "Oleg", Role: desk.RoleAgent}, false, 1)
	if err != nil {
		t.Fatal(err)
	}
	sys := desk.AsSystem(ctx)
	// Daily hand-offs at 09:00 UTC from Monday 5 January 2026: Lena, Oleg, Lena, ...
	sched := &desk.StoredSchedule{Doc: desk.ScheduleDoc{Name: "Storage daily", Zone: "UTC", Layers: []desk.LayerDoc{{
		Name: "day", Participants: []int64{e.lena.ID, oleg.ID}, StartDate: "2026-01-05", HandOff: "09:00", Length: "1d"}}}}
	if err := e.d.SaveSchedule(sys, sched); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	nowName := []string{"Lena", "Oleg"}[int(time.Since(start)/(24*time.Hour))%2]

	sam, lena := e.client(), e.client()
	sam.signIn("sam@example.com")
	lena.signIn("lena@example.com")
	if p := sam.get("/oncall"); p.status != http.StatusNotFound && p.status != http.StatusForbidden {
		t.Errorf("requester on /oncall: %d", p.status)
	}
	if p := e.client().get("/oncall"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/login") {
		t.Errorf("anonymous on /oncall: %d %s", p.status, p.header.Get("Location"))
	}

	p := lena.get("/oncall")
	if p.status != 200 || !strings.Contains(p.body, `href="/oncall"`) {
		t.Fatalf("/oncall: %d (nav link %v)", p.status, strings.Contains(p.body, `href="/oncall"`))
	}
	if row := onCallRow(t, p.body, sched.ID); !strings.Contains(row, `class="now">`+nowName+"<") {
		t.Errorf("on call now should be %s: %s", nowName, row)
	}
	if !strings.Contains(p.body, "0 pages are waiting") || !strings.Contains(p.body, "UTC") {
		t.Errorf("no pages line or zone: %s", p.body)
	}
	// Tuesday 6 January 10:00 is Oleg's day; Monday 5th 08:59 was before anyone.
	p = lena.get("/oncall?at=2026-01-06T10:00")
	if row := onCallRow(t, p.body, sched.ID); !strings.Contains(row, `class="at">Oleg<`) {
		t.Errorf("on call at 6 Jan 10:00 should be Oleg: %s", row)
	}
	p = lena.get("/oncall?at=2026-01-05T08:59")
	if row := onCallRow(t, p.body, sched.ID); !strings.Contains(row, `class="at">nobody<`) {
		t.Errorf("on call before the first hand-off should be nobody: %s", row)
	}
	if p := lena.get("/oncall?at=yesterday"); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "Enter a date and time") {
		t.Errorf("bad time: %d", p.status)
	}
	ru := lena.get("/oncall", "Accept-Language", "ru")
	if !strings.Contains(ru.body, "Дежурит сейчас") || !strings.Contains(ru.body, " смен</p>") {
		t.Errorf("Russian page (7 or 8 daily shifts in a week, the many form): %s", ru.body)
	}

	// A page on a P1 ticket of the team: listed, acknowledged from the page.
	if err := e.d.PutEscalationPolicy(sys, &desk.EscalationPolicy{GroupID: 1, Name: "Storage", Repeat: 1, Active: true,
		Priorities: []desk.Priority{"P1"}, Steps: []desk.EscalationStep{{ScheduleIDs: []int64{sched.ID}, Delay: 5 * time.Minute}}}); err != nil {
		t.Fatal(err)
	}
	tk, _, err := e.d.CreateTicket(desk.WithActor(ctx, e.lena), desk.NewTicket{Type: desk.TypeIncident, Title: "Storage down",
		Channel: desk.ChannelPhone, Impact: desk.LevelHigh, Urgency: desk.LevelHigh, GroupID: 1, Requester: desk.PersonInput{Email: "sam@example.com"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := jobs.New(e.st, e.d, desk.SystemClock{}, jobs.Config{}, nil).RunDue(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := pager.NewEngine(e.st, e.d, desk.SystemClock{}, pager.Config{}, nil).RunDue(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	p = lena.get("/oncall")
	if !strings.Contains(p.body, "1 page is waiting") || !strings.Contains(p.body, `href="/tickets/`+tk.Number+`"`) ||
		!strings.Contains(p.body, "<td>"+nowName+"</td>") {
		t.Fatalf("page in progress not listed (paged %s): %s", nowName, p.body)
	}
	if p := lena.get("/tickets/" + tk.Number); !strings.Contains(p.body, `id="page-ack"`) || !strings.Contains(p.body, `name="back" value="/tickets/`+tk.Number+`"`) {
		t.Errorf("the agent's ticket page has no Acknowledge button: %d", p.status)
	}
	active, err := e.d.TicketPages(desk.WithActor(ctx, e.lena), tk.Number)
	if err != nil || len(active) != 1 {
		t.Fatalf("pages of %s: %+v %v", tk.Number, active, err)
	}
	if row := p.body[strings.Index(p.body, `data-ticket="`+tk.Number+`"`):]; !strings.Contains(row[:strings.Index(row, "</tr>")],
		`name="page" value="`+strconv.FormatInt(active[0].ID, 10)+`"`) {
		t.Errorf("the page's row does not act on its own page %d: %s", active[0].ID, row)
	}
	form := url.Values{"ticket": {tk.Number}}
	// A row acts on its own page: a page id of another page or none is refused.
	other := url.Values{"ticket": {tk.Number}, "page": {strconv.FormatInt(active[0].ID+1000, 10)}, "csrf": {lena.csrf("/oncall")}}
	if p := lena.post("/oncall/acknowledge", other); p.status != http.StatusConflict {
		t.Errorf("acknowledging another page id: %d", p.status)
	}
	other.Set("page", "first")
	if p := lena.post("/oncall/acknowledge", other); p.status != http.StatusUnprocessableEntity {
		t.Errorf("acknowledging page id %q: %d", "first", p.status)
	}
	if p := lena.post("/oncall/acknowledge", form); p.status != http.StatusForbidden {
		t.Errorf("acknowledge without CSRF: %d", p.status)
	}
	form.Set("csrf", lena.csrf("/oncall"))
	if p := sam.post("/oncall/acknowledge", form); p.status == http.StatusSeeOther {
		t.Errorf("requester acknowledged: %d", p.status)
	}
	p = lena.post("/oncall/acknowledge", form)
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/oncall?done=page_ack" {
		t.Fatalf("acknowledge: %d %s", p.status, p.header.Get("Location"))
	}
	if p := lena.get("/oncall?done=page_ack"); !strings.Contains(p.body, "Page acknowledged") || !strings.Contains(p.body, "0 pages are waiting") {
		t.Errorf("after acknowledging: %s", p.body)
	}
	if p := lena.get("/tickets/" + tk.Number); p.status != 200 || strings.Contains(p.body, `id="page-ack"`) {
		t.Errorf("the ticket page still offers to acknowledge: %d", p.status)
	}
	pages, err := e.d.TicketPages(desk.WithActor(ctx, e.lena), tk.Number)
	if err != nil || len(pages) != 1 || pages[0].State != desk.PageAcknowledged || pages[0].AckedBy == nil || pages[0].AckedBy.ID != e.lena.ID {
		t.Fatalf("pages after the web acknowledgement: %+v %v", pages, err)
	}
	events, err := e.d.Events(desk.WithActor(ctx, e.lena), tk.Number, desk.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	acked := false
	for _, ev := range events.Events {
		acked = acked || (ev.Kind == desk.EventPageAcknowledged && ev.Actor != nil && ev.Actor.ID == e.lena.ID)
	}
	if !acked {
		t.Errorf("no page_acknowledged entry by Lena in the timeline: %+v", events.Events)
	}
	// Nothing left to acknowledge or resolve: the refusal is shown.
	if p := lena.post("/oncall/resolve", form); p.status != http.StatusConflict || !strings.Contains(p.body, "No page is running on this ticket.") {
		t.Errorf("resolving an acknowledged page: %d", p.status)
	}
}

// TestWeb_OnCallRoundAsCounted: a page in its second pass reads "round 2"
// on the on-call page, as the API and the timeline count it (it read
// "round 1": the desk counts rounds from 0).
func TestWeb_OnCallRoundAsCounted(t *testing.T) {
	clock := testdb.NewClock(time.Date(2026, 1, 6, 10, 0, 0, 0, time.UTC))
	e := newHTTPEnvClock(t, web.Options{Location: time.UTC}, clock)
	ctx, sys := context.Background(), desk.AsSystem(context.Background())
	sched := &desk.StoredSchedule{Doc: desk.ScheduleDoc{Name: "Desk daily", Zone: "UTC", Layers: []desk.LayerDoc{{
		Name: "day", Participants: []int64{e.lena.ID}, StartDate: "2026-01-05", HandOff: "09:00", Length: "1d"}}}}
	if err := e.d.SaveSchedule(sys, sched); err != nil {
		t.Fatal(err)
	}
	if err := e.d.PutEscalationPolicy(sys, &desk.EscalationPolicy{GroupID: 1, Name: "Desk", Repeat: 2, Active: true,
		Priorities: []desk.Priority{"P1"}, Steps: []desk.EscalationStep{{ScheduleIDs: []int64{sched.ID}, Delay: 5 * time.Minute}}}); err != nil {
		t.Fatal(err)
	}
	tk, _, err := e.d.CreateTicket(desk.WithActor(ctx, e.sam), desk.NewTicket{Type: desk.TypeIncident, Title: "Everything down",
		Channel: desk.ChannelPortal, Impact: desk.LevelHigh, Urgency: desk.LevelHigh}, "")
	if err != nil {
		t.Fatal(err)
	}
	run := func() {
		t.Helper()
		if _, err := jobs.New(e.st, e.d, clock, jobs.Config{}, nil).RunDue(ctx, clock.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := pager.NewEngine(e.st, e.d, clock, pager.Config{}, nil).RunDue(ctx, clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	run()
	clock.Advance(6 * time.Minute)
	run()
	pages, err := e.d.TicketPages(desk.WithActor(ctx, e.lena), tk.Number)
	if err != nil || len(pages) != 1 || pages[0].RoundNumber() != 2 {
		t.Fatalf("want one page in its second round: %+v %v", pages, err)
	}
	lena := e.client()
	lena.signIn("lena@example.com")
	for lang, want := range map[string]string{"en": "round 2", "ru": "круг 2"} {
		if body := lena.get("/oncall", "Accept-Language", lang).body; !strings.Contains(body, want) {
			t.Errorf("%s: the on-call page does not say %q", lang, want)
		}
	}
}
