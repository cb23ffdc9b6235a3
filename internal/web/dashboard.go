package web

import (
	"strconv"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// The console's dashboard: the desk's figures with bar charts drawn on the
// server as SVG (each with a title, a description and its numbers as text,
// so that it reads without colour, without images and to a screen reader).

func init() {
	registerArea("dashboard", func(s *server) {
		s.get("/console/dashboard", staffOnly, s.dashboard)
	})
}

// barChart is a horizontal bar chart: a label, a bar and the value per row.
type barChart struct {
	ID, Title, Desc string
	Width, Height   int
	Bars            []bar
}

type bar struct {
	Label       string
	Value       int
	Text        string // the value as shown beside the bar
	Y, W, TextX int
	Alert       bool // drawn in the alert colour (breaches, P1)
}

// Chart geometry, in SVG user units.
const (
	chartLabelW = 170
	chartBarW   = 250
	chartRowH   = 28
)

func newBarChart(id, title, desc string, labels []string, values []int, alert func(int) bool) barChart {
	c := barChart{ID: id, Title: title, Desc: desc, Width: chartLabelW + chartBarW + 60, Height: len(values)*chartRowH + 8}
	top := 1
	for _, v := range values {
		top = max(top, v)
	}
	for i, v := range values {
		w := v * chartBarW / top
		if v > 0 {
			w = max(w, 2) // a non-zero value stays visible
		}
		c.Bars = append(c.Bars, bar{Label: labels[i], Value: v, Text: strconv.Itoa(v), Y: 4 + i*chartRowH, W: w,
			TextX: chartLabelW + w + 6, Alert: alert != nil && alert(i)})
	}
	return c
}

// dashboardView is the dashboard page's data.
type dashboardView struct {
	D      *desk.Dashboard
	Charts []barChart
}

func (s *server) dashboard(rq *request) error {
	d, err := s.desk.Dashboard(rq.ctx, desk.DashboardQuery{Location: rq.loc})
	if err != nil {
		return err
	}
	l := rq.lang
	v := dashboardView{D: d}
	chart := func(id string, counts []desk.Count, label func(string) string, alert func(int) bool) {
		labels, values := make([]string, len(counts)), make([]int, len(counts))
		var parts []string
		for i, c := range counts {
			labels[i], values[i] = label(c.Key), c.N
			parts = append(parts, labels[i]+": "+strconv.Itoa(c.N))
		}
		v.Charts = append(v.Charts, newBarChart(id, l.T("dashboard.chart."+id), joinComma(parts), labels, values, alert))
	}
	chart("priority", d.OpenByPriority, func(k string) string { return k }, func(i int) bool { return i == 0 })
	chart("state", d.OpenByState, func(k string) string { return l.T("state." + k) }, nil)
	chart("age", d.Backlog, func(k string) string { return l.T("dashboard.age." + k) }, func(i int) bool { return i >= 3 })
	var lines []desk.Count
	for _, ln := range d.Lines {
		lines = append(lines, desk.Count{Key: strconv.Itoa(int(ln.Line)), N: ln.Open})
	}
	chart("line", lines, func(k string) string { return l.T("dashboard.line", k) }, nil)
	return rq.ok("console_dashboard", v)
}

func joinComma(parts []string) string {
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += "; "
		}
		out += p
	}
	return out
}
