// Property and reference tests of the business calendar: random calendars
// against an independent minute-by-minute model.

package desk

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// calModel is an independent model of a calendar for the property tests: it
// walks instants minute by minute and reads the spec directly. An instant
// is working time when the latest local time the clock has shown by then
// (its high-water mark) is in a working interval of a working day.
type calModel struct{ spec CalendarSpec }

// wall returns t's local wall clock, written as a UTC time.
func (r calModel) wall(t time.Time) time.Time {
	l := t.In(r.spec.Location)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

func (r calModel) workingWall(w time.Time) bool {
	for _, hol := range r.spec.Holidays {
		if hol.Month == w.Month() && hol.Day == w.Day() && (hol.Year == 0 || hol.Year == w.Year()) {
			return false
		}
	}
	tod := HM(w.Hour(), w.Minute())
	for _, iv := range r.spec.Week[w.Weekday()] {
		if iv.Start <= tod && tod < iv.End {
			return true
		}
	}
	return false
}

// minutes reports, for each minute of [from, to) (whole minutes), whether it
// is working time.
func (r calModel) minutes(from, to time.Time) []bool {
	var hw time.Time
	for u := from.Add(-30 * hr); u.Before(from); u = u.Add(mn) {
		hw = maxTime(hw, r.wall(u))
	}
	var out []bool
	for u := from; u.Before(to); u = u.Add(mn) {
		hw = maxTime(hw, r.wall(u))
		out = append(out, r.workingWall(hw))
	}
	return out
}

type calPropCase struct {
	name string
	cal  *Calendar
}

// propertyCalendars returns the test calendars, calendars whose working
// hours begin and end inside the changed hours of zones with unusual
// changes (at midnight, by 30 minutes), and random calendars.
func propertyCalendars(t *testing.T, rng *rand.Rand) []calPropCase {
	c := testCalendars(t)
	out := []calPropCase{
		{"nineToSix", c.nineToSix}, {"office", c.office}, {"lunch", c.lunch}, {"nyOffice", c.nyOffice},
		{"moscow", c.moscow}, {"sundays", c.sundays}, {"nySundays", c.nySundays}, {"nights", c.nights},
		{"berlinFull", c.berlinFull}, {"berlinFullH", c.berlinFullH}, {"24x7", Calendar24x7},
	}
	var zones []*time.Location
	for _, z := range []string{"Europe/Berlin", "America/New_York", "Europe/Moscow", "UTC", "Asia/Beirut",
		"Australia/Lord_Howe", "America/Santiago", "America/Havana", "Asia/Kolkata"} {
		zones = append(zones, calZone(t, z))
	}
	zones = append(zones, calMidnightZone(t))
	for _, z := range zones {
		var w [7][]WorkInterval
		w[time.Saturday] = calHours(t, "00:00-24:00")
		w[time.Sunday] = calHours(t, "00:30-01:15,01:45-02:15,02:45-03:30,05:00-24:00")
		w[time.Monday] = calHours(t, "00:00-01:00,23:00-24:00")
		w[time.Friday] = calHours(t, "09:00-12:30,13:30-18:00")
		spec := CalendarSpec{Name: "edges", Location: z, Week: w, Holidays: calHolidays(t, "10-26", "2027-03-28")}
		out = append(out, calPropCase{"edges/" + z.String(), calNew(t, spec)})
	}
	for i := range 16 {
		spec := randomCalSpec(t, rng, zones[rng.IntN(len(zones))])
		out = append(out, calPropCase{fmt.Sprintf("random%d/%s", i, spec.Location), calNew(t, spec)})
	}
	return out
}

func randomCalSpec(t *testing.T, rng *rand.Rand, loc *time.Location) CalendarSpec {
	spec := CalendarSpec{Name: "random", Location: loc}
	empty := true
	for d := range spec.Week {
		if rng.IntN(10) < 3 {
			continue
		}
		var tod TimeOfDay
		for range 1 + rng.IntN(3) {
			start := tod + TimeOfDay(rng.IntN(32))*15
			end := min(start+TimeOfDay(1+rng.IntN(48))*15, EndOfDay)
			if start >= end {
				break
			}
			spec.Week[d] = append(spec.Week[d], WorkInterval{start, end})
			empty, tod = false, end
		}
	}
	if empty {
		spec.Week[time.Wednesday] = calHours(t, "09:00-17:00")
	}
	for range rng.IntN(5) {
		spec.Holidays = append(spec.Holidays, Holiday{Month: time.Month(1 + rng.IntN(12)), Day: 1 + rng.IntN(28)})
	}
	for range rng.IntN(5) {
		d := time.Date(2026, 1, 1+rng.IntN(730), 0, 0, 0, 0, time.UTC)
		spec.Holidays = append(spec.Holidays, Holiday{Year: d.Year(), Month: d.Month(), Day: d.Day()})
	}
	return spec
}

// calInstants draws instants in 2026-2027, half of them within days of a
// clock change of the zone.
type calInstants struct {
	rng         *rand.Rand
	transitions []time.Time
}

func newCalInstants(rng *rand.Rand, loc *time.Location) *calInstants {
	in := &calInstants{rng: rng}
	for t := time.Date(2025, 12, 1, 0, 0, 0, 0, loc); ; {
		_, end := t.ZoneBounds()
		if end.IsZero() || end.Year() > 2027 {
			return in
		}
		in.transitions = append(in.transitions, end)
		t = end
	}
}

// minute returns a whole-minute instant.
func (in *calInstants) minute() time.Time {
	if len(in.transitions) > 0 && in.rng.IntN(2) == 0 {
		tr := in.transitions[in.rng.IntN(len(in.transitions))]
		return tr.Add(time.Duration(in.rng.IntN(6*24*60)-3*24*60) * mn).UTC()
	}
	return time.Date(2026, 1, 1, 0, in.rng.IntN(2*365*24*60), 0, 0, time.UTC)
}

// any returns an instant with seconds and nanoseconds.
func (in *calInstants) any() time.Time {
	return in.minute().Add(time.Duration(in.rng.Int64N(int64(mn))))
}

// duration returns a working-time duration: zero, minutes, hours, or
// several business days or weeks.
func (in *calInstants) duration() time.Duration {
	switch in.rng.IntN(5) {
	case 0:
		return 0
	case 1:
		return time.Duration(in.rng.IntN(600)) * mn
	case 2:
		return time.Duration(in.rng.Int64N(int64(45 * hr)))
	default:
		return time.Duration(in.rng.Int64N(int64(400 * hr)))
	}
}

// TestCalendar_Properties checks, for many random starts and durations
// (fixed seed), that Add and WorkingTime are inverse, monotonic and additive
// on every property calendar.
func TestCalendar_Properties(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 3))
	for _, pc := range propertyCalendars(t, rng) {
		t.Run(pc.name, func(t *testing.T) {
			in := newCalInstants(rng, pc.cal.Location())
			for range 300 {
				checkCalInverse(t, pc.cal, in.any(), in.duration(), in)
				checkCalElapsed(t, pc.cal, in.any(), in)
			}
		})
	}
}

func checkCalInverse(t *testing.T, c *Calendar, s time.Time, d time.Duration, in *calInstants) {
	t.Helper()
	e := c.Add(s, d)
	if e.Before(s) || c.WorkingTime(s, e) != d {
		t.Fatalf("Add(%s, %s) = %s; WorkingTime back = %s", s, d, e, c.WorkingTime(s, e))
	}
	if d > 0 && (!c.IsWorking(e.Add(-time.Nanosecond)) || c.WorkingTime(s, e.Add(-time.Nanosecond)) != d-1) {
		t.Fatalf("Add(%s, %s) = %s is not the earliest such instant", s, d, e)
	}
	if first := c.Add(s, 0); !c.IsWorking(first) || c.WorkingTime(s, first) != 0 || first.Before(s) {
		t.Fatalf("Add(%s, 0) = %s is not the next working instant", s, first)
	}
	if e2 := c.Add(s, d+in.duration()); e2.Before(e) {
		t.Fatalf("Add not monotonic in d: from %s, %s then %s", s, e, e2)
	}
	if e3 := c.Add(s.Add(time.Duration(in.rng.Int64N(int64(72*hr)))), d); e3.Before(e) {
		t.Fatalf("Add(%s, %s) = %s but a later start gives %s", s, d, e, e3)
	}
}

func checkCalElapsed(t *testing.T, c *Calendar, s time.Time, in *calInstants) {
	t.Helper()
	e := s.Add(time.Duration(in.rng.Int64N(int64(60 * 24 * hr))))
	w := c.WorkingTime(s, e)
	if w < 0 || w > e.Sub(s) {
		t.Fatalf("WorkingTime(%s, %s) = %s", s, e, w)
	}
	x := c.Add(s, w)
	if c.IsWorking(e) && !x.Equal(e) {
		t.Fatalf("Add(%s, WorkingTime(.., %s) = %s) = %s, want %s", s, e, w, x, e)
	}
	if c.WorkingTime(s, x) != w || (w > 0 && x.After(e)) || c.WorkingTime(x, e) != 0 {
		t.Fatalf("Add(%s, %s) = %s does not end the working time before %s", s, w, x, e)
	}
	m := s.Add(time.Duration(in.rng.Int64N(int64(e.Sub(s)) + 1)))
	if w1, w2 := c.WorkingTime(s, m), c.WorkingTime(m, e); w1+w2 != w || w1 > w {
		t.Fatalf("WorkingTime not additive: %s..%s..%s: %s + %s != %s", s, m, e, w1, w2, w)
	}
}

// TestCalendar_Reference compares WorkingTime, IsWorking and Add with the
// minute-by-minute model over random windows of up to three days, half of
// them around clock changes.
func TestCalendar_Reference(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 4))
	for _, pc := range propertyCalendars(t, rng) {
		t.Run(pc.name, func(t *testing.T) {
			ref := calModel{pc.cal.Spec()}
			in := newCalInstants(rng, pc.cal.Location())
			for range 40 {
				from := in.minute()
				to := from.Add(time.Duration(rng.IntN(3*24*60)) * mn)
				checkCalReference(t, pc.cal, ref.minutes(from, to), from, to)
			}
		})
	}
}

func checkCalReference(t *testing.T, c *Calendar, ref []bool, from, to time.Time) {
	t.Helper()
	var count int
	var ends []time.Time // ends[j-1]: when the j-th working minute ends
	for i, working := range ref {
		at := from.Add(time.Duration(i) * mn)
		if i%7 == 0 && c.IsWorking(at) != working {
			t.Fatalf("IsWorking(%s) = %v, model says %v", at.In(c.Location()), !working, working)
		}
		if working {
			count++
			ends = append(ends, at.Add(mn))
		}
	}
	if got := c.WorkingTime(from, to); got != time.Duration(count)*mn {
		t.Fatalf("WorkingTime(%s, %s) = %s, model says %dm", from.In(c.Location()), to.In(c.Location()), got, count)
	}
	for _, j := range []int{1, count / 2, count} {
		if j > 0 && j <= count {
			if got := c.Add(from, time.Duration(j)*mn); !got.Equal(ends[j-1]) {
				t.Fatalf("Add(%s, %dm) = %s, model says %s", from.In(c.Location()), j, got.In(c.Location()), ends[j-1].In(c.Location()))
			}
		}
	}
}

// Benchmarks: an SLA deadline five business days away, and the working
// time elapsed over a quarter (both across the Berlin spring change).
