package web

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// reportColumns are the table's columns after the group's name, by id
// (the catalogue key is "reports.col.<id>"). Durations are hours of wall
// time with one decimal, shares percents with one decimal.
var reportColumns = []string{
	"tickets", "response_mean", "response_median", "resolution_mean", "resolution_median",
	"response_sla", "resolution_sla", "within_3h", "backlog", "reassigned", "reopened",
	"escalated_2", "escalated_3", "first_contact",
}

// reportTable is what the page's table and the CSV show: a header, one
// row per group and the total, each cell as text ("" when there is no
// figure, e.g. a mean over no tickets).
type reportTable struct {
	Head  []string
	Rows  []reportTableRow
	Total reportTableRow
}

type reportTableRow struct {
	Key   string // the group's key in the report (its value in the API)
	Label string // the group as a reader sees it
	Cells []string
}

func newReportTable(l *lang, rep *desk.Report) *reportTable {
	t := &reportTable{Head: []string{l.T("reports.col.group." + groupingName(rep.Query.GroupBy))}}
	for _, c := range reportColumns {
		t.Head = append(t.Head, l.T("reports.col."+c))
	}
	for _, r := range rep.Rows {
		t.Rows = append(t.Rows, reportRowCells(l, rep.Query.GroupBy, r))
	}
	t.Total = reportRowCells(l, rep.Query.GroupBy, rep.Total)
	t.Total.Label = l.T("reports.total")
	return t
}

func groupingName(by desk.ReportGroupBy) string {
	if by == desk.GroupByNone {
		return "none"
	}
	return string(by)
}

func reportRowCells(l *lang, by desk.ReportGroupBy, r desk.ReportRow) reportTableRow {
	row := reportTableRow{Key: r.Key, Label: reportKeyLabel(l, by, r.Key)}
	hours := func(d desk.DurationStats, v time.Duration) string {
		if d.Count == 0 {
			return ""
		}
		return decimal(l, v.Hours())
	}
	pct := func(s desk.SLAStats) string {
		if p := s.MetPercent(); p != nil {
			return decimal(l, *p)
		}
		return ""
	}
	row.Cells = []string{
		strconv.Itoa(r.Tickets),
		hours(r.FirstResponse, r.FirstResponse.MeanWall), hours(r.FirstResponse, r.FirstResponse.MedianWall),
		hours(r.Resolution, r.Resolution.MeanWall), hours(r.Resolution, r.Resolution.MedianWall),
		pct(r.ResponseSLA), pct(r.ResolutionSLA), pct(r.ResponseGoal),
		strconv.Itoa(r.Backlog), strconv.Itoa(r.Reassignments.Tickets), strconv.Itoa(r.Reopens.Tickets),
		strconv.Itoa(r.EscalationsTo[desk.Line2]), strconv.Itoa(r.EscalationsTo[desk.Line3]),
		strconv.Itoa(r.FirstContact),
	}
	return row
}

// reportKeyLabel words a group's key: enum values in the viewer's
// language, lines as "Line 2", names as they are.
func reportKeyLabel(l *lang, by desk.ReportGroupBy, key string) string {
	switch {
	case key == "all":
		return l.T("reports.all")
	case key == "(none)":
		return l.T("reports.no_value")
	case by == desk.GroupByType && l.Has("type."+key):
		return l.T("type." + key)
	case by == desk.GroupByChannel && l.Has("channel."+key):
		return l.T("channel." + key)
	case by == desk.GroupByLine:
		return l.T("dashboard.line", key)
	}
	return key
}

// decimal writes v with one decimal in the language's own way (2.5 in
// English, 2,5 in Russian).
func decimal(l *lang, v float64) string {
	s := strconv.FormatFloat(v, 'f', 1, 64)
	return strings.Replace(s, ".", l.T("reports.decimal_mark"), 1)
}

// writeCSV writes the table as CSV: the cells exactly as the page shows
// them. Where the language writes decimals with a comma, fields are
// separated by semicolons (what spreadsheets in that language expect);
// a byte-order mark lets them read the UTF-8.
func (t *reportTable) writeCSV(w io.Writer, l *lang) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if l.T("reports.decimal_mark") == "," {
		cw.Comma = ';'
	}
	cw.Write(t.Head)
	for _, r := range t.Rows {
		cw.Write(append([]string{r.Label}, r.Cells...))
	}
	cw.Write(append([]string{t.Total.Label}, t.Total.Cells...))
	cw.Flush()
	return cw.Error()
}
