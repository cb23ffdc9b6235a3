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
	"github.com/tierdesk/tierdesk/internal/web"
)

// calendarNamed finds a stored calendar by name.
func calendarNamed(t *testing.T, e *httpEnv, ctx context.Context, name string) *desk.CalendarSpec {
	t.Helper()
	cals, err := e.d.Calendars(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cals {
		if c.Name == name {
			return c
		}
	}
	return nil
}

var previewEndRE = regexp.MustCompile(`<p id="preview-result">[^<]*<strong><time datetime="([^"]+)">`)

func TestWeb_AdminCalendarRoundTrip(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	a, root := adminClient(t, e)
	ctx := desk.WithActor(context.Background(), root)
	p := a.get("/admin/calendars")
	if p.status != 200 || !strings.Contains(p.body, `<a href="/admin/calendars/24x7">24x7</a> <span class="badge">built in</span>`) ||
		!strings.Contains(p.body, `<a href="/admin/sla/`) {
		t.Fatalf("list: %d", p.status)
	}
	csrf := a.csrf("/admin/calendars")

	// Each mistake by its field, the input kept.
	form := url.Values{"csrf": {csrf}, "name": {""}, "zone": {"Mars/Olympus_Mons"}, "week.monday": {"9-17"},
		"week.tuesday": {"12:00-10:00"}, "week.wednesday": {"09:00-13:00, 12:00-15:00"},
		"holidays": {"12-25 Christmas\r\nsoon Party\r\n\r\n2026-13-01 Nothing"}}
	p = a.post("/admin/calendars", form)
	wantForm(t, p, "zone", "Give a time zone by its IANA name", `value="Mars/Olympus_Mons"`, `value="9-17"`,
		"12-25 Christmas\r\nsoon Party")
	for field, msg := range map[string]string{"name": "Give the calendar a name", "week.monday": "Write intervals such as",
		"week.tuesday":   "12:00-10:00: the start must come before the end.",
		"week.wednesday": "12:00-15:00 overlaps another interval of the day.", "holidays": "Line 2, 4: write a date"} {
		if !strings.Contains(p.body, `id="`+field+`-error">`+msg) {
			t.Errorf("no error %q by %s", msg, field)
		}
	}
	form = url.Values{"csrf": {csrf}, "name": {"Berlin / office"}, "zone": {"Europe/Berlin"},
		"holidays": {"12-25 Christmas\r\n2026-12-31 New Year's Eve"}, "week.saturday": {"10:00-14:00"}}
	for _, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday"} {
		form.Set("week."+d, "09:00-12:30, 13:30-18:00")
	}
	p = a.post("/admin/calendars", form)
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/admin/calendars/Berlin%20%2F%20office?done=calendar_saved" {
		t.Fatalf("create: %d %s %.300s", p.status, p.header.Get("Location"), p.body)
	}
	got := calendarNamed(t, e, ctx, "Berlin / office")
	if got == nil || got.Location.String() != "Europe/Berlin" || len(got.Week[time.Monday]) != 2 || len(got.Week[time.Sunday]) != 0 ||
		got.Week[time.Saturday][0] != (desk.WorkInterval{Start: desk.HM(10, 0), End: desk.HM(14, 0)}) ||
		len(got.Holidays) != 2 || !got.Holidays[0].Yearly() || got.Holidays[1] != (desk.Holiday{Year: 2026, Month: 12, Day: 31, Name: "New Year's Eve"}) {
		t.Fatalf("stored: %+v", got)
	}
	// The same name again is refused, and so is the built-in one.
	for _, name := range []string{"berlin / OFFICE", "24x7"} {
		form.Set("name", name)
		wantForm(t, a.post("/admin/calendars", form), "name", "A calendar with this name already exists.")
	}

	// Its page: the preview is the desk's arithmetic from now.
	path := "/admin/calendars/Berlin%20%2F%20office"
	cal, err := desk.NewCalendar(*got)
	if err != nil {
		t.Fatal(err)
	}
	from := time.Now()
	p = a.get(path + "?done=calendar_saved")
	to := time.Now()
	m := previewEndRE.FindStringSubmatch(p.body)
	if m == nil || !strings.Contains(p.body, "The calendar is saved.") || !strings.Contains(p.body, "A target of 4 hours starting now") {
		t.Fatalf("no preview: %d %.2000s", p.status, p.body)
	}
	end, _ := time.Parse(time.RFC3339, m[1])
	if end.Before(cal.Add(from, 4*time.Hour).Truncate(time.Second)) || end.After(cal.Add(to, 4*time.Hour)) {
		t.Errorf("preview ends %v, want between %v and %v", end, cal.Add(from, 4*time.Hour), cal.Add(to, 4*time.Hour))
	}
	if p = a.get(path + "?target=soon"); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="target-error">Write hours`) {
		t.Errorf("a bad preview target: %d", p.status)
	}

	// Edit: a bad zone keeps the rest; then Saturday becomes a day off.
	form.Set("zone", "Berlin")
	form.Set("week.saturday", "")
	wantForm(t, a.post(path, form), "zone", "Give a time zone", "2026-12-31 New Year&#39;s Eve", `value="09:00-12:30, 13:30-18:00"`)
	form.Set("zone", "Europe/Moscow")
	if p = a.post(path, form); p.status != http.StatusSeeOther {
		t.Fatalf("save: %d %.300s", p.status, p.body)
	}
	if got = calendarNamed(t, e, ctx, "Berlin / office"); got.Location.String() != "Europe/Moscow" || len(got.Week[time.Saturday]) != 0 {
		t.Fatalf("after edit: %+v", got)
	}

	// Delete is refused while a policy uses the calendar, naming it.
	policy := &desk.SLAPolicy{Name: "Office hours", Position: 1, Calendar: "Berlin / office", Response: time.Hour, Resolution: 8 * time.Hour, Active: true}
	if err := e.d.SaveSLAPolicy(ctx, policy); err != nil {
		t.Fatal(err)
	}
	p = a.get(path + "/delete")
	if !strings.Contains(p.body, "cannot be deleted while these policies use it") || !strings.Contains(p.body, "Office hours") ||
		strings.Contains(p.body, `action="`+path+`/delete"`) {
		t.Error("the confirmation does not say which policies use the calendar")
	}
	p = a.post(path+"/delete", url.Values{"csrf": {csrf}})
	if p.status != http.StatusConflict || !strings.Contains(p.body, "A policy uses this calendar now") {
		t.Fatalf("delete in use: %d", p.status)
	}
	if calendarNamed(t, e, ctx, "Berlin / office") == nil {
		t.Fatal("a calendar in use was deleted")
	}
	if err := e.d.DeleteSLAPolicy(ctx, policy.ID); err != nil {
		t.Fatal(err)
	}
	if p = a.get(path + "/delete"); !strings.Contains(p.body, `action="`+path+`/delete"`) {
		t.Fatal("no delete button once unused")
	}
	if p = a.post(path+"/delete", url.Values{"csrf": {csrf}}); p.status != http.StatusSeeOther {
		t.Fatalf("delete: %d", p.status)
	}
	if calendarNamed(t, e, ctx, "Berlin / office") != nil {
		t.Fatal("the deleted calendar is still there")
	}

	// The built-in calendar is shown, not changed.
	if p = a.get("/admin/calendars/24x7"); p.status != 200 || strings.Contains(p.body, `method="post" action="/admin/calendars/24x7"`) {
		t.Errorf("24x7 page: %d", p.status)
	}
	if p = a.post("/admin/calendars/24x7", form); p.status != http.StatusUnprocessableEntity {
		t.Errorf("saving 24x7: %d", p.status)
	}
}
