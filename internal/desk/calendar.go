package desk

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A business calendar says when the clock of an SLA runs: weekly working
// hours in a time zone, minus holidays. The arithmetic over it (Calendar.Add
// and Calendar.WorkingTime) is in calendar_time.go.

// TimeOfDay is a local wall-clock time in minutes after midnight, from 0
// (00:00) to EndOfDay (24:00, which may only end an interval).
type TimeOfDay int

// EndOfDay is 24:00, midnight at the end of the day.
const EndOfDay TimeOfDay = 24 * 60

// HM returns the time of day h:m, e.g. HM(9, 30) for 09:30.
func HM(h, m int) TimeOfDay { return TimeOfDay(h*60 + m) }

// String formats t as HH:MM.
func (t TimeOfDay) String() string {
	if t < 0 || t > EndOfDay {
		return fmt.Sprintf("TimeOfDay(%d)", int(t))
	}
	return fmt.Sprintf("%02d:%02d", int(t)/60, int(t)%60)
}

// ParseTimeOfDay reads H:MM or HH:MM, from 00:00 to 24:00.
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	hs, ms, ok := strings.Cut(strings.TrimSpace(s), ":")
	digits := func(s string) bool { return strings.Trim(s, "0123456789") == "" }
	h, herr := strconv.Atoi(hs)
	m, merr := strconv.Atoi(ms)
	if !ok || herr != nil || merr != nil || !digits(hs) || !digits(ms) ||
		len(hs) > 2 || len(ms) != 2 || m > 59 || HM(h, m) > EndOfDay {
		return 0, Errorf(EINVALID, "%q is not a time of day between 00:00 and 24:00 (HH:MM)", s)
	}
	return HM(h, m), nil
}

// MarshalText formats t as HH:MM.
func (t TimeOfDay) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText reads HH:MM.
func (t *TimeOfDay) UnmarshalText(b []byte) error {
	v, err := ParseTimeOfDay(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// WorkInterval is one stretch of working hours within a day, [Start, End).
// It may not cross midnight: a night shift is two intervals on two days.
type WorkInterval struct {
	Start, End TimeOfDay
}

// String formats the interval as HH:MM-HH:MM.
func (w WorkInterval) String() string { return w.Start.String() + "-" + w.End.String() }

// ParseWorkHours reads a day's working hours as comma-separated intervals,
// e.g. "09:00-12:30, 13:30-18:00"; an empty string is a day off. It checks
// the syntax only: NewCalendar validates the intervals.
func ParseWorkHours(s string) ([]WorkInterval, error) {
	var out []WorkInterval
	if strings.TrimSpace(s) == "" {
		return out, nil
	}
	for part := range strings.SplitSeq(s, ",") {
		a, b, ok := strings.Cut(part, "-")
		start, err1 := ParseTimeOfDay(a)
		end, err2 := ParseTimeOfDay(b)
		if !ok || err1 != nil || err2 != nil {
			return nil, Errorf(EINVALID, "%q is not a list of intervals such as 09:00-12:30, 13:30-18:00", s)
		}
		out = append(out, WorkInterval{start, end})
	}
	return out, nil
}

// Holiday is a local date on which no one works: once (Year set) or every
// year (Year 0). A yearly 02-29 is a holiday in leap years only.
type Holiday struct {
	Year  int // 0 for a holiday that recurs every year
	Month time.Month
	Day   int
	Name  string // optional, e.g. "New Year's Day"
}

// Yearly reports whether the holiday recurs every year.
func (h Holiday) Yearly() bool { return h.Year == 0 }

// String formats the date as MM-DD (yearly) or YYYY-MM-DD (once).
func (h Holiday) String() string {
	if h.Yearly() {
		return fmt.Sprintf("%02d-%02d", int(h.Month), h.Day)
	}
	return fmt.Sprintf("%04d-%02d-%02d", h.Year, int(h.Month), h.Day)
}

// ParseHoliday reads MM-DD (every year) or YYYY-MM-DD (once).
func ParseHoliday(date, name string) (Holiday, error) {
	s := strings.TrimSpace(date)
	yearly := len(s) == len("01-02")
	if yearly {
		s = "2000-" + s // a leap year, so that 02-29 parses
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Holiday{}, Errorf(EINVALID, "%q is not a date such as 01-01 (every year) or 2026-05-11 (once)", date)
	}
	h := Holiday{Year: t.Year(), Month: t.Month(), Day: t.Day(), Name: name}
	if yearly {
		h.Year = 0
	}
	return h, nil
}

// CalendarSpec describes a calendar as an administrator enters it and as it
// is stored. NewCalendar validates it.
type CalendarSpec struct {
	Name string
	// Location is the calendar's IANA time zone, loaded by the caller
	// (time.LoadLocation); working hours and holidays are local to it.
	Location *time.Location
	// Week holds the working hours of each day, indexed by time.Weekday
	// (Week[time.Sunday] is Sunday's). An empty day is a day off.
	Week     [7][]WorkInterval
	Holidays []Holiday
}

// Calendar is a validated business calendar; build it with NewCalendar. It
// is immutable and safe for concurrent use. The zero Calendar is not usable.
type Calendar struct {
	spec CalendarSpec
	loc  *time.Location
	week [7][]WorkInterval // sorted, touching intervals merged
	// dayTotal is each weekday's working time when the clocks do not change.
	dayTotal [7]time.Duration
	always   bool         // every instant is working time
	yearly   [13][32]bool // [month][day] of yearly holidays
	fixed    map[int]bool // y*10000+m*100+d of one-off holidays
}

// Calendar24x7 is the built-in round-the-clock calendar: UTC, every day
// 00:00-24:00, no holidays. Its arithmetic is plain elapsed time.
var Calendar24x7 = mustCalendar(CalendarSpec{Name: "24x7", Location: time.UTC, Week: fullWeek()})

func fullWeek() (w [7][]WorkInterval) {
	for i := range w {
		w[i] = []WorkInterval{{0, EndOfDay}}
	}
	return w
}

func mustCalendar(spec CalendarSpec) *Calendar {
	c, err := NewCalendar(spec)
	if err != nil {
		panic(err)
	}
	return c
}

// NewCalendar validates spec and returns the calendar. Field errors name
// "name", "zone", "week.monday[1]" (the second interval of Monday as
// given), "week" and "holidays[3]". A calendar must have working time: at
// least one non-empty day, and yearly holidays that leave some day of the
// year free. Intervals that touch (12:00-13:00, 13:00-14:00) are allowed.
func NewCalendar(spec CalendarSpec) (*Calendar, error) {
	var v validation
	spec.Name = strings.TrimSpace(spec.Name)
	v.text("name", spec.Name, MaxNameLen, true)
	switch {
	case spec.Location == nil:
		v.add("zone", RuleRequired, nil, "is required")
	case spec.Location == time.Local || spec.Location.String() == "Local":
		v.add("zone", RuleInvalidZone, nil, "must be a named zone such as Europe/Berlin, not the server's local zone")
	}
	c := &Calendar{loc: spec.Location, fixed: map[int]bool{}}
	working := false
	for day := range spec.Week {
		c.week[day] = checkDay(&v, time.Weekday(day), spec.Week[day])
		working = working || len(c.week[day]) > 0
	}
	if !working {
		v.add("week", RuleRequired, nil, "must have some working hours")
	}
	c.checkHolidays(&v, spec.Holidays)
	if err := v.err(); err != nil {
		return nil, err
	}
	c.spec = cloneSpec(spec)
	c.always = len(c.fixed) == 0 && c.yearlyCount() == 0
	for day, ivs := range c.week {
		c.always = c.always && len(ivs) == 1 && ivs[0] == WorkInterval{0, EndOfDay}
		for _, iv := range ivs {
			c.dayTotal[day] += (iv.End - iv.Start).duration()
		}
	}
	return c, nil
}

// checkDay validates one day's intervals and returns them sorted, with
// touching intervals merged.
func checkDay(v *validation, day time.Weekday, ivs []WorkInterval) []WorkInterval {
	field := func(i int) string { return fmt.Sprintf("week.%s[%d]", strings.ToLower(day.String()), i) }
	order := make([]int, 0, len(ivs))
	for i, iv := range ivs {
		switch {
		case iv.Start < 0 || iv.End > EndOfDay || iv.Start >= EndOfDay:
			v.add(field(i), RuleInvalidFmt, Params{"format": "interval"}, "must lie within 00:00-24:00")
		case iv.Start >= iv.End:
			v.add(field(i), RuleInvalidFmt, Params{"format": "interval"}, "start %s must be before end %s", iv.Start, iv.End)
		default:
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return int(ivs[a].Start - ivs[b].Start) })
	var out []WorkInterval
	last := -1 // the interval that ends last so far
	for _, i := range order {
		if last >= 0 && ivs[i].Start < ivs[last].End {
			v.add(field(i), RuleOverlaps, nil, "%s overlaps %s", ivs[i], ivs[last])
		}
		if last < 0 || ivs[i].End > ivs[last].End {
			last = i
		}
		if n := len(out); n > 0 && ivs[i].Start <= out[n-1].End {
			out[n-1].End = max(out[n-1].End, ivs[i].End)
			continue
		}
		out = append(out, ivs[i])
	}
	return out
}

func (c *Calendar) checkHolidays(v *validation, hs []Holiday) {
	for i, h := range hs {
		field := fmt.Sprintf("holidays[%d]", i)
		v.text(field+".name", h.Name, MaxNameLen, false)
		year := h.Year
		if h.Yearly() {
			year = 2000 // a leap year: 02-29 is allowed
		}
		if year < 1 || year > 9999 || h.Month < time.January || h.Month > time.December ||
			h.Day < 1 || h.Day > daysIn(year, h.Month) {
			v.add(field, RuleInvalidFmt, Params{"format": "date"}, "%04d-%02d-%02d is not a date", h.Year, int(h.Month), h.Day)
			continue
		}
		if h.Yearly() {
			c.yearly[h.Month][h.Day] = true
		} else {
			c.fixed[dateKey(h.Year, h.Month, h.Day)] = true
		}
	}
	if n := c.yearlyCount(); n >= 365 && (n == 366 || !c.yearly[time.February][29]) {
		v.add("holidays", RuleNotAllowed, nil, "yearly holidays cover every day of the year, leaving no working time")
	}
}

func (c *Calendar) yearlyCount() (n int) {
	for m := range c.yearly {
		for d := range c.yearly[m] {
			if c.yearly[m][d] {
				n++
			}
		}
	}
	return n
}

func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func dateKey(y int, m time.Month, d int) int { return y*10000 + int(m)*100 + d }

func cloneSpec(s CalendarSpec) CalendarSpec {
	for i := range s.Week {
		s.Week[i] = slices.Clone(s.Week[i])
	}
	s.Holidays = slices.Clone(s.Holidays)
	return s
}

// Name returns the calendar's name.
func (c *Calendar) Name() string { return c.spec.Name }

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// Spec returns a copy of the specification the calendar was built from
// (the name trimmed, the intervals and holidays as given).
func (c *Calendar) Spec() CalendarSpec { return cloneSpec(c.spec) }
