package desk

import (
	"strconv"
	"strings"
	"time"
)

// CalendarDoc is a calendar in words, as administrators write it and as it
// is stored and sent: {"name": "office", "zone": "Europe/Berlin", "week":
// {"monday": "09:00-12:30, 13:30-18:00", ...}, "holidays": [{"date":
// "12-25", "name": "Christmas"}]}. A weekday left out is a day off.
type CalendarDoc struct {
	Name     string            `json:"name"`
	Zone     string            `json:"zone"`
	Week     map[string]string `json:"week"`
	Holidays []HolidayDoc      `json:"holidays"`
}

// HolidayDoc is a holiday in words: MM-DD every year, YYYY-MM-DD once.
type HolidayDoc struct {
	Date string `json:"date"`
	Name string `json:"name,omitempty"`
}

// CalendarDocOf writes spec in words.
func CalendarDocOf(spec CalendarSpec) CalendarDoc {
	d := CalendarDoc{Name: spec.Name, Zone: spec.Location.String(), Week: map[string]string{}, Holidays: []HolidayDoc{}}
	for day, ivs := range spec.Week {
		if len(ivs) == 0 {
			continue
		}
		parts := make([]string, len(ivs))
		for i, iv := range ivs {
			parts[i] = iv.String()
		}
		d.Week[strings.ToLower(time.Weekday(day).String())] = strings.Join(parts, ", ")
	}
	for _, h := range spec.Holidays {
		d.Holidays = append(d.Holidays, HolidayDoc{Date: h.String(), Name: h.Name})
	}
	return d
}

// Spec reads the document into a CalendarSpec (NewCalendar validates the
// rest). Field errors name "zone", "week.<day>" and "holidays[i]".
func (d CalendarDoc) Spec() (CalendarSpec, error) {
	spec := CalendarSpec{Name: d.Name}
	var v validation
	if strings.TrimSpace(d.Zone) == "" || d.Zone == "Local" {
		v.add("zone", RuleRequired, nil, "is required: an IANA time zone such as Europe/Berlin or UTC")
	} else if loc, err := time.LoadLocation(d.Zone); err != nil {
		v.add("zone", RuleInvalidZone, nil, "%q is not a known IANA time zone", d.Zone)
	} else {
		spec.Location = loc
	}
	days := map[string]time.Weekday{}
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		days[strings.ToLower(wd.String())] = wd
	}
	for name, hours := range d.Week {
		wd, ok := days[strings.ToLower(name)]
		if !ok {
			v.add("week."+name, RuleInvalidFmt, Params{"format": "weekday"}, "is not a weekday (monday … sunday)")
			continue
		}
		ivs, err := ParseWorkHours(hours)
		if err != nil {
			v.add("week."+name, RuleInvalidFmt, Params{"format": "interval"}, "%s", ErrorMessage(err))
			continue
		}
		spec.Week[wd] = ivs
	}
	for i, h := range d.Holidays {
		hol, err := ParseHoliday(h.Date, h.Name)
		if err != nil {
			v.add("holidays["+strconv.Itoa(i)+"]", RuleInvalidFmt, Params{"format": "date"}, "%s", ErrorMessage(err))
			continue
		}
		spec.Holidays = append(spec.Holidays, hol)
	}
	return spec, v.err()
}
