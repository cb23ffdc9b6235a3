package api

import (
	"net/http"
	"testing"
)

func TestSLA_Policies(t *testing.T) {
	e := newEnv(t)
	list := decode[map[string][]policyJSON](t, e.agent.get("/api/v1/sla-policies").want(t, http.StatusOK))
	if len(list["policies"]) != 5 || list["policies"][0].Name != "P1 incidents" || list["policies"][0].ResponseMinutes != 15 {
		t.Fatalf("seeded policies: %+v", list)
	}
	e.alice.get("/api/v1/sla-policies").want(t, http.StatusForbidden) // requesters do not see policy internals

	body := map[string]any{"name": "Shop floor", "position": 1, "types": []string{"incident"}, "calendar": "business",
		"response_minutes": 30, "resolution_minutes": 240, "pause_on": []string{"awaiting_requester", "awaiting_vendor"}}
	e.agent.do("POST", "/api/v1/sla-policies", body).want(t, http.StatusForbidden)
	r := e.admin.do("POST", "/api/v1/sla-policies", body).want(t, http.StatusCreated)
	p := decode[policyJSON](t, r)
	if !p.Active || p.ResolutionMinutes != 240 || r.header.Get("Location") == "" {
		t.Fatalf("created %+v", p)
	}
	e.admin.do("POST", "/api/v1/sla-policies", body).want(t, http.StatusConflict) // the name is taken
	bad := map[string]any{"name": "Bad", "calendar": "nowhere", "response_minutes": 0, "resolution_minutes": 60,
		"types": []string{"outage"}}
	problemOf(t, e.admin.do("POST", "/api/v1/sla-policies", bad, invalid).want(t, http.StatusUnprocessableEntity))

	// A ticket now gets the new policy, and its clocks show it.
	tk := e.agent.createTicket(ticketIn("Till offline"))
	if tk.SLA == nil || tk.SLA.Policy == nil || tk.SLA.Policy.Name != "Shop floor" || tk.SLA.Clocks[1].Target != 4*3600 {
		t.Fatalf("ticket sla %+v", tk.SLA)
	}
	path := "/api/v1/sla-policies/" + itoa(p.ID)
	body["resolution_minutes"] = 120
	body["active"] = false
	got := decode[policyJSON](t, e.admin.do("PUT", path, body).want(t, http.StatusOK))
	if got.Active || got.ResolutionMinutes != 120 {
		t.Fatalf("replaced %+v", got)
	}
	if again := decode[policyJSON](t, e.agent.get(path).want(t, http.StatusOK)); again.ResolutionMinutes != 120 {
		t.Fatalf("read back %+v", again)
	}
	e.admin.do("DELETE", path, nil).want(t, http.StatusNoContent)
	e.admin.get(path).want(t, http.StatusNotFound)
	e.admin.do("PUT", path, body).want(t, http.StatusNotFound)
}

func TestSLA_Calendars(t *testing.T) {
	e := newEnv(t)
	cal := map[string]any{"zone": "Europe/Moscow", "week": map[string]string{"monday": "09:00-13:00, 14:00-18:00",
		"friday": "09:00-16:45"}, "holidays": []map[string]string{{"date": "01-01", "name": "Новый год"}, {"date": "2026-05-11"}}}
	e.agent.do("PUT", "/api/v1/calendars/moscow", cal).want(t, http.StatusForbidden)
	got := decode[map[string]any](t, e.admin.do("PUT", "/api/v1/calendars/moscow", cal).want(t, http.StatusOK))
	if got["name"] != "moscow" || got["zone"] != "Europe/Moscow" {
		t.Fatalf("saved %v", got)
	}
	list := decode[map[string][]map[string]any](t, e.agent.get("/api/v1/calendars").want(t, http.StatusOK))
	names := []any{}
	for _, c := range list["calendars"] {
		names = append(names, c["name"])
	}
	if len(names) != 3 || names[0] != "24x7" {
		t.Fatalf("calendars %v, want 24x7, business, moscow", names)
	}
	for _, bad := range []map[string]any{
		{"zone": "Mars/Olympus", "week": map[string]string{"monday": "09:00-18:00"}},
		{"zone": "UTC", "week": map[string]string{"monday": "18:00-09:00"}},
		{"zone": "UTC", "week": map[string]string{"funday": "09:00-18:00"}},
		{"zone": "UTC", "week": map[string]string{}},
		{"name": "other", "zone": "UTC", "week": map[string]string{"monday": "09:00-18:00"}},
	} {
		problemOf(t, e.admin.do("PUT", "/api/v1/calendars/moscow", bad).want(t, http.StatusUnprocessableEntity))
	}
	problemOf(t, e.admin.do("PUT", "/api/v1/calendars/24x7", cal).want(t, http.StatusUnprocessableEntity))
	e.admin.do("DELETE", "/api/v1/calendars/business", nil).want(t, http.StatusConflict) // policies use it
	e.admin.do("DELETE", "/api/v1/calendars/moscow", nil).want(t, http.StatusNoContent)
	e.admin.do("DELETE", "/api/v1/calendars/moscow", nil).want(t, http.StatusNotFound)
}
