package api

import (
	"net/http"
	"testing"
)

// TestLinks: a link made on one ticket shows on both, inverted, in their
// JSON and timelines; the rules come back as 409/422; requesters see none.
func TestLinks(t *testing.T) {
	e := newEnv(t)
	parent := e.agent.createTicket(ticketIn("Office network down"))
	child := e.agent.createTicket(ticketIn("Printer on floor 2 offline"))
	dup := e.agent.createTicket(ticketIn("Network down again"))

	l := decode[linkJSON](t, e.agent.do("POST", ticketURL(child, "/links"), map[string]any{"kind": "child_of", "ticket": parent.Number}).want(t, http.StatusCreated))
	if l.Kind != "child_of" || l.Ticket.Number != parent.Number {
		t.Errorf("created link %+v", l)
	}
	e.agent.do("POST", ticketURL(parent, "/links"), map[string]any{"kind": "duplicated_by", "ticket": dup.Number}).want(t, http.StatusCreated)

	got := decode[ticketJSON](t, e.agent.get(ticketURL(parent, "")).want(t, http.StatusOK))
	if len(got.Links) != 2 || got.Links[0].Kind != "parent_of" || got.Links[0].Ticket.Number != child.Number ||
		got.Links[1].Kind != "duplicated_by" || got.Links[1].Ticket.Number != dup.Number {
		t.Errorf("parent's links: %+v", got.Links)
	}
	if got.Version != parent.Version+2 {
		t.Errorf("parent's version %d, want %d: a link is a change", got.Version, parent.Version+2)
	}
	links := decode[struct{ Links []linkJSON }](t, e.agent.get(ticketURL(dup, "/links")).want(t, http.StatusOK))
	if len(links.Links) != 1 || links.Links[0].Kind != "duplicate_of" {
		t.Errorf("duplicate's links: %+v", links.Links)
	}
	evs := decode[struct{ Events []eventJSON }](t, e.agent.get(ticketURL(child, "/events")).want(t, http.StatusOK))
	last := evs.Events[len(evs.Events)-1]
	if last.Kind != "linked" || last.Public || len(last.Changes) != 1 || last.Changes[0].New != "child_of "+parent.Number {
		t.Errorf("child's timeline ends with %+v", last)
	}

	e.agent.do("POST", ticketURL(parent, "/links"), map[string]any{"kind": "related", "ticket": child.Number}).want(t, http.StatusConflict)
	e.agent.do("POST", ticketURL(parent, "/links"), map[string]any{"kind": "child_of", "ticket": child.Number}).want(t, http.StatusConflict)
	e.agent.do("POST", ticketURL(parent, "/links"), map[string]any{"kind": "related", "ticket": parent.Number}).want(t, http.StatusUnprocessableEntity)
	e.agent.do("POST", ticketURL(parent, "/links"), map[string]any{"kind": "sibling_of", "ticket": child.Number}, invalid).want(t, http.StatusUnprocessableEntity)
	e.agent.do("POST", ticketURL(parent, "/links"), map[string]any{"kind": "related", "ticket": "INC-999999"}).want(t, http.StatusUnprocessableEntity)
	e.alice.do("POST", ticketURL(parent, "/links"), map[string]any{"kind": "related", "ticket": dup.Number}).want(t, http.StatusForbidden)
	if alice := decode[ticketJSON](t, e.alice.get(ticketURL(parent, "")).want(t, http.StatusOK)); alice.Links != nil {
		t.Errorf("the requester sees links %+v", alice.Links)
	}

	e.agent.do("DELETE", "/api/v1/tickets/"+dup.Number+"/links/"+parent.Number, nil).want(t, http.StatusNoContent)
	e.agent.do("DELETE", "/api/v1/tickets/"+dup.Number+"/links/"+parent.Number, nil).want(t, http.StatusNotFound)
	if got := decode[ticketJSON](t, e.agent.get(ticketURL(parent, "")).want(t, http.StatusOK)); len(got.Links) != 1 {
		t.Errorf("after unlinking: %+v", got.Links)
	}
}
