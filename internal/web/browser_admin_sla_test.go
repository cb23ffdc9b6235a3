package web_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// TestBrowser_AdminSLARoundTrip: an administrator creates a business
// calendar (working hours and a holiday) and an SLA policy using it, all
// through the pages; a new ticket that the policy matches then shows the
// deadlines that calendar gives, on its page. So the pages drive the SLA.
func TestBrowser_AdminSLARoundTrip(t *testing.T) {
	s := newSite(t)
	s.user("root@example.com", "Rita Root", "admin", pw)
	payroll := s.id(s.api("POST", "/api/v1/services", map[string]any{"name": "Payroll"}))
	b := newBrowsers(t).browser(s)
	b.signIn("root@example.com", pw)

	// The calendar: office hours with a lunch break on weekdays, and the
	// next weekday off, so that the holiday moves the deadline whenever the
	// test runs.
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	holiday := time.Now().In(berlin).AddDate(0, 0, 1)
	for holiday.Weekday() == time.Saturday || holiday.Weekday() == time.Sunday {
		holiday = holiday.AddDate(0, 0, 1)
	}
	const hours = "09:00-12:00, 13:00-17:00"
	b.open("/admin/calendars")
	b.fill("#name", "Payroll office")
	b.fill("#zone", "Berlin") // not an IANA name
	for _, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday"} {
		b.fill("#week\\."+d, hours)
	}
	b.fill("#holidays", holiday.Format(time.DateOnly)+" Payroll closing\n12-25 Christmas")
	b.submit("form[action='/admin/calendars'] button[type=submit]")
	if b.page() != "admin_calendars" || !b.has("#zone[aria-invalid=true]") || !b.has("#zone-error") {
		t.Fatalf("a bad zone: page %q without the error next to the field", b.page())
	}
	if got := eval[string](b, "document.querySelector('#holidays').value"); !strings.Contains(got, "Payroll closing") {
		t.Errorf("the holidays typed were not kept: %q", got)
	}
	b.fill("#zone", "Europe/Berlin")
	b.submit("form[action='/admin/calendars'] button[type=submit]")
	if b.page() != "admin_calendar" {
		t.Fatalf("after creating the calendar: page %q: %s", b.page(), b.bodyText())
	}
	b.wantText("The calendar is saved.", "A target of 4 hours starting now", "Europe/Berlin")
	b.screenshot("calendar")
	b.open("/admin/calendars")
	b.wantText("Payroll office", "2 holidays", "built in")
	b.screenshot("calendars")

	// The policy: incidents of the Payroll service, first in order.
	b.open("/admin/sla")
	b.fill("#name", "Payroll incidents")
	b.fill("#position", "1")
	b.do("check incident", chromedpClick("#types-incident"))
	eval[bool](b, "document.querySelector('#services option[value=\""+strconv.FormatInt(payroll, 10)+"\"]').selected = true")
	b.choose("#calendar", "Payroll office")
	b.fill("#response", "2h")
	b.fill("#resolution", "16h")
	b.submit("form[action='/admin/sla'] button[type=submit]")
	b.wantText("The SLA policy is saved.", "Payroll incidents", "2 hours", "16 hours")
	if first := b.text("#policies tbody tr td:nth-child(2)"); first != "Payroll incidents" {
		t.Errorf("the first policy listed is %q", first)
	}
	b.screenshot("policies")

	// A new Payroll incident gets the calendar's deadlines.
	tk := s.api("POST", "/api/v1/tickets", map[string]any{"type": "incident", "title": "Payslips missing", "channel": "phone",
		"service_id": payroll, "requester": map[string]any{"email": "sam@example.com", "name": "Sam"}})
	start := ticketClockStart(t, tk)
	spec, err := desk.CalendarDoc{Name: "Payroll office", Zone: "Europe/Berlin",
		Week:     map[string]string{"monday": hours, "tuesday": hours, "wednesday": hours, "thursday": hours, "friday": hours},
		Holidays: []desk.HolidayDoc{{Date: holiday.Format(time.DateOnly)}, {Date: "12-25"}}}.Spec()
	if err != nil {
		t.Fatal(err)
	}
	cal, err := desk.NewCalendar(spec)
	if err != nil {
		t.Fatal(err)
	}
	spec.Holidays = nil
	noHoliday, _ := desk.NewCalendar(spec)
	wantResponse, wantResolution := cal.Add(start, 2*time.Hour), cal.Add(start, 16*time.Hour)
	if wantResolution.Equal(noHoliday.Add(start, 16*time.Hour)) {
		t.Fatal("the holiday does not move the deadline: the test proves nothing")
	}
	b.open("/tickets/" + tk["number"].(string))
	for label, want := range map[string]time.Time{"First response by": wantResponse, "Resolution expected by": wantResolution} {
		js := "(() => { const li = Array.from(document.querySelectorAll('.clocks .clock')).find(li => li.querySelector('.clock-label').textContent.trim() === " +
			strconv.Quote(label) + "); const t = li && li.querySelector('time'); return t ? t.getAttribute('datetime') + '|' + t.textContent : ''; })()"
		iso, text, _ := strings.Cut(eval[string](b, js), "|")
		if iso != want.UTC().Format(time.RFC3339) || !strings.Contains(text, want.UTC().Format("15:04")) {
			t.Errorf("%s %q (%s), want %s", label, iso, text, want.UTC().Format(time.RFC3339))
		}
	}
	b.screenshot("ticket")
}

// ticketClockStart is when a ticket's SLA clocks start, from its API view:
// when it was reported, unless that is later than its registration.
func ticketClockStart(t *testing.T, tk map[string]any) time.Time {
	t.Helper()
	created, err := time.Parse(time.RFC3339Nano, tk["created_at"].(string))
	if err != nil {
		t.Fatal(err)
	}
	reported, err := time.Parse(time.RFC3339Nano, tk["reported_at"].(string))
	if err != nil || reported.After(created) {
		return created
	}
	return reported
}
