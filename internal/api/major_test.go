package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestMajor_Walkthrough declares a major incident over the API with
// children, assigns roles, posts an update, publishes it on the status
// page, resolves it with its children, and closes it once the review is
// published, touching every major-incident and status-page operation.
func TestMajor_Walkthrough(t *testing.T) {
	e := newEnv(t)
	parent := e.agent.createTicket(map[string]any{"type": "incident", "title": "Mail relay down", "impact": "high", "urgency": "high",
		"requester": map[string]any{"email": "alice@example.com"}})
	kid := e.agent.createTicket(map[string]any{"type": "incident", "title": "No mail", "requester": map[string]any{"email": "bob@example.com"}})
	path := "/api/v1/tickets/" + parent.Number + "/major-incident"
	problemOf(t, e.agent.do("POST", path, map[string]any{}).want(t, 422)) // no commander
	m := decode[majorJSON](t, e.agent.do("POST", path, map[string]any{"commander_id": e.agent.userID, "bridge_url": "https://meet.example.com/x"}).want(t, 201))
	if m.CadenceMinutes != 30 || m.Ticket != parent.Number {
		t.Fatalf("declared %+v", m)
	}
	base := fmt.Sprintf("/api/v1/major-incidents/%d", m.ID)
	e.agent.do("POST", base+"/children", map[string]any{"children": []string{kid.Number}}).want(t, 200)
	e.agent.do("POST", base+"/roles", map[string]any{"role": "comms_lead", "user_id": e.agent2.userID}).want(t, 200)
	e.agent.do("PATCH", base, map[string]any{"cadence_minutes": 45}).want(t, 200)
	e.agent2.do("POST", base+"/updates", map[string]any{"affected": "Sending mail", "doing": "Restarting the relay"}).want(t, 201)
	got := decode[struct {
		Major   majorJSON        `json:"major_incident"`
		Updates []map[string]any `json:"updates"`
	}](t, e.agent.get(base).want(t, 200))
	if len(got.Major.Children) != 1 || len(got.Updates) != 1 || got.Major.CommsLeadID != e.agent2.userID {
		t.Errorf("read back %+v", got)
	}
	e.agent.get("/api/v1/major-incidents?state=active").want(t, 200)
	tl := string(e.agent.get(base+"/timeline").want(t, 200).body)
	for _, want := range []string{"role_assigned", "child_attached", "update_posted"} {
		if !strings.Contains(tl, want) {
			t.Errorf("timeline lacks %s", want)
		}
	}
	checkTimelineWords(t, e.agent, base+"/timeline")
	comp := decode[map[string]any](t, e.admin.do("POST", "/api/v1/status-components", map[string]any{"name": "Mail delivery"}).want(t, 201))
	cid := fmt.Sprint(comp["id"])
	e.admin.do("PUT", "/api/v1/status-components/"+cid, map[string]any{"name": "Mail delivery", "group": "Communication"}).want(t, 200)
	e.agent.get("/api/v1/status-components").want(t, 200)
	si := decode[map[string]any](t, e.agent.do("POST", base+"/status-incident", map[string]any{"name": "Mail is delayed", "body": "Looking into it.",
		"components": map[string]any{cid: "partial_outage"}}).want(t, 201))
	sid := fmt.Sprint(si["id"])
	e.agent.do("POST", "/api/v1/status-incidents/"+sid+"/updates", map[string]any{"status": "resolved", "body": "Fixed."}).want(t, 200)
	problemOf(t, e.agent.do("POST", "/api/v1/status-incidents/"+sid+"/updates", map[string]any{"status": "monitoring", "body": "x"}).want(t, 409))
	e.agent.do("POST", base+"/resolution", map[string]any{"resolution_code": "solved", "resolution_notes": "Relay replaced.", "resolve_children": true}).want(t, 200)
	problemOf(t, e.agent.do("POST", base+"/updates", map[string]any{"affected": "x", "doing": "y"}).want(t, 409))
	problemOf(t, e.agent.do("POST", base+"/close", nil).want(t, 409))
	e.agent.do("POST", base+"/review/action-items", map[string]any{"text": "Alert on queue growth", "owner_id": e.agent2.userID, "due_on": "2030-01-15"}).want(t, 201)
	for _, st := range []string{"in_review", "published"} {
		e.agent.do("PATCH", base+"/review", map[string]any{"state": st, "causes": "Disk full"}).want(t, 200)
	}
	md := e.agent.get(base+"/review?format=markdown").want(t, 200)
	if !strings.Contains(string(md.body), "Alert on queue growth") || !strings.HasPrefix(md.header.Get("Content-Type"), "text/markdown") {
		t.Errorf("markdown %s", md.body)
	}
	ru := e.agent.get(base+"/review?format=markdown", withHeader("Accept-Language", "ru")).want(t, 200)
	if b := string(ru.body); !strings.Contains(b, "## Влияние на пользователей") || !strings.Contains(b, "объявлен крупный инцидент") ||
		strings.Contains(b, "declared") || ru.header.Get("Content-Language") != "ru" {
		t.Errorf("Russian markdown (%s):\n%s", ru.header.Get("Content-Language"), b)
	}
	rv := decode[map[string]any](t, e.agent.get(base+"/review", withHeader("Accept-Language", "ru")).want(t, 200))
	if tl, _ := rv["timeline"].([]any); len(tl) == 0 || tl[0].(map[string]any)["reason_code"] != "major_declared" ||
		!strings.Contains(fmt.Sprint(tl[0].(map[string]any)["text"]), "объявлен крупный инцидент") {
		t.Errorf("the review's timeline in Russian: %v", rv["timeline"])
	}
	e.agent.do("POST", base+"/close", nil).want(t, 200)
	rep := decode[map[string]any](t, e.agent.get("/api/v1/reports/major-incidents").want(t, 200))
	if rep["incidents"] != float64(1) || rep["updates"] != float64(1) {
		t.Errorf("report %v", rep)
	}
	e.admin.do("DELETE", "/api/v1/status-components/"+cid, nil).want(t, http.StatusNoContent)
}

// TestAuthz_MajorIncidents: requesters reach none of it; agents do not
// change the page's components; a restricted parent is neither seen by
// outsiders nor published.
func TestAuthz_MajorIncidents(t *testing.T) {
	e := newEnv(t)
	own := e.alice.createTicket(map[string]any{"type": "incident", "title": "My mail"})
	secret := e.l3.createTicket(map[string]any{"type": "incident", "title": "Vendor breach", "restricted": true, "group_id": e.vendor.ID,
		"requester": map[string]any{"email": "bob@example.com"}})
	m := decode[majorJSON](t, e.l3.do("POST", "/api/v1/tickets/"+secret.Number+"/major-incident", map[string]any{"commander_id": e.l3.userID}).want(t, 201))
	base := fmt.Sprintf("/api/v1/major-incidents/%d", m.ID)
	cases := []struct {
		name         string
		c            *client
		method, path string
		body         map[string]any
		status       int
	}{
		{"requester declares", e.alice, "POST", "/api/v1/tickets/" + own.Number + "/major-incident", map[string]any{"commander_id": e.agent.userID}, 403},
		{"requester lists", e.alice, "GET", "/api/v1/major-incidents", nil, 403},
		{"requester reads the report", e.alice, "GET", "/api/v1/reports/major-incidents", nil, 403},
		{"requester lists components", e.alice, "GET", "/api/v1/status-components", nil, 403},
		{"agent adds a component", e.agent, "POST", "/api/v1/status-components", map[string]any{"name": "X"}, 403},
		{"outsider reads a restricted major incident", e.agent, "GET", base, nil, 404},
		{"outsider reads its timeline", e.agent, "GET", base + "/timeline", nil, 404},
		{"outsider posts an update", e.agent, "POST", base + "/updates", map[string]any{"affected": "a", "doing": "b"}, 404},
		{"member publishes a restricted one", e.l3, "POST", base + "/status-incident", map[string]any{"name": "x", "body": "y"}, 403},
		{"no token", e.anon, "GET", "/api/v1/major-incidents", nil, 401},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			problemOf(t, tc.c.do(tc.method, tc.path, tc.body).want(t, tc.status))
		})
	}
	list := string(e.agent.get("/api/v1/major-incidents").want(t, 200).body)
	if strings.Contains(list, "Vendor breach") {
		t.Error("an outsider lists the restricted major incident")
	}
}

// checkTimelineWords: the timeline carries each entry's reason code and
// params, and its text in the language the request accepts.
func checkTimelineWords(t *testing.T, c *client, path string) {
	t.Helper()
	type entry struct {
		Kind   string            `json:"kind"`
		Text   string            `json:"text"`
		Code   string            `json:"reason_code"`
		Params map[string]string `json:"reason_params"`
	}
	read := func(lang string) ([]entry, string) {
		r := c.get(path, withHeader("Accept-Language", lang)).want(t, 200)
		return decode[struct {
			Timeline []entry `json:"timeline"`
		}](t, r).Timeline, r.header.Get("Content-Language")
	}
	en, enLang := read("en-GB,en;q=0.9")
	ru, ruLang := read("ru-RU,ru;q=0.9,en;q=0.5")
	if enLang != "en" || ruLang != "ru" || len(en) != len(ru) || len(en) == 0 {
		t.Fatalf("Content-Language %q/%q, %d/%d entries", enLang, ruLang, len(en), len(ru))
	}
	seen := map[string]bool{}
	for i := range en {
		if en[i].Code != ru[i].Code {
			t.Errorf("entry %d: code %q in English, %q in Russian", i, en[i].Code, ru[i].Code)
		}
		if en[i].Code == "" {
			continue
		}
		seen[en[i].Code] = true
		if en[i].Text == ru[i].Text {
			t.Errorf("entry %d (%s): the same text in both languages: %q", i, en[i].Code, en[i].Text)
		}
	}
	for _, code := range []string{"major_declared", "major_commander", "major_comms_lead", "major_child_attached", "major_update_posted"} {
		if !seen[code] {
			t.Errorf("no entry with reason_code %s", code)
		}
	}
	for i, e := range ru {
		switch e.Code {
		case "major_commander":
			if e.Params["name"] == "" || !strings.Contains(e.Text, e.Params["name"]) || !strings.Contains(e.Text, "руководитель инцидента") {
				t.Errorf("entry %d in Russian: %q %v", i, e.Text, e.Params)
			}
		case "major_update_posted":
			if e.Params["affected"] != "Sending mail" || !strings.Contains(e.Text, "Sending mail") {
				t.Errorf("entry %d in Russian: %q %v", i, e.Text, e.Params)
			}
		}
	}
}
