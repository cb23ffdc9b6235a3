package api

import (
	"net/http"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

type keyCountJSON struct {
	Key    string `json:"key"`
	N      int    `json:"count"`
	Capped bool   `json:"capped,omitempty"` // more than N (desk.CountCap)
}

type lineLoadJSON struct {
	Line       desk.Line `json:"line"`
	Open       int       `json:"open"`
	Unassigned int       `json:"unassigned"`
	Breached   int       `json:"breached"`
}

type attainmentJSON struct {
	Period     string      `json:"period"`
	From       string      `json:"from"`
	Tickets    int         `json:"tickets"`
	Response   outcomeJSON `json:"response"`
	Resolution outcomeJSON `json:"resolution"`
}

type satisfactionJSON struct {
	Period  string   `json:"period"`
	From    string   `json:"from"`
	Ratings int      `json:"ratings"`
	Average *float64 `json:"average"`
}

// promiseJSON is the support policy's promise over the incidents of the
// last 30 days: shares of first responses within 1 h and 3 h (of those the
// target applies to by now), and the mean time to resolve against 24 h.
type promiseJSON struct {
	From                 string   `json:"from"`
	Within1hPercent      *float64 `json:"response_within_1h_percent"`
	Due1h                int      `json:"response_due_1h"`
	Within3hPercent      *float64 `json:"response_within_3h_percent"`
	Due3h                int      `json:"response_due_3h"`
	Resolved             int      `json:"resolved"`
	MeanResolveSeconds   *float64 `json:"mean_resolution_seconds"`
	ResolveTargetSeconds float64  `json:"resolution_target_seconds"`
	MeanWithinTarget     bool     `json:"mean_resolution_within_target"`
}

func promiseView(p desk.Promise) promiseJSON {
	v := promiseJSON{From: rfc3339(p.From), Within1hPercent: p.Within1h, Due1h: p.Due1h, Within3hPercent: p.Within3h,
		Due3h: p.Due3h, Resolved: p.Resolved, ResolveTargetSeconds: p.ResolveTarget.Seconds(),
		MeanWithinTarget: p.MeanWithinResolveTarget}
	if p.MeanResolve != nil {
		secs := p.MeanResolve.Seconds()
		v.MeanResolveSeconds = &secs
	}
	return v
}

type dashboardJSON struct {
	At             string             `json:"at"`
	Queues         []keyCountJSON     `json:"queues"`
	OpenByPriority []keyCountJSON     `json:"open_by_priority"`
	OpenByState    []keyCountJSON     `json:"open_by_state"`
	Backlog        []keyCountJSON     `json:"backlog"`
	Lines          []lineLoadJSON     `json:"lines"`
	Attainment     []attainmentJSON   `json:"sla_attainment"`
	Satisfaction   []satisfactionJSON `json:"satisfaction"`
	Promise        promiseJSON        `json:"promise"`
}

func counts(cs []desk.Count) []keyCountJSON {
	out := make([]keyCountJSON, len(cs))
	for i, c := range cs {
		out[i] = keyCountJSON(c)
	}
	return out
}

func dashboardView(d *desk.Dashboard) dashboardJSON {
	v := dashboardJSON{At: rfc3339(d.At), Queues: counts(d.Queues), OpenByPriority: counts(d.OpenByPriority),
		OpenByState: counts(d.OpenByState), Backlog: counts(d.Backlog), Promise: promiseView(d.Promise)}
	for _, l := range d.Lines {
		v.Lines = append(v.Lines, lineLoadJSON(l))
	}
	for _, a := range d.Attainment {
		v.Attainment = append(v.Attainment, attainmentJSON{Period: a.Period, From: rfc3339(a.From), Tickets: a.Tickets,
			Response: outcomeView(a.Response), Resolution: outcomeView(a.Resolution)})
	}
	for _, s := range d.Satisfaction {
		v.Satisfaction = append(v.Satisfaction, satisfactionJSON{Period: s.Period, From: rfc3339(s.From),
			Ratings: s.Ratings, Average: s.Average()})
	}
	return v
}

// getDashboard returns the console's dashboard figures (staff).
func (s *server) getDashboard(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r, "group", "tz")
	dq := desk.DashboardQuery{GroupIDs: q.ids("group")}
	if tz := q.str("tz"); tz != "" {
		loc, err := time.LoadLocation(tz)
		if err != nil || tz == "Local" {
			q.fail("tz", desk.RuleInvalidZone, nil, "must be an IANA time zone such as Europe/Moscow")
		}
		dq.Location = loc
	}
	if err := q.err(); err != nil {
		return err
	}
	d, err := s.desk.Dashboard(r.Context(), dq)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, dashboardView(d))
	return nil
}
