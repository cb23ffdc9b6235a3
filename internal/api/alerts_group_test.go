package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// amGroup is an Alertmanager notification of one group (alertname
// NodeDown) whose alerts i in [0, n) have instance node-i:9100 and a
// job of two values; resolved says which of them have resolved.
func amGroup(n int, resolved func(i int) bool) []byte {
	type alert struct {
		Status      string            `json:"status"`
		Labels      map[string]string `json:"labels"`
		Annotations map[string]string `json:"annotations"`
		StartsAt    string            `json:"startsAt"`
		EndsAt      string            `json:"endsAt"`
		Fingerprint string            `json:"fingerprint"`
	}
	status := "resolved"
	alerts := make([]alert, n)
	for i := range alerts {
		a := alert{Status: "firing", StartsAt: "2026-03-02T09:00:00Z", EndsAt: "0001-01-01T00:00:00Z",
			Fingerprint: fmt.Sprintf("%016x", i),
			Labels: map[string]string{"alertname": "NodeDown", "severity": "critical",
				"instance": fmt.Sprintf("node-%d:9100", i), "job": []string{"node", "blackbox"}[i%2]},
			Annotations: map[string]string{"summary": "Node is down"}}
		if resolved(i) {
			a.Status, a.EndsAt = "resolved", "2026-03-02T09:30:00Z"
		} else {
			status = "firing"
		}
		alerts[i] = a
	}
	b, _ := json.Marshal(map[string]any{"version": "4", "groupKey": `{}:{alertname="NodeDown"}`, "status": status,
		"receiver": "tierdesk", "groupLabels": map[string]string{"alertname": "NodeDown"}, "alerts": alerts})
	return b
}

// TestAlerts_LargeGroup: a live Alertmanager group of 1,500 alerts (about
// 400 kB) opens its incident instead of a 422 that Alertmanager would
// never retry; the incident keeps desk.MaxAlertMembers of them and says
// how many it did not store, shows how many fire and which (a table of
// their labels' values) and keeps that table as alerts resolve; the group
// resolves only when the alerts it did not store have resolved too.
func TestAlerts_LargeGroup(t *testing.T) {
	e := newEnv(t)
	ig := e.integration("alertmanager", "prometheus", map[string]any{"default_rule": map[string]any{"auto_resolve": true}})
	const n = 1_500
	none := func(int) bool { return false }
	rc := decode[alertReceiptJSON](t, ig.post(t, amGroup(n, none)).want(t, http.StatusAccepted))
	if rc.Alerts != n || len(rc.Incidents) != 1 || rc.Incidents[0].TicketID == nil {
		t.Fatalf("receipt %+v, want one incident for %d alerts", rc, n)
	}
	id := *rc.Incidents[0].TicketID
	tk := e.ticket(id)
	desc, _ := tk["description"].(string)
	for _, want := range []string{
		fmt.Sprintf("%d of %d alerts firing", n, n),
		fmt.Sprintf("%d alerts of the last notification were not stored (%d of them firing): an incident keeps at most %d alerts", n-desk.MaxAlertMembers, n-desk.MaxAlertMembers, desk.MaxAlertMembers),
		"instance", "node-0:9100 ×1", "… 994 more",
		"job", "blackbox ×500, node ×500",
	} {
		if !strings.Contains(desc, want) {
			t.Errorf("description lacks %q:\n%s", want, desc)
		}
	}

	// Half of the stored alerts resolve: the table follows.
	half := func(i int) bool { return i < desk.MaxAlertMembers/2 }
	decode[alertReceiptJSON](t, ig.post(t, amGroup(n, half)).want(t, http.StatusAccepted))
	table := eventsOf(e.events(id), "alert_firing")
	if len(table) != 1 || !strings.Contains(table[0].Body, fmt.Sprintf("%d of %d alerts firing", n-desk.MaxAlertMembers/2, n)) ||
		!strings.Contains(table[0].Body, "node-500:9100 ×1") || strings.Contains(table[0].Body, "node-0:9100") ||
		!strings.Contains(table[0].Body, "blackbox ×250, node ×250") {
		t.Fatalf("alert_firing entries after half resolved: %+v", table)
	}
	// Every stored alert resolves but the others still fire: not resolved.
	stored := func(i int) bool { return i < desk.MaxAlertMembers }
	decode[alertReceiptJSON](t, ig.post(t, amGroup(n, stored)).want(t, http.StatusAccepted))
	if st := e.ticket(id)["state"]; st != "new" {
		t.Fatalf("incident %v while %d alerts not stored still fire", st, n-desk.MaxAlertMembers)
	}
	all := func(int) bool { return true }
	last := decode[alertReceiptJSON](t, ig.post(t, amGroup(n, all)).want(t, http.StatusAccepted))
	if o := last.Incidents[0]; o.Action != "resolved" || e.ticket(id)["state"] != "resolved" {
		t.Fatalf("after every alert resolved: %+v, incident %v", o, e.ticket(id)["state"])
	}
	table = eventsOf(e.events(id), "alert_firing")
	if len(table) != 1 || !strings.Contains(table[0].Body, fmt.Sprintf("0 of %d alerts firing", n)) {
		t.Errorf("alert_firing entries at the end: %+v, want one rewritten in place", table)
	}
}
