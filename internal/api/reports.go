package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// reportNotes tell a reader of the JSON what is counted.
var reportNotes = []string{
	"tickets: created in [from, to); their response, resolution and SLA outcomes are as they stand at generated_at",
	"backlog: tickets open at to, whenever created, aged from creation to to",
	"sla: met_percent = met / (met + missed); pending tickets (clock running or paused, not breached) count as neither",
	"business times: working time on each ticket's SLA-policy calendar (24x7 without a policy), on-hold time included",
	"time_to_acknowledge: tickets of the cohort that were paged, from their first page to the first acknowledgement (wall time; p90 by nearest rank)",
	"first_contact_resolution: tickets of the cohort registered and resolved in one step and not reopened since; rate = tickets / cohort",
}

// tatReport answers GET /api/v1/reports/tat as JSON, or as CSV (one row
// per group, then a "(total)" row) when the client accepts text/csv.
func (s *server) tatReport(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r, "from", "to", "group_by")
	rq := desk.ReportQuery{From: q.day("from"), To: q.day("to"), GroupBy: desk.ReportGroupBy(q.str("group_by"))}
	if rq.GroupBy == "none" {
		rq.GroupBy = desk.GroupByNone
	}
	if err := q.err(); err != nil {
		return err
	}
	rep, err := s.desk.Report(r.Context(), rq)
	if err != nil {
		return err
	}
	if wantsCSV(r) {
		return writeReportCSV(w, rep)
	}
	writeJSON(w, http.StatusOK, reportView(rep))
	return nil
}

// day parses a date (YYYY-MM-DD, midnight UTC) or an RFC 3339 timestamp;
// required.
func (q *query) day(name string) time.Time {
	v := q.values.Get(name)
	if v == "" {
		q.fail(name, desk.RuleRequired, nil, "is required: a date such as 2026-01-31 or an RFC 3339 timestamp")
		return time.Time{}
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		q.fail(name, desk.RuleInvalidFmt, desk.Params{"format": "date"}, "must be a date such as 2026-01-31 or an RFC 3339 timestamp")
	}
	return t
}

// wantsCSV reports whether Accept names text/csv before any JSON type.
func wantsCSV(r *http.Request) bool {
	for part := range strings.SplitSeq(r.Header.Get("Accept"), ",") {
		mt, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		switch strings.ToLower(strings.TrimSpace(mt)) {
		case "text/csv":
			return true
		case "application/json", "*/*":
			return false
		}
	}
	return false
}

type durationsJSON struct {
	Count                 int     `json:"count"`
	MeanWallSeconds       float64 `json:"mean_wall_seconds"`
	MedianWallSeconds     float64 `json:"median_wall_seconds"`
	MeanBusinessSeconds   float64 `json:"mean_business_seconds"`
	MedianBusinessSeconds float64 `json:"median_business_seconds"`
}

type outcomeJSON struct {
	Met        int      `json:"met"`
	Missed     int      `json:"missed"`
	Pending    int      `json:"pending"`
	MetPercent *float64 `json:"met_percent"`
}

type countJSON struct {
	Count   int     `json:"count"`
	Tickets int     `json:"tickets"`
	Rate    float64 `json:"rate"`
}

type reportSLAJSON struct {
	NoPolicy   int         `json:"no_policy"`
	Response   outcomeJSON `json:"response"`
	Resolution outcomeJSON `json:"resolution"`
}

type backlogJSON struct {
	Open int            `json:"open"`
	Ages map[string]int `json:"ages"`
}

type reportRowJSON struct {
	Key                   string         `json:"key"`
	Tickets               int            `json:"tickets"`
	FirstResponse         durationsJSON  `json:"first_response"`
	Resolution            durationsJSON  `json:"resolution"`
	SLA                   reportSLAJSON  `json:"sla"`
	FirstResponseWithin3h outcomeJSON    `json:"first_response_within_3h"`
	Backlog               backlogJSON    `json:"backlog"`
	Reassignments         countJSON      `json:"reassignments"`
	Reopens               countJSON      `json:"reopens"`
	Escalations           map[string]int `json:"escalations"`
	TimeToAcknowledge     ackJSON        `json:"time_to_acknowledge"`
	FirstContact          fcrJSON        `json:"first_contact_resolution"`
}

// fcrJSON counts the tickets resolved on first contact (and not reopened).
type fcrJSON struct {
	Tickets int     `json:"tickets"`
	Rate    float64 `json:"rate"`
}

type ackJSON struct {
	Paged         int     `json:"paged"`
	Acknowledged  int     `json:"acknowledged"`
	MeanSeconds   float64 `json:"mean_seconds"`
	MedianSeconds float64 `json:"median_seconds"`
	P90Seconds    float64 `json:"p90_seconds"`
}

func ackView(a desk.AckStats) ackJSON {
	return ackJSON{Paged: a.Paged, Acknowledged: a.Acknowledged, MeanSeconds: seconds(a.Mean),
		MedianSeconds: seconds(a.Median), P90Seconds: seconds(a.P90)}
}

type reportJSON struct {
	From        time.Time       `json:"from"`
	To          time.Time       `json:"to"`
	GroupBy     string          `json:"group_by"`
	GeneratedAt time.Time       `json:"generated_at"`
	Notes       []string        `json:"notes"`
	Rows        []reportRowJSON `json:"rows"`
	Total       reportRowJSON   `json:"total"`
}

func reportView(rep *desk.Report) reportJSON {
	by := string(rep.Query.GroupBy)
	if by == "" {
		by = "none"
	}
	out := reportJSON{From: rep.Query.From, To: rep.Query.To, GroupBy: by, GeneratedAt: rep.GeneratedAt,
		Notes: reportNotes, Rows: make([]reportRowJSON, 0, len(rep.Rows)), Total: reportRowView(rep.Total)}
	for _, row := range rep.Rows {
		out.Rows = append(out.Rows, reportRowView(row))
	}
	return out
}

func seconds(d time.Duration) float64 { return d.Seconds() }

func durationsView(d desk.DurationStats) durationsJSON {
	return durationsJSON{Count: d.Count, MeanWallSeconds: seconds(d.MeanWall), MedianWallSeconds: seconds(d.MedianWall),
		MeanBusinessSeconds: seconds(d.MeanBusiness), MedianBusinessSeconds: seconds(d.MedianBusiness)}
}

func outcomeView(s desk.SLAStats) outcomeJSON {
	return outcomeJSON{Met: s.Met, Missed: s.Missed, Pending: s.Pending, MetPercent: s.MetPercent()}
}

func reportRowView(r desk.ReportRow) reportRowJSON {
	ages := map[string]int{}
	for i, name := range desk.AgeBucketNames {
		ages[name] = r.BacklogAges[i]
	}
	esc := map[string]int{}
	for _, l := range []desk.Line{desk.Line2, desk.Line3} {
		esc["line_"+strconv.Itoa(int(l))] = r.EscalationsTo[l]
	}
	return reportRowJSON{Key: r.Key, Tickets: r.Tickets,
		FirstResponse: durationsView(r.FirstResponse), Resolution: durationsView(r.Resolution),
		SLA:                   reportSLAJSON{NoPolicy: r.NoPolicy, Response: outcomeView(r.ResponseSLA), Resolution: outcomeView(r.ResolutionSLA)},
		FirstResponseWithin3h: outcomeView(r.ResponseGoal),
		Backlog:               backlogJSON{Open: r.Backlog, Ages: ages},
		Reassignments:         countJSON{Count: r.Reassignments.Total, Tickets: r.Reassignments.Tickets, Rate: r.Reassignments.Rate(r.Tickets)},
		Reopens:               countJSON{Count: r.Reopens.Total, Tickets: r.Reopens.Tickets, Rate: r.Reopens.Rate(r.Tickets)},
		Escalations:           esc,
		TimeToAcknowledge:     ackView(r.Acknowledge),
		FirstContact:          fcrJSON{Tickets: r.FirstContact, Rate: r.FirstContactRate()}}
}
