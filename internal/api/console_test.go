package api

import (
	"net/http"
	"slices"
	"testing"
)

func (e *env) resolve(tk ticketJSON) {
	e.t.Helper()
	for _, body := range []map[string]any{{"to": "assigned"}, {"to": "in_progress"},
		{"to": "resolved", "resolution_code": "solved", "resolution_notes": "fixed"}} {
		e.agent.do("POST", ticketURL(tk, "/transitions"), body).want(e.t, http.StatusOK)
	}
}

// TestRatings: the requester rates a resolved ticket, may change it until
// it is closed, and the rating is on the public timeline and the dashboard.
func TestRatings(t *testing.T) {
	e := newEnv(t)
	tk := e.agent.createTicket(ticketIn("Laptop will not boot"))
	e.alice.do("PUT", ticketURL(tk, "/rating"), map[string]any{"score": 5}).want(t, http.StatusConflict) // not resolved yet
	e.alice.get(ticketURL(tk, "/rating")).want(t, http.StatusNotFound)
	e.resolve(tk)

	e.agent.do("PUT", ticketURL(tk, "/rating"), map[string]any{"score": 5}).want(t, http.StatusForbidden)
	e.bob.do("PUT", ticketURL(tk, "/rating"), map[string]any{"score": 5}).want(t, http.StatusNotFound)
	for _, bad := range []int{0, 6} {
		if p := problemOf(t, e.alice.do("PUT", ticketURL(tk, "/rating"), map[string]any{"score": bad}, invalid).want(t, http.StatusUnprocessableEntity)); len(p.Errors) != 1 || p.Errors[0].Field != "score" {
			t.Errorf("score %d: %+v", bad, p)
		}
	}
	r := decode[ratingJSON](t, e.alice.do("PUT", ticketURL(tk, "/rating"), map[string]any{"score": 2, "comment": "slow"}).want(t, http.StatusOK))
	if r.Score != 2 || r.Comment != "slow" || r.Group.ID != e.sd.ID || r.Group.Name != e.sd.Name {
		t.Errorf("rating %+v", r)
	}
	e.alice.do("PUT", ticketURL(tk, "/rating"), map[string]any{"score": 4, "comment": "fixed well in the end"}).want(t, http.StatusOK)
	if got := decode[ratingJSON](t, e.agent.get(ticketURL(tk, "/rating")).want(t, http.StatusOK)); got.Score != 4 || got.Group.Name != e.sd.Name {
		t.Errorf("staff read the rating as %+v", got)
	}
	evs := decode[struct{ Events []eventJSON }](t, e.alice.get(ticketURL(tk, "/events")).want(t, http.StatusOK))
	last := evs.Events[len(evs.Events)-1]
	if last.Kind != "rated" || !last.Public || last.Changes[0].Old != "2" || last.Changes[0].New != "4" {
		t.Errorf("the requester's timeline ends with %+v", last)
	}

	e.alice.do("POST", ticketURL(tk, "/transitions"), map[string]any{"to": "closed"}).want(t, http.StatusOK)
	e.alice.do("PUT", ticketURL(tk, "/rating"), map[string]any{"score": 1}).want(t, http.StatusConflict) // final once closed

	// A closed ticket never rated may still be rated, once.
	late := e.agent.createTicket(ticketIn("Mouse broken"))
	e.resolve(late)
	e.alice.do("POST", ticketURL(late, "/transitions"), map[string]any{"to": "closed"}).want(t, http.StatusOK)
	e.alice.do("PUT", ticketURL(late, "/rating"), map[string]any{"score": 5}).want(t, http.StatusOK)
	e.alice.do("PUT", ticketURL(late, "/rating"), map[string]any{"score": 3}).want(t, http.StatusConflict)

	d := decode[dashboardJSON](t, e.agent.get("/api/v1/dashboard").want(t, http.StatusOK))
	if s := d.Satisfaction[0]; s.Period != "today" || s.Ratings != 2 || s.Average == nil || *s.Average != 4.5 {
		t.Errorf("today's satisfaction %+v", s)
	}
}

// TestSavedFilters: CRUD of one's own filters, running one as a queue,
// and nobody else's.
func TestSavedFilters(t *testing.T) {
	e := newEnv(t)
	vpn := e.agent.createTicket(ticketIn("VPN drops"))
	e.agent.createTicket(ticketIn("Printer jam"))
	f := decode[savedFilterJSON](t, e.agent.do("POST", "/api/v1/filters", map[string]any{"name": "VPN",
		"filter": map[string]any{"query": "vpn", "states": []string{"new"}}}).want(t, http.StatusCreated))
	e.agent.do("POST", "/api/v1/filters", map[string]any{"name": "vpn", "filter": map[string]any{}}).want(t, http.StatusConflict)
	if p := problemOf(t, e.agent.do("POST", "/api/v1/filters", map[string]any{"name": "bad", "filter": map[string]any{"states": []string{"lost"}}}, invalid).want(t, http.StatusUnprocessableEntity)); len(p.Errors) == 0 || p.Errors[0].Field != "filter.states" {
		t.Errorf("a bad state: %+v", p)
	}
	e.agent.do("POST", "/api/v1/filters", map[string]any{"name": "", "filter": map[string]any{}}, invalid).want(t, http.StatusUnprocessableEntity)
	e.agent.do("POST", "/api/v1/filters", map[string]any{"name": "x", "filter": map[string]any{"colour": "red"}}, invalid).want(t, http.StatusBadRequest)

	l := decode[ticketListJSON](t, e.agent.get("/api/v1/filters/"+itoa(f.ID)+"/tickets?total=true").want(t, http.StatusOK))
	if got := listNumbers(l); !slices.Equal(got, []string{vpn.Number}) || *l.Total != 1 {
		t.Errorf("running VPN = %v", got)
	}
	f2 := decode[savedFilterJSON](t, e.agent.do("PUT", "/api/v1/filters/"+itoa(f.ID), map[string]any{"name": "Mine",
		"filter": map[string]any{"assigned_to_me": true}}).want(t, http.StatusOK))
	if f2.Name != "Mine" || !f2.Filter.AssignedToMe || f2.Filter.Query != "" {
		t.Errorf("updated %+v", f2)
	}
	list := decode[struct{ Filters []savedFilterJSON }](t, e.agent.get("/api/v1/filters").want(t, http.StatusOK))
	if len(list.Filters) != 1 || list.Filters[0].Name != "Mine" {
		t.Errorf("the agent's filters %+v", list.Filters)
	}
	if other := decode[struct{ Filters []savedFilterJSON }](t, e.agent2.get("/api/v1/filters").want(t, http.StatusOK)); len(other.Filters) != 0 {
		t.Errorf("another agent sees %+v", other.Filters)
	}
	e.agent2.get("/api/v1/filters/"+itoa(f.ID)).want(t, http.StatusNotFound)
	e.agent2.get("/api/v1/filters/"+itoa(f.ID)+"/tickets").want(t, http.StatusNotFound)
	e.agent2.do("DELETE", "/api/v1/filters/"+itoa(f.ID), nil).want(t, http.StatusNotFound)
	e.alice.get("/api/v1/filters").want(t, http.StatusForbidden)
	e.agent.get("/api/v1/filters/"+itoa(f.ID)).want(t, http.StatusOK)
	e.agent.do("DELETE", "/api/v1/filters/"+itoa(f.ID), nil).want(t, http.StatusNoContent)
	e.agent.get("/api/v1/filters/"+itoa(f.ID)).want(t, http.StatusNotFound)
}

// TestSavedFilters_Shared: a filter shared with the owner's group is
// listed and run by the other members, who may not change or delete it.
func TestSavedFilters_Shared(t *testing.T) {
	e := newEnv(t)
	e.agent.createTicket(ticketIn("VPN drops"))
	f := decode[savedFilterJSON](t, e.agent.do("POST", "/api/v1/filters", map[string]any{"name": "Desk VPN",
		"filter":      map[string]any{"query": "vpn", "channels": []string{"api"}, "columns": []string{"number", "title"}},
		"shared_with": []int64{e.sd.ID}}).want(t, http.StatusCreated))
	if len(f.SharedWith) != 1 || f.SharedWith[0].ID != e.sd.ID || f.Owner.Name != "Alan Agent" {
		t.Errorf("created %+v", f)
	}
	list := decode[struct{ Filters []savedFilterJSON }](t, e.agent2.get("/api/v1/filters").want(t, http.StatusOK))
	if len(list.Filters) != 1 || list.Filters[0].ID != f.ID {
		t.Errorf("a member of the group lists %+v", list.Filters)
	}
	l := decode[ticketListJSON](t, e.agent2.get("/api/v1/filters/"+itoa(f.ID)+"/tickets").want(t, http.StatusOK))
	if len(l.Tickets) != 1 {
		t.Errorf("a member runs it: %d tickets", len(l.Tickets))
	}
	p := problemOf(t, e.agent2.do("PUT", "/api/v1/filters/"+itoa(f.ID), map[string]any{"name": "Mine now", "filter": map[string]any{}}).want(t, http.StatusForbidden))
	if p.Rule != "not_owner" {
		t.Errorf("rename by a member: %+v", p)
	}
	e.agent2.do("DELETE", "/api/v1/filters/"+itoa(f.ID), nil).want(t, http.StatusForbidden)
	p = problemOf(t, e.agent.do("PUT", "/api/v1/filters/"+itoa(f.ID), map[string]any{"name": "x", "filter": map[string]any{},
		"shared_with": []int64{e.net.ID}}, invalid).want(t, http.StatusUnprocessableEntity))
	if !hasField(p, "shared_with") {
		t.Errorf("sharing with a group one is not in: %+v", p)
	}
	p = problemOf(t, e.agent.do("POST", "/api/v1/filters", map[string]any{"name": "y", "filter": map[string]any{"channels": []string{"fax"}}}, invalid).want(t, http.StatusUnprocessableEntity))
	if !hasField(p, "filter.channels") {
		t.Errorf("an unknown channel: %+v", p)
	}
}

// TestDashboard: the figures count what is there; bad parameters are 422.
func TestDashboard(t *testing.T) {
	e := newEnv(t)
	e.agent.createTicket(map[string]any{"type": "incident", "title": "Payments down", "channel": "phone",
		"requester": map[string]any{"email": "alice@example.com"}, "impact": "high", "urgency": "high"})
	tk := e.agent.createTicket(ticketIn("Printer jam"))
	e.resolve(tk)
	d := decode[dashboardJSON](t, e.agent.get("/api/v1/dashboard?tz=Europe/Moscow").want(t, http.StatusOK))
	want := map[string]int{"mine": 0, "groups": 1, "unassigned": 1, "about_to_breach": 1, "breached": 0, "on_hold": 0}
	if len(d.Queues) != len(want) {
		t.Errorf("%d queues %+v, want the %d of %v", len(d.Queues), d.Queues, len(want), want)
	}
	for _, q := range d.Queues {
		if q.N != want[q.Key] {
			t.Errorf("queue %s counts %d, want %d", q.Key, q.N, want[q.Key])
		}
	}
	if d.OpenByPriority[0].Key != "P1" || d.OpenByPriority[0].N != 1 || d.Lines[0].Open != 1 || d.Backlog[0].N != 1 {
		t.Errorf("open figures %+v %+v %+v", d.OpenByPriority, d.Lines, d.Backlog)
	}
	if a := d.Attainment[2]; a.Tickets != 2 || a.Response.Met != 1 || a.Resolution.Met != 1 || a.Response.Pending != 1 {
		t.Errorf("30-day attainment %+v", a)
	}
	// The promise: the resolved incident was answered (resolved) within the
	// hour and resolved within 24 h; the open one has waited under an hour,
	// so no target applies to it yet.
	if p := d.Promise; p.Due1h != 1 || p.Within1hPercent == nil || *p.Within1hPercent != 100 || p.Due3h != 1 ||
		p.Resolved != 1 || p.MeanResolveSeconds == nil || !p.MeanWithinTarget || p.ResolveTargetSeconds != 86400 {
		t.Errorf("promise %+v", p)
	}
	if other := decode[dashboardJSON](t, e.agent.get("/api/v1/dashboard?group="+itoa(e.net.ID)).want(t, http.StatusOK)); other.Lines[0].Open != 0 {
		t.Errorf("network's dashboard counts the service desk's tickets: %+v", other.Lines)
	}
	e.agent.get("/api/v1/dashboard?tz=Mars/Olympus").want(t, http.StatusUnprocessableEntity)
	e.agent.get("/api/v1/dashboard?group=x", invalid).want(t, http.StatusUnprocessableEntity)
	e.alice.get("/api/v1/dashboard").want(t, http.StatusForbidden)
}
