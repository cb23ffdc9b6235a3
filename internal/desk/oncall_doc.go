package desk

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ScheduleDoc is a schedule in words, as administrators write it and as it
// is stored and sent:
//
//	{"name": "line 3", "zone": "Europe/Berlin",
//	 "layers": [{"name": "week", "participants": [4, 7], "start_date": "2026-11-02",
//	             "hand_off": "09:00", "length": "7d",
//	             "restrictions": [{"weekday": "monday", "start": "18:00", "end": "09:00"}]}],
//	 "overrides": [{"user_id": 9, "start": "2026-12-24T18:00:00Z", "end": "2026-12-27T09:00:00Z"}]}
//
// A length is "<n>d" (local days) or "<n>h" (elapsed hours); a layer's zone
// is optional (the schedule's by default).
type ScheduleDoc struct {
	Name      string        `json:"name"`
	Zone      string        `json:"zone"`
	Layers    []LayerDoc    `json:"layers"`
	Overrides []OverrideDoc `json:"overrides"`
}

// LayerDoc is a rotation in words.
type LayerDoc struct {
	Name         string      `json:"name"`
	Participants []int64     `json:"participants"`
	Zone         string      `json:"zone,omitempty"`
	StartDate    string      `json:"start_date"`
	HandOff      string      `json:"hand_off"`
	Length       string      `json:"length"`
	Restrictions []WindowDoc `json:"restrictions"`
}

// WindowDoc is a weekly restriction window in words.
type WindowDoc struct {
	Weekday string `json:"weekday"`
	Start   string `json:"start"`
	End     string `json:"end"`
}

// OverrideDoc puts a user on call for a stretch.
type OverrideDoc struct {
	UserID int64     `json:"user_id"`
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
}

// ScheduleDocOf writes spec in words.
func ScheduleDocOf(spec ScheduleSpec) ScheduleDoc {
	d := ScheduleDoc{Name: spec.Name, Zone: spec.Location.String(), Layers: []LayerDoc{}, Overrides: []OverrideDoc{}}
	for _, r := range spec.Layers {
		l := LayerDoc{Name: r.Name, Participants: append([]int64{}, r.Participants...), StartDate: r.StartDate.String(),
			HandOff: r.HandOff.String(), Length: r.Length.String(), Restrictions: []WindowDoc{}}
		if r.Location != nil {
			l.Zone = r.Location.String()
		}
		for _, w := range r.Restrictions {
			l.Restrictions = append(l.Restrictions, WindowDoc{Weekday: strings.ToLower(w.Weekday.String()),
				Start: w.Start.String(), End: w.End.String()})
		}
		d.Layers = append(d.Layers, l)
	}
	for _, o := range spec.Overrides {
		d.Overrides = append(d.Overrides, OverrideDoc{UserID: o.UserID, Start: o.Start.UTC(), End: o.End.UTC()})
	}
	return d
}

// Schedule reads and validates the document. Field errors name "zone",
// "layers[0].start_date", "layers[1].restrictions[0]" and the like.
func (d ScheduleDoc) Schedule() (*Schedule, error) {
	var v validation
	spec := ScheduleSpec{Name: d.Name, Location: loadZone(&v, "zone", d.Zone, true)}
	for i, l := range d.Layers {
		spec.Layers = append(spec.Layers, l.rotation(&v, fmt.Sprintf("layers[%d]", i)))
	}
	for _, o := range d.Overrides {
		spec.Overrides = append(spec.Overrides, Override{UserID: o.UserID, Start: o.Start, End: o.End})
	}
	if err := v.err(); err != nil {
		if _, more := NewSchedule(spec); more != nil && spec.Location != nil {
			return nil, mergeFieldErrors(err, more)
		}
		return nil, err
	}
	return NewSchedule(spec)
}

func (l LayerDoc) rotation(v *validation, field string) Rotation {
	r := Rotation{Name: l.Name, Participants: l.Participants, Location: loadZone(v, field+".zone", l.Zone, false)}
	if d, err := time.Parse(time.DateOnly, strings.TrimSpace(l.StartDate)); err != nil {
		v.add(field+".start_date", RuleInvalidFmt, Params{"format": "date"}, "must be a date YYYY-MM-DD")
	} else {
		r.StartDate = Date(d.Year(), d.Month(), d.Day())
	}
	if t, err := ParseTimeOfDay(l.HandOff); err != nil || t >= EndOfDay {
		v.add(field+".hand_off", RuleInvalidFmt, Params{"format": "time_of_day"}, "must be a time of day HH:MM from 00:00 to 23:59")
	} else {
		r.HandOff = t
	}
	length, err := ParseShiftLength(l.Length)
	if err != nil {
		v.add(field+".length", RuleInvalidFmt, Params{"format": "duration"}, "%s", ErrorMessage(err))
	}
	r.Length = length
	for j, w := range l.Restrictions {
		tw, ok := w.window()
		if !ok {
			v.add(fmt.Sprintf("%s.restrictions[%d]", field, j), RuleInvalidFmt, Params{"format": "weekday"}, "must be a weekday (monday … sunday) with start and end HH:MM")
			continue
		}
		r.Restrictions = append(r.Restrictions, tw)
	}
	return r
}

func (w WindowDoc) window() (TimeWindow, bool) {
	tw := TimeWindow{Weekday: -1}
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		if strings.EqualFold(strings.TrimSpace(w.Weekday), wd.String()) {
			tw.Weekday = wd
		}
	}
	start, err1 := ParseTimeOfDay(w.Start)
	end, err2 := ParseTimeOfDay(w.End)
	tw.Start, tw.End = start, end
	return tw, tw.Weekday >= 0 && err1 == nil && err2 == nil
}

// ParseShiftLength reads "1d", "7d" or "12h".
func ParseShiftLength(s string) (ShiftLength, error) {
	s = strings.TrimSpace(s)
	if len(s) >= 2 {
		n, err := strconv.Atoi(s[:len(s)-1])
		if err == nil && n > 0 {
			switch s[len(s)-1] {
			case 'd':
				return ShiftLength{Days: n}, nil
			case 'h':
				return ShiftLength{Hours: n}, nil
			}
		}
	}
	return ShiftLength{}, Errorf(EINVALID, "must be a number of days or hours such as 1d, 7d or 12h")
}

// loadZone loads an IANA zone name ("" allowed when not required).
func loadZone(v *validation, field, name string, required bool) *time.Location {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		if required {
			v.add(field, RuleRequired, nil, "is required: an IANA time zone such as Europe/Berlin or UTC")
		}
		return nil
	case name == "Local":
		v.add(field, RuleInvalidZone, nil, "must be a named zone such as Europe/Berlin, not the server's local zone")
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		v.add(field, RuleInvalidZone, nil, "%q is not a known IANA time zone", name)
		return nil
	}
	return loc
}

// mergeFieldErrors joins the field errors of two validation failures,
// each field once.
func mergeFieldErrors(a, b error) error {
	ea, oka := a.(*Error)
	eb, okb := b.(*Error)
	if !oka || !okb {
		return a
	}
	out := &Error{Code: EINVALID, Message: ea.Message, Fields: append([]FieldError{}, ea.Fields...)}
	seen := map[string]bool{}
	for _, f := range ea.Fields {
		seen[f.Field] = true
	}
	for _, f := range eb.Fields {
		if !seen[f.Field] {
			out.Fields = append(out.Fields, f)
			seen[f.Field] = true
		}
	}
	return out
}
