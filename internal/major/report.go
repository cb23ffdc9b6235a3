package major

import (
	"slices"
	"time"
)

// ReportFacts is what the report reads of one major incident.
type ReportFacts struct {
	Incident *Incident
	Service  string
	Updates  []Update // oldest first
}

// ServiceCount is the major incidents of one service.
type ServiceCount struct {
	Service string
	Count   int
}

// Report is the major-incident report over a period. Durations are means
// over the incidents that have them; Cadence is the share of updates
// posted on time (0..100), -1 with no updates.
type Report struct {
	Incidents         int
	PerService        []ServiceCount
	TimeToDeclare     time.Duration
	TimeToFirstUpdate time.Duration
	TimeToResolve     time.Duration
	CadenceKept       float64
	Updates           int
	ItemsPastDue      int
}

// BuildReport computes the report from the facts and the open action items.
func BuildReport(facts []ReportFacts, items []ActionItem, now time.Time) Report {
	var r Report
	per := map[string]int{}
	var declare, first, resolve mean
	onTime := 0
	for _, f := range facts {
		m := f.Incident
		r.Incidents++
		per[f.Service]++
		if !m.FirstAlertAt.IsZero() && m.FirstAlertAt.Before(m.DeclaredAt) {
			declare.add(m.DeclaredAt.Sub(m.FirstAlertAt))
		} else {
			declare.add(0)
		}
		if len(f.Updates) > 0 {
			first.add(f.Updates[0].PostedAt.Sub(m.DeclaredAt))
		}
		if m.ResolvedAt != nil {
			resolve.add(m.ResolvedAt.Sub(m.DeclaredAt))
		}
		for _, u := range f.Updates {
			r.Updates++
			if u.OnTime {
				onTime++
			}
		}
	}
	r.TimeToDeclare, r.TimeToFirstUpdate, r.TimeToResolve = declare.value(), first.value(), resolve.value()
	r.CadenceKept = -1
	if r.Updates > 0 {
		r.CadenceKept = float64(onTime) * 100 / float64(r.Updates)
	}
	for _, a := range items {
		if a.PastDue(now) {
			r.ItemsPastDue++
		}
	}
	for name, n := range per {
		r.PerService = append(r.PerService, ServiceCount{Service: name, Count: n})
	}
	slices.SortFunc(r.PerService, func(a, b ServiceCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		if a.Service < b.Service {
			return -1
		}
		return 1
	})
	return r
}

type mean struct {
	sum time.Duration
	n   int
}

func (m *mean) add(d time.Duration) { m.sum += d; m.n++ }

func (m mean) value() time.Duration {
	if m.n == 0 {
		return 0
	}
	return (m.sum / time.Duration(m.n)).Round(time.Second)
}
