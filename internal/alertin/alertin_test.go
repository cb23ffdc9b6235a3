package alertin_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tierdesk/tierdesk/internal/alertin"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// realPayload reads one of the requests a real Alertmanager sent
// (../shared/data/alertmanager).
func realPayload(t *testing.T, name string) []byte {
	t.Helper()
	return testdb.ReadShared(t, "alertmanager", name)
}

func TestParse_AlertmanagerRealPayloads(t *testing.T) {
	dir := testdb.SharedData(t, "alertmanager")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) != 11 {
		t.Fatalf("want the 11 recorded payloads in %s, got %d (%v)", dir, len(files), err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		notices, err := alertin.Parse(desk.KindAlertmanager, b)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		if len(notices) != 1 || notices[0].DedupKey == "" || len(notices[0].Alerts) == 0 {
			t.Errorf("%s: notices %+v, want one with a group key and alerts", filepath.Base(f), notices)
		}
	}
}

func TestParse_AlertmanagerFields(t *testing.T) {
	notices, err := alertin.Parse(desk.KindAlertmanager, realPayload(t, "001-firing-DiskFull.json"))
	if err != nil {
		t.Fatal(err)
	}
	starts := time.Date(2026, 11, 26, 14, 54, 34, 199015061, time.UTC)
	want := []desk.AlertNotice{{DedupKey: `{}:{alertname="DiskFull"}`, Alerts: []desk.Alert{{
		Fingerprint: "e79675c8a61a9209", Status: desk.AlertFiring,
		Summary: "Disk /var 97% full on db01", Details: "Filesystem /var on db01 has 3% free", Severity: "critical",
		Labels: map[string]string{"alertname": "DiskFull", "instance": "db01:9100", "job": "node", "service": "postgres", "severity": "critical"},
		Links: []desk.AlertLink{{URL: "http://prometheus.example:9090/graph?g0.expr=disk", Text: "Source"},
			{URL: "https://runbooks.example.com/diskfull", Text: "Runbook"}},
		StartsAt: &starts,
	}}}}
	if d := cmp.Diff(want, notices); d != "" {
		t.Errorf("001 (-want +got):\n%s", d)
	}

	// 004: the group still fires while one of its alerts has resolved.
	notices, err = alertin.Parse(desk.KindAlertmanager, realPayload(t, "004-firing-DiskFull.json"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]desk.AlertStatus{}
	for _, a := range notices[0].Alerts {
		got[a.Fingerprint] = a.Status
		if a.Status == desk.AlertResolved && a.EndsAt == nil {
			t.Errorf("resolved alert %s has no end", a.Fingerprint)
		}
	}
	if d := cmp.Diff(map[string]desk.AlertStatus{"e79675c8a61a9209": desk.AlertResolved, "24e9765bbf4818cc": desk.AlertFiring}, got); d != "" {
		t.Errorf("004 statuses (-want +got):\n%s", d)
	}
}

func TestParse_GrafanaDocumentedFormat(t *testing.T) {
	b, err := os.ReadFile("testdata/grafana-firing.json")
	if err != nil {
		t.Fatal(err)
	}
	notices, err := alertin.Parse(desk.KindGrafana, b)
	if err != nil {
		t.Fatal(err)
	}
	if len(notices) != 1 || notices[0].DedupKey != `{}/{service="billing"}:{alertname="QueueBacklog"}` || len(notices[0].Alerts) != 2 {
		t.Fatalf("notices %+v", notices)
	}
	a := notices[0].Alerts[0]
	if a.Fingerprint != "5d1e6f0ab3c2e9a1" || a.Severity != "critical" || a.Summary != "Billing queue backlog" ||
		a.StartsAt == nil || !a.StartsAt.Equal(time.Date(2026, 11, 26, 14, 10, 3, 157076000, time.UTC)) || a.EndsAt != nil {
		t.Errorf("first alert %+v", a)
	}
	var texts []string
	for _, l := range a.Links {
		texts = append(texts, l.Text)
	}
	if d := cmp.Diff([]string{"Source", "Runbook", "Dashboard", "Panel", "Silence"}, texts); d != "" {
		t.Errorf("links (-want +got):\n%s", d)
	}
	// An Alertmanager integration refuses Grafana's version.
	_, err = alertin.Parse(desk.KindAlertmanager, b)
	wantField(t, err, "version")
}

func TestParse_Generic(t *testing.T) {
	notices, err := alertin.Parse(desk.KindGeneric, []byte(`{"summary":"Backup failed","details":"exit 2","severity":"Error",
		"dedup_key":"backup-nightly","labels":{"host":"nas1"},"links":[{"url":"https://ci.example.com/42","text":"Log"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	want := []desk.AlertNotice{{DedupKey: "backup-nightly", Alerts: []desk.Alert{{Fingerprint: "backup-nightly",
		Status: desk.AlertFiring, Summary: "Backup failed", Details: "exit 2", Severity: "error",
		Labels: map[string]string{"host": "nas1"}, Links: []desk.AlertLink{{URL: "https://ci.example.com/42", Text: "Log"}}}}}}
	if d := cmp.Diff(want, notices); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	notices, err = alertin.Parse(desk.KindGeneric, []byte(`{"summary":"Backup failed","status":"resolved"}`))
	if err != nil || notices[0].DedupKey != "Backup failed" || notices[0].Alerts[0].Status != desk.AlertResolved {
		t.Errorf("resolved without a key: %+v, %v; want keyed by the summary", notices, err)
	}
}

func TestParse_Malformed(t *testing.T) {
	for _, tc := range []struct {
		name  string
		kind  desk.IntegrationKind
		body  string
		field string // "" for malformed JSON
	}{
		{"not json", desk.KindAlertmanager, `{"version":"4",`, ""},
		{"two values", desk.KindGeneric, `{"summary":"a"} {}`, ""},
		{"array", desk.KindGeneric, `[]`, ""},
		{"old version", desk.KindAlertmanager, `{"version":"3","groupKey":"g","alerts":[{"status":"firing"}]}`, "version"},
		{"no group key", desk.KindAlertmanager, `{"version":"4","alerts":[{"status":"firing"}]}`, "groupKey"},
		{"no alerts", desk.KindGrafana, `{"version":"1","groupKey":"g","alerts":[]}`, "alerts"},
		{"bad status", desk.KindAlertmanager, `{"version":"4","groupKey":"g","alerts":[{"status":"pending"}]}`, "alerts[0].status"},
		{"labels not strings", desk.KindAlertmanager, `{"version":"4","groupKey":"g","alerts":[{"status":"firing","labels":{"a":1}}]}`, "alerts.labels"},
		{"unknown field", desk.KindGeneric, `{"summary":"a","sevrity":"critical"}`, ""},
		{"no summary", desk.KindGeneric, `{"dedup_key":"k"}`, "summary"},
		{"generic bad status", desk.KindGeneric, `{"summary":"a","status":"ok"}`, "status"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := alertin.Parse(tc.kind, []byte(tc.body))
			if tc.field == "" {
				if !errors.Is(err, alertin.ErrMalformed) {
					t.Errorf("error %v, want ErrMalformed", err)
				}
				return
			}
			wantField(t, err, tc.field)
		})
	}
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	var e *desk.Error
	if !errors.As(err, &e) || e.Code != desk.EINVALID || len(e.Fields) != 1 || e.Fields[0].Field != field {
		t.Errorf("error %v, want EINVALID on %s", err, field)
	}
}
