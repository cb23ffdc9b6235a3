package api

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"
)

func reportURL(query string) string { return "/api/v1/reports/tat?" + query }

// todayRange covers the tickets a test creates now.
func todayRange() string {
	day := time.Now().UTC().Truncate(24 * time.Hour)
	return "from=" + day.AddDate(0, 0, -1).Format(time.DateOnly) + "&to=" + day.AddDate(0, 0, 2).Format(time.DateOnly)
}

func TestTATReport_JSON(t *testing.T) {
	e := newEnv(t)
	a := e.agent.createTicket(ticketIn("Printer jam"))
	b := e.agent.createTicket(ticketIn("VPN down"))
	e.agent.do("POST", ticketURL(b, "/escalations"), map[string]any{"kind": "functional", "group_id": e.net.ID,
		"reason": "Needs network engineers"}).want(t, http.StatusOK)
	a = e.agent.move(a, map[string]any{"to": "assigned"})
	a = e.agent.move(a, map[string]any{"to": "in_progress"})
	e.agent.move(a, map[string]any{"to": "resolved", "resolution_code": "solved", "resolution_notes": "Cleared"})

	rep := decode[reportJSON](t, e.mgr.get(reportURL(todayRange()+"&group_by=priority")).want(t, http.StatusOK))
	if rep.GroupBy != "priority" || rep.Total.Tickets != 2 || len(rep.Rows) == 0 {
		t.Fatalf("report = %+v, want 2 tickets grouped by priority", rep)
	}
	tot := rep.Total
	if tot.FirstResponse.Count != 1 || tot.Resolution.Count != 1 || tot.Backlog.Open != 1 || tot.Backlog.Ages["lt_1d"] != 1 {
		t.Errorf("total = %+v, want 1 responded, 1 resolved, 1 in the backlog (under a day old)", tot)
	}
	if tot.SLA.Response.Met != 1 || tot.SLA.Response.Pending != 1 || tot.SLA.Response.MetPercent == nil ||
		*tot.SLA.Response.MetPercent != 100 || tot.SLA.Resolution.Pending != 1 {
		t.Errorf("sla = %+v, want response 1 met, 1 pending; resolution 1 pending", tot.SLA)
	}

	if tot.Escalations["line_2"] != 1 || tot.Reassignments.Count != 1 || tot.Reassignments.Rate != 0.5 {
		t.Errorf("escalations %v, reassignments %+v; want one escalation to line 2, one reassignment (rate 0.5)",
			tot.Escalations, tot.Reassignments)
	}
	byLine := decode[reportJSON](t, e.mgr.get(reportURL(todayRange()+"&group_by=line")).want(t, http.StatusOK))
	if len(byLine.Rows) != 2 || byLine.Rows[0].Key != "1" || byLine.Rows[1].Key != "2" || byLine.Rows[1].Backlog.Open != 1 {
		t.Errorf("by line: %+v, want lines 1 and 2, the escalated ticket open on line 2", byLine.Rows)
	}

	one := decode[reportJSON](t, e.agent.get(reportURL(todayRange())).want(t, http.StatusOK))
	if one.GroupBy != "none" || len(one.Rows) != 1 || one.Rows[0].Key != "all" || one.Rows[0].Tickets != 2 {
		t.Errorf("ungrouped report rows = %+v, want one row all of 2 tickets", one.Rows)
	}
}

func TestTATReport_CSV(t *testing.T) {
	e := newEnv(t)
	e.agent.createTicket(ticketIn("Printer jam"))
	r := e.admin.get(reportURL(todayRange()+"&group_by=line"), withHeader("Accept", "text/csv")).want(t, http.StatusOK)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("Content-Type %q, want text/csv", ct)
	}
	recs, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
	if err != nil {
		t.Fatalf("parse CSV: %v\n%s", err, r.body)
	}
	if len(recs) != 3 || recs[0][0] != "group" || recs[1][0] != "1" || recs[1][1] != "1" || recs[2][0] != "(total)" {
		t.Errorf("CSV = %q, want header, line 1 with 1 ticket, total", recs)
	}
	for i, rec := range recs {
		if len(rec) != len(ReportCSVHeader) {
			t.Errorf("row %d has %d fields, want %d", i, len(rec), len(ReportCSVHeader))
		}
	}
}

func TestTATReport_Refuses(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		name, query string
		field       string
		opts        []reqOpt
	}{
		{"no from", "to=2026-01-01", "from", []reqOpt{invalid}},
		{"bad date", "from=yesterday&to=2026-01-01", "from", nil},
		{"backwards", "from=2026-02-01&to=2026-01-01", "to", nil},
		{"too long", "from=2023-01-01&to=2026-01-01", "to", nil},
		{"unknown group", "from=2026-01-01&to=2026-02-01&group_by=colour", "group_by", []reqOpt{invalid}},
		{"unknown parameter", "from=2026-01-01&to=2026-02-01&format=csv", "format", []reqOpt{invalid}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := problemOf(t, e.agent.get(reportURL(c.query), c.opts...).want(t, http.StatusUnprocessableEntity))
			if len(p.Errors) == 0 || p.Errors[0].Field != c.field {
				t.Errorf("errors = %+v, want one on %s", p.Errors, c.field)
			}
		})
	}
	e.alice.get(reportURL(todayRange())).want(t, http.StatusForbidden)
	e.anon.get(reportURL(todayRange())).want(t, http.StatusUnauthorized)
}
