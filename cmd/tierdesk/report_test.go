package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestHeadline(t *testing.T) {
	p := func(f float64) *float64 { return &f }
	rep := &apiReport{From: time.Date(2016, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2017, 3, 1, 0, 0, 0, 0, time.UTC),
		Rows: []apiReportRow{{Key: "incident", Tickets: 10, Within3h: apiOutcome{Met: 8, Missed: 2, MetPercent: p(80)},
			Resolution: apiDurations{Count: 9, MeanWall: 30 * 3600, MedianWall: 12 * 3600}}}}
	rep.Rows[0].SLA.Response.MetPercent = p(75)
	got := headline(rep)
	for _, s := range []string{"first response within 1–3 h: 80.0% of incidents", "(75.0% met their policy's response target)",
		"mean resolution time: 30.0 h against a 24 h goal (median 12.0 h)", "10 incidents created 2016-03-01 – 2017-03-01; 9 resolved"} {
		if !strings.Contains(got, s) {
			t.Errorf("headline lacks %q:\n%s", s, got)
		}
	}
	if got := headline(&apiReport{}); !strings.HasPrefix(got, "no incidents") {
		t.Errorf("headline without incidents = %q", got)
	}
}

func TestPrintReport(t *testing.T) {
	rep := &apiReport{GroupBy: "priority", Rows: []apiReportRow{{Key: "P1", Tickets: 3,
		FirstResponse: apiDurations{Count: 3, MeanWall: 1800, MedianWall: 900}}}, Total: apiReportRow{Key: "total", Tickets: 3}}
	rep.Rows[0].Backlog.Open = 2
	rep.Rows[0].Backlog.Ages = map[string]int{"lt_1d": 1, "gt_30d": 1}
	rep.Rows[0].FirstContact.Tickets, rep.Rows[0].FirstContact.Rate = 1, 1.0/3
	var b bytes.Buffer
	if err := printReport(&b, rep); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"GROUP", "P1", "30m/15m", "2: 1/0/0/0/1", "total", "pending", "FIRST CONTACT", "1 (33%)"} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("table lacks %q:\n%s", s, b.String())
		}
	}
}

// TestReportCLI runs the report commands of the real binary against a
// server with one incident.
func TestReportCLI(t *testing.T) {
	e := startServer(t, []string{"--data", t.TempDir()})
	admin := e.addUser("--email", "admin@example.com", "--name", "Ada Admin", "--role", "admin")
	status, tk := e.api(admin, "POST", "/tickets", map[string]any{"type": "incident", "title": "VPN down",
		"description": "Since 09:00", "requester": map[string]any{"name": "Sam Seller", "email": "sam@example.com"}})
	if status != 201 {
		t.Fatalf("create ticket: %d %v", status, tk)
	}
	day := time.Now().UTC().Truncate(24 * time.Hour)
	from, to := day.AddDate(0, 0, -1).Format(time.DateOnly), day.AddDate(0, 0, 1).Format(time.DateOnly)

	table := e.ok(admin, "report", "tat", "--from", from, "--to", to, "--group-by", "priority")
	if !strings.Contains(table, "GROUP") || !strings.Contains(table, "total") {
		t.Errorf("table:\n%s", table)
	}
	var rep apiReport
	if err := json.Unmarshal([]byte(e.ok(admin, "report", "tat", "--from", from, "--to", to, "--format", "json")), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Total.Tickets != 1 || rep.Total.Backlog.Open != 1 {
		t.Errorf("JSON report total = %+v, want 1 ticket, 1 open", rep.Total)
	}
	recs, err := csv.NewReader(strings.NewReader(e.ok(admin, "report", "tat", "--from", from, "--to", to,
		"--group-by", "type", "--format", "csv"))).ReadAll()
	if err != nil || len(recs) != 3 || recs[1][0] != "incident" || recs[1][1] != "1" {
		t.Errorf("CSV = %q, %v; want header, incident with 1 ticket, total", recs, err)
	}
	if got := e.ok(admin, "report", "headline"); !strings.Contains(got, "first response within 1–3 h:") ||
		!strings.Contains(got, "1 incidents created") {
		t.Errorf("headline:\n%s", got)
	}
	for _, args := range [][]string{{"report", "tat", "--to", to}, {"report", "tat", "--from", "May", "--to", to},
		{"report", "tat", "--from", from, "--to", to, "--format", "xml"}} {
		if _, errOut, code := e.cli(admin, args...); code != 2 {
			t.Errorf("tierdesk %s: exit %d, want 2\n%s", strings.Join(args, " "), code, errOut)
		}
	}
	if _, errOut, code := e.cli(admin, "report", "tat", "--from", to, "--to", from); code != 1 || !strings.Contains(errOut, "422") {
		t.Errorf("backwards range: exit %d, want 1 with the server's 422\n%s", code, errOut)
	}
}
