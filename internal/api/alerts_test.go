package api

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/testdb"
)

// integration is an integration created through the API, with a client
// that posts alerts with its token.
type integration struct {
	json   integrationJSON
	sender *client
}

func (e *env) integration(kind, name string, settings map[string]any) integration {
	e.t.Helper()
	body := map[string]any{"kind": kind, "name": name}
	for k, v := range settings {
		body[k] = v
	}
	ig := decode[integrationJSON](e.t, e.admin.do("POST", "/api/v1/integrations", body).want(e.t, http.StatusCreated))
	return integration{json: ig, sender: e.client(ig.Token)}
}

// post sends a raw payload to the webhook as the integration.
func (ig integration) post(t *testing.T, payload []byte) *response {
	t.Helper()
	return ig.sender.do("POST", "/api/v1/alerts", nil, rawBody(payload, "application/json"), checkedRequest)
}

// checkedRequest undoes rawBody's exemption: webhook payloads are real
// requests that the document must describe.
func checkedRequest(r *request) { r.skipReqSpec = false }

func (e *env) stats(ig integration) integrationStatsJSON {
	e.t.Helper()
	return decode[integrationJSON](e.t, e.admin.get(fmt.Sprintf("/api/v1/integrations/%d", ig.json.ID)).want(e.t, http.StatusOK)).Stats
}

func (e *env) ticket(id int64) map[string]any {
	e.t.Helper()
	return decode[map[string]any](e.t, e.admin.get(fmt.Sprintf("/api/v1/tickets/%d", id)).want(e.t, http.StatusOK))
}

func (e *env) events(id int64) []eventJSON {
	e.t.Helper()
	return decode[eventListJSON](e.t, e.admin.get(fmt.Sprintf("/api/v1/tickets/%d/events", id)).want(e.t, http.StatusOK)).Events
}

func eventsOf(events []eventJSON, kind string) []eventJSON {
	var out []eventJSON
	for _, ev := range events {
		if string(ev.Kind) == kind {
			out = append(out, ev)
		}
	}
	return out
}

func recorded(t *testing.T, name string) []byte {
	t.Helper()
	return testdb.ReadShared(t, "alertmanager", name)
}

// TestAlerts_FiringRepeatResolved posts the real CertExpiry notifications
// of an Alertmanager — firing, the identical repeat, resolved — and checks
// that one incident was opened, the repeat counted on one timeline entry,
// and the incident resolved by its rule.
func TestAlerts_FiringRepeatResolved(t *testing.T) {
	e := newEnv(t)
	ig := e.integration("alertmanager", "prometheus", map[string]any{"default_rule": map[string]any{"auto_resolve": true}})
	if ig.json.Token == "" || ig.json.URL != e.srv.URL+"/api/v1/alerts" {
		t.Fatalf("created integration %+v: want a token and the webhook URL", ig.json)
	}

	first := decode[alertReceiptJSON](t, ig.post(t, recorded(t, "009-firing-CertExpiry.json")).want(t, http.StatusAccepted))
	if len(first.Incidents) != 1 || first.Incidents[0].Action != "opened" || first.Incidents[0].TicketID == nil {
		t.Fatalf("first notification: %+v", first)
	}
	id := *first.Incidents[0].TicketID
	repeat := decode[alertReceiptJSON](t, ig.post(t, recorded(t, "010-firing-CertExpiry.json")).want(t, http.StatusAccepted))
	if o := repeat.Incidents[0]; o.Action != "attached" || o.Repeats != 1 || *o.TicketID != id {
		t.Fatalf("repeat: %+v", o)
	}
	tk := e.ticket(id)
	if tk["channel"] != "monitoring" || tk["type"] != "incident" || tk["state"] != "new" || tk["priority"] != "P3" ||
		tk["title"] != "TLS cert expires in 7 days" {
		t.Errorf("incident %v: want a new P3 monitoring incident titled by the summary (severity warning)", tk)
	}
	if rep := eventsOf(e.events(id), "alert_repeated"); len(rep) != 1 || !strings.Contains(rep[0].Body, "repeated 1 times") {
		t.Errorf("alert_repeated entries %+v, want one counting 1 repeat", rep)
	}

	resolved := decode[alertReceiptJSON](t, ig.post(t, recorded(t, "011-resolved-CertExpiry.json")).want(t, http.StatusAccepted))
	if o := resolved.Incidents[0]; o.Action != "resolved" || *o.TicketID != id {
		t.Fatalf("resolve: %+v", o)
	}
	tk = e.ticket(id)
	if tk["state"] != "resolved" || tk["resolution_code"] != "solved" {
		t.Errorf("after the resolved notification the incident is %v/%v, want resolved/solved", tk["state"], tk["resolution_code"])
	}
	events := e.events(id)
	if len(eventsOf(events, "alert_resolved")) != 1 || len(eventsOf(events, "alert_repeated")) != 1 {
		t.Errorf("timeline %+v: want one alert_resolved and still one alert_repeated", events)
	}
	st := e.stats(ig)
	if st.AlertsReceived != 3 || st.AlertsDeduplicated != 1 || st.IncidentsOpened != 1 || st.AlertsOverflow != 0 || st.LastAlertAt == nil {
		t.Errorf("stats %+v, want 3 received, 1 deduplicated, 1 incident", st)
	}
}

// TestAlerts_RealAlertmanagerSequence replays all eleven recorded
// notifications in arrival order: four groups, four incidents; DiskFull
// resolves only when its second alert does (005), not when the first one
// does inside a firing group (004).
func TestAlerts_RealAlertmanagerSequence(t *testing.T) {
	e := newEnv(t)
	ig := e.integration("alertmanager", "prometheus", map[string]any{
		"rules": []map[string]any{{"name": "databases", "matchers": []map[string]any{{"label": "service", "op": "=~", "value": "postgres|mysql"}},
			"group_id": e.vendor.ID, "impact": "high", "urgency": "high", "auto_resolve": true}},
	})
	files, err := filepath.Glob(filepath.Join(testdb.SharedData(t, "alertmanager"), "*.json"))
	if err != nil || len(files) != 11 {
		t.Fatalf("recorded payloads: %d, %v", len(files), err)
	}
	tickets := map[string]int64{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rc := decode[alertReceiptJSON](t, ig.post(t, b).want(t, http.StatusAccepted))
		o := rc.Incidents[0]
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		if o.TicketID == nil {
			t.Fatalf("%s: no incident: %+v", name, o)
		}
		if prev, ok := tickets[o.DedupKey]; ok && prev != *o.TicketID {
			t.Errorf("%s: group %s moved from incident %d to %d", name, o.DedupKey, prev, *o.TicketID)
		}
		tickets[o.DedupKey] = *o.TicketID
		if name == "004-firing-DiskFull" {
			if st := e.ticket(*o.TicketID)["state"]; st != "new" {
				t.Errorf("after 004 DiskFull is %v: one of its alerts still fires", st)
			}
		}
	}
	if len(tickets) != 4 {
		t.Fatalf("incidents %v, want one per group (4)", tickets)
	}
	disk := e.ticket(tickets[`{}:{alertname="DiskFull"}`])
	group, _ := disk["group"].(map[string]any)
	if disk["state"] != "resolved" || disk["priority"] != "P1" || group["name"] != "Vendor" {
		t.Errorf("DiskFull incident %v: want resolved by the databases rule, P1, in the rule's group", disk)
	}
	// HighCPU matched no rule: the empty default rule does not auto-resolve.
	if cpu := e.ticket(tickets[`{}:{alertname="HighCPU"}`]); cpu["state"] != "new" ||
		len(eventsOf(e.events(tickets[`{}:{alertname="HighCPU"}`]), "alert_resolved")) != 1 {
		t.Errorf("HighCPU incident %v: want still new, with its alerts' resolution on the timeline", cpu["state"])
	}
	// Repeats: db01 in 002, db02 in 004, the whole of 010.
	if st := e.stats(ig); st.IncidentsOpened != 4 || st.AlertsReceived != 13 || st.AlertsDeduplicated != 3 {
		t.Errorf("stats %+v, want 4 incidents, 13 alerts, 3 repeats", st)
	}
}

// TestAlerts_GrafanaAndDedupByAlert: Grafana's documented payload opens one
// incident per group, or with dedup_by alert one per alert, and its
// resolved notification resolves them.
func TestAlerts_GrafanaAndDedupByAlert(t *testing.T) {
	firing, err := os.ReadFile("../alertin/testdata/grafana-firing.json")
	if err != nil {
		t.Fatal(err)
	}
	resolved, err := os.ReadFile("../alertin/testdata/grafana-resolved.json")
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	for _, tc := range []struct {
		dedupBy   string
		incidents int
	}{{"group", 1}, {"alert", 2}} {
		ig := e.integration("grafana", "grafana by "+tc.dedupBy, map[string]any{"dedup_by": tc.dedupBy,
			"default_rule": map[string]any{"auto_resolve": true}})
		rc := decode[alertReceiptJSON](t, ig.post(t, firing).want(t, http.StatusAccepted))
		if rc.Alerts != 2 || len(rc.Incidents) != tc.incidents {
			t.Fatalf("dedup by %s: %+v, want %d incidents", tc.dedupBy, rc, tc.incidents)
		}
		decode[alertReceiptJSON](t, ig.post(t, resolved).want(t, http.StatusAccepted))
		for _, o := range rc.Incidents {
			tk := e.ticket(*o.TicketID)
			if tk["state"] != "resolved" || tk["priority"] != "P1" || tk["channel"] != "monitoring" {
				t.Errorf("dedup by %s: incident %v %v %v, want a resolved P1 from monitoring", tc.dedupBy, tk["state"], tk["priority"], tk["channel"])
			}
		}
	}
}
