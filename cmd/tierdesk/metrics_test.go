package main

import (
	"io"
	"net"
	"net/http"
	"net/smtp"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/testbin"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestServe_Metrics scrapes the served binary after real actions: tickets
// created, answered, escalated and resolved over the API, an alert
// received, requests that match no route; on SQLite and PostgreSQL.
func TestServe_Metrics(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { scrapeAfterActions(t, []string{"--data", t.TempDir()}) })
	t.Run("postgres", func(t *testing.T) { scrapeAfterActions(t, []string{"--database", testdb.PostgresSchema(t)}) })
}

const metricsToken = "scrape-me-please-0123456789"

func startMetricsServer(t *testing.T, dbArgs []string) (e *e2e, metricsBase string) {
	t.Helper()
	tokenFile := filepath.Join(t.TempDir(), "metrics-token")
	if err := os.WriteFile(tokenFile, []byte(metricsToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	bin := testbin.Build(t)
	args := append([]string{"--metrics-addr", addr, "--metrics-token-file", tokenFile}, dbArgs...)
	base := testbin.Serve(t, bin, testbin.CleanEnv(), args...)
	return &e2e{t: t, bin: bin, dbArgs: dbArgs, base: base}, "http://" + addr
}

// freeAddr returns a loopback address nobody listens on (the server's own
// log names only its main address).
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func scrapeAfterActions(t *testing.T, dbArgs []string) {
	e, metricsBase := startMetricsServer(t, dbArgs)
	// Not public: the main address wants the token.
	if code, _ := get(t, e.base+"/metrics", ""); code != http.StatusUnauthorized {
		t.Fatalf("/metrics without a token: %d, want 401", code)
	}
	if code, _ := get(t, e.base+"/metrics", "Bearer wrong-token-wrong-token"); code != http.StatusUnauthorized {
		t.Fatalf("/metrics with a wrong token: %d, want 401", code)
	}
	admin := e.addUser("--email", "admin@example.com", "--name", "Ada Admin", "--role", "admin")
	l1 := e.addUser("--email", "lena@example.com", "--name", "Lena L1", "--group", "1")
	status, g2 := e.api(admin, "POST", "/groups", map[string]any{"name": "Network", "line": 2})
	if status != 201 {
		t.Fatalf("create line-2 group: %d %v", status, g2)
	}
	create := func(title, impact string) string {
		tk := e.ticketJSON(l1, "create", "--type", "incident", "--channel", "phone", "--title", title,
			"--requester-email", "sam@example.com", "--impact", impact, "--urgency", "medium")
		return tk["number"].(string)
	}
	a, b := create("VPN drops", "high"), create("Printer jams", "high")
	create("Mouse squeaks", "low")
	e.ticketJSON(l1, "transition", a, "--to", "in_progress")
	e.ok(l1, "ticket", "comment", a, "--body", "We are on it.")
	e.ticketJSON(l1, "transition", a, "--to", "resolved", "--resolution-code", "solved", "--notes", "Fixed")
	e.ticketJSON(l1, "escalate", b, "--group", strconv.Itoa(int(g2["id"].(float64))), "--reason", "Network")
	get(t, e.base+"/no/such/page", "")
	get(t, e.base+"/api/v1/no/such/thing", "")

	out := e.ok(admin, "integration", "create", "--kind", "generic", "--name", "backups")
	token := regexp.MustCompile(`token\s+(tdi_\S+)`).FindStringSubmatch(out)[1]
	for range 2 {
		if status, rc := e.api(token, "POST", "/alerts", map[string]any{"summary": "Backup of nas2 failed",
			"labels": map[string]string{"host": "nas2"}}); status != 202 {
			t.Fatalf("alert webhook: %d %v", status, rc)
		}
	}

	// an Alertmanager over its integration's limit of one alert a minute:
	// a resolved notification of one alert (which opens nothing) fills the
	// minute, and the next, of two alerts, is refused
	out = e.ok(admin, "integration", "create", "--kind", "alertmanager", "--name", "flood", "--rate-limit", "1")
	flood := regexp.MustCompile(`token\s+(tdi_\S+)`).FindStringSubmatch(out)[1]
	notification := func(status string, hosts ...string) map[string]any {
		var alerts []map[string]any
		for _, host := range hosts {
			alerts = append(alerts, map[string]any{"status": status, "labels": map[string]string{"alertname": "Down", "instance": host},
				"annotations": map[string]string{"summary": host + " down"}, "startsAt": time.Now().UTC().Format(time.RFC3339)})
		}
		return map[string]any{"version": "4", "status": status, "receiver": "desk", "groupKey": `{}:{alertname="Down"}`,
			"groupLabels": map[string]string{"alertname": "Down"}, "alerts": alerts}
	}
	for _, c := range []struct {
		body map[string]any
		want int
	}{{notification("resolved", "web0"), 202}, {notification("firing", "web1", "web2"), 429}} {
		if status, rc := e.api(flood, "POST", "/alerts", c.body); status != c.want {
			t.Fatalf("alerts to a limit of one a minute: %d %v, want %d", status, rc, c.want)
		}
	}

	code, text := get(t, e.base+"/metrics", "Bearer "+metricsToken)
	if code != 200 {
		t.Fatalf("/metrics with the token: %d", code)
	}
	if code, own := get(t, metricsBase+"/metrics", ""); code != 200 || !strings.Contains(own, "tierdesk_build_info") {
		t.Fatalf("/metrics on --metrics-addr: %d", code)
	}
	for series, want := range map[string]float64{
		`tierdesk_tickets_created_total{channel="phone",priority="P2"}`:                         2,
		`tierdesk_tickets_created_total{channel="phone",priority="P4"}`:                         1,
		`tierdesk_tickets_created_total{channel="monitoring",priority="P3"}`:                    1, // the alert's incident
		`tierdesk_ticket_state_changes_total{from="new",to="in_progress"}`:                      1,
		`tierdesk_ticket_state_changes_total{from="in_progress",to="resolved"}`:                 1,
		`tierdesk_escalations_total{kind="functional"}`:                                         1,
		`tierdesk_first_response_seconds_count{priority="P2"}`:                                  1,
		`tierdesk_resolution_seconds_count{priority="P2"}`:                                      1,
		`tierdesk_open_tickets{line="1",priority="P4"}`:                                         1,
		`tierdesk_open_tickets{line="1",priority="P3"}`:                                         1,
		`tierdesk_open_tickets{line="2",priority="P2"}`:                                         1,
		`tierdesk_alerts_received_total{integration_kind="generic"}`:                            2,
		`tierdesk_alerts_deduplicated_total{integration_kind="generic"}`:                        1,
		`tierdesk_alert_incidents_opened_total{integration_kind="generic"}`:                     1,
		`tierdesk_alerts_received_total{integration_kind="alertmanager"}`:                       3,
		`tierdesk_alerts_overflowed_total{integration_kind="alertmanager"}`:                     2,
		`tierdesk_alerts_overflowed_total{integration_kind="generic"}`:                          0,
		`tierdesk_http_request_duration_seconds_count{code="201",route="POST /api/v1/tickets"}`: 3,
		`tierdesk_http_request_duration_seconds_count{code="404",route="unmatched"}`:            1, // the API's
		`tierdesk_http_request_duration_seconds_count{code="404",route="/"}`:                    1, // the web UI's catch-all
		`tierdesk_database_up`:         1,
		`tierdesk_pages_started_total`: 0,
	} {
		if got, ok := sample(text, series); !ok || got != want {
			t.Errorf("%s = %v (present %v), want %v\n%s", series, got, ok, want, grepLines(text, "tierdesk_tickets_created|_count{|open_tickets"))
		}
	}
	for _, name := range []string{"tierdesk_build_info{", "tierdesk_job_runner_lag_seconds ", "tierdesk_db_connections{",
		"tierdesk_page_acknowledge_seconds_bucket{"} {
		if !strings.Contains(text, "\n"+name) {
			t.Errorf("no %s in the scrape", name)
		}
	}
	if strings.Contains(text, `tierdesk_ticket_state_changes_total{from=""`) {
		t.Error("a ticket's creation counted as a state change")
	}
	if strings.Contains(text, "sam@example.com") || strings.Contains(text, a) {
		t.Error("the scrape names a person or a ticket")
	}
}

// sample returns the value of one series of a Prometheus text scrape.
func sample(text, series string) (float64, bool) {
	for _, line := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			return f, err == nil
		}
	}
	return 0, false
}

func get(t *testing.T, url, auth string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func grepLines(text, pattern string) string {
	re := regexp.MustCompile(pattern)
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if re.MatchString(l) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestServe_MetricsMail delivers mail over SMTP to the served binary with
// metrics on: a new ticket, an auto-reply and the same message again are
// counted by outcome, the auto-reply by its drop reason.
func TestServe_MetricsMail(t *testing.T) {
	smtpAddr := freeAddr(t)
	_, metricsBase := startMetricsServer(t, []string{"--data", t.TempDir(), "--smtp-addr", smtpAddr})
	send := func(id, extra string) {
		msg := "From: Ivan <ivan@example.ru>\r\nTo: support@helpdesk.local\r\nSubject: Printer jammed\r\n" +
			"Message-ID: <" + id + "@example.ru>\r\n" + extra + "\r\nThe printer on floor 3 is jammed.\r\n"
		if err := smtp.SendMail(smtpAddr, nil, "ivan@example.ru", []string{"support@helpdesk.local"}, []byte(msg)); err != nil {
			t.Fatalf("send %s: %v", id, err)
		}
	}
	send("m-1", "")
	send("m-1", "")                                 // redelivered
	send("m-2", "Auto-Submitted: auto-replied\r\n") // an out-of-office
	_, text := get(t, metricsBase+"/metrics", "")
	for series, want := range map[string]float64{
		`tierdesk_mail_received_total{outcome="ticket"}`:                1,
		`tierdesk_mail_received_total{outcome="duplicate"}`:             1,
		`tierdesk_mail_received_total{outcome="dropped"}`:               1,
		`tierdesk_mail_dropped_total{reason="automatic"}`:               1,
		`tierdesk_tickets_created_total{channel="email",priority="P3"}`: 1,
	} {
		if got, ok := sample(text, series); !ok || got != want {
			t.Errorf("%s = %v (present %v), want %v\n%s", series, got, ok, want, grepLines(text, "tierdesk_mail|created"))
		}
	}
}

// TestServe_BackupMetrics: with scheduled backups, the scrape says when the
// latest verified backup finished (what the "backup failed" alert reads),
// and says nothing of backups when none are scheduled.
func TestServe_BackupMetrics(t *testing.T) {
	started := time.Now()
	dir := filepath.Join(t.TempDir(), "backups")
	_, metricsBase := startMetricsServer(t, []string{"--data", t.TempDir(), "--backup-every", "1s", "--backup-dir", dir})
	var text string
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		_, text = get(t, metricsBase+"/metrics", "")
		if v, ok := sample(text, "tierdesk_backup_last_success_timestamp_seconds"); ok && v > 0 {
			if at := time.Unix(int64(v), 0); at.Before(started.Add(-time.Second)) || at.After(time.Now().Add(time.Second)) {
				t.Fatalf("last backup at %v, want between %v and now", at, started)
			}
			if v, ok := sample(text, "tierdesk_backup_last_failure_timestamp_seconds"); !ok || v != 0 {
				t.Fatalf("last failure %v (present %v), want 0", v, ok)
			}
			break
		}
	}
	if _, ok := sample(text, "tierdesk_backup_last_success_timestamp_seconds"); !ok {
		t.Fatalf("no backup success in the scrape after a minute of backups every second:\n%s", grepLines(text, "backup"))
	}

	_, plain := startMetricsServer(t, []string{"--data", t.TempDir()})
	if _, text := get(t, plain+"/metrics", ""); strings.Contains(text, "tierdesk_backup_") {
		t.Errorf("backups not scheduled, yet the scrape has:\n%s", grepLines(text, "backup"))
	}
}
