package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/problem"
)

// The reports page: the turnaround (TAT) report of the API and CLI for a
// range of days in the viewer's time zone, grouped as the viewer chooses,
// as a table, charts drawn on the server and a CSV download of the table.
// The figures are desk.Report's, the same the API serves; reports_table.go
// turns them into the cells both the page and the CSV show.

func init() {
	registerArea("reports", func(s *server) {
		s.addNav(navItem{Path: "/reports", Key: "nav.reports", Who: staffOnly, Order: 35})
		s.get("/reports", staffOnly, s.reports)
		s.get("/reports/tat.csv", staffOnly, s.reportsCSV)
	})
}

// reportGroupings are the choices of the page's grouping, "none" last.
var reportGroupings = append(slices.Clone(desk.ReportGroupBys), "none")

// defaultReportDays is the range shown before the viewer chooses one.
const defaultReportDays = 30

// maxReportDays is the longest range in days (desk.MaxReportRange).
const maxReportDays = int(desk.MaxReportRange / (24 * time.Hour))

// reportsView is the page's data.
type reportsView struct {
	Zone      string   // the viewer's zone, in which the days are read
	Groupings []string // the grouping choices
	Report    *desk.Report
	LastDay   time.Time // the last day of the range (To is the midnight after it)
	Table     *reportTable
	Charts    []barChart
	CSV       string            // the download link of the table shown
	KB        *kbReportView     // the knowledge base's use (knowledge_reports.go); nil: none
	Triage    *triageReportView // automatic triage and reused resolutions (triage_reports.go); nil: none
	Problems  *problem.Report   // problem management's figures (GET /api/v1/reports/problems); nil: none
}

// reportForm is the page's input: from and to are days in the viewer's
// zone, both included; group_by a grouping or "none".
type reportForm struct {
	values url.Values
	q      desk.ReportQuery
}

// readReportForm reads the query string (defaults: the last 30 days by
// priority) and checks it; errs holds the translated message by field.
func (rq *request) readReportForm() (reportForm, map[string]string) {
	in := rq.r.URL.Query()
	f := reportForm{values: url.Values{}}
	today := time.Now().In(rq.loc)
	f.values.Set("from", strings.TrimSpace(in.Get("from")))
	f.values.Set("to", strings.TrimSpace(in.Get("to")))
	f.values.Set("group_by", strings.TrimSpace(in.Get("group_by")))
	if !in.Has("from") && !in.Has("to") {
		f.values.Set("to", today.Format(time.DateOnly))
		f.values.Set("from", today.AddDate(0, 0, 1-defaultReportDays).Format(time.DateOnly))
	}
	if f.values.Get("group_by") == "" {
		f.values.Set("group_by", string(desk.GroupByPriority))
	}
	errs := map[string]string{}
	from, fromOK := rq.reportDay(f.values.Get("from"), "from", errs)
	to, toOK := rq.reportDay(f.values.Get("to"), "to", errs)
	if fromOK && toOK {
		days := int(to.Sub(from)/(24*time.Hour)) + 1
		switch {
		case days < 1:
			errs["to"] = rq.lang.T("reports.err.order")
		case days > maxReportDays:
			errs["to"] = rq.lang.T("reports.err.range", maxReportDays)
		}
	}
	by := f.values.Get("group_by")
	if !slices.Contains(reportGroupings, desk.ReportGroupBy(by)) {
		errs["group_by"] = rq.lang.T("reports.err.group_by")
	}
	if len(errs) > 0 {
		return f, errs
	}
	f.q = desk.ReportQuery{
		From: time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, rq.loc),
		To:   time.Date(to.Year(), to.Month(), to.Day()+1, 0, 0, 0, 0, rq.loc),
	}
	if by != "none" {
		f.q.GroupBy = desk.ReportGroupBy(by)
	}
	return f, nil
}

// reportDay reads a day (YYYY-MM-DD, as a date input sends it) as a
// calendar date (midnight UTC, for counting days).
func (rq *request) reportDay(raw, field string, errs map[string]string) (time.Time, bool) {
	if raw == "" {
		errs[field] = rq.lang.T("rule.required")
		return time.Time{}, false
	}
	d, err := time.Parse(time.DateOnly, raw)
	if err != nil {
		errs[field] = rq.lang.T("rule.invalid_format.date")
		return time.Time{}, false
	}
	return d, true
}

func (s *server) reports(rq *request) error {
	f, errs := rq.readReportForm()
	v := &reportsView{Zone: rq.loc.String(), Groupings: make([]string, len(reportGroupings))}
	for i, g := range reportGroupings {
		v.Groupings[i] = string(g)
	}
	if errs != nil {
		return rq.renderForm(http.StatusUnprocessableEntity, "reports", v, f.values, errs)
	}
	rep, err := s.desk.Report(rq.ctx, f.q)
	if fe := fieldErrors(rq, err); fe != nil {
		return rq.renderForm(http.StatusUnprocessableEntity, "reports", v, f.values, fe)
	}
	if err != nil {
		return err
	}
	v.Report, v.LastDay = rep, rep.Query.To.Add(-time.Second)
	v.Table = newReportTable(rq.lang, rep)
	v.Charts = reportCharts(rq.lang, rep, v.Table)
	v.CSV = "/reports/tat.csv?" + f.values.Encode()
	if v.KB, err = s.kbReportFor(rq, f.q.From, f.q.To); err != nil {
		return err
	}
	if v.Triage, err = s.triageReportFor(rq, f.q.From, f.q.To); err != nil {
		return err
	}
	if s.opts.Problems != nil {
		if v.Problems, err = s.opts.Problems.Report(rq.ctx, f.q.From, f.q.To); err != nil {
			return err
		}
	}
	return rq.renderForm(http.StatusOK, "reports", v, f.values, nil)
}

// reportsCSV downloads the table the page shows for the same input: the
// same rows, columns and cells, headed in the viewer's language.
func (s *server) reportsCSV(rq *request) error {
	f, errs := rq.readReportForm()
	if errs != nil {
		return desk.Errorf(desk.EINVALID, "invalid report input")
	}
	rep, err := s.desk.Report(rq.ctx, f.q)
	if err != nil {
		return err
	}
	name := "tat-" + f.values.Get("from") + "-" + f.values.Get("to") + "-" + f.values.Get("group_by") + ".csv"
	h := rq.w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	return newReportTable(rq.lang, rep).writeCSV(rq.w, rq.lang)
}
