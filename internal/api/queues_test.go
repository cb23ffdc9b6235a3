package api

import (
	"net/http"
	"slices"
	"testing"
)

func listNumbers(l ticketListJSON) []string {
	var out []string
	for _, t := range l.Tickets {
		out = append(out, t.Number)
	}
	return out
}

// TestQueues: the predefined queues through the API, most urgent deadline
// first, with each ticket's next deadline.
func TestQueues(t *testing.T) {
	e := newEnv(t)
	p1 := e.agent.createTicket(map[string]any{"type": "incident", "title": "Payments down", "channel": "phone",
		"requester": map[string]any{"email": "alice@example.com"}, "impact": "high", "urgency": "high"})
	p4 := e.agent.createTicket(map[string]any{"type": "incident", "title": "Font too small", "channel": "phone",
		"requester": map[string]any{"email": "alice@example.com"}, "impact": "low", "urgency": "low"})
	if p1.SLADueAt == nil || p4.SLADueAt == nil || *p1.SLADueAt >= *p4.SLADueAt {
		t.Fatalf("deadlines: P1 %v, P4 %v", p1.SLADueAt, p4.SLADueAt)
	}
	l := decode[ticketListJSON](t, e.agent.get("/api/v1/queues/unassigned?total=true").want(t, http.StatusOK))
	if got, want := listNumbers(l), []string{p1.Number, p4.Number}; !slices.Equal(got, want) || l.Total == nil || *l.Total != 2 {
		t.Errorf("unassigned = %v (total %v), want %v", got, l.Total, want)
	}
	l = decode[ticketListJSON](t, e.agent.get("/api/v1/queues/about_to_breach?within=30m").want(t, http.StatusOK))
	if got, want := listNumbers(l), []string{p1.Number}; !slices.Equal(got, want) {
		t.Errorf("about to breach within 30m = %v, want %v", got, want)
	}
	l = decode[ticketListJSON](t, e.agent.get("/api/v1/queues/groups?sort=-sla&limit=1").want(t, http.StatusOK))
	if got := listNumbers(l); !slices.Equal(got, []string{p4.Number}) || l.NextCursor == nil {
		t.Fatalf("latest deadline first = %v (next %v)", got, l.NextCursor)
	}
	l = decode[ticketListJSON](t, e.agent.get("/api/v1/queues/groups?sort=-sla&limit=1&cursor="+*l.NextCursor).want(t, http.StatusOK))
	if got := listNumbers(l); !slices.Equal(got, []string{p1.Number}) || l.NextCursor != nil {
		t.Errorf("second page = %v (next %v)", got, l.NextCursor)
	}
	l = decode[ticketListJSON](t, e.agent.get("/api/v1/tickets?sort=sla&sla_due_to="+*p4.SLADueAt).want(t, http.StatusOK))
	if got := listNumbers(l); !slices.Equal(got, []string{p1.Number}) {
		t.Errorf("tickets due before the P4's deadline = %v", got)
	}
	if got := decode[ticketListJSON](t, e.l2.get("/api/v1/queues/mine").want(t, http.StatusOK)); len(got.Tickets) != 0 {
		t.Errorf("line 2's own queue holds %v", listNumbers(got))
	}

	e.alice.get("/api/v1/queues/mine").want(t, http.StatusForbidden)
	e.anon.get("/api/v1/queues/mine").want(t, http.StatusUnauthorized)
	e.agent.get("/api/v1/queues/everything", invalid).want(t, http.StatusNotFound)
	if p := problemOf(t, e.agent.get("/api/v1/queues/about_to_breach?within=soon", invalid).want(t, http.StatusUnprocessableEntity)); len(p.Errors) == 0 || p.Errors[0].Field != "within" {
		t.Errorf("bad window: %+v", p)
	}
	e.agent.get("/api/v1/queues/about_to_breach?within=720h").want(t, http.StatusUnprocessableEntity)
	e.agent.get("/api/v1/queues/mine?cursor=garbage").want(t, http.StatusUnprocessableEntity)
}
