package desk

import "time"

// Deadline arithmetic over a Calendar.
//
// Working hours are local wall-clock hours. Each local date's intervals are
// turned into instants ("spans"), one date at a time, so both Add and
// WorkingTime cost O(days spanned) whatever the durations involved.
//
// Daylight-saving time. A boundary such as 09:00 is the first instant at
// which the calendar's clock reads 09:00 or later. So:
//   - a boundary in a skipped hour (02:30 on the spring-forward night) is
//     the instant the clocks jump; an interval wholly inside the skipped hour
//     is empty, and a 00:00-24:00 day is 23 hours long;
//   - a boundary in a repeated hour (02:30 on the fall-back night in
//     Europe/Berlin) is its first occurrence; the repeated hour counts for
//     the interval the clock had reached before it was set back, and a
//     00:00-24:00 day is 25 hours long.
//
// Equivalently: an instant is working time when the latest local time the
// clock has shown by then falls in a working interval of a working day. This
// rule is stated here rather than left to time.Date, which does not promise
// which of two zones it picks (and picks differently in Europe/Berlin and
// America/New_York).

// Dates are day numbers (civilDate) and the walk over them uses Unix
// seconds, so that an ordinary working day costs a few integer operations;
// time.Time appears only where a day is cut by the start or end instant or
// by a clock change.

const secondsPerDay = 24 * 60 * 60

// civilDate is a local calendar date as the number of days since 1970-01-01.
type civilDate int64

// weekday: 1970-01-01 was a Thursday.
func (n civilDate) weekday() time.Weekday { return time.Weekday(floorMod(int64(n)+4, 7)) }

// ymd returns the year, month and day of n (proleptic Gregorian calendar;
// the days_from_civil inverse of Howard Hinnant's date algorithms).
func (n civilDate) ymd() (int, time.Month, int) {
	z := int64(n) + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	y := yoe + era*400
	if m <= 2 {
		y++
	}
	return int(y), time.Month(m), int(d)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// workSpan is one working interval of one date as instants, [start, end).
type workSpan struct{ start, end time.Time }

// Add returns the instant at which d of working time has elapsed after
// start: the earliest instant e with WorkingTime(start, e) == d. A start
// outside working hours begins counting at the next working instant; a
// deadline that falls exactly on a closing time is that closing time (Friday
// 17:00 + 1h on a 09:00-18:00 calendar is Friday 18:00, not Monday 09:00).
//
// d <= 0 returns the first working instant at or after start (start itself
// when it is working time), so that Add(s, WorkingTime(s, e)) == e for every
// working instant e >= s. Add never goes back in time.
//
// The result is in UTC; compare instants with Equal. On a calendar that is
// working time around the clock with no holidays (Calendar24x7), Add is
// start.Add(d).
func (c *Calendar) Add(start time.Time, d time.Duration) time.Time {
	c.mustBeBuilt()
	start, d = start.UTC(), max(d, 0)
	if c.always {
		return start.Add(d)
	}
	w := dayWalker{c: c}
	startSec := ceilSec(start)
	var buf [4]workSpan
	// Validation guarantees working time recurs, so the loop ends.
	for date := c.dateOf(start); ; date++ {
		wd := date.weekday()
		if len(c.week[wd]) == 0 || c.isHoliday(date) {
			continue
		}
		midnight, steady := w.midnight(date)
		if steady && midnight >= startSec && d > c.dayTotal[wd] {
			d -= c.dayTotal[wd] // a whole ordinary day
			continue
		}
		for _, sp := range c.spans(date, midnight, steady, buf[:0]) {
			if !sp.end.After(start) {
				continue
			}
			from := maxTime(sp.start, start)
			avail := sp.end.Sub(from)
			if d <= avail {
				return from.Add(d)
			}
			d -= avail
		}
	}
}

// WorkingTime returns the working time between from and to, 0 if to is not
// after from. On Calendar24x7 it is to.Sub(from).
func (c *Calendar) WorkingTime(from, to time.Time) time.Duration {
	c.mustBeBuilt()
	from, to = from.UTC(), to.UTC()
	if !to.After(from) {
		return 0
	}
	if c.always {
		return to.Sub(from)
	}
	var total time.Duration
	w := dayWalker{c: c}
	fromSec, toSec := ceilSec(from), to.Unix()
	var buf [4]workSpan
	last := c.dateOf(to)
	for date := c.dateOf(from); date <= last; date++ {
		wd := date.weekday()
		if len(c.week[wd]) == 0 || c.isHoliday(date) {
			continue
		}
		midnight, steady := w.midnight(date)
		if steady && midnight >= fromSec && midnight+secondsPerDay <= toSec {
			total += c.dayTotal[wd] // a whole ordinary day
			continue
		}
		for _, sp := range c.spans(date, midnight, steady, buf[:0]) {
			lo, hi := maxTime(sp.start, from), minTime(sp.end, to)
			if hi.After(lo) {
				total += hi.Sub(lo)
			}
		}
	}
	return total
}

// IsWorking reports whether t is working time. Intervals are half-open: the
// opening instant is working time, the closing instant is not.
func (c *Calendar) IsWorking(t time.Time) bool {
	c.mustBeBuilt()
	if c.always {
		return true
	}
	date := c.dateOf(t)
	if len(c.week[date.weekday()]) == 0 || c.isHoliday(date) {
		return false
	}
	w := dayWalker{c: c}
	midnight, steady := w.midnight(date)
	var buf [4]workSpan
	for _, sp := range c.spans(date, midnight, steady, buf[:0]) {
		if !t.Before(sp.start) && t.Before(sp.end) {
			return true
		}
	}
	return false
}

func (c *Calendar) mustBeBuilt() {
	if c == nil || c.loc == nil {
		panic("desk: Calendar used without NewCalendar")
	}
}

// dateOf returns the local date t belongs to by the rule above.
func (c *Calendar) dateOf(t time.Time) civilDate {
	_, off := t.In(c.loc).Zone()
	date := civilDate(floorDiv(t.Unix()+int64(off), secondsPerDay))
	// After the clocks go back across midnight, the date shown may be one
	// the clock has already left.
	if !t.Before(c.boundary(date+1, 0)) {
		return date + 1
	}
	return date
}

func (c *Calendar) isHoliday(date civilDate) bool {
	y, m, d := date.ymd()
	return c.yearly[m][d] || (len(c.fixed) > 0 && c.fixed[dateKey(y, m, d)])
}

// dayWalker finds when local dates begin. It remembers the zone period of
// the last date it looked up, so that most dates cost an addition instead
// of a zone lookup. Instants are in Unix seconds.
type dayWalker struct {
	c      *Calendar
	date   civilDate // the date last looked up
	begins int64     // and when it began
	ok     bool      // begins is right: the clock read 00:00 on date then
	// The zone period of begins, and how far the clocks go back where it
	// begins and where it ends (0 when they go forward or never change).
	from, to       int64
	hasFrom, hasTo bool
	back, ahead    int64
}

// midnight returns when date begins in the calendar's zone, and whether
// the date is steady: every one of its local times, up to 24:00, occurs
// exactly once, at midnight plus its minutes. The instant is meaningful only
// for a steady date; for the others the caller converts each time by the
// rule at the top of this file (boundary).
func (w *dayWalker) midnight(date civilDate) (int64, bool) {
	if w.ok {
		if m := w.begins + int64(date-w.date)*secondsPerDay; w.steady(m) {
			return m, true
		}
	}
	y, mo, d := date.ymd()
	t := time.Date(y, mo, d, 0, 0, 0, 0, w.c.loc)
	_, off := t.Zone()
	w.date, w.begins = date, t.Unix()
	w.ok = w.begins+int64(off) == int64(date)*secondsPerDay // false in a skipped hour
	from, to := t.ZoneBounds()
	w.hasFrom, w.hasTo, w.back, w.ahead = !from.IsZero(), !to.IsZero(), 0, 0
	if w.hasFrom {
		_, prev := from.Add(-time.Second).Zone()
		w.from, w.back = from.Unix(), max(int64(prev-off), 0)
	}
	if w.hasTo {
		_, next := to.Zone()
		w.to, w.ahead = to.Unix(), max(int64(off-next), 0)
	}
	return w.begins, w.ok && w.steady(w.begins)
}

// steady reports whether the date beginning at m (in the remembered zone
// period) lies wholly inside the period, clear of the hours that a change
// back of the clocks at either end repeats.
func (w *dayWalker) steady(m int64) bool {
	return (!w.hasFrom || m-w.from >= w.back) && (!w.hasTo || w.to-m >= secondsPerDay+w.ahead)
}

// spans appends the working intervals of a working date as instants to buf.
// Empty intervals (inside a skipped hour) are left out.
func (c *Calendar) spans(date civilDate, midnight int64, steady bool, buf []workSpan) []workSpan {
	ivs := c.week[date.weekday()]
	if steady {
		m := time.Unix(midnight, 0).UTC()
		for _, iv := range ivs {
			buf = append(buf, workSpan{m.Add(iv.Start.duration()), m.Add(iv.End.duration())})
		}
		return buf
	}
	for _, iv := range ivs {
		if s, e := c.boundary(date, iv.Start), c.boundary(date, iv.End); s.Before(e) {
			buf = append(buf, workSpan{s, e})
		}
	}
	return buf
}

// boundary returns the first instant at which the local clock reads at least
// tod on date.
func (c *Calendar) boundary(date civilDate, tod TimeOfDay) time.Time {
	y, m, d := date.ymd()
	t := time.Date(y, m, d, 0, int(tod), 0, 0, c.loc)
	want := int64(date)*secondsPerDay + int64(tod)*60 // the wall clock asked for
	_, off := t.Zone()
	start, end := t.ZoneBounds()
	switch wall := t.Unix() + int64(off); {
	case wall > want && !start.IsZero():
		return start.UTC() // skipped; t is after the jump
	case wall < want && !end.IsZero():
		return end.UTC() // skipped; t is before the jump
	}
	// t reads tod; so did an earlier instant if the clocks were set back
	// when t's zone period began.
	if !start.IsZero() {
		_, prev := start.Add(-time.Second).Zone()
		if first := time.Unix(want-int64(prev), 0); first.Before(start) {
			return first.UTC()
		}
	}
	return t.UTC()
}

func (t TimeOfDay) duration() time.Duration { return time.Duration(t) * time.Minute }

// ceilSec returns t in Unix seconds, rounded up.
func ceilSec(t time.Time) int64 {
	if t.Nanosecond() > 0 {
		return t.Unix() + 1
	}
	return t.Unix()
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
