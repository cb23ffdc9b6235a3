package web_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestBrowser_Reports: an agent opens Reports from the navigation, chooses
// a range and a grouping, and the table shows the API's figures for the
// same range in the agent's zone; the CSV link carries the same choice.
func TestBrowser_Reports(t *testing.T) {
	s := newSite(t)
	s.user("lena@example.com", "Lena Lineone", "agent", pw, 1)
	now := time.Now()
	for i, level := range []string{"high", "high", "medium", "medium", "medium", "low", "low", "low"} {
		// Spread over the last days; the P1s reported long ago are past their targets.
		s.phoneTicket("Printer jam "+level, level, level, now.Add(-time.Duration(i*7+1)*time.Hour))
	}
	b := newBrowsers(t).browser(s)
	b.signIn("lena@example.com", pw)
	b.open("/agent")
	b.submit(`nav a[href="/reports"]`)
	if b.page() != "reports" {
		t.Fatalf("the navigation's Reports link opened %q", b.page())
	}
	zone, err := time.LoadLocation(eval[string](b, `document.getElementById("report-form").dataset.zone`))
	if err != nil {
		t.Fatal(err)
	}
	today := now.In(zone)
	first := today.AddDate(0, 0, -6)
	setDate := func(sel, v string) {
		eval[string](b, `(() => { const el = document.querySelector("`+sel+`"); el.value = "`+v+`"; return el.value })()`)
	}
	setDate("#report-from", first.Format(time.DateOnly))
	setDate("#report-to", today.Format(time.DateOnly))
	b.choose("#report-by", "priority")
	b.submit("#report-form button[type=submit]")
	if b.page() != "reports" || !b.has("#report-table") {
		t.Fatalf("no report table after submitting: %s", b.bodyText())
	}
	// The table as the browser shows it: key → cells ("—" as empty).
	var rows map[string][]string
	raw := eval[string](b, `JSON.stringify(Object.fromEntries([...document.querySelectorAll("#report-table tr[data-key]")].map(
		tr => [tr.dataset.key, [...tr.querySelectorAll("td")].map(td => td.textContent === "—" ? "" : td.textContent)])))`)
	if err := json.Unmarshal([]byte(raw), &rows); err != nil {
		t.Fatal(err)
	}
	from := time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, zone)
	to := time.Date(today.Year(), today.Month(), today.Day()+1, 0, 0, 0, 0, zone)
	v := url.Values{"from": {from.Format(time.RFC3339)}, "to": {to.Format(time.RFC3339)}, "group_by": {"priority"}}
	rep := s.api("GET", "/api/v1/reports/tat?"+v.Encode(), nil)
	want := map[string][]string{"total": apiRowCells(rep["total"].(map[string]any))}
	for _, r := range rep["rows"].([]any) {
		row := r.(map[string]any)
		want[row["key"].(string)] = apiRowCells(row)
	}
	if len(rows) != len(want) {
		t.Errorf("the page shows rows %v, the API %v", rows, want)
	}
	for key, cells := range want {
		if g, w := strings.Join(rows[key], " | "), strings.Join(cells, " | "); g != w {
			t.Errorf("row %s:\n page %s\n  API %s", key, g, w)
		}
	}
	if want["total"][0] != "8" {
		t.Errorf("the API counts %s tickets created this week, want 8", want["total"][0])
	}
	href := eval[string](b, `document.getElementById("report-csv").getAttribute("href")`)
	if !strings.Contains(href, "group_by=priority") || !strings.Contains(href, "from="+first.Format(time.DateOnly)) {
		t.Errorf("the CSV link %q does not carry the choice shown", href)
	}
	b.screenshot("reports")
}
