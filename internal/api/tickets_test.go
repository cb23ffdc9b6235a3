package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func TestTickets_Create(t *testing.T) {
	e := newEnv(t)
	r := e.agent.do("POST", "/api/v1/tickets", map[string]any{
		"type": "incident", "title": "  VPN down  ", "description": "Cannot connect", "symptoms": "timeout",
		"impact": "high", "urgency": "high",
		"requester": map[string]any{"name": "Carol", "email": "Carol@Example.com", "phone": "+1 555"},
	}).want(t, http.StatusCreated)
	got := decode[ticketJSON](t, r)
	if loc := r.header.Get("Location"); loc != ticketURL(got, "") {
		t.Errorf("Location = %q, want %q", loc, ticketURL(got, ""))
	}
	if et := r.header.Get("ETag"); et != `"1"` {
		t.Errorf("ETag = %q, want \"1\"", et)
	}
	want := ticketJSON{
		Number: "INC-000001", Type: "incident", Title: "VPN down", Description: "Cannot connect", Symptoms: "timeout",
		State: "new", Impact: "high", Urgency: "high", Priority: "P1",
		Group: desk.GroupRef{ID: e.sd.ID, Name: "Service Desk", Line: 1}, Line: 1,
		Requester: desk.Person{Name: "Carol", Email: "carol@example.com", Phone: "+1 555"},
		Channel:   "api", Version: 1, AllowedTransitions: []desk.State{"assigned", "in_progress", "canceled"},
		Links: []linkJSON{},
		Calls: []callJSON{},
	}
	ignore := cmpopts.IgnoreFields(ticketJSON{}, "ID", "ReportedAt", "CreatedAt", "UpdatedAt", "Requester.ID", "SLA", "SLADueAt")
	if diff := cmp.Diff(want, got, ignore); diff != "" {
		t.Errorf("created ticket (-want +got):\n%s", diff)
	}
	// The next deadline is the response clock's.
	if got.SLADueAt == nil || got.SLA == nil || got.SLA.Clocks[0].Deadline == nil || *got.SLADueAt != *got.SLA.Clocks[0].Deadline {
		t.Errorf("next deadline %v, want the response deadline", got.SLADueAt)
	}
	// The promise of a P1 incident: 15 minutes to respond, 4 hours to resolve,
	// round the clock; the server's clock runs, so only the shape is fixed.
	if got.SLA == nil || got.SLA.Policy == nil || got.SLA.Policy.Name != "P1 incidents" || *got.SLA.Calendar != "24x7" ||
		len(got.SLA.Clocks) != 2 || got.SLA.Clocks[0].Kind != "response" || got.SLA.Clocks[0].Target != 900 ||
		got.SLA.Clocks[1].Kind != "resolution" || got.SLA.Clocks[1].Target != 4*3600 ||
		got.SLA.Clocks[0].State != "running" || got.SLA.Clocks[0].Deadline == nil {
		t.Errorf("sla = %+v", got.SLA)
	}
	again := decode[ticketJSON](t, e.agent.get(ticketURL(got, "")).want(t, http.StatusOK))
	ignoreClocks := cmpopts.IgnoreFields(slaClockJSON{}, "Elapsed", "Remaining", "PercentUsed")
	if diff := cmp.Diff(got, again, ignoreClocks); diff != "" {
		t.Errorf("GET differs from POST (-post +get):\n%s", diff)
	}
}

func TestTickets_CreateAsRequester(t *testing.T) {
	e := newEnv(t)
	got := e.alice.createTicket(map[string]any{"type": "request", "title": "New laptop", "channel": "portal"})
	if got.Number != "REQ-000001" || got.Requester.Email != "alice@example.com" || got.Channel != "portal" {
		t.Errorf("got number %s, requester %s, channel %s", got.Number, got.Requester.Email, got.Channel)
	}
	r := e.alice.do("POST", "/api/v1/tickets", map[string]any{"type": "incident", "title": "x", "group_id": e.net.ID})
	r.want(t, http.StatusForbidden)
}

func TestTickets_GetByNumberAndID(t *testing.T) {
	e := newEnv(t)
	tk := e.agent.createTicket(ticketIn("Printer jam"))
	for _, ref := range []string{fmt.Sprint(tk.ID), tk.Number, strings.ToLower(tk.Number)} {
		got := decode[ticketJSON](t, e.agent.get("/api/v1/tickets/"+ref).want(t, http.StatusOK))
		if got.ID != tk.ID {
			t.Errorf("GET %s: id %d, want %d", ref, got.ID, tk.ID)
		}
	}
	for _, ref := range []string{"999999", "INC-999999", "nonsense", "REQ-000001"} {
		problemOf(t, e.agent.get("/api/v1/tickets/"+ref).want(t, http.StatusNotFound))
	}
}

func TestTickets_Patch(t *testing.T) {
	e := newEnv(t)
	tk := e.agent.createTicket(ticketIn("Slow mail"))
	cat := e.createCategory("Email", 0)
	r := e.agent.do("PATCH", ticketURL(tk, ""), map[string]any{
		"title": "Very slow mail", "impact": "high", "reason": "whole floor", "category_id": cat.ID,
		"assignee_id": e.agent.userID, "restricted": true,
	}, withHeader("If-Match", etag(tk.Version))).want(t, http.StatusOK)
	got := decode[ticketJSON](t, r)
	if r.header.Get("ETag") != etag(2) {
		t.Errorf("ETag %q, want %q", r.header.Get("ETag"), etag(2))
	}
	want := map[string]any{"title": "Very slow mail", "priority": desk.Priority("P2"), "category": cat.Name,
		"assignee": "Alan Agent", "state": desk.State("assigned"), "restricted": true}
	have := map[string]any{"title": got.Title, "priority": got.Priority, "category": refName(got.Category),
		"assignee": refName(got.Assignee), "state": got.State, "restricted": got.Restricted}
	if diff := cmp.Diff(want, have); diff != "" {
		t.Errorf("patched (-want +got):\n%s", diff)
	}
	// null clears an id field; absent fields stay.
	got = decode[ticketJSON](t, e.agent.do("PATCH", ticketURL(tk, ""), map[string]any{"category_id": nil}).want(t, http.StatusOK))
	if got.Category != nil || got.Title != "Very slow mail" {
		t.Errorf("after clearing: category %v, title %q", got.Category, got.Title)
	}
	// null on a field that cannot be cleared is 422 naming it.
	p := problemOf(t, e.agent.do("PATCH", ticketURL(tk, ""), map[string]any{"title": nil}, invalid).want(t, http.StatusUnprocessableEntity))
	if len(p.Errors) != 1 || p.Errors[0].Field != "title" {
		t.Errorf("errors %v, want one for title", p.Errors)
	}
}

func refName(r *desk.Ref) string {
	if r == nil {
		return ""
	}
	return r.Name
}

func (e *env) createCategory(name string, parent int64) categoryJSON {
	e.t.Helper()
	body := map[string]any{"name": name}
	if parent != 0 {
		body["parent_id"] = parent
	}
	return decode[categoryJSON](e.t, e.admin.do("POST", "/api/v1/categories", body).want(e.t, http.StatusCreated))
}

func TestTickets_RussianAndLongTextRoundTrip(t *testing.T) {
	e := newEnv(t)
	long := strings.Repeat("Ж", desk.MaxTextLen)
	cases := []struct{ name, title, description string }{
		{"russian", "Не работает принтер на 3-м этаже", "Принтер «HP» печатает пустые листы; ёжик, щука, Ъ."},
		{"sql", "'; DROP TABLE tickets; --", `" OR 1=1 -- ' UNION SELECT * FROM users; /* */ \x00`},
		{"long", strings.Repeat("т", desk.MaxTitleLen), long},
		{"emoji and quotes", "💥 \"quoted\" <b>html</b> & more", "tab\tnewline\nbackslash\\ unicode \u2028"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			created := e.agent.createTicket(map[string]any{"type": "incident", "title": tc.title, "description": tc.description,
				"requester": map[string]any{"email": "alice@example.com"}})
			got := decode[ticketJSON](t, e.agent.get(ticketURL(created, "")).want(t, http.StatusOK))
			if got.Title != tc.title || got.Description != tc.description {
				t.Errorf("round trip changed the text: title %d runes, description %d bytes", len([]rune(got.Title)), len(got.Description))
			}
			list := decode[ticketListJSON](t, e.agent.get("/api/v1/tickets?limit=500").want(t, http.StatusOK))
			if !containsTicket(list, created.ID, tc.title) {
				t.Errorf("list does not hold ticket %d with its title intact", created.ID)
			}
		})
	}
	search := map[string]string{"принтер": "Не работает принтер на 3-м этаже", "DROP": "'; DROP TABLE tickets; --"}
	for q, title := range search {
		list := decode[ticketListJSON](t, e.agent.get("/api/v1/tickets?q="+url.QueryEscape(q)).want(t, http.StatusOK))
		if len(list.Tickets) != 1 || list.Tickets[0].Title != title {
			t.Errorf("search %q: got %d tickets, want the one titled %q", q, len(list.Tickets), title)
		}
	}
}

func containsTicket(l ticketListJSON, id int64, title string) bool {
	for _, tk := range l.Tickets {
		if tk.ID == id && tk.Title == title {
			return true
		}
	}
	return false
}
