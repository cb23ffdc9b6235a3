package desk

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// On-call schedules: who is on call at an instant. A Schedule stacks layers
// (rotations) and overrides; the computation over them (OnCallAt, Shifts)
// is in oncall_time.go. The rules, all stated once here:
//
//   - A rotation hands off at StartDate HandOff, local to its zone, and then
//     every Length. A day-based length (Days) hands off at the local
//     wall-clock HandOff time every N local days, so a daily 09:00 hand-off
//     stays 09:00 across daylight-saving changes and a shift spanning a
//     change lasts 23 or 25 hours (a weekly one 167 or 169). An hour-based
//     length (Hours) is elapsed time from the first hand-off: a 12-hour
//     rotation starting at 21:00 hands off at 09:00 and 21:00 until the
//     clocks change, then at 10:00 and 22:00 (or 08:00 and 20:00).
//   - Local times that a clock change skips or repeats follow the business
//     calendar (calendar_time.go): a local time is the first instant at which
//     the clock reads that time or later. A hand-off at 02:30 on the
//     spring-forward night happens when the clocks jump; one on the
//     fall-back night happens at the first 02:30.
//   - Shift k (from 0) runs from hand-off k to hand-off k+1, half-open, and
//     belongs to Participants[k mod n]. At the hand-off instant the incoming
//     person is on call. Before the first hand-off the rotation has no one.
//   - Restrictions limit when a layer is on call, e.g. nights and weekends.
//     They do not shift the rotation: at an instant inside a window the
//     layer's person is whoever holds the rotation's shift then; outside
//     every window the layer has no one. No restrictions: always on call.
//   - Layers: the last layer in Layers that has someone on call wins (a
//     business-hours layer listed after a 24x7 layer takes the working
//     hours; the 24x7 layer covers the rest).
//   - Overrides beat every layer, also where no layer has anyone. Where
//     overrides overlap, the later one in Overrides wins: stores keep them
//     in the order they were created, so a newer swap replaces an older
//     holiday cover for the time they share.

// LocalDate is a calendar date without a zone.
type LocalDate struct {
	Year  int
	Month time.Month
	Day   int
}

// Date returns the local date y-m-d.
func Date(y int, m time.Month, d int) LocalDate { return LocalDate{y, m, d} }

// String formats the date as YYYY-MM-DD.
func (d LocalDate) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

func (d LocalDate) valid() bool {
	return d.Year >= 1 && d.Year <= 9999 && d.Month >= time.January && d.Month <= time.December &&
		d.Day >= 1 && d.Day <= daysIn(d.Year, d.Month)
}

func (d LocalDate) civil() civilDate {
	return civilDate(floorDiv(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Unix(), secondsPerDay))
}

// ShiftLength is how long each shift of a rotation lasts: Days local days
// (hand-offs at the same wall-clock time) or Hours of elapsed time. Exactly
// one of them is positive.
type ShiftLength struct {
	Days  int
	Hours int
}

// Shift lengths for the usual rotations.
var (
	Daily  = ShiftLength{Days: 1}
	Weekly = ShiftLength{Days: 7}
)

// Longest shifts accepted.
const (
	MaxShiftDays  = 366
	MaxShiftHours = 24 * MaxShiftDays
)

// String formats the length as "1d", "7d" or "12h".
func (l ShiftLength) String() string {
	if l.Hours > 0 {
		return fmt.Sprintf("%dh", l.Hours)
	}
	return fmt.Sprintf("%dd", l.Days)
}

// TimeWindow is a weekly window in which a restricted layer is on call:
// from Start on Weekday to End, local to the rotation's zone. An End at or
// before Start ends on the next day (18:00-09:00 is a night; 09:00-09:00
// is 24 hours).
type TimeWindow struct {
	Weekday    time.Weekday
	Start, End TimeOfDay
}

// String formats the window as "Monday 18:00-09:00".
func (w TimeWindow) String() string {
	return fmt.Sprintf("%s %s-%s", w.Weekday, w.Start, w.End)
}

// Rotation is one layer of a schedule: participants taking turns.
type Rotation struct {
	Name         string
	Participants []int64 // user ids in turn order; a user may appear twice
	// Location is the rotation's zone; nil uses the schedule's.
	Location     *time.Location
	StartDate    LocalDate // the date of the first hand-off
	HandOff      TimeOfDay // local time of day of the first (and, day-based, every) hand-off
	Length       ShiftLength
	Restrictions []TimeWindow // when the layer is on call; empty: always
}

// Override puts UserID on call from Start to End (half-open) in place of
// whoever the layers name: holidays and swaps.
type Override struct {
	UserID     int64
	Start, End time.Time
}

// ScheduleSpec describes a schedule as it is entered and stored.
type ScheduleSpec struct {
	Name string
	// Location is the schedule's IANA zone, loaded by the caller; rotations
	// without a zone of their own use it.
	Location  *time.Location
	Layers    []Rotation // the last layer with someone on call wins
	Overrides []Override // in creation order; the later wins an overlap
}

// Schedule is a validated on-call schedule; build it with NewSchedule. It is
// immutable and safe for concurrent use.
type Schedule struct {
	spec   ScheduleSpec
	layers []*layer
	// overlay is the overrides resolved into disjoint stretches, sorted:
	// where they overlap, the later override's. src is the override's index.
	overlay []piece
}

// Validate reports whether NewSchedule would accept spec.
func (spec ScheduleSpec) Validate() error {
	_, err := NewSchedule(spec)
	return err
}

// NewSchedule validates spec and returns the schedule. Field errors name
// "name", "zone", "layers", "layers[0].participants[2]",
// "layers[0].length", "layers[0].restrictions[1]", "overrides[3].end" and
// the like.
func NewSchedule(spec ScheduleSpec) (*Schedule, error) {
	var v validation
	spec.Name = strings.TrimSpace(spec.Name)
	v.text("name", spec.Name, MaxNameLen, true)
	v.zone("zone", spec.Location, true)
	if len(spec.Layers) == 0 {
		v.add("layers", RuleTooFew, Params{"min": 1}, "must have at least one rotation")
	}
	s := &Schedule{}
	for i, r := range spec.Layers {
		if l := checkRotation(&v, fmt.Sprintf("layers[%d]", i), r, spec.Location); l != nil {
			s.layers = append(s.layers, l)
		}
	}
	for i, o := range spec.Overrides {
		field := fmt.Sprintf("overrides[%d]", i)
		if o.UserID <= 0 {
			v.add(field+".user_id", RuleInvalidFmt, Params{"format": "id"}, "must be a user id")
		}
		switch {
		case o.Start.IsZero():
			v.add(field+".start", RuleRequired, nil, "is required")
		case !o.End.After(o.Start):
			v.add(field+".end", RuleNotAfter, Params{"after": "start"}, "must be after the start %s", o.Start.UTC().Format(time.RFC3339))
		}
		s.overlay = append(s.overlay, piece{o.Start.UTC(), o.End.UTC(), o.UserID, i, i})
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	s.overlay = sweep(s.overlay, len(spec.Overrides))
	s.spec = cloneScheduleSpec(spec)
	return s, nil
}

// zone checks a time zone: present (unless optional) and named.
func (v *validation) zone(field string, loc *time.Location, required bool) {
	switch {
	case loc == nil:
		if required {
			v.add(field, RuleRequired, nil, "is required")
		}
	case loc == time.Local || loc.String() == "Local" || loc.String() == "":
		v.add(field, RuleInvalidZone, nil, "must be a named zone such as Europe/Berlin, not the server's local zone")
	}
}

func checkRotation(v *validation, field string, r Rotation, def *time.Location) *layer {
	n := len(v.fields)
	v.text(field+".name", r.Name, MaxNameLen, false)
	v.zone(field+".zone", r.Location, false)
	if len(r.Participants) == 0 {
		v.add(field+".participants", RuleTooFew, Params{"min": 1}, "must name at least one user")
	}
	for j, id := range r.Participants {
		if id <= 0 {
			v.add(fmt.Sprintf("%s.participants[%d]", field, j), RuleInvalidFmt, Params{"format": "id"}, "must be a user id")
		}
	}
	if !r.StartDate.valid() {
		v.add(field+".start_date", RuleInvalidFmt, Params{"format": "date"}, "%s is not a date", r.StartDate)
	}
	if r.HandOff < 0 || r.HandOff >= EndOfDay {
		v.add(field+".hand_off", RuleInvalidFmt, Params{"format": "time_of_day"}, "must be a time of day from 00:00 to 23:59")
	}
	switch l := r.Length; {
	case (l.Days > 0) == (l.Hours > 0) || l.Days < 0 || l.Hours < 0:
		v.add(field+".length", RuleInvalidFmt, Params{"format": "duration"}, "must be a positive number of days or of hours")
	case l.Days > MaxShiftDays || l.Hours > MaxShiftHours:
		v.add(field+".length", RuleTooLong, Params{"max": MaxShiftDays, "unit": "days"}, "must be at most %d days", MaxShiftDays)
	}
	for j, w := range r.Restrictions {
		if w.Weekday < time.Sunday || w.Weekday > time.Saturday ||
			w.Start < 0 || w.Start >= EndOfDay || w.End < 0 || w.End > EndOfDay {
			v.add(fmt.Sprintf("%s.restrictions[%d]", field, j), RuleInvalidFmt, Params{"format": "weekday"}, "must be a weekday with times from 00:00 to 24:00")
		}
	}
	if len(v.fields) > n || def == nil {
		return nil
	}
	return newLayer(r, def)
}

func cloneScheduleSpec(s ScheduleSpec) ScheduleSpec {
	s.Layers = slices.Clone(s.Layers)
	for i := range s.Layers {
		s.Layers[i].Participants = slices.Clone(s.Layers[i].Participants)
		s.Layers[i].Restrictions = slices.Clone(s.Layers[i].Restrictions)
	}
	s.Overrides = slices.Clone(s.Overrides)
	return s
}

// Name returns the schedule's name.
func (s *Schedule) Name() string { return s.spec.Name }

// Location returns the schedule's time zone.
func (s *Schedule) Location() *time.Location { return s.spec.Location }

// Spec returns a copy of the specification the schedule was built from.
func (s *Schedule) Spec() ScheduleSpec { return cloneScheduleSpec(s.spec) }
