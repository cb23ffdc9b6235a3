package api

import (
	"encoding/csv"
	"net/http"
	"strconv"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// ReportCSVHeader is the header row of a TAT report in CSV; durations are
// in seconds, rates are fractions, percentages are empty when undefined.
var ReportCSVHeader = []string{"group", "tickets",
	"responded", "mtta_mean_wall_s", "mtta_median_wall_s", "mtta_mean_business_s", "mtta_median_business_s",
	"resolved", "mttr_mean_wall_s", "mttr_median_wall_s", "mttr_mean_business_s", "mttr_median_business_s",
	"no_sla_policy", "response_met", "response_missed", "response_pending", "response_met_pct",
	"resolution_met", "resolution_missed", "resolution_pending", "resolution_met_pct",
	"first_response_within_3h_pct",
	"backlog", "backlog_lt_1d", "backlog_1d_3d", "backlog_3d_7d", "backlog_7d_30d", "backlog_gt_30d",
	"reassignments", "reassigned_tickets", "reassignment_rate", "reopens", "reopened_tickets", "reopen_rate",
	"escalations_to_line_2", "escalations_to_line_3",
	"paged", "acknowledged", "tta_mean_s", "tta_median_s", "tta_p90_s",
	"first_contact_resolved", "first_contact_rate"}

func writeReportCSV(w http.ResponseWriter, rep *desk.Report) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	cw := csv.NewWriter(w)
	_ = cw.Write(ReportCSVHeader)
	for _, row := range rep.Rows {
		_ = cw.Write(reportCSVRow(row))
	}
	total := rep.Total
	total.Key = "(total)"
	_ = cw.Write(reportCSVRow(total))
	cw.Flush()
	return nil // the status is sent: a write error means the client left
}

func reportCSVRow(r desk.ReportRow) []string {
	i := strconv.Itoa
	sec := func(d float64) string { return strconv.FormatFloat(d, 'f', 0, 64) }
	pct := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'f', 1, 64)
	}
	rate := func(f float64) string { return strconv.FormatFloat(f, 'f', 4, 64) }
	fr, rs := durationsView(r.FirstResponse), durationsView(r.Resolution)
	out := []string{r.Key, i(r.Tickets),
		i(fr.Count), sec(fr.MeanWallSeconds), sec(fr.MedianWallSeconds), sec(fr.MeanBusinessSeconds), sec(fr.MedianBusinessSeconds),
		i(rs.Count), sec(rs.MeanWallSeconds), sec(rs.MedianWallSeconds), sec(rs.MeanBusinessSeconds), sec(rs.MedianBusinessSeconds),
		i(r.NoPolicy), i(r.ResponseSLA.Met), i(r.ResponseSLA.Missed), i(r.ResponseSLA.Pending), pct(r.ResponseSLA.MetPercent()),
		i(r.ResolutionSLA.Met), i(r.ResolutionSLA.Missed), i(r.ResolutionSLA.Pending), pct(r.ResolutionSLA.MetPercent()),
		pct(r.ResponseGoal.MetPercent()), i(r.Backlog)}
	for _, n := range r.BacklogAges {
		out = append(out, i(n))
	}
	return append(out, i(r.Reassignments.Total), i(r.Reassignments.Tickets), rate(r.Reassignments.Rate(r.Tickets)),
		i(r.Reopens.Total), i(r.Reopens.Tickets), rate(r.Reopens.Rate(r.Tickets)),
		i(r.EscalationsTo[desk.Line2]), i(r.EscalationsTo[desk.Line3]),
		i(r.Acknowledge.Paged), i(r.Acknowledge.Acknowledged), sec(seconds(r.Acknowledge.Mean)),
		sec(seconds(r.Acknowledge.Median)), sec(seconds(r.Acknowledge.P90)),
		i(r.FirstContact), rate(r.FirstContactRate()))
}
