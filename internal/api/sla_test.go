package api

import (
	"net/http"
	"strings"
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

// TestSLA_VIPRequesters: an admin makes a VIP user of an organisation and a
// policy for VIPs of it, placed first; the VIP's ticket shows the policy
// and the requester's organisation and flag, another requester's does not.
func TestSLA_VIPRequesters(t *testing.T) {
	e := newEnv(t)
	user := map[string]any{"email": "ceo@acme.example", "name": "Carla CEO", "role": "requester",
		"organization": "  ACME Corp ", "vip": true}
	e.agent.do("POST", "/api/v1/users", user).want(t, http.StatusForbidden)
	u := decode[userJSON](t, e.admin.do("POST", "/api/v1/users", user).want(t, http.StatusCreated))
	if u.Organization != "ACME Corp" || !u.VIP {
		t.Fatalf("created user %+v", u)
	}
	plain := decode[userJSON](t, e.admin.get("/api/v1/users/"+itoa(e.alice.userID)).want(t, http.StatusOK))
	if plain.Organization != "" || plain.VIP {
		t.Fatalf("alice %+v", plain)
	}
	userPath := "/api/v1/users/" + itoa(u.ID)
	long := map[string]any{"organization": strings.Repeat("x", 201)}
	problemOf(t, e.admin.do("PATCH", userPath, long, invalid).want(t, http.StatusUnprocessableEntity))
	problemOf(t, e.admin.do("PATCH", userPath, map[string]any{"vip": nil}, invalid).want(t, http.StatusUnprocessableEntity))

	body := map[string]any{"name": "ACME VIPs", "position": 1, "types": []string{"incident"}, "organizations": []string{"acme corp"},
		"vip_only": true, "calendar": "24x7", "response_minutes": 10, "resolution_minutes": 120}
	p := decode[policyJSON](t, e.admin.do("POST", "/api/v1/sla-policies", body).want(t, http.StatusCreated))
	if !p.VIPOnly || len(p.Organizations) != 1 || p.Organizations[0] != "acme corp" {
		t.Fatalf("created policy %+v", p)
	}
	bad := map[string]any{"name": "Blank", "organizations": []string{" "}, "calendar": "24x7",
		"response_minutes": 10, "resolution_minutes": 60}
	problemOf(t, e.admin.do("POST", "/api/v1/sla-policies", bad, invalid).want(t, http.StatusUnprocessableEntity))

	in := ticketIn("CEO laptop")
	in["requester"] = map[string]any{"email": "ceo@acme.example"}
	tk := e.agent.createTicket(in)
	if tk.Requester.ID != u.ID || tk.Requester.Organization != "ACME Corp" || !tk.Requester.VIP {
		t.Errorf("requester %+v", tk.Requester)
	}
	if tk.SLA == nil || tk.SLA.Policy == nil || tk.SLA.Policy.Name != "ACME VIPs" {
		t.Fatalf("VIP ticket sla %+v", tk.SLA)
	}
	other := e.agent.createTicket(ticketIn("Alice's laptop"))
	if other.SLA == nil || other.SLA.Policy == nil || other.SLA.Policy.Name == "ACME VIPs" || other.Requester.VIP {
		t.Fatalf("other ticket sla %+v, requester %+v", other.SLA, other.Requester)
	}

	// Organisation and flag are read with the ticket: once Carla is no
	// longer a VIP, her ticket falls to the ordinary policy.
	patched := decode[userJSON](t, e.admin.do("PATCH", userPath, map[string]any{"vip": false}).want(t, http.StatusOK))
	if patched.VIP || patched.Organization != "ACME Corp" {
		t.Fatalf("patched %+v", patched)
	}
	again := decode[ticketJSON](t, e.agent.get(ticketURL(tk, "")).want(t, http.StatusOK))
	if again.Requester.VIP || again.SLA == nil || again.SLA.Policy == nil || again.SLA.Policy.Name == "ACME VIPs" {
		t.Fatalf("after losing VIP: requester %+v, sla %+v", again.Requester, again.SLA)
	}
	got := decode[policyJSON](t, e.agent.get("/api/v1/sla-policies/"+itoa(p.ID)).want(t, http.StatusOK))
	if !got.VIPOnly || len(got.Organizations) != 1 {
		t.Fatalf("read back %+v", got)
	}
}
