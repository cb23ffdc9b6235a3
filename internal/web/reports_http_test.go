package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/api"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/devgen"
	"github.com/tierdesk/tierdesk/internal/jobs"
	"github.com/tierdesk/tierdesk/internal/pager"
	"github.com/tierdesk/tierdesk/internal/web"
)

// reportsEnv is a generated desk (a year of tickets with their history)
// served by both the web app and the API, and Lena, an agent in Moscow
// time, signed in to the web app and holding an API token.
type reportsEnv struct {
	*httpEnv
	apiURL, token string
	web           *client
	zone          *time.Location
}

func newReportsEnv(t *testing.T) *reportsEnv {
	t.Helper()
	e := newHTTPEnv(t, web.Options{})
	ctx := context.Background()
	if err := devgen.Generate(ctx, e.st, devgen.Options{Tickets: 1500, Requesters: 200, Seed: 7,
		Now: time.Now().UTC()}); err != nil {
		t.Fatal(err)
	}
	// And today's tickets of every kind (escalations, first-contact
	// resolutions, pages, breached targets, imports).
	runDue := func(ctx context.Context) error {
		if _, err := jobs.New(e.st, e.d, desk.SystemClock{}, jobs.Config{}, nil).RunDue(ctx, time.Now()); err != nil {
			return err
		}
		_, err := pager.NewEngine(e.st, e.d, desk.SystemClock{}, pager.Config{}, nil).RunDue(ctx, time.Now())
		return err
	}
	if _, err := devgen.Showcase(ctx, e.d, e.st, devgen.ShowcaseOptions{Password: pw, RunDue: runDue}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(e.d, nil, api.Options{}))
	t.Cleanup(srv.Close)
	token, _, err := e.d.IssueToken(desk.WithActor(ctx, e.lena), e.lena.ID, "reports test")
	if err != nil {
		t.Fatal(err)
	}
	e.setZone(e.lena, "Europe/Moscow")
	zone, _ := time.LoadLocation("Europe/Moscow")
	r := &reportsEnv{httpEnv: e, apiURL: srv.URL, token: token, web: e.client(), zone: zone}
	r.web.signIn("lena@example.com")
	return r
}

// apiReport asks the API for the report of [from, to) as JSON.
func (e *reportsEnv) apiReport(from, to time.Time, by string) map[string]any {
	e.t.Helper()
	v := url.Values{"from": {from.Format(time.RFC3339)}, "to": {to.Format(time.RFC3339)}, "group_by": {by}}
	req, _ := http.NewRequest("GET", e.apiURL+"/api/v1/reports/tat?"+v.Encode(), nil)
	req.Header.Set("Authorization", "Bearer "+e.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		e.t.Fatalf("API report: %d %s", res.StatusCode, body)
	}
	var out map[string]any
	if err := json.Unmarshal(body, &out); err != nil {
		e.t.Fatal(err)
	}
	return out
}

// The figures the page must show for an API row, in its columns' order:
// created, response mean/median, resolution mean/median (hours, one
// decimal), response/resolution SLA and within-3h (percent, one
// decimal), open at the end, reassigned, reopened, escalations to lines 2
// and 3, resolved on first contact. Empty where the API has no figure.
func apiRowCells(row map[string]any) []string {
	get := func(path ...string) any {
		var v any = row
		for _, p := range path {
			v = v.(map[string]any)[p]
		}
		return v
	}
	num := func(path ...string) string { return strconv.Itoa(int(get(path...).(float64))) }
	hours := func(what, stat string) string {
		if get(what, "count").(float64) == 0 {
			return ""
		}
		return strconv.FormatFloat(get(what, stat).(float64)/3600, 'f', 1, 64)
	}
	pct := func(path ...string) string {
		p := get(append(path, "met_percent")...)
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(p.(float64), 'f', 1, 64)
	}
	return []string{num("tickets"),
		hours("first_response", "mean_wall_seconds"), hours("first_response", "median_wall_seconds"),
		hours("resolution", "mean_wall_seconds"), hours("resolution", "median_wall_seconds"),
		pct("sla", "response"), pct("sla", "resolution"), pct("first_response_within_3h"),
		num("backlog", "open"), num("reassignments", "tickets"), num("reopens", "tickets"),
		num("escalations", "line_2"), num("escalations", "line_3"), num("first_contact_resolution", "tickets")}
}

var (
	reportRowRE  = regexp.MustCompile(`(?s)<tr data-key="([^"]*)"><th scope="row">([^<]*)</th>(.*?)</tr>`)
	reportCellRE = regexp.MustCompile(`<td>([^<]*)</td>`)
)

// pageRows reads the report table: key → cells ("" for "—"), in order.
func pageRows(t *testing.T, body string) (keys []string, cells map[string][]string) {
	t.Helper()
	cells = map[string][]string{}
	for _, m := range reportRowRE.FindAllStringSubmatch(body, -1) {
		key := html.UnescapeString(m[1])
		var row []string
		for _, c := range reportCellRE.FindAllStringSubmatch(m[3], -1) {
			v := html.UnescapeString(c[1])
			if v == "—" {
				v = ""
			}
			row = append(row, v)
		}
		keys, cells[key] = append(keys, key), row
	}
	return keys, cells
}

// TestWeb_ReportsMatchAPI: for every grouping, the page's table (and its
// CSV) over a range of days in the viewer's zone has the API's figures for
// the same instants, row for row.
func TestWeb_ReportsMatchAPI(t *testing.T) {
	e := newReportsEnv(t)
	today := time.Now().In(e.zone)
	first := today.AddDate(0, 0, -89)
	from := time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, e.zone)
	to := time.Date(today.Year(), today.Month(), today.Day()+1, 0, 0, 0, 0, e.zone)
	form := url.Values{"from": {from.Format(time.DateOnly)}, "to": {today.Format(time.DateOnly)}}
	for _, by := range []string{"priority", "type", "group", "line", "category", "service", "channel", "none"} {
		t.Run(by, func(t *testing.T) {
			form.Set("group_by", by)
			p := e.web.get("/reports?" + form.Encode())
			if p.status != 200 {
				t.Fatalf("reports page: %d %s", p.status, p.body)
			}
			rep := e.apiReport(from, to, by)
			keys, got := pageRows(t, p.body)
			var want []string
			for _, r := range rep["rows"].([]any) {
				row := r.(map[string]any)
				key := row["key"].(string)
				want = append(want, key)
				if g, w := strings.Join(got[key], " | "), strings.Join(apiRowCells(row), " | "); g != w {
					t.Errorf("row %s:\n page %s\n  API %s", key, g, w)
				}
			}
			want = append(want, "total")
			if g, w := strings.Join(got["total"], " | "), strings.Join(apiRowCells(rep["total"].(map[string]any)), " | "); g != w {
				t.Errorf("total:\n page %s\n  API %s", g, w)
			}
			if strings.Join(keys, ",") != strings.Join(want, ",") {
				t.Errorf("page rows %q, API rows %q", keys, want)
			}
			total := rep["total"].(map[string]any)
			if by == "priority" && (total["tickets"].(float64) < 100 || total["escalations"].(map[string]any)["line_3"].(float64) == 0 ||
				total["first_contact_resolution"].(map[string]any)["tickets"].(float64) == 0) {
				t.Errorf("the generated desk lacks tickets, escalations or first-contact resolutions to compare: %v", total)
			}
			// The CSV is the table as shown.
			c := e.web.get("/reports/tat.csv?" + form.Encode())
			if c.status != 200 || !strings.HasPrefix(c.header.Get("Content-Type"), "text/csv") ||
				!strings.Contains(c.header.Get("Content-Disposition"), "attachment") {
				t.Fatalf("CSV: %d %v", c.status, c.header)
			}
			records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(c.body, "\ufeff"))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(records) != len(keys)+1 {
				t.Fatalf("CSV has %d lines, the page %d rows and a header", len(records), len(keys))
			}
			for i, key := range keys {
				if g, w := strings.Join(records[i+1][1:], " | "), strings.Join(got[key], " | "); g != w {
					t.Errorf("CSV row %d (%s): %s, page %s", i+1, key, g, w)
				}
			}
		})
	}
}

// TestWeb_ReportsRange: the days are the viewer's (midnight in Moscow),
// both included, and the page says so.
func TestWeb_ReportsRange(t *testing.T) {
	e := newReportsEnv(t)
	p := e.web.get("/reports?from=2026-03-01&to=2026-03-31&group_by=none")
	if p.status != 200 {
		t.Fatalf("%d %s", p.status, p.body)
	}
	if !strings.Contains(p.body, "Europe/Moscow") {
		t.Error("the page does not say which zone its days are read in")
	}
	if !strings.Contains(p.body, "Mar 1, 2026 to Mar 31, 2026") {
		t.Error("the page does not show the range as the days chosen")
	}
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, e.zone)
	rep := e.apiReport(from, from.AddDate(0, 1, 0), "none")
	_, got := pageRows(t, p.body)
	if g, w := strings.Join(got["total"], " | "), strings.Join(apiRowCells(rep["total"].(map[string]any)), " | "); g != w {
		t.Errorf("total of March in Moscow:\n page %s\n  API %s", g, w)
	}
	// By default: the last 30 days, by priority.
	p = e.web.get("/reports")
	today := time.Now().In(e.zone)
	if !strings.Contains(p.body, `value="`+today.Format(time.DateOnly)+`"`) ||
		!strings.Contains(p.body, `value="`+today.AddDate(0, 0, -29).Format(time.DateOnly)+`"`) {
		t.Error("the default range is not the last 30 days in the viewer's zone")
	}
}

// TestWeb_ReportsBadInput: each mistake is told by its field, with the
// input kept, in the viewer's language.
func TestWeb_ReportsBadInput(t *testing.T) {
	e := newReportsEnv(t)
	for _, tc := range []struct {
		name, query, field, msg, kept string
	}{
		{"from after to", "from=2026-05-10&to=2026-05-01&group_by=group", "to", "cannot be before the first day", `value="2026-05-10"`},
		{"over 731 days", "from=2024-01-01&to=2026-01-02&group_by=line", "to", "at most 731 days", `value="2024-01-01"`},
		{"unknown grouping", "from=2026-05-01&to=2026-05-10&group_by=colour", "group_by", "Choose a grouping", `value="2026-05-10"`},
		{"not a date", "from=yesterday&to=2026-05-10&group_by=type", "from", "a date such as", `value="yesterday"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := e.web.get("/reports?" + tc.query)
			if p.status != http.StatusUnprocessableEntity {
				t.Fatalf("%d, want 422", p.status)
			}
			m := regexp.MustCompile(`<p class="field-error" id="` + tc.field + `-error">([^<]*)</p>`).FindStringSubmatch(p.body)
			if m == nil || !strings.Contains(html.UnescapeString(m[1]), tc.msg) {
				t.Errorf("no error %q by the %s field", tc.msg, tc.field)
			}
			if !strings.Contains(p.body, tc.kept) {
				t.Errorf("the input %s is not kept", tc.kept)
			}
			if strings.Contains(p.body, `id="report-table"`) {
				t.Error("a report is shown for bad input")
			}
		})
	}
	// 731 days exactly is allowed.
	if p := e.web.get("/reports?from=2024-01-01&to=2025-12-31&group_by=line"); p.status != 200 {
		t.Errorf("731 days: %d", p.status)
	}
	if p := e.web.get("/reports/tat.csv?from=2026-05-10&to=2026-05-01"); p.status != http.StatusUnprocessableEntity {
		t.Errorf("CSV of a bad range: %d, want 422", p.status)
	}
}

// TestWeb_ReportsRussian: Russian words, decimal commas, and a CSV that a
// Russian spreadsheet opens (semicolons).
func TestWeb_ReportsRussian(t *testing.T) {
	e := newReportsEnv(t)
	e.web.post("/language", url.Values{"csrf": {e.web.csrf("/reports")}, "lang": {"ru"}, "back": {"/reports"}})
	q := "/reports?from=2026-01-01&to=2026-12-31&group_by=channel"
	p := e.web.get(q)
	if p.status != 200 || !strings.Contains(p.body, "Отчёт о сроках обработки") || !strings.Contains(p.body, "Телефон") {
		t.Fatalf("%d: not a Russian report by channel", p.status)
	}
	_, rows := pageRows(t, p.body)
	if mean := rows["total"][1]; mean != "" && !strings.Contains(mean, ",") {
		t.Errorf("a Russian mean is written %q, want a decimal comma", mean)
	}
	c := e.web.get(strings.Replace(q, "/reports?", "/reports/tat.csv?", 1))
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(c.body, "\ufeff")))
	r.Comma = ';'
	records, err := r.ReadAll()
	if err != nil || len(records) < 2 || records[0][1] != "Зарегистрировано" {
		t.Errorf("Russian CSV: %v %q", err, c.body)
	}
}

// TestWeb_ReportsStaffOnly: requesters have no reports page and no link.
func TestWeb_ReportsStaffOnly(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	c := e.client()
	c.signIn("sam@example.com")
	if p := c.get("/reports"); p.status != http.StatusNotFound {
		t.Errorf("a requester opens /reports: %d", p.status)
	}
	if p := c.get("/my"); strings.Contains(p.body, `href="/reports"`) {
		t.Error("a requester's navigation links to the reports")
	}
	a := e.client()
	a.signIn("lena@example.com")
	if p := a.get("/agent"); !strings.Contains(p.body, `href="/reports"`) {
		t.Error("an agent's navigation has no link to the reports")
	}
}
