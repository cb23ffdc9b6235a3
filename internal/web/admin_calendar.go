package web

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Administration: business calendars, the working hours and holidays over
// which SLA clocks run. A calendar is known by its name, which policies
// refer to, so it cannot be renamed; the built-in 24x7 is shown but cannot
// be changed. The desk refuses to delete a calendar a policy still uses.

func init() {
	registerArea("admin_calendar", func(s *server) {
		s.get("/admin/calendars", staffOnly, s.adminCalendars)
		s.post("/admin/calendars", staffOnly, s.adminCreateCalendar)
		s.get("/admin/calendars/{name}", staffOnly, s.adminCalendar)
		s.post("/admin/calendars/{name}", staffOnly, s.adminSaveCalendar)
		s.get("/admin/calendars/{name}/delete", staffOnly, s.adminConfirmDeleteCalendar)
		s.post("/admin/calendars/{name}/delete", staffOnly, s.adminDeleteCalendar)
	})
}

// calendarPath is a calendar's page; names may hold any character.
func calendarPath(name string) string { return "/admin/calendars/" + url.PathEscape(name) }

// calendarRow is one calendar as the pages show it.
type calendarRow struct {
	Name, Path, Zone string
	Days             []dayHours // working days only, Monday first
	Holidays         []desk.HolidayDoc
	BuiltIn          bool
	UsedBy           []desk.Ref // the policies naming it
	spec             *desk.CalendarSpec
}

// dayHours is one weekday's working hours: Day is "monday" … "sunday".
type dayHours struct{ Day, Hours string }

// weekdays in the order the pages list them.
var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

func dayName(d time.Weekday) string { return strings.ToLower(d.String()) }

// adminCalendarsView lists the calendars; on a calendar's page, Calendar
// is that one and Preview checks its arithmetic.
type adminCalendarsView struct {
	Rows     []calendarRow
	Calendar *calendarRow
	Days     []string // the week's form fields, Monday first
	Zones    []string
	Preview  *calendarPreview
}

func (s *server) calendarsView(rq *request) (adminCalendarsView, error) {
	if _, err := requireAdminPage(rq); err != nil {
		return adminCalendarsView{}, err
	}
	specs, err := s.desk.Calendars(rq.ctx)
	if err != nil {
		return adminCalendarsView{}, err
	}
	policies, err := s.desk.SLAPolicies(rq.ctx)
	if err != nil {
		return adminCalendarsView{}, err
	}
	v := adminCalendarsView{Zones: ianaZones} // the settings page's list
	for _, d := range weekdays {
		v.Days = append(v.Days, dayName(d))
	}
	for _, spec := range specs {
		doc := desk.CalendarDocOf(*spec)
		row := calendarRow{Name: spec.Name, Path: calendarPath(spec.Name), Zone: doc.Zone, Holidays: doc.Holidays,
			BuiltIn: spec.Name == desk.Calendar24x7.Name(), spec: spec}
		for _, d := range weekdays {
			if h := doc.Week[dayName(d)]; h != "" {
				row.Days = append(row.Days, dayHours{Day: dayName(d), Hours: h})
			}
		}
		for _, p := range policies {
			if p.Calendar == spec.Name {
				row.UsedBy = append(row.UsedBy, desk.Ref{ID: p.ID, Name: p.Name})
			}
		}
		v.Rows = append(v.Rows, row)
	}
	return v, nil
}

// calendarView is the view of the calendar named in the path, or not
// found.
func (s *server) calendarView(rq *request) (adminCalendarsView, error) {
	v, err := s.calendarsView(rq)
	if err != nil {
		return v, err
	}
	name := rq.r.PathValue("name")
	for i := range v.Rows {
		if v.Rows[i].Name == name {
			v.Calendar = &v.Rows[i]
			return v, nil
		}
	}
	return v, desk.Errorf(desk.ENOTFOUND, "no calendar %q", name)
}

func (s *server) adminCalendars(rq *request) error {
	v, err := s.calendarsView(rq)
	if err != nil {
		return err
	}
	form := url.Values{"zone": {"UTC"}}
	for _, d := range weekdays[:5] {
		form.Set("week."+dayName(d), "09:00-17:00")
	}
	return rq.renderForm(200, "admin_calendars", v, form, nil)
}

func (s *server) adminCalendar(rq *request) error {
	v, err := s.calendarView(rq)
	if err != nil {
		return err
	}
	errs := map[string]string{}
	v.Preview = preview(rq, v.Calendar.spec, errs)
	status := 200
	if len(errs) > 0 {
		status = 422
	}
	return rq.renderForm(status, "admin_calendar", v, calendarForm(v.Calendar.spec), errs)
}

func (s *server) adminCreateCalendar(rq *request) error {
	v, err := s.calendarsView(rq)
	if err != nil {
		return err
	}
	name := strings.TrimSpace(rq.r.PostFormValue("name"))
	spec, errs := readCalendar(rq, name)
	if len(errs) == 0 {
		if errs, err = s.putCalendar(rq, spec, s.desk.CreateCalendar); err != nil {
			return err
		}
		if errs == nil {
			return rq.redirect(calendarPath(name) + "?done=calendar_saved")
		}
	}
	return rq.renderForm(422, "admin_calendars", v, rq.r.PostForm, errs)
}

func (s *server) adminSaveCalendar(rq *request) error {
	v, err := s.calendarView(rq)
	if err != nil {
		return err
	}
	if v.Calendar.BuiltIn { // its page has no form; the desk explains the refusal
		if _, err := s.desk.PutCalendar(rq.ctx, *v.Calendar.spec); err != nil {
			return err
		}
		return rq.redirect(v.Calendar.Path)
	}
	spec, errs := readCalendar(rq, v.Calendar.Name)
	if len(errs) == 0 {
		if errs, err = s.putCalendar(rq, spec, s.desk.PutCalendar); err != nil {
			return err
		}
		if errs == nil {
			return rq.redirect(v.Calendar.Path + "?done=calendar_saved")
		}
	}
	v.Preview = preview(rq, v.Calendar.spec, errs)
	return rq.renderForm(422, "admin_calendar", v, rq.r.PostForm, errs)
}

// putCalendar saves spec; a refusal comes back as the form's errors.
func (s *server) putCalendar(rq *request, spec calendarInput, save func(context.Context, desk.CalendarSpec) (*desk.Calendar, error)) (map[string]string, error) {
	_, err := save(rq.ctx, spec.CalendarSpec)
	if err == nil {
		return nil, nil
	}
	if errs := spec.errors(rq, err); errs != nil {
		return errs, nil
	}
	return nil, err
}

func (s *server) adminConfirmDeleteCalendar(rq *request) error {
	v, err := s.calendarView(rq)
	if err != nil {
		return err
	}
	return rq.ok("admin_calendar_delete", v)
}

func (s *server) adminDeleteCalendar(rq *request) error {
	if _, err := requireAdminPage(rq); err != nil {
		return err
	}
	err := s.desk.DeleteCalendar(rq.ctx, rq.r.PathValue("name"))
	if err == nil {
		return rq.redirect("/admin/calendars?done=calendar_deleted")
	}
	if desk.ErrorCode(err) != desk.ECONFLICT {
		return err
	}
	// A policy took it up since the confirmation was shown: say which.
	v, verr := s.calendarView(rq)
	if verr != nil {
		return verr
	}
	return rq.renderForm(409, "admin_calendar_delete", v, nil, map[string]string{"": rq.lang.T("admin.cal.err.in_use")})
}
