package desk

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones below even where the system has none
)

const (
	hr = time.Hour
	mn = time.Minute
)

func calZone(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

// calAt reads "2006-01-02 15:04" or "2006-01-02 15:04:05" in loc, or
// "2006-01-02 15:04 -0700" with an explicit offset (for the repeated hour after the clocks go back).
func calAt(tb testing.TB, loc *time.Location, s string) time.Time {
	tb.Helper()
	var t time.Time
	var err error
	switch len(s) {
	case len("2006-01-02 15:04 -0700"):
		t, err = time.Parse("2006-01-02 15:04 -0700", s)
	case len(time.DateTime):
		t, err = time.ParseInLocation(time.DateTime, s, loc)
	default:
		t, err = time.ParseInLocation("2006-01-02 15:04", s, loc)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// calMidnightZone is a made-up zone whose clocks change across midnight:
// forward from Saturday 23:30 to Sunday 00:30 on the last Saturday of March,
// back from Sunday 00:30 to Saturday 23:30 on the last Sunday of October.
// After that change the clock shows Saturday again for half an hour, though
// Sunday has begun.
func calMidnightZone(tb testing.TB) *time.Location {
	tb.Helper()
	const name, utoff = "XST", 3600
	var b []byte
	for range 2 { // TZif version 2: a v1 block, then a v2 block, then the rule
		b = append(b, "TZif2"...)
		b = append(b, make([]byte, 15)...)
		for _, n := range []uint32{0, 0, 0, 0, 1, uint32(len(name) + 1)} { // one type, no transitions
			b = binary.BigEndian.AppendUint32(b, n)
		}
		b = binary.BigEndian.AppendUint32(b, utoff)
		b = append(b, 0, 0)
		b = append(b, name+"\x00"...)
	}
	b = append(b, "\nXST-1XDT,M3.5.6/23:30,M10.5.0/0:30\n"...)
	loc, err := time.LoadLocationFromTZData("Test/Midnight", b)
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

func calHours(tb testing.TB, s string) []WorkInterval {
	tb.Helper()
	ivs, err := ParseWorkHours(s)
	if err != nil {
		tb.Fatal(err)
	}
	return ivs
}

func calHolidays(tb testing.TB, dates ...string) []Holiday {
	tb.Helper()
	var out []Holiday
	for _, d := range dates {
		hol, err := ParseHoliday(d, "")
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, hol)
	}
	return out
}

// calWeekdays returns a week with the same hours Monday to Friday.
func calWeekdays(tb testing.TB, s string) (w [7][]WorkInterval) {
	tb.Helper()
	for d := time.Monday; d <= time.Friday; d++ {
		w[d] = calHours(tb, s)
	}
	return w
}

func calNew(tb testing.TB, spec CalendarSpec) *Calendar {
	tb.Helper()
	if spec.Name == "" {
		spec.Name = "test"
	}
	c, err := NewCalendar(spec)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// The calendars of the tests.
type calTestSet struct {
	nineToSix   *Calendar // Berlin, Mon-Fri 09:00-18:00, no holidays
	office      *Calendar // Berlin, Mon-Fri 09:00-18:00, holidays
	lunch       *Calendar // Berlin, Mon-Fri 09:00-12:30 and 13:30-18:00, holidays
	nyOffice    *Calendar // New York, Mon-Fri 09:00-18:00
	moscow      *Calendar // Moscow, Mon-Fri 09:00-18:00
	sundays     *Calendar // Berlin, Sunday 00:00-24:00 only
	nySundays   *Calendar // New York, Sunday 00:00-24:00 only
	nights      *Calendar // Berlin, Sunday 01:00-04:00 only: covers the change
	berlinFull  *Calendar // Berlin, every day 00:00-24:00: the always path
	berlinFullH *Calendar // the same with a holiday: the day-by-day path
}

func testCalendars(tb testing.TB) calTestSet {
	tb.Helper()
	berlin, ny := calZone(tb, "Europe/Berlin"), calZone(tb, "America/New_York")
	hols := calHolidays(tb, "01-01", "12-25", "12-26", "2026-05-11")
	var sundays, nights [7][]WorkInterval
	sundays[time.Sunday] = calHours(tb, "00:00-24:00")
	nights[time.Sunday] = calHours(tb, "01:00-04:00")
	return calTestSet{
		nineToSix:   calNew(tb, CalendarSpec{Location: berlin, Week: calWeekdays(tb, "09:00-18:00")}),
		office:      calNew(tb, CalendarSpec{Location: berlin, Week: calWeekdays(tb, "09:00-18:00"), Holidays: hols}),
		lunch:       calNew(tb, CalendarSpec{Location: berlin, Week: calWeekdays(tb, "09:00-12:30,13:30-18:00"), Holidays: hols}),
		nyOffice:    calNew(tb, CalendarSpec{Location: ny, Week: calWeekdays(tb, "09:00-18:00")}),
		moscow:      calNew(tb, CalendarSpec{Location: calZone(tb, "Europe/Moscow"), Week: calWeekdays(tb, "09:00-18:00")}),
		sundays:     calNew(tb, CalendarSpec{Location: berlin, Week: sundays}),
		nySundays:   calNew(tb, CalendarSpec{Location: ny, Week: sundays}),
		nights:      calNew(tb, CalendarSpec{Location: berlin, Week: nights}),
		berlinFull:  calNew(tb, CalendarSpec{Location: berlin, Week: fullWeek()}),
		berlinFullH: calNew(tb, CalendarSpec{Location: berlin, Week: fullWeek(), Holidays: calHolidays(tb, "2026-01-01")}),
	}
}

type calAddCase struct {
	name  string
	cal   *Calendar
	start string
	d     time.Duration
	want  string
}

func checkCalAdd(t *testing.T, tests []calAddCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := tt.cal.Location()
			start, want := calAt(t, loc, tt.start), calAt(t, loc, tt.want)
			got := tt.cal.Add(start, tt.d)
			if !got.Equal(want) {
				t.Fatalf("Add(%s, %s) = %s, want %s", start, tt.d, got.In(loc), want)
			}
			if got.Location() != time.UTC {
				t.Errorf("Add returned a time in %s, want UTC", got.Location())
			}
			if w := tt.cal.WorkingTime(start, got); w != max(tt.d, 0) {
				t.Errorf("WorkingTime(start, Add(start, %s)) = %s", tt.d, w)
			}
		})
	}
}

type calWTCase struct {
	name     string
	cal      *Calendar
	from, to string
	want     time.Duration
}

func checkCalWorkingTime(t *testing.T, tests []calWTCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := tt.cal.Location()
			from, to := calAt(t, loc, tt.from), calAt(t, loc, tt.to)
			if got := tt.cal.WorkingTime(from, to); got != tt.want {
				t.Fatalf("WorkingTime(%s, %s) = %s, want %s", from, to, got, tt.want)
			}
			if tt.want > 0 && to.After(from) {
				if got := tt.cal.WorkingTime(to, from); got != 0 {
					t.Errorf("WorkingTime backwards = %s, want 0", got)
				}
			}
		})
	}
}

func TestCalendar_Add(t *testing.T) {
	c := testCalendars(t)
	checkCalAdd(t, []calAddCase{
		// The example: Friday evening + 3 business hours.
		{"FridayEveningToMonday", c.nineToSix, "2026-03-06 19:00", 3 * hr, "2026-03-09 12:00"},
		{"BeforeOpening", c.nineToSix, "2026-03-02 08:00", hr, "2026-03-02 10:00"},
		{"AtOpening", c.nineToSix, "2026-03-02 09:00", hr, "2026-03-02 10:00"},
		{"Inside", c.nineToSix, "2026-03-02 10:15", 2 * hr, "2026-03-02 12:15"},
		{"Seconds", c.nineToSix, "2026-03-02 10:15", 90 * time.Second, "2026-03-02 10:16:30"},
		{"EndsAtClosing", c.nineToSix, "2026-03-02 17:00", hr, "2026-03-02 18:00"},
		{"OverClosing", c.nineToSix, "2026-03-02 17:00", 2 * hr, "2026-03-03 10:00"},
		{"AtClosing", c.nineToSix, "2026-03-02 18:00", hr, "2026-03-03 10:00"},
		{"AfterClosing", c.nineToSix, "2026-03-02 20:00", 30 * mn, "2026-03-03 09:30"},
		{"Saturday", c.nineToSix, "2026-03-07 11:00", hr, "2026-03-09 10:00"},
		{"SundayMidnight", c.nineToSix, "2026-03-08 23:59", mn, "2026-03-09 09:01"},
		{"WholeDay", c.nineToSix, "2026-03-02 09:00", 9 * hr, "2026-03-02 18:00"},
		{"WholeDayLate", c.nineToSix, "2026-03-02 09:01", 9 * hr, "2026-03-03 09:01"},
		{"FridayOverWeekend", c.nineToSix, "2026-03-06 16:00", 4 * hr, "2026-03-09 11:00"},
		{"FiveDays", c.nineToSix, "2026-03-04 14:00", 45 * hr, "2026-03-11 14:00"},
		{"FiveDaysFromFridayEvening", c.nineToSix, "2026-03-06 19:00", 45 * hr, "2026-03-13 18:00"},
		{"ThreeWeeks", c.nineToSix, "2026-03-02 09:00", 15 * 9 * hr, "2026-03-20 18:00"},
		// d <= 0: the next working instant, never earlier than start.
		{"ZeroInside", c.nineToSix, "2026-03-02 10:00", 0, "2026-03-02 10:00"},
		{"ZeroAtOpening", c.nineToSix, "2026-03-02 09:00", 0, "2026-03-02 09:00"},
		{"ZeroAtClosing", c.nineToSix, "2026-03-02 18:00", 0, "2026-03-03 09:00"},
		{"ZeroSaturday", c.nineToSix, "2026-03-07 10:00", 0, "2026-03-09 09:00"},
		{"Negative", c.nineToSix, "2026-03-02 10:00", -hr, "2026-03-02 10:00"},
		{"NegativeOutside", c.nineToSix, "2026-03-07 10:00", -hr, "2026-03-09 09:00"},
		// Lunch breaks.
		{"OverLunch", c.lunch, "2026-03-02 12:00", hr, "2026-03-02 14:00"},
		{"EndsAtLunch", c.lunch, "2026-03-02 12:00", 30 * mn, "2026-03-02 12:30"},
		{"AtLunch", c.lunch, "2026-03-02 12:30", 30 * mn, "2026-03-02 14:00"},
		{"InLunch", c.lunch, "2026-03-02 12:45", 30 * mn, "2026-03-02 14:00"},
		{"ZeroInLunch", c.lunch, "2026-03-02 12:45", 0, "2026-03-02 13:30"},
		{"AfterLunch", c.lunch, "2026-03-02 13:30", 0, "2026-03-02 13:30"},
		{"LunchWholeDay", c.lunch, "2026-03-02 08:00", 8 * hr, "2026-03-02 18:00"},
		{"LunchFiveDays", c.lunch, "2026-03-02 13:30", 40 * hr, "2026-03-09 12:30"},
		// Holidays.
		{"MondayHolidayAfterWeekend", c.office, "2026-05-08 17:00", 2 * hr, "2026-05-12 10:00"},
		{"OneOffHolidayOnlyOnce", c.office, "2027-05-07 17:00", 2 * hr, "2027-05-10 10:00"},
		{"NewYear", c.office, "2026-12-31 17:00", 2 * hr, "2027-01-04 10:00"},
		{"ChristmasEveryYear", c.office, "2030-12-24 17:00", 2 * hr, "2030-12-27 10:00"},
		{"StartOnHoliday", c.office, "2026-12-25 10:00", 0, "2026-12-28 09:00"},
		{"72HoursOverChristmas", c.office, "2026-12-21 09:00", 72 * hr, "2026-12-31 18:00"},
		{"72HoursOverChristmasLunch", c.lunch, "2026-12-21 09:00", 72 * hr, "2027-01-04 18:00"},
		{"FiveDaysOverChristmas", c.office, "2026-12-23 14:00", 45 * hr, "2026-12-31 14:00"},
	})
}

func TestCalendar_WorkingTime(t *testing.T) {
	c := testCalendars(t)
	checkCalWorkingTime(t, []calWTCase{
		{"Empty", c.nineToSix, "2026-03-02 10:00", "2026-03-02 10:00", 0},
		{"Backwards", c.nineToSix, "2026-03-02 12:00", "2026-03-02 10:00", 0},
		{"Inside", c.nineToSix, "2026-03-02 10:00", "2026-03-02 12:00", 2 * hr},
		{"BeforeOpening", c.nineToSix, "2026-03-02 07:00", "2026-03-02 10:00", hr},
		{"AfterClosing", c.nineToSix, "2026-03-02 17:00", "2026-03-02 23:00", hr},
		{"OutsideOnly", c.nineToSix, "2026-03-02 18:00", "2026-03-03 09:00", 0},
		{"WholeDay", c.nineToSix, "2026-03-02 00:00", "2026-03-03 00:00", 9 * hr},
		{"Weekend", c.nineToSix, "2026-03-07 00:00", "2026-03-09 00:00", 0},
		{"FridayToMonday", c.nineToSix, "2026-03-06 17:00", "2026-03-09 10:00", 2 * hr},
		{"Week", c.nineToSix, "2026-03-02 00:00", "2026-03-09 00:00", 45 * hr},
		// March 2026 has 22 weekdays, and Berlin changes clock on the 29th.
		{"March", c.nineToSix, "2026-03-01 00:00", "2026-04-01 00:00", 22 * 9 * hr},
		{"LunchDay", c.lunch, "2026-03-02 08:00", "2026-03-02 20:00", 8 * hr},
		{"InLunch", c.lunch, "2026-03-02 12:40", "2026-03-02 13:20", 0},
		{"AcrossLunch", c.lunch, "2026-03-02 12:00", "2026-03-02 14:00", hr},
		{"MondayHoliday", c.office, "2026-05-08 00:00", "2026-05-13 00:00", 2 * 9 * hr},
		{"Christmas", c.office, "2026-12-21 00:00", "2027-01-11 00:00", 13 * 9 * hr},
		{"ChristmasOtherYear", c.office, "2031-12-22 00:00", "2031-12-29 00:00", 3 * 9 * hr},
		{"NewYearFixedHolidayGone", c.office, "2027-05-10 00:00", "2027-05-11 00:00", 9 * hr},
		{"Year2026", c.office, "2026-01-01 00:00", "2027-01-01 00:00", (261 - 3) * 9 * hr},
	})
}

// TestCalendar_DST covers both clock changes in Europe/Berlin (last Sundays
// of March and October 2026) and America/New_York (2026-03-08, 2026-11-01),
// and Europe/Moscow, which has none.
func TestCalendar_DST(t *testing.T) {
	c := testCalendars(t)
	checkCalAdd(t, []calAddCase{
		// Changes at night leave office days at 9 hours.
		{"BerlinSpringOffice", c.office, "2026-03-27 17:00", 3 * hr, "2026-03-30 11:00"},
		{"BerlinAutumnOffice", c.office, "2026-10-23 17:00", 3 * hr, "2026-10-26 11:00"},
		{"NewYorkSpringOffice", c.nyOffice, "2026-03-06 17:00", 3 * hr, "2026-03-09 11:00"},
		{"NewYorkAutumnOffice", c.nyOffice, "2026-10-30 17:00", 3 * hr, "2026-11-02 11:00"},
		{"MoscowSpring", c.moscow, "2026-03-27 17:00", 3 * hr, "2026-03-30 11:00"},
		{"MoscowAutumn", c.moscow, "2026-10-23 17:00", 3 * hr, "2026-10-26 11:00"},
		// Sunday-only, 00:00-24:00: 23 and 25 hours long.
		{"BerlinShortSunday", c.sundays, "2026-03-29 00:00", 23 * hr, "2026-03-30 00:00"},
		{"BerlinShortSundayOver", c.sundays, "2026-03-29 00:00", 24 * hr, "2026-04-05 01:00"},
		{"BerlinOverTheJump", c.sundays, "2026-03-29 01:30", hr, "2026-03-29 03:30"},
		{"BerlinLongSunday", c.sundays, "2026-10-25 00:00", 25 * hr, "2026-10-26 00:00"},
		{"BerlinIntoRepeatedHour", c.sundays, "2026-10-25 01:30", 2 * hr, "2026-10-25 02:30 +0100"},
		{"NewYorkShortSunday", c.nySundays, "2026-03-08 00:00", 23 * hr, "2026-03-09 00:00"},
		{"NewYorkLongSunday", c.nySundays, "2026-11-01 00:00", 25 * hr, "2026-11-02 00:00"},
		{"NewYorkLongSundayOver", c.nySundays, "2026-11-01 00:00", 25*hr + mn, "2026-11-08 00:01"},
		// 01:00-04:00 on Sundays: 2 hours in March, 4 in October.
		{"NightSpring", c.nights, "2026-03-29 00:00", 2 * hr, "2026-03-29 04:00"},
		{"NightSpringOver", c.nights, "2026-03-29 00:00", 2*hr + mn, "2026-04-05 01:01"},
		{"NightAutumn", c.nights, "2026-10-25 00:00", 4 * hr, "2026-10-25 04:00"},
		{"NightAutumnRepeated", c.nights, "2026-10-25 00:00", 2 * hr, "2026-10-25 02:00 +0100"},
		// Every day: elapsed time, on the always path and day by day.
		{"BerlinFullSpring", c.berlinFull, "2026-03-28 12:00", 24 * hr, "2026-03-29 13:00"},
		{"BerlinFullHSpring", c.berlinFullH, "2026-03-28 12:00", 24 * hr, "2026-03-29 13:00"},
		{"BerlinFullHAutumn", c.berlinFullH, "2026-10-24 12:00", 24 * hr, "2026-10-25 11:00"},
		{"BerlinFullHHoliday", c.berlinFullH, "2025-12-31 12:00", 24 * hr, "2026-01-02 12:00"},
	})
	checkCalWorkingTime(t, []calWTCase{
		{"BerlinSpringOffice", c.office, "2026-03-27 00:00", "2026-03-31 00:00", 2 * 9 * hr},
		{"BerlinAutumnOffice", c.office, "2026-10-23 00:00", "2026-10-27 00:00", 2 * 9 * hr},
		{"NewYorkSpringOffice", c.nyOffice, "2026-03-06 17:00", "2026-03-09 11:00", 3 * hr},
		{"NewYorkAutumnOffice", c.nyOffice, "2026-10-30 17:00", "2026-11-02 11:00", 3 * hr},
		{"MoscowYear", c.moscow, "2026-01-01 00:00", "2027-01-01 00:00", 261 * 9 * hr},
		{"BerlinNormalSunday", c.sundays, "2026-03-21 12:00", "2026-03-23 12:00", 24 * hr},
		{"BerlinShortSunday", c.sundays, "2026-03-28 12:00", "2026-03-30 12:00", 23 * hr},
		{"BerlinLongSunday", c.sundays, "2026-10-24 12:00", "2026-10-26 12:00", 25 * hr},
		{"BerlinRepeatedHourBothPasses", c.sundays, "2026-10-25 02:15 +0200", "2026-10-25 02:15 +0100", hr},
		{"NewYorkShortSunday", c.nySundays, "2026-03-07 12:00", "2026-03-09 12:00", 23 * hr},
		{"NewYorkLongSunday", c.nySundays, "2026-10-31 12:00", "2026-11-02 12:00", 25 * hr},
		{"NightSpring", c.nights, "2026-03-28 12:00", "2026-03-30 12:00", 2 * hr},
		{"NightNormal", c.nights, "2026-03-21 12:00", "2026-03-23 12:00", 3 * hr},
		{"NightAutumn", c.nights, "2026-10-24 12:00", "2026-10-26 12:00", 4 * hr},
		{"BerlinFullSpring", c.berlinFullH, "2026-03-29 00:00", "2026-03-30 00:00", 23 * hr},
		{"BerlinFullAutumn", c.berlinFullH, "2026-10-25 00:00", "2026-10-26 00:00", 25 * hr},
	})
}

// TestCalendar_BoundaryInChangedHour pins the rule for working hours that
// begin or end inside the skipped or the repeated hour: a boundary is the
// first instant the clock reads that time or later.
func TestCalendar_BoundaryInChangedHour(t *testing.T) {
	berlin, ny := calZone(t, "Europe/Berlin"), calZone(t, "America/New_York")
	sunday := func(loc *time.Location, s string) *Calendar {
		var w [7][]WorkInterval
		w[time.Sunday] = calHours(t, s)
		return calNew(t, CalendarSpec{Location: loc, Week: w})
	}
	tests := []struct {
		name     string
		cal      *Calendar
		from, to string // a whole day around the Sunday, in UTC
		want     time.Duration
	}{
		{"BerlinSkippedStart", sunday(berlin, "02:30-05:00"), "2026-03-28 23:00", "2026-03-29 23:00", 2 * hr},
		{"BerlinSkippedStartNormal", sunday(berlin, "02:30-05:00"), "2026-03-21 23:00", "2026-03-22 23:00", 150 * mn},
		{"BerlinSkippedEnd", sunday(berlin, "01:00-02:30"), "2026-03-28 23:00", "2026-03-29 23:00", hr},
		{"BerlinSkippedWhole", sunday(berlin, "02:00-03:00"), "2026-03-28 23:00", "2026-03-29 23:00", 0},
		{"BerlinRepeatedStart", sunday(berlin, "02:30-05:00"), "2026-10-24 22:00", "2026-10-25 23:00", 210 * mn},
		{"BerlinRepeatedEnd", sunday(berlin, "01:00-02:30"), "2026-10-24 22:00", "2026-10-25 23:00", 90 * mn},
		{"BerlinRepeatedTail", sunday(berlin, "02:30-03:00"), "2026-10-24 22:00", "2026-10-25 23:00", 90 * mn},
		{"BerlinRepeatedWhole", sunday(berlin, "02:00-03:00"), "2026-10-24 22:00", "2026-10-25 23:00", 2 * hr},
		{"NewYorkSkippedWhole", sunday(ny, "02:00-03:00"), "2026-03-08 05:00", "2026-03-09 04:00", 0},
		{"NewYorkSkippedStart", sunday(ny, "02:30-04:00"), "2026-03-08 05:00", "2026-03-09 04:00", hr},
		{"NewYorkRepeatedWhole", sunday(ny, "01:00-02:00"), "2026-11-01 04:00", "2026-11-02 05:00", 2 * hr},
		{"NewYorkRepeatedEnd", sunday(ny, "00:00-01:30"), "2026-11-01 04:00", "2026-11-02 05:00", 90 * mn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to := calAt(t, time.UTC, tt.from), calAt(t, time.UTC, tt.to)
			if got := tt.cal.WorkingTime(from, to); got != tt.want {
				t.Fatalf("WorkingTime = %s, want %s", got, tt.want)
			}
			if tt.want > 0 {
				if got := tt.cal.Add(from, tt.want); !got.Before(to) || tt.cal.WorkingTime(from, got) != tt.want {
					t.Fatalf("Add(from, %s) = %s", tt.want, got)
				}
			}
		})
	}
}

// TestCalendar_MidnightChange: in calMidnightZone, Saturday 2026-10-24 ends
// when the clock first reads Sunday 00:00 (22:00 UTC); the half hour in which
// it reads Saturday 23:30-24:00 again belongs to Sunday, which lasts 25 hours.
// In March, Saturday ends at the jump (22:30 UTC) and both days have 23.5.
// In Asia/Beirut the clocks change at midnight itself: back from Sunday
// 00:00 to Saturday 23:00 (a 25-hour Saturday), forward from Sunday 00:00 to
// 01:00 (a 23-hour Sunday).
func TestCalendar_MidnightChange(t *testing.T) {
	only := func(loc *time.Location, day time.Weekday) *Calendar {
		var w [7][]WorkInterval
		w[day] = calHours(t, "00:00-24:00")
		return calNew(t, CalendarSpec{Location: loc, Week: w})
	}
	mz, beirut := calMidnightZone(t), calZone(t, "Asia/Beirut")
	sat, sun := only(mz, time.Saturday), only(mz, time.Sunday)
	bSat, bSun := only(beirut, time.Saturday), only(beirut, time.Sunday)
	u := func(s string) time.Time { return calAt(t, time.UTC, s) }
	tests := []struct {
		cal      *Calendar
		from, to string
		want     time.Duration
	}{
		{sat, "2026-10-23 00:00", "2026-10-27 00:00", 24 * hr},
		{sun, "2026-10-23 00:00", "2026-10-27 00:00", 25 * hr},
		{sun, "2026-10-24 22:30", "2026-10-24 23:00", 30 * mn}, // reads Saturday
		{sat, "2026-10-24 22:30", "2026-10-24 23:00", 0},
		{sat, "2026-03-27 00:00", "2026-03-31 00:00", 23*hr + 30*mn},
		{sun, "2026-03-27 00:00", "2026-03-31 00:00", 23*hr + 30*mn},
		{bSat, "2026-10-23 00:00", "2026-10-27 00:00", 25 * hr},
		{bSat, "2026-10-24 21:00", "2026-10-24 22:00", hr}, // Saturday 23:00 again
		{bSun, "2026-10-23 00:00", "2026-10-27 00:00", 24 * hr},
		{bSat, "2026-03-27 00:00", "2026-03-31 00:00", 24 * hr},
		{bSun, "2026-03-27 00:00", "2026-03-31 00:00", 23 * hr},
	}
	for _, tt := range tests {
		if got := tt.cal.WorkingTime(u(tt.from), u(tt.to)); got != tt.want {
			t.Errorf("%v WorkingTime(%s, %s) = %s, want %s", tt.cal.week, tt.from, tt.to, got, tt.want)
		}
	}
	if !sun.IsWorking(u("2026-10-24 22:45")) || sat.IsWorking(u("2026-10-24 22:45")) {
		t.Error("Saturday 23:45 after the change back should be Sunday's")
	}
	if got := sun.Add(u("2026-10-24 12:00"), 30*mn); !got.Equal(u("2026-10-24 22:30")) {
		t.Errorf("Sunday's first half hour ends at %s, want 22:30 UTC", got)
	}
	if got := sat.Add(u("2026-10-24 21:00"), 2*hr); !got.Equal(u("2026-10-31 00:00")) {
		t.Errorf("Saturday's last hour, then Saturday next week: %s", got)
	}
}

// TestCalendar_Subsecond: instants need not be whole seconds, even next to
// a whole day that counts in one step.
func TestCalendar_Subsecond(t *testing.T) {
	c := testCalendars(t).berlinFullH
	from := calAt(t, c.Location(), "2026-03-02 00:00").Add(500 * time.Millisecond)
	to := calAt(t, c.Location(), "2026-03-04 00:00").Add(-time.Nanosecond)
	if got, want := c.WorkingTime(from, to), 48*hr-500*time.Millisecond-time.Nanosecond; got != want {
		t.Errorf("WorkingTime = %s, want %s", got, want)
	}
	if got, want := c.Add(from, 24*hr), from.Add(24*hr); !got.Equal(want) {
		t.Errorf("Add = %s, want %s", got, want)
	}
	if got, want := c.Add(from, 48*hr), from.Add(48*hr); !got.Equal(want) {
		t.Errorf("Add = %s, want %s", got, want)
	}
}

func TestCalendar24x7(t *testing.T) {
	berlin, ny := calZone(t, "Europe/Berlin"), calZone(t, "America/New_York")
	c := Calendar24x7
	if c.Name() != "24x7" || c.Location() != time.UTC || !c.always {
		t.Fatalf("Calendar24x7 = %q in %s, always %v", c.Name(), c.Location(), c.always)
	}
	spring := calAt(t, berlin, "2026-03-28 12:00")
	if got, want := c.Add(spring, 24*hr), calAt(t, berlin, "2026-03-29 13:00"); !got.Equal(want) {
		t.Errorf("Add over the Berlin spring change = %s, want %s", got, want)
	}
	if got := c.WorkingTime(spring, calAt(t, berlin, "2026-03-29 12:00")); got != 23*hr {
		t.Errorf("Berlin spring day = %s, want 23h", got)
	}
	autumn := calAt(t, ny, "2026-10-31 12:00")
	if got := c.WorkingTime(autumn, calAt(t, ny, "2026-11-01 12:00")); got != 25*hr {
		t.Errorf("New York autumn day = %s, want 25h", got)
	}
	if got := c.Add(autumn, 90*24*hr); !got.Equal(autumn.Add(90*24*hr)) || got.Location() != time.UTC {
		t.Errorf("Add 90 days = %s", got)
	}
	if got := c.Add(autumn, -hr); !got.Equal(autumn) {
		t.Errorf("Add negative = %s, want start", got)
	}
	if c.WorkingTime(autumn, spring) != 0 || !c.IsWorking(autumn) {
		t.Error("backwards must be 0 and every instant working")
	}
}

func TestCalendar_IsWorking(t *testing.T) {
	c := testCalendars(t)
	tests := []struct {
		cal  *Calendar
		at   string
		want bool
	}{
		{c.lunch, "2026-03-02 08:59", false},
		{c.lunch, "2026-03-02 09:00", true},
		{c.lunch, "2026-03-02 12:29", true},
		{c.lunch, "2026-03-02 12:30", false},
		{c.lunch, "2026-03-02 13:30", true},
		{c.lunch, "2026-03-02 18:00", false},
		{c.lunch, "2026-03-07 10:00", false},
		{c.lunch, "2026-05-11 10:00", false},
		{c.lunch, "2027-12-25 10:00", false},
		{c.sundays, "2026-10-25 02:30 +0100", true},
		{c.sundays, "2026-10-24 23:59", false},
		{c.nights, "2026-10-25 03:30 +0100", true},
		{c.nights, "2026-03-29 03:30", true},
		{c.nights, "2026-03-29 04:00", false},
	}
	for _, tt := range tests {
		if got := tt.cal.IsWorking(calAt(t, tt.cal.Location(), tt.at)); got != tt.want {
			t.Errorf("%s IsWorking(%s) = %v, want %v", tt.cal.Location(), tt.at, got, tt.want)
		}
	}
}

func TestNewCalendar_Validation(t *testing.T) {
	berlin := calZone(t, "Europe/Berlin")
	ok := func() CalendarSpec {
		return CalendarSpec{Name: "Office", Location: berlin, Week: calWeekdays(t, "09:00-18:00")}
	}
	allYear := func(leap bool) []Holiday {
		var out []Holiday
		for d := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == 2001; d = d.AddDate(0, 0, 1) {
			out = append(out, Holiday{Month: d.Month(), Day: d.Day()})
		}
		if leap {
			out = append(out, Holiday{Month: 2, Day: 29})
		}
		return out
	}
	tests := []struct {
		name   string
		edit   func(*CalendarSpec)
		fields []string // nil: valid
	}{
		{"Valid", func(*CalendarSpec) {}, nil},
		{"TouchingIntervals", func(s *CalendarSpec) { s.Week[1] = calHours(t, "09:00-12:00,12:00-18:00") }, nil},
		{"UnsortedIntervals", func(s *CalendarSpec) { s.Week[1] = calHours(t, "13:00-18:00,09:00-12:00") }, nil},
		{"WholeDay", func(s *CalendarSpec) { s.Week[0] = calHours(t, "00:00-24:00") }, nil},
		{"YearlyLeapDay", func(s *CalendarSpec) { s.Holidays = calHolidays(t, "02-29") }, nil},
		{"AllButOneDay", func(s *CalendarSpec) { s.Holidays = allYear(true)[1:] }, nil},
		{"NoName", func(s *CalendarSpec) { s.Name = "  " }, []string{"name"}},
		{"NoZone", func(s *CalendarSpec) { s.Location = nil }, []string{"zone"}},
		{"LocalZone", func(s *CalendarSpec) { s.Location = time.Local }, []string{"zone"}},
		{"StartAfterEnd", func(s *CalendarSpec) { s.Week[1] = calHours(t, "18:00-09:00") }, []string{"week.monday[0]"}},
		{"EmptyInterval", func(s *CalendarSpec) { s.Week[2] = calHours(t, "09:00-09:00") }, []string{"week.tuesday[0]"}},
		{"StartsAtMidnightEnd", func(s *CalendarSpec) { s.Week[3] = []WorkInterval{{EndOfDay, EndOfDay + 60}} }, []string{"week.wednesday[0]"}},
		{"Negative", func(s *CalendarSpec) { s.Week[4] = []WorkInterval{{-60, HM(9, 0)}} }, []string{"week.thursday[0]"}},
		{"PastMidnight", func(s *CalendarSpec) { s.Week[5] = []WorkInterval{{HM(22, 0), HM(26, 0)}} }, []string{"week.friday[0]"}},
		{"Overlap", func(s *CalendarSpec) { s.Week[1] = calHours(t, "09:00-12:30,12:00-18:00") }, []string{"week.monday[1]"}},
		{"OverlapUnsorted", func(s *CalendarSpec) { s.Week[1] = calHours(t, "12:00-18:00,09:00-12:30") }, []string{"week.monday[0]"}},
		{"Contained", func(s *CalendarSpec) { s.Week[6] = calHours(t, "09:00-18:00,10:00-11:00,17:00-19:00") }, []string{"week.saturday[1]", "week.saturday[2]"}},
		{"NoWorkingTime", func(s *CalendarSpec) { s.Week = [7][]WorkInterval{} }, []string{"week"}},
		{"EveryDayAHoliday", func(s *CalendarSpec) { s.Holidays = allYear(false) }, []string{"holidays"}},
		{"EveryDayAHolidayLeap", func(s *CalendarSpec) { s.Holidays = allYear(true) }, []string{"holidays"}},
		{"BadYearlyDate", func(s *CalendarSpec) { s.Holidays = []Holiday{{Month: 2, Day: 30}} }, []string{"holidays[0]"}},
		{"BadDate", func(s *CalendarSpec) { s.Holidays = []Holiday{{Year: 2026, Month: 2, Day: 29}} }, []string{"holidays[0]"}},
		{"BadMonth", func(s *CalendarSpec) { s.Holidays = calHolidays(t, "01-01"); s.Holidays[0].Month = 13 }, []string{"holidays[0]"}},
		{"BadYear", func(s *CalendarSpec) { s.Holidays = []Holiday{{Year: 10000, Month: 1, Day: 1}} }, []string{"holidays[0]"}},
		{"LongHolidayName", func(s *CalendarSpec) {
			s.Holidays = []Holiday{{Month: 1, Day: 1, Name: strings.Repeat("x", MaxNameLen+1)}}
		}, []string{"holidays[0].name"}},
		{"Several", func(s *CalendarSpec) { s.Name, s.Location = "", nil }, []string{"name", "zone"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := ok()
			tt.edit(&spec)
			c, err := NewCalendar(spec)
			if tt.fields == nil {
				if err != nil || c == nil {
					t.Fatalf("NewCalendar = %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != EINVALID {
				t.Fatalf("NewCalendar = %v, want an EINVALID *Error", err)
			}
			var got []string
			for _, f := range e.Fields {
				got = append(got, f.Field)
			}
			if !slices.Equal(got, tt.fields) {
				t.Fatalf("fields %q, want %q (%v)", got, tt.fields, err)
			}
		})
	}
}

func TestCalendar_Spec(t *testing.T) {
	spec := CalendarSpec{Name: " Office ", Location: calZone(t, "Europe/Berlin"),
		Week: calWeekdays(t, "13:30-18:00,09:00-12:30"), Holidays: calHolidays(t, "01-01", "2026-05-11")}
	c := calNew(t, spec)
	got := c.Spec()
	if got.Name != "Office" || got.Location != spec.Location || len(got.Holidays) != 2 ||
		!slices.Equal(got.Week[time.Monday], spec.Week[time.Monday]) {
		t.Fatalf("Spec() = %+v", got)
	}
	// The calendar owns its copy.
	spec.Week[time.Monday][0].End = HM(23, 0)
	got.Holidays[0].Month = 5
	if w := c.WorkingTime(calAt(t, c.Location(), "2026-03-02 00:00"), calAt(t, c.Location(), "2026-03-03 00:00")); w != 8*hr {
		t.Fatalf("after editing the caller's spec: Monday has %s, want 8h", w)
	}
	if c.Spec().Holidays[0].Month != 1 {
		t.Fatal("Spec() shares its calHolidays")
	}
	again := calNew(t, c.Spec())
	s := calAt(t, c.Location(), "2026-01-01 00:00")
	if a, b := c.Add(s, 100*hr), again.Add(s, 100*hr); !a.Equal(b) {
		t.Fatalf("a calendar rebuilt from Spec() differs: %s != %s", a, b)
	}
}

func TestCalendar_ZeroValuePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Add on a zero Calendar did not panic")
		}
	}()
	var c Calendar
	c.Add(time.Now(), hr)
}

func TestParseTimeOfDay(t *testing.T) {
	good := map[string]TimeOfDay{"00:00": 0, "09:00": 540, "9:30": 570, "23:59": 1439, "24:00": EndOfDay, " 12:05 ": 725}
	for s, want := range good {
		if got, err := ParseTimeOfDay(s); err != nil || got != want {
			t.Errorf("ParseTimeOfDay(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "9", "09:0", "09:000", "24:01", "25:00", "12:60", "-1:00", "+9:00", "09:+5", "09:-5", "aa:bb", "123:00", "09-00", ":00"} {
		if _, err := ParseTimeOfDay(s); ErrorCode(err) != EINVALID {
			t.Errorf("ParseTimeOfDay(%q) = %v, want EINVALID", s, err)
		}
	}
	if s := HM(9, 5).String() + " " + EndOfDay.String() + " " + TimeOfDay(-1).String(); s != "09:05 24:00 TimeOfDay(-1)" {
		t.Errorf("String = %q", s)
	}
	b, err := json.Marshal(WorkInterval{HM(9, 0), HM(12, 30)})
	if err != nil || string(b) != `{"Start":"09:00","End":"12:30"}` {
		t.Fatalf("json = %s, %v", b, err)
	}
	var iv WorkInterval
	if err := json.Unmarshal(b, &iv); err != nil || iv != (WorkInterval{540, 750}) {
		t.Fatalf("unmarshal = %v, %v", iv, err)
	}
	if err := json.Unmarshal([]byte(`{"Start":"9h"}`), &iv); err == nil {
		t.Fatal("unmarshal of 9h succeeded")
	}
}

func TestParseWorkHours(t *testing.T) {
	ivs, err := ParseWorkHours("09:00-12:30, 13:30-18:00")
	if err != nil || fmt.Sprint(ivs) != "[09:00-12:30 13:30-18:00]" {
		t.Fatalf("ParseWorkHours = %v, %v", ivs, err)
	}
	if ivs, err := ParseWorkHours(" "); err != nil || len(ivs) != 0 {
		t.Fatalf("empty day = %v, %v", ivs, err)
	}
	for _, s := range []string{"09:00", "09:00-", "09:00-18:00,", "9-18", "09:00-18:00;13:00-14:00"} {
		if _, err := ParseWorkHours(s); ErrorCode(err) != EINVALID {
			t.Errorf("ParseWorkHours(%q) = %v, want EINVALID", s, err)
		}
	}
}

func TestParseHoliday(t *testing.T) {
	tests := []struct {
		in   string
		want Holiday
		ok   bool
	}{
		{"01-01", Holiday{Month: 1, Day: 1, Name: "n"}, true},
		{"02-29", Holiday{Month: 2, Day: 29, Name: "n"}, true},
		{" 2026-05-11 ", Holiday{Year: 2026, Month: 5, Day: 11, Name: "n"}, true},
		{"2026-02-29", Holiday{}, false},
		{"13-01", Holiday{}, false},
		{"1-1", Holiday{}, false},
		{"2026-5-11", Holiday{}, false},
		{"christmas", Holiday{}, false},
	}
	for _, tt := range tests {
		got, err := ParseHoliday(tt.in, "n")
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseHoliday(%q) = %+v, %v; want %+v ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
		if tt.ok && got.String() != strings.TrimSpace(tt.in) {
			t.Errorf("String() = %q, want %q", got.String(), tt.in)
		}
	}
}

func BenchmarkCalendarAdd(b *testing.B) {
	c := testCalendars(b).lunch
	start := calAt(b, c.Location(), "2026-03-25 14:00")
	for b.Loop() {
		c.Add(start, 5*8*hr)
	}
}

func BenchmarkCalendarWorkingTime(b *testing.B) {
	c := testCalendars(b).lunch
	from := calAt(b, c.Location(), "2026-02-01 10:00")
	to := from.AddDate(0, 0, 90)
	for b.Loop() {
		c.WorkingTime(from, to)
	}
}

func TestCivilDate(t *testing.T) {
	for n := civilDate(-800_000); n < 3_000_000; n += 997 {
		for _, k := range []civilDate{n, n + 1, n + 59, n + 365} {
			u := time.Unix(int64(k)*secondsPerDay, 0).UTC()
			y, m, d := k.ymd()
			if uy, um, ud := u.Date(); y != uy || m != um || d != ud || k.weekday() != u.Weekday() {
				t.Fatalf("day %d = %d-%d-%d %s, want %s", k, y, m, d, k.weekday(), u.Format("2006-01-02 Mon"))
			}
		}
	}
}
