package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/testdb"
	"github.com/tierdesk/tierdesk/internal/web"
)

// setZone stores the user's time-zone preference, as the settings page does.
func (e *httpEnv) setZone(u *desk.User, zone string) {
	e.t.Helper()
	if _, err := e.d.SetUserPreferences(desk.WithActor(context.Background(), u), u.ID,
		desk.PreferencesPatch{TimeZone: &zone}); err != nil {
		e.t.Fatal(err)
	}
}

// enTime is a time as the English pages write it: "Jan 15, 2030, 10:00 MSK".
func enTime(t time.Time, zone string) string {
	loc, _ := time.LoadLocation(zone)
	return t.In(loc).Format("Jan 2, 2006, 15:04 MST")
}

// TestWeb_TimesInEachUsersZone: the requester in Moscow and the agent in
// New York see the same ticket's times in their own zones; a call time the
// agent types is read in New York time, and the requester sees it in
// Moscow time; a user with no zone sees the site's.
func TestWeb_TimesInEachUsersZone(t *testing.T) {
	e := newHTTPEnv(t, web.Options{Location: time.UTC})
	e.setZone(e.sam, "Europe/Moscow")
	e.setZone(e.lena, "America/New_York")
	tk, _, err := e.d.CreateTicket(desk.WithActor(context.Background(), e.sam), desk.NewTicket{Type: desk.TypeIncident,
		Title: "Printer jam", Description: "Paper stuck.", Channel: desk.ChannelPortal}, "")
	if err != nil {
		t.Fatal(err)
	}
	sam, lena := e.client(), e.client()
	sam.signIn("sam@example.com")
	lena.signIn("lena@example.com")
	created := tk.CreatedAt
	if p := sam.get("/tickets/" + tk.Number); !strings.Contains(p.body, enTime(created, "Europe/Moscow")) ||
		strings.Contains(p.body, enTime(created, "UTC")) {
		t.Errorf("requester in Moscow should see %q: %s", enTime(created, "Europe/Moscow"), p.body)
	}
	p := lena.get("/tickets/" + tk.Number)
	if !strings.Contains(p.body, enTime(created, "America/New_York")) {
		t.Errorf("agent in New York should see %q", enTime(created, "America/New_York"))
	}
	if !strings.Contains(p.body, "America/New_York") {
		t.Error("the call form does not say which zone its time is read in")
	}

	// 10:00 in New York on 15 January 2030 (EST, UTC-5) is 15:00 UTC, 18:00 in Moscow.
	p = lena.post("/tickets/"+tk.Number+"/call", url.Values{"csrf": {lena.csrf("/tickets/" + tk.Number)},
		"start": {"2030-01-15T10:00"}, "duration_minutes": {"30"}, "kind": {"phone"}, "phone": {"+1 555 0100"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("schedule the call: %d %s", p.status, p.body)
	}
	calls, err := e.d.Calls(desk.WithActor(context.Background(), e.lena), tk.Number)
	if err != nil || len(calls) != 1 {
		t.Fatalf("calls: %v %v", calls, err)
	}
	if want := time.Date(2030, 1, 15, 15, 0, 0, 0, time.UTC); !calls[0].Start.Equal(want) {
		t.Errorf("the typed 10:00 was stored as %s, want %s (10:00 in New York)", calls[0].Start.UTC(), want)
	}
	if p := sam.get("/tickets/" + tk.Number); !strings.Contains(p.body, "Jan 15, 2030, 18:00 MSK") {
		t.Errorf("requester in Moscow should see the call at 18:00 MSK: %s", p.body)
	}
	if p := lena.get("/tickets/" + tk.Number); !strings.Contains(p.body, "Jan 15, 2030, 10:00 EST") {
		t.Error("agent in New York should see the call at 10:00 EST")
	}

	// Back to the desk's default: the site's zone (UTC here) applies again.
	e.setZone(e.sam, "")
	if p := sam.get("/tickets/" + tk.Number); !strings.Contains(p.body, "Jan 15, 2030, 15:00 UTC") {
		t.Errorf("requester with no zone should see the site's: %s", p.body)
	}
}

// TestWeb_OnCallAtInUsersZone: the on-call page reads the typed "at" time
// in the user's zone and says which zone that is.
func TestWeb_OnCallAtInUsersZone(t *testing.T) {
	e := newHTTPEnv(t, web.Options{Location: time.UTC})
	e.setZone(e.lena, "Europe/Moscow")
	sched := &desk.StoredSchedule{Doc: desk.ScheduleDoc{Name: "Storage daily", Zone: "UTC", Layers: []desk.LayerDoc{{
		Name: "day", Participants: []int64{e.lena.ID}, StartDate: "2026-01-06", HandOff: "09:00", Length: "1d"}}}}
	if err := e.d.SaveSchedule(desk.AsSystem(context.Background()), sched); err != nil {
		t.Fatal(err)
	}
	lena := e.client()
	lena.signIn("lena@example.com")
	// The rotation starts at 09:00 UTC = 12:00 Moscow: 11:30 Moscow is before anyone, 12:30 is Lena.
	if row := onCallRow(t, lena.get("/oncall?at=2026-01-06T11:30").body, sched.ID); strings.Contains(row, `class="at">Lena<`) {
		t.Errorf("11:30 Moscow (08:30 UTC) is before the rotation: %s", row)
	}
	p := lena.get("/oncall?at=2026-01-06T12:30")
	if row := onCallRow(t, p.body, sched.ID); !strings.Contains(row, `class="at">Lena<`) {
		t.Errorf("12:30 Moscow (09:30 UTC) should be Lena's: %s", row)
	}
	if !strings.Contains(p.body, "Europe/Moscow") {
		t.Error("the on-call page does not say which zone the time is read in")
	}
}

// TestWeb_DashboardTodayInUsersZone: "today" on the dashboard begins at
// midnight in the viewer's zone. At 22:30 UTC a ticket registered at
// 20:30 UTC is today's in New York (15:30) but yesterday's in Moscow
// (23:30 the day before; Moscow's today began at 21:00 UTC).
func TestWeb_DashboardTodayInUsersZone(t *testing.T) {
	clock := testdb.NewClock(time.Now().UTC().Truncate(24 * time.Hour).Add(20*time.Hour + 30*time.Minute))
	e := newHTTPEnvClock(t, web.Options{Location: time.UTC}, clock)
	if _, _, err := e.d.CreateTicket(desk.WithActor(context.Background(), e.sam), desk.NewTicket{Type: desk.TypeIncident,
		Title: "Late report", Description: "Evening.", Channel: desk.ChannelPortal}, ""); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Hour)
	lena := e.client()
	lena.signIn("lena@example.com")
	today := func() string {
		t.Helper()
		m := regexp.MustCompile(`<th scope="row">Today</th><td>(\d+)</td>`).FindStringSubmatch(lena.get("/console/dashboard").body)
		if m == nil {
			t.Fatal("no Today row on the dashboard")
		}
		return m[1]
	}
	e.setZone(e.lena, "America/New_York")
	if n := today(); n != "1" {
		t.Errorf("in New York today has %s tickets, want 1", n)
	}
	e.setZone(e.lena, "Europe/Moscow")
	if n := today(); n != "0" {
		t.Errorf("in Moscow today has %s tickets, want 0", n)
	}
}

// TestWeb_CallTimeInClockGapRefused: a call typed at 02:30 on the night New
// York's clocks jump from 02:00 to 03:00 names no moment; the form comes
// back with the time kept and the reason by the field instead of storing
// 03:30 silently. An hour later is stored as typed.
func TestWeb_CallTimeInClockGapRefused(t *testing.T) {
	e := newHTTPEnv(t, web.Options{Location: time.UTC})
	e.setZone(e.lena, "America/New_York")
	tk, _, err := e.d.CreateTicket(desk.WithActor(context.Background(), e.sam), desk.NewTicket{Type: desk.TypeIncident,
		Title: "Printer jam", Description: "Paper stuck.", Channel: desk.ChannelPortal}, "")
	if err != nil {
		t.Fatal(err)
	}
	lena := e.client()
	lena.signIn("lena@example.com")
	path := "/tickets/" + tk.Number
	call := func(start string) response {
		return lena.post(path+"/call", url.Values{"csrf": {lena.csrf(path)}, "start": {start},
			"duration_minutes": {"30"}, "kind": {"phone"}, "phone": {"+1 555 0100"}})
	}
	p := call("2030-03-10T02:30")
	if p.status != http.StatusUnprocessableEntity ||
		!regexpMatch(`id="call.start-error"[^>]*>There is no such time in America/New_York`, p.body) ||
		!strings.Contains(p.body, `value="2030-03-10T02:30"`) {
		t.Fatalf("a call in the skipped hour: %d %s", p.status, p.body)
	}
	calls, err := e.d.Calls(desk.WithActor(context.Background(), e.lena), tk.Number)
	if err != nil || len(calls) != 0 {
		t.Fatalf("a call in the skipped hour was stored: %v %v", calls, err)
	}
	if p := call("2030-03-10T03:30"); p.status != http.StatusSeeOther {
		t.Fatalf("a call after the change: %d %s", p.status, p.body)
	}
	calls, err = e.d.Calls(desk.WithActor(context.Background(), e.lena), tk.Number)
	if want := time.Date(2030, 3, 10, 7, 30, 0, 0, time.UTC); err != nil || len(calls) != 1 || !calls[0].Start.Equal(want) {
		t.Errorf("03:30 EDT should be stored as %s: %v %v", want, calls, err)
	}
}
