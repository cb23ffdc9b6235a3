package web

import (
	"math"
	"slices"
	"strconv"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// reportCharts draws the report's charts as the dashboard does (SVG on the
// server, each with its figures as text): tickets created and the share of
// first responses and resolutions on time, per group, and the backlog by
// age.
func reportCharts(l *lang, rep *desk.Report, t *reportTable) []barChart {
	labels := make([]string, len(t.Rows))
	for i, r := range t.Rows {
		labels[i] = r.Label
	}
	counts := make([]int, len(rep.Rows))
	for i, r := range rep.Rows {
		counts[i] = r.Tickets
	}
	charts := []barChart{reportChart(l, "tickets", labels, counts, nil)}
	for _, target := range []struct {
		id    string
		stats func(desk.ReportRow) desk.SLAStats
	}{
		{"response_sla", func(r desk.ReportRow) desk.SLAStats { return r.ResponseSLA }},
		{"resolution_sla", func(r desk.ReportRow) desk.SLAStats { return r.ResolutionSLA }},
	} {
		var ls, texts []string
		var vals []int
		for i, r := range rep.Rows {
			p := target.stats(r).MetPercent()
			if p == nil {
				continue
			}
			ls = append(ls, labels[i])
			vals = append(vals, int(math.Round(*p)))
			texts = append(texts, decimal(l, *p)+"%")
		}
		charts = append(charts, reportChart(l, target.id, ls, vals, texts))
	}
	ages := make([]string, len(desk.AgeBucketNames))
	for i, name := range desk.AgeBucketNames {
		ages[i] = l.T("dashboard.age." + name)
	}
	return append(charts, reportChart(l, "backlog", ages, rep.Total.BacklogAges[:], nil))
}

// reportChart is one bar chart; texts, when given, are shown instead of
// the values (percents).
func reportChart(l *lang, id string, labels []string, values []int, texts []string) barChart {
	if texts == nil {
		for _, v := range values {
			texts = append(texts, strconv.Itoa(v))
		}
	}
	parts := make([]string, len(values))
	for i := range values {
		parts[i] = labels[i] + ": " + texts[i]
	}
	desc := joinComma(parts)
	if len(values) == 0 {
		desc = l.T("reports.chart.empty")
	}
	var c barChart
	if id == "response_sla" || id == "resolution_sla" {
		c = newPercentChart("report-"+id, l.T("reports.chart."+id), desc, labels, values)
	} else {
		c = newBarChart("report-"+id, l.T("reports.chart."+id), desc, labels, values, nil)
	}
	for i := range c.Bars {
		c.Bars[i].Text = texts[i]
	}
	return c
}

// newPercentChart scales bars to 100 % rather than to the largest value,
// and marks shares under 80 % in the alert colour.
func newPercentChart(id, title, desc string, labels []string, values []int) barChart {
	c := newBarChart(id, title, desc, append(slices.Clip(labels), ""), append(slices.Clip(values), 100), nil)
	c.Bars = c.Bars[:len(values)]
	c.Height -= chartRowH
	for i := range c.Bars {
		c.Bars[i].Alert = values[i] < 80
	}
	return c
}
