package statuspage

import (
	"slices"
	"time"
)

// UptimeDays is how many days of history the page shows per component.
const UptimeDays = 90

// Day is one day of a component's history: the share of it that was up
// (0..1) and the worst state it was in.
type Day struct {
	Date   time.Time // midnight UTC
	Uptime float64
	Worst  ComponentStatus
	// Known is false for days before the component existed.
	Known bool
}

// downWeight is how much of a state's time counts as down: a major outage
// fully, a partial outage for 30 %, as Statuspage counts them.
func downWeight(s ComponentStatus) float64 {
	switch s {
	case MajorOutage:
		return 1
	case PartialOutage:
		return 0.3
	}
	return 0
}

// History returns the last UptimeDays days up to now (today last) of a
// component created at created, from its recorded state changes (any order),
// and the uptime over them in percent.
func History(created time.Time, changes []Change, now time.Time) ([]Day, float64) {
	changes = slices.Clone(changes)
	slices.SortFunc(changes, func(a, b Change) int { return a.At.Compare(b.At) })
	today := now.UTC().Truncate(24 * time.Hour)
	from := today.AddDate(0, 0, -(UptimeDays - 1))
	days := make([]Day, UptimeDays)
	var up, total float64
	for i := range days {
		start := from.AddDate(0, 0, i)
		end := start.Add(24 * time.Hour)
		if now.Before(end) {
			end = now
		}
		d := Day{Date: start, Worst: Operational}
		if end.After(created) {
			d.Known = true
			lo := maxTime(start, created)
			down := downtime(changes, lo, end, &d.Worst)
			span := end.Sub(lo).Seconds()
			d.Uptime = 1
			if span > 0 {
				d.Uptime = 1 - down/span
				up += span - down
				total += span
			}
		}
		days[i] = d
	}
	pct := 100.0
	if total > 0 {
		pct = up * 100 / total
	}
	return days, pct
}

// downtime is the weighted seconds down in [lo, hi), recording the worst
// state seen in worst.
func downtime(changes []Change, lo, hi time.Time, worst *ComponentStatus) float64 {
	status := Operational
	for _, c := range changes {
		if !c.At.After(lo) {
			status = c.Status
		}
	}
	var down float64
	at := lo
	note := func(s ComponentStatus) {
		if s.severity() > worst.severity() || (*worst == Operational && s == UnderMaintenance) {
			*worst = s
		}
	}
	note(status)
	for _, c := range changes {
		if !c.At.After(lo) || !c.At.Before(hi) {
			continue
		}
		down += downWeight(status) * c.At.Sub(at).Seconds()
		status, at = c.Status, c.At
		note(status)
	}
	return down + downWeight(status)*hi.Sub(at).Seconds()
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Indicator is the page's overall state as Statuspage's status object
// gives it: none, minor, major or critical (maintenance counts as none
// unless an incident says otherwise).
func Indicator(comps []Component, incidents []Incident) Impact {
	worst := ImpactNone
	raise := func(i Impact) {
		if rank(i) > rank(worst) {
			worst = i
		}
	}
	for _, c := range comps {
		switch c.Status {
		case DegradedPerformance:
			raise(ImpactMinor)
		case PartialOutage:
			raise(ImpactMajor)
		case MajorOutage:
			raise(ImpactCritical)
		}
	}
	for _, in := range incidents {
		if in.Status.Open() {
			raise(in.Impact)
		}
	}
	return worst
}

func rank(i Impact) int {
	switch i {
	case ImpactMinor:
		return 1
	case ImpactMajor:
		return 2
	case ImpactCritical:
		return 3
	}
	return 0
}
