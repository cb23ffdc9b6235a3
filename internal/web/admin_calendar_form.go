package web

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// The calendar form: a time zone, each weekday's working hours as
// intervals ("09:00-12:30, 13:30-18:00"; empty is a day off), holidays one
// a line ("12-25 Christmas" every year, "2026-05-11 Bridge day" once).

// calendarInput is a calendar read from the form, with the form line of
// each holiday so that errors can name it.
type calendarInput struct {
	desk.CalendarSpec
	lines []int // lines[i] is the line of Holidays[i], from 1
}

// readCalendar reads the posted calendar form. Errors the desk would also
// find are left to it, so that the messages stay in one place; the syntax of
// the fields is checked here.
func readCalendar(rq *request, name string) (calendarInput, map[string]string) {
	f, errs := rq.r.PostForm, map[string]string{}
	in := calendarInput{CalendarSpec: desk.CalendarSpec{Name: name}}
	zone := strings.TrimSpace(f.Get("zone"))
	loc, err := time.LoadLocation(zone)
	if zone == "" || zone == "Local" || err != nil { // "" would load as UTC
		errs["zone"] = rq.lang.T("admin.cal.err.zone")
	}
	in.Location = loc
	for _, d := range weekdays {
		field := "week." + dayName(d)
		if in.Week[d], err = desk.ParseWorkHours(f.Get(field)); err != nil {
			errs[field] = rq.lang.T("admin.cal.err.hours")
		}
	}
	var bad []string
	for i, line := range strings.Split(f.Get("holidays"), "\n") {
		date, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
		if date == "" {
			continue
		}
		h, err := desk.ParseHoliday(date, strings.TrimLeft(strings.TrimSpace(rest), ":–—- "))
		if err != nil {
			bad = append(bad, strconv.Itoa(i+1))
			continue
		}
		in.Holidays = append(in.Holidays, h)
		in.lines = append(in.lines, i+1)
	}
	if len(bad) > 0 {
		errs["holidays"] = rq.lang.T("admin.cal.err.holiday", strings.Join(bad, ", "))
	}
	if len(errs) > 0 {
		// The desk's verdict on the rest, shown at the same time.
		check := in.CalendarSpec
		if check.Location == nil {
			check.Location = time.UTC // the zone's error is known already
		}
		_, err := desk.NewCalendar(check)
		for field, msg := range in.errors(rq, err) {
			if _, ok := errs[field]; !ok && field != "week" {
				errs[field] = msg
			}
		}
	}
	return in, errs
}

// errors translates the desk's refusal of the calendar field by field: an
// interval by its text, a holiday by its line. nil when err names no field.
func (in calendarInput) errors(rq *request, err error) map[string]string {
	var de *desk.Error
	if !errors.As(err, &de) || len(de.Fields) == 0 {
		return nil
	}
	out := map[string]string{}
	add := func(field, msg string) {
		if prev, ok := out[field]; ok {
			msg = prev + " " + msg
		}
		out[field] = msg
	}
	var badNames []string
	for _, fe := range de.Fields {
		switch field := fe.Field; {
		case strings.HasPrefix(field, "week.") && strings.HasSuffix(field, "]"):
			day, idx, _ := strings.Cut(strings.TrimSuffix(strings.TrimPrefix(field, "week."), "]"), "[")
			add("week."+day, in.intervalError(rq, day, idx))
		case strings.HasPrefix(field, "holidays["):
			idx, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(field, "holidays["), ".name"), "]"))
			if idx >= 0 && idx < len(in.lines) {
				badNames = append(badNames, strconv.Itoa(in.lines[idx]))
			}
		case field == "holidays":
			add(field, rq.lang.T("admin.cal.err.holidays_all"))
		case field == "name" && (fe.Rule == desk.RuleTaken || strings.EqualFold(strings.TrimSpace(in.Name), desk.Calendar24x7.Name())):
			add(field, rq.lang.T("admin.cal.err.name_taken"))
		case rq.lang.Has("admin.cal.err." + field):
			add(field, rq.lang.T("admin.cal.err."+field))
		default:
			add(field, rq.fieldText(fe))
		}
	}
	if len(badNames) > 0 {
		add("holidays", rq.lang.T("admin.cal.err.holiday_name", strings.Join(badNames, ", ")))
	}
	return out
}

// intervalError says what is wrong with interval idx of day as given.
func (in calendarInput) intervalError(rq *request, day, idx string) string {
	i, _ := strconv.Atoi(idx)
	for _, d := range weekdays {
		if dayName(d) == day && i >= 0 && i < len(in.Week[d]) {
			iv := in.Week[d][i]
			if iv.Start >= iv.End {
				return rq.lang.T("admin.cal.err.order", iv.String())
			}
			return rq.lang.T("admin.cal.err.overlap", iv.String())
		}
	}
	return rq.lang.T("admin.cal.err.hours")
}

// calendarForm is a stored calendar as its edit form shows it.
func calendarForm(spec *desk.CalendarSpec) url.Values {
	doc := desk.CalendarDocOf(*spec)
	form := url.Values{"name": {doc.Name}, "zone": {doc.Zone}}
	for day, hours := range doc.Week {
		form.Set("week."+day, hours)
	}
	var lines []string
	for _, h := range doc.Holidays {
		lines = append(lines, strings.TrimSpace(h.Date+" "+h.Name))
	}
	form.Set("holidays", strings.Join(lines, "\n"))
	return form
}

// calendarPreview is the answer to "a target of … starting now ends
// when?", worked out by the desk's calendar arithmetic, in the calendar's
// zone.
type calendarPreview struct {
	Input   string // the target as typed
	Target  string // in words
	Now     string
	Working bool   // now is working time
	Starts  string // the first working instant from now
	Ends    string
	EndsISO string
}

// preview works out the target given in the query (default 4h) from now;
// a target it cannot read is errs["target"].
func preview(rq *request, spec *desk.CalendarSpec, errs map[string]string) *calendarPreview {
	p := &calendarPreview{Input: rq.r.URL.Query().Get("target")}
	if p.Input == "" {
		p.Input = "4h"
	}
	d, key := parseTarget(p.Input, true)
	if key != "" {
		errs["target"] = rq.lang.T(key)
		return p
	}
	cal, err := desk.NewCalendar(*spec)
	if err != nil { // stored calendars are valid; nothing to show otherwise
		return p
	}
	now := time.Now()
	end := cal.Add(now, d)
	show := func(t time.Time) string { return rq.lang.datetime(t, cal.Location()) }
	p.Target, p.Now, p.Working = targetText(rq.lang, d), show(now), cal.IsWorking(now)
	p.Starts, p.Ends, p.EndsISO = show(cal.Add(now, 0)), show(end), end.UTC().Format(time.RFC3339)
	return p
}
