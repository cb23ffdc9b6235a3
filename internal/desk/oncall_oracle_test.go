package desk

import (
	"sort"
	"time"
)

// onCallOracle answers "who is on call at t" from a ScheduleSpec alone, by
// brute force, sharing no code with the layers it checks: a local time's
// instant is found by scanning the minutes around it (the first instant
// the clock reads at least that time), a day-based rotation's hand-offs are
// walked one by one from the first, restriction windows are tried on the
// dates that could hold t.
type onCallOracle struct {
	spec      ScheduleSpec
	bounds    map[oracleKey]time.Time
	handoffs  [][]time.Time // per layer, day-based: the hand-offs found so far
	firstDays []int64       // per layer: the start date in days since 1970-01-01
}

type oracleKey struct {
	loc *time.Location
	day int64
	tod TimeOfDay
}

func newOnCallOracle(spec ScheduleSpec) *onCallOracle {
	o := &onCallOracle{spec: spec, bounds: map[oracleKey]time.Time{}, handoffs: make([][]time.Time, len(spec.Layers))}
	for _, r := range spec.Layers {
		o.firstDays = append(o.firstDays, time.Date(r.StartDate.Year, r.StartDate.Month, r.StartDate.Day, 0, 0, 0, 0, time.UTC).Unix()/86400)
	}
	return o
}

// wallSeconds is what the clock in loc reads at u, as seconds of a UTC
// calendar.
func wallSeconds(u time.Time, loc *time.Location) int64 {
	l := u.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC).Unix()
}

// at is the first instant at which the clock in loc reads at least tod on
// day (days since 1970-01-01): the minutes are tried in turn from 16 hours
// before, which no zone's offset reaches.
func (o *onCallOracle) at(loc *time.Location, day int64, tod TimeOfDay) time.Time {
	k := oracleKey{loc, day, tod}
	if b, ok := o.bounds[k]; ok {
		return b
	}
	want := day*86400 + int64(tod)*60
	u := time.Unix(want-16*3600, 0)
	for wallSeconds(u, loc) < want {
		u = u.Add(time.Minute)
	}
	o.bounds[k] = u
	return u
}

// dateOf is the local day that holds t: the one begun (at its first
// midnight) at or before t, whose next day has not begun.
func (o *onCallOracle) dateOf(loc *time.Location, t time.Time) int64 {
	d := wallSeconds(t, loc) / 86400
	for t.Before(o.at(loc, d, 0)) {
		d--
	}
	for !t.Before(o.at(loc, d+1, 0)) {
		d++
	}
	return d
}

func (o *onCallOracle) loc(r Rotation) *time.Location {
	if r.Location != nil {
		return r.Location
	}
	return o.spec.Location
}

// shift is the number of the rotation's shift that holds t, -1 before the
// first hand-off.
func (o *onCallOracle) shift(i int, t time.Time) int64 {
	r, loc := o.spec.Layers[i], o.loc(o.spec.Layers[i])
	first := o.at(loc, o.firstDays[i], r.HandOff)
	if t.Before(first) {
		return -1
	}
	if r.Length.Hours > 0 {
		return int64(t.Sub(first) / (time.Duration(r.Length.Hours) * time.Hour))
	}
	hs := o.handoffs[i]
	for len(hs) == 0 || !hs[len(hs)-1].After(t) {
		hs = append(hs, o.at(loc, o.firstDays[i]+int64(len(hs)*r.Length.Days), r.HandOff))
	}
	o.handoffs[i] = hs
	// The last hand-off at or before t.
	return int64(sort.Search(len(hs), func(k int) bool { return hs[k].After(t) })) - 1
}

// inWindows reports whether t lies in one of the rotation's windows.
func (o *onCallOracle) inWindows(r Rotation, t time.Time) bool {
	loc := o.loc(r)
	today := o.dateOf(loc, t)
	for d := today - 2; d <= today; d++ {
		wd := time.Unix(d*86400, 0).UTC().Weekday()
		for _, w := range r.Restrictions {
			if w.Weekday != wd {
				continue
			}
			endDay := d
			if w.End <= w.Start {
				endDay++
			}
			if !t.Before(o.at(loc, d, w.Start)) && t.Before(o.at(loc, endDay, w.End)) {
				return true
			}
		}
	}
	return false
}

// onCall is who is on call at t, 0 for nobody: the latest override holding
// t, else the last layer with someone on call.
func (o *onCallOracle) onCall(t time.Time) int64 {
	for i := len(o.spec.Overrides) - 1; i >= 0; i-- {
		if ov := o.spec.Overrides[i]; !t.Before(ov.Start) && t.Before(ov.End) {
			return ov.UserID
		}
	}
	for i := len(o.spec.Layers) - 1; i >= 0; i-- {
		r := o.spec.Layers[i]
		k := o.shift(i, t)
		if k < 0 || (len(r.Restrictions) > 0 && !o.inWindows(r, t)) {
			continue
		}
		return r.Participants[k%int64(len(r.Participants))]
	}
	return 0
}
