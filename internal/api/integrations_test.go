package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func generic(summary, key, status string) []byte {
	return fmt.Appendf(nil, `{"summary":%q,"dedup_key":%q,"status":%q,"severity":"critical","labels":{"host":"db1"}}`, summary, key, status)
}

func TestIntegrations_AdminsManageThem(t *testing.T) {
	e := newEnv(t)
	e.agent.do("POST", "/api/v1/integrations", map[string]any{"kind": "generic", "name": "x"}).want(t, http.StatusForbidden)
	e.anon.get("/api/v1/integrations").want(t, http.StatusUnauthorized)

	ig := e.integration("generic", "backups", nil)
	if !strings.HasPrefix(ig.json.Token, "tdi_") || ig.json.RateLimit != 20000 || ig.json.FlapWindowSeconds != 1800 ||
		ig.json.DedupBy != "group" || len(ig.json.Rules) != 0 {
		t.Errorf("new integration %+v: want a token and the default settings", ig.json)
	}
	e.admin.do("POST", "/api/v1/integrations", map[string]any{"kind": "generic", "name": "backups"}).want(t, http.StatusUnprocessableEntity)
	e.admin.do("POST", "/api/v1/integrations", map[string]any{"kind": "nagios", "name": "n"}, invalid).want(t, http.StatusUnprocessableEntity)

	path := fmt.Sprintf("/api/v1/integrations/%d", ig.json.ID)
	got := decode[integrationJSON](t, e.admin.get(path).want(t, http.StatusOK))
	if got.Token != "" || got.Name != "backups" {
		t.Errorf("GET shows %+v: the token must never be shown again", got)
	}
	list := decode[map[string][]integrationJSON](t, e.admin.get("/api/v1/integrations").want(t, http.StatusOK))
	if len(list["integrations"]) != 1 {
		t.Errorf("list %+v", list)
	}

	rules := []map[string]any{{"name": "nas", "matchers": []map[string]any{{"label": "host", "op": "=~", "value": "nas.*"}}, "impact": "low"}}
	patched := decode[integrationJSON](t, e.admin.do("PATCH", path, map[string]any{"name": "nightly backups", "rules": rules,
		"rate_limit": 100, "flap_window_seconds": 600}).want(t, http.StatusOK))
	if patched.Name != "nightly backups" || len(patched.Rules) != 1 || patched.Rules[0].Matchers[0].Value != "nas.*" ||
		patched.RateLimit != 100 || patched.FlapWindowSeconds != 600 {
		t.Errorf("patched %+v", patched)
	}
	for _, bad := range []map[string]any{
		{"rules": []map[string]any{{"matchers": []map[string]any{{"label": "host", "op": "=~", "value": "(("}}}}},
		{"rules": []map[string]any{{"service_id": 999}}},
		{"default_rule": map[string]any{"severities": []string{"critical"}}},
		{"rate_limit": -1},
	} {
		p := problemOf(t, e.admin.do("PATCH", path, bad, invalid).want(t, http.StatusUnprocessableEntity))
		if len(p.Errors) == 0 {
			t.Errorf("PATCH %v: problem %+v names no field", bad, p)
		}
	}
	e.admin.do("PATCH", path, map[string]any{"name": nil}, invalid).want(t, http.StatusUnprocessableEntity)

	// Rotation: the old token stops working at once.
	ig.post(t, generic("Backup failed", "b1", "firing")).want(t, http.StatusAccepted)
	rotated := decode[integrationJSON](t, e.admin.do("POST", path+"/token", nil).want(t, http.StatusOK))
	if rotated.Token == "" || rotated.Token == ig.json.Token {
		t.Fatalf("rotation gave %q", rotated.Token)
	}
	ig.post(t, generic("Backup failed", "b1", "firing")).want(t, http.StatusUnauthorized)
	integration{sender: e.client(rotated.Token)}.post(t, generic("Backup failed", "b1", "firing")).want(t, http.StatusAccepted)

	e.admin.do("DELETE", path, nil).want(t, http.StatusNoContent)
	e.admin.get(path).want(t, http.StatusNotFound)
	integration{sender: e.client(rotated.Token)}.post(t, generic("Backup failed", "b1", "firing")).want(t, http.StatusUnauthorized)
}

// TestAlerts_RefusedChangeNothing: unauthenticated, malformed and invalid
// notifications get a 4xx problem and leave the counters alone.
func TestAlerts_RefusedChangeNothing(t *testing.T) {
	e := newEnv(t)
	ig := e.integration("generic", "ci", nil)
	good := generic("Build broken", "ci-main", "firing")
	for _, tc := range []struct {
		name   string
		c      *client
		body   []byte
		opts   []reqOpt
		status int
	}{
		{"no token", e.anon, good, nil, http.StatusUnauthorized},
		{"wrong token", e.client("tdi_wrong"), good, nil, http.StatusUnauthorized},
		{"a user's token", e.admin, good, nil, http.StatusUnauthorized},
		{"malformed", ig.sender, []byte(`{"summary":`), nil, http.StatusBadRequest},
		{"unknown field", ig.sender, []byte(`{"summary":"a","sevrity":"x"}`), nil, http.StatusBadRequest},
		{"bad status", ig.sender, []byte(`{"summary":"a","status":"ok"}`), nil, http.StatusUnprocessableEntity},
		{"NUL in summary", ig.sender, []byte(`{"summary":"a\u0000b"}`), nil, http.StatusUnprocessableEntity},
		{"not JSON", ig.sender, good, []reqOpt{withHeader("Content-Type", "text/plain")}, http.StatusUnsupportedMediaType},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := append([]reqOpt{rawBody(tc.body, "application/json")}, tc.opts...)
			r := tc.c.do("POST", "/api/v1/alerts", nil, opts...).want(t, tc.status)
			problemOf(t, r)
		})
	}
	if st := e.stats(ig); st.AlertsReceived != 0 || st.IncidentsOpened != 0 {
		t.Errorf("refused notifications changed the counters: %+v", st)
	}
	// The token in the URL, for senders that cannot set headers.
	e.anon.do("POST", "/api/v1/alerts?token="+ig.json.Token, nil, rawBody(good, "application/json"), checkedRequest).
		want(t, http.StatusAccepted)
	if st := e.stats(ig); st.AlertsReceived != 1 || st.IncidentsOpened != 1 {
		t.Errorf("stats %+v after one accepted alert", st)
	}
}

// TestAlerts_StormOverflow: past the rate limit notifications are refused
// with 429 and Retry-After, counted as overflow, and open nothing.
func TestAlerts_StormOverflow(t *testing.T) {
	e := newEnv(t)
	ig := e.integration("generic", "storm", map[string]any{"rate_limit": 5})
	for i := range 8 {
		r := ig.post(t, generic("Host down", fmt.Sprintf("host-%d", i), "firing"))
		switch {
		case i < 5:
			r.want(t, http.StatusAccepted)
		default:
			r.want(t, http.StatusTooManyRequests)
			if r.header.Get("Retry-After") == "" {
				t.Errorf("429 without Retry-After")
			}
		}
	}
	st := e.stats(ig)
	if st.AlertsReceived != 8 || st.AlertsOverflow != 3 || st.IncidentsOpened != 5 {
		t.Errorf("stats %+v, want 8 received, 3 overflow, 5 incidents", st)
	}
}

// TestAlerts_Flapping: an alert firing again within the flap window reopens
// its resolved incident; after the window it opens a new one.
func TestAlerts_Flapping(t *testing.T) {
	e := newEnv(t)
	ig := e.integration("generic", "flappy", map[string]any{"default_rule": map[string]any{"auto_resolve": true}})
	open := func() int64 {
		rc := decode[alertReceiptJSON](t, ig.post(t, generic("Link down", "wan1", "firing")).want(t, http.StatusAccepted))
		return *rc.Incidents[0].TicketID
	}
	id := open()
	ig.post(t, generic("Link down", "wan1", "resolved")).want(t, http.StatusAccepted)
	if st := e.ticket(id)["state"]; st != "resolved" {
		t.Fatalf("after resolve: %v", st)
	}
	if again := open(); again != id {
		t.Fatalf("firing within the flap window opened %d, want %d reopened", again, id)
	}
	tk := e.ticket(id)
	if tk["state"] != "new" || tk["reopen_count"] != float64(1) {
		t.Errorf("reopened incident: state %v, reopen_count %v; want new, 1", tk["state"], tk["reopen_count"])
	}
	ig.post(t, generic("Link down", "wan1", "resolved")).want(t, http.StatusAccepted)
	path := fmt.Sprintf("/api/v1/integrations/%d", ig.json.ID)
	e.admin.do("PATCH", path, map[string]any{"flap_window_seconds": 0}).want(t, http.StatusOK)
	if other := open(); other == id {
		t.Errorf("firing after the flap window reopened %d, want a new incident", id)
	}
	if st := e.ticket(id)["state"]; st != "resolved" {
		t.Errorf("the old incident is %v, want left resolved", st)
	}
}

// TestAlerts_TakenOverIsNotAutoResolved: once a person comments, the
// resolution of the alerts is only noted.
func TestAlerts_TakenOverIsNotAutoResolved(t *testing.T) {
	e := newEnv(t)
	ig := e.integration("generic", "db", map[string]any{"default_rule": map[string]any{"auto_resolve": true}})
	rc := decode[alertReceiptJSON](t, ig.post(t, generic("Replication lag", "lag", "firing")).want(t, http.StatusAccepted))
	id := *rc.Incidents[0].TicketID
	e.agent.do("POST", fmt.Sprintf("/api/v1/tickets/%d/comments", id), map[string]any{"body": "Looking at it", "internal": true}).
		want(t, http.StatusCreated)
	ig.post(t, generic("Replication lag", "lag", "resolved")).want(t, http.StatusAccepted)
	if st := e.ticket(id)["state"]; st != "new" {
		t.Errorf("incident is %v: a person took it over, it must not be resolved automatically", st)
	}
	res := eventsOf(e.events(id), "alert_resolved")
	if len(res) != 1 || !strings.Contains(res[0].Body, "Alan Agent has taken the incident over") {
		t.Errorf("alert_resolved entries %+v", res)
	}
}
