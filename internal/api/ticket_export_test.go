package api

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
)

// TestTickets_CSV: Accept: text/csv on the list answers every ticket of
// the filter the caller may see, in the columns asked for; a formula-like
// title is defused; bad columns are 422 naming the parameter.
func TestTickets_CSV(t *testing.T) {
	e := newEnv(t)
	e.agent.createTicket(ticketIn("Router down"))
	e.agent.createTicket(ticketIn("=HYPERLINK(\"http://evil\")"))
	other := ticketIn("Need a mouse")
	other["requester"] = map[string]any{"email": "bob@example.com"}
	e.agent.createTicket(other)

	r := e.agent.get("/api/v1/tickets?sort=created&columns=number,title,channel", withHeader("Accept", "text/csv")).want(t, http.StatusOK)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("Content-Type %q", ct)
	}
	rows, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || strings.Join(rows[0], ",") != "number,title,channel" {
		t.Fatalf("rows %q", rows)
	}
	if rows[1][1] != "Router down" || rows[1][2] != "api" || rows[2][1] != `'=HYPERLINK("http://evil")` {
		t.Errorf("rows %q", rows[1:])
	}
	r = e.agent.get("/api/v1/tickets?q=router", withHeader("Accept", "text/csv")).want(t, http.StatusOK)
	if rows, _ := csv.NewReader(strings.NewReader(string(r.body))).ReadAll(); len(rows) != 2 || len(rows[0]) != 15 {
		t.Errorf("q=router, every column: %q", rows)
	}
	// A requester exports only their own tickets, like the list.
	r = e.bob.get("/api/v1/tickets", withHeader("Accept", "text/csv")).want(t, http.StatusOK)
	if rows, _ := csv.NewReader(strings.NewReader(string(r.body))).ReadAll(); len(rows) != 2 {
		t.Errorf("bob exports %q", rows)
	}
	p := problemOf(t, e.agent.get("/api/v1/tickets?columns=number,password", withHeader("Accept", "text/csv"), invalid).want(t, http.StatusUnprocessableEntity))
	if !hasField(p, "columns") {
		t.Errorf("bad column: %+v", p)
	}
	p = problemOf(t, e.agent.get("/api/v1/tickets?channel=fax", withHeader("Accept", "text/csv"), invalid).want(t, http.StatusUnprocessableEntity))
	if !hasField(p, "channel") {
		t.Errorf("bad channel: %+v", p)
	}
}
