package api

import (
	"encoding/csv"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestRequesters_Lookup: staff look a caller up by any word; requesters
// never list other users; the limit is checked.
func TestRequesters_Lookup(t *testing.T) {
	e := newEnv(t)
	e.admin.do("POST", "/api/v1/users", map[string]any{"email": "sam.seller@acme.example", "name": "Sam Seller",
		"phone": "+7 (495) 123-45-67", "organization": "ACME Corp", "role": "requester"}).want(t, http.StatusCreated)
	for _, q := range []string{"sam", "SELL", "acme", "4567", "+7%20495%20123-45-67", "sam%20acme"} {
		m := decode[requesterMatchesJSON](t, e.agent.get("/api/v1/requesters?q="+q).want(t, http.StatusOK))
		if len(m.Users) != 1 || m.Users[0].Email != "sam.seller@acme.example" || m.More {
			t.Errorf("q=%s: %+v, want Sam Seller alone", q, m)
		}
	}
	m := decode[requesterMatchesJSON](t, e.agent.get("/api/v1/requesters?q=example&limit=1").want(t, http.StatusOK))
	if len(m.Users) != 1 || !m.More {
		t.Errorf("limit 1 of several: %+v", m)
	}
	m = decode[requesterMatchesJSON](t, e.mgr.get("/api/v1/requesters?q=").want(t, http.StatusOK))
	if len(m.Users) != 0 {
		t.Errorf("no words find nobody: %+v", m)
	}
	problemOf(t, e.alice.get("/api/v1/requesters?q=sam", invalid).want(t, http.StatusForbidden))
	problemOf(t, e.anon.get("/api/v1/requesters?q=sam", invalid).want(t, http.StatusUnauthorized))
	for _, limit := range []string{"0", "51", "x"} {
		p := problemOf(t, e.agent.get("/api/v1/requesters?q=sam&limit="+limit, invalid).want(t, http.StatusUnprocessableEntity))
		if len(p.Errors) != 1 || p.Errors[0].Field != "limit" || p.Errors[0].Rule != "out_of_range" {
			t.Errorf("limit=%s: %+v", limit, p)
		}
	}
}

// TestCreateTicket_FirstContact: a walk-in caller's ticket registered and
// resolved in one step, counted in the report's JSON and CSV.
func TestCreateTicket_FirstContact(t *testing.T) {
	e := newEnv(t)
	in := ticketIn("Password reset")
	in["channel"] = "walk_in"
	in["requester"] = map[string]any{"name": "Walk In", "email": "walk.in@example.com", "organization": "ACME"}
	in["first_contact_resolution"] = map[string]any{"resolution_code": "user_instructed", "resolution_notes": "Reset at the desk"}
	tk := e.agent.createTicket(in)
	if tk.State != "resolved" || tk.Channel != "walk_in" {
		t.Fatalf("first-contact ticket: state %s, channel %s", tk.State, tk.Channel)
	}
	e.agent.createTicket(ticketIn("Printer jam"))
	bad := ticketIn("No notes")
	bad["first_contact_resolution"] = map[string]any{"resolution_code": "solved", "resolution_notes": ""}
	p := problemOf(t, e.agent.do("POST", "/api/v1/tickets", bad, invalid).want(t, http.StatusUnprocessableEntity))
	if len(p.Errors) != 1 || p.Errors[0].Field != "resolution_notes" {
		t.Errorf("no notes: %+v", p)
	}
	own := map[string]any{"type": "incident", "title": "Mine", "first_contact_resolution": map[string]any{
		"resolution_code": "solved", "resolution_notes": "I fixed it"}}
	problemOf(t, e.alice.do("POST", "/api/v1/tickets", own, invalid).want(t, http.StatusForbidden))

	rep := decode[reportJSON](t, e.mgr.get(reportURL(todayRange()+"&group_by=channel")).want(t, http.StatusOK))
	if rep.Total.FirstContact.Tickets != 1 || rep.Total.FirstContact.Rate != 0.5 {
		t.Errorf("total first-contact %+v, want 1 of 2", rep.Total.FirstContact)
	}
	r := e.mgr.get(reportURL(todayRange()), withHeader("Accept", "text/csv")).want(t, http.StatusOK)
	recs, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(recs[0], "first_contact_resolved")
	if col < 0 || recs[len(recs)-1][col] != "1" || recs[len(recs)-1][col+1] != "0.5000" {
		t.Errorf("CSV first-contact columns: %q", recs)
	}
}
