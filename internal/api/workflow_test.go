package api

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// move posts a transition as c and returns the ticket.
func (c *client) move(tk ticketJSON, body map[string]any) ticketJSON {
	c.t.Helper()
	r := c.do("POST", ticketURL(tk, "/transitions"), body).want(c.t, http.StatusOK)
	got := decode[ticketJSON](c.t, r)
	if r.header.Get("ETag") != etag(got.Version) {
		c.t.Errorf("ETag %q, want %q", r.header.Get("ETag"), etag(got.Version))
	}
	return got
}

// TestTickets_Lifecycle walks one incident from registration to closure,
// through hold, resolution and a reopen by its requester.
func TestTickets_Lifecycle(t *testing.T) {
	e := newEnv(t)
	tk := e.agent.createTicket(ticketIn("Cannot print"))
	tk = e.agent.move(tk, map[string]any{"to": "assigned"})
	if tk.Assignee == nil || tk.Assignee.ID != e.agent.userID {
		t.Fatalf("assigned to %v, want the acting agent", tk.Assignee)
	}
	tk = e.agent.move(tk, map[string]any{"to": "in_progress"})
	if tk.FirstResponseAt == nil {
		t.Error("first_response_at not set when work started")
	}
	tk = e.agent.move(tk, map[string]any{"to": "on_hold", "hold_reason": "awaiting_vendor"})
	if tk.HoldReason == nil || *tk.HoldReason != "awaiting_vendor" {
		t.Errorf("hold_reason %v", tk.HoldReason)
	}
	tk = e.agent.move(tk, map[string]any{"to": "in_progress"})
	tk = e.agent.move(tk, map[string]any{"to": "resolved", "resolution_code": "solved", "resolution_notes": "Replaced toner"})
	if tk.ResolvedAt == nil || tk.ResolutionCode == nil || *tk.ResolutionCode != "solved" {
		t.Errorf("resolved_at %v, resolution_code %v", tk.ResolvedAt, tk.ResolutionCode)
	}
	tk = e.alice.move(tk, map[string]any{"to": "in_progress", "reason": "Still streaky"})
	if tk.ReopenCount != 1 || tk.ResolvedAt != nil {
		t.Errorf("after reopen: reopen_count %d, resolved_at %v", tk.ReopenCount, tk.ResolvedAt)
	}
	tk = e.agent.move(tk, map[string]any{"to": "resolved", "resolution_code": "workaround", "resolution_notes": "New printer"})
	tk = e.alice.move(tk, map[string]any{"to": "closed"})
	if tk.State != "closed" || tk.ClosedAt == nil || len(tk.AllowedTransitions) != 0 {
		t.Errorf("closed: state %s, closed_at %v, allowed %v", tk.State, tk.ClosedAt, tk.AllowedTransitions)
	}
}

// TestTickets_TransitionRefused checks that moves outside the state machine
// are 409 naming the allowed targets, and missing inputs are 422.
func TestTickets_TransitionRefused(t *testing.T) {
	e := newEnv(t)
	fresh := e.agent.createTicket(ticketIn("Fresh"))
	canceled := e.agent.createTicket(ticketIn("Gone"))
	canceled = e.agent.move(canceled, map[string]any{"to": "canceled", "reason": "duplicate"})
	working := e.agent.createTicket(ticketIn("Working"))
	working = e.agent.move(e.agent.move(working, map[string]any{"to": "assigned"}), map[string]any{"to": "in_progress"})
	cases := []struct {
		name    string
		tk      ticketJSON
		body    map[string]any
		status  int
		allowed []string
		field   string
	}{
		{"new to resolved", fresh, map[string]any{"to": "resolved"}, 409, []string{"assigned", "in_progress", "canceled"}, ""},
		{"new to closed", fresh, map[string]any{"to": "closed"}, 409, []string{"assigned", "in_progress", "canceled"}, ""},
		{"from canceled", canceled, map[string]any{"to": "in_progress"}, 409, []string{}, ""},
		{"on hold without reason", working, map[string]any{"to": "on_hold"}, 422, nil, "hold_reason"},
		{"awaiting other without saying what", working, map[string]any{"to": "on_hold", "hold_reason": "awaiting_other"}, 422, nil, "reason"},
		{"unassign into in_progress", working, map[string]any{"to": "in_progress", "unassign": true}, 422, nil, "unassign"},
		{"resolve without code", working, map[string]any{"to": "resolved", "resolution_notes": "x"}, 422, nil, "resolution_code"},
		{"cancel without reason", working, map[string]any{"to": "canceled"}, 422, nil, "reason"},
		{"unknown state", working, map[string]any{"to": "done"}, 422, nil, "to"},
		{"no target", working, map[string]any{}, 422, nil, "to"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := problemOf(t, e.agent.do("POST", ticketURL(tc.tk, "/transitions"), tc.body, invalid).want(t, tc.status))
			if tc.status == http.StatusConflict {
				if diff := cmp.Diff(tc.allowed, p.Allowed); diff != "" {
					t.Errorf("allowed (-want +got):\n%s", diff)
				}
				return
			}
			if len(p.Errors) == 0 || p.Errors[0].Field != tc.field {
				t.Errorf("errors %v, want one naming %s", p.Errors, tc.field)
			}
		})
	}
}

// TestTickets_BackToQueue: a ticket in progress goes back to its group's
// unassigned queue through the API (to=assigned, unassign), group kept.
func TestTickets_BackToQueue(t *testing.T) {
	e := newEnv(t)
	tk := e.agent.move(e.agent.createTicket(ticketIn("Hand back")), map[string]any{"to": "in_progress"})
	if tk.Assignee == nil {
		t.Fatal("taking a new ticket straight to in_progress assigns the agent")
	}
	tk = e.agent.move(tk, map[string]any{"to": "assigned", "unassign": true, "reason": "wrong skills"})
	if tk.State != "assigned" || tk.Assignee != nil || tk.Group.ID != e.sd.ID {
		t.Errorf("after unassign: %s %v group %d", tk.State, tk.Assignee, tk.Group.ID)
	}
}

func TestTickets_Escalation(t *testing.T) {
	e := newEnv(t)
	tk := e.agent.createTicket(ticketIn("Core switch flapping"))
	esc := func(c *client, body map[string]any, status int) *response {
		t.Helper()
		return c.do("POST", ticketURL(tk, "/escalations"), body, invalid).want(t, status)
	}
	p := problemOf(t, esc(e.agent, map[string]any{"kind": "functional", "group_id": e.net.ID}, 422))
	if len(p.Errors) != 1 || p.Errors[0].Field != "reason" {
		t.Errorf("missing reason: errors %v", p.Errors)
	}
	problemOf(t, esc(e.agent, map[string]any{"kind": "sideways", "reason": "x"}, 422))
	problemOf(t, esc(e.alice, map[string]any{"kind": "functional", "group_id": e.net.ID, "reason": "x"}, 403))

	tk = decode[ticketJSON](t, esc(e.agent, map[string]any{"kind": "functional", "group_id": e.net.ID, "reason": "needs network"}, 200))
	if tk.Line != 2 || tk.Group.ID != e.net.ID || tk.EscalationCount != 1 || tk.ReassignmentCount != 1 {
		t.Errorf("after escalation to line 2: line %d group %d escalations %d reassignments %d",
			tk.Line, tk.Group.ID, tk.EscalationCount, tk.ReassignmentCount)
	}
	body := map[string]any{"kind": "functional", "group_id": e.vendor.ID, "assignee_id": e.l3.userID, "reason": "vendor bug"}
	tk = decode[ticketJSON](t, esc(e.l2, body, 200))
	if tk.Line != 3 || tk.Assignee == nil || tk.Assignee.ID != e.l3.userID || tk.EscalationCount != 2 {
		t.Errorf("after escalation to line 3: line %d assignee %v escalations %d", tk.Line, tk.Assignee, tk.EscalationCount)
	}
	problemOf(t, esc(e.l3, map[string]any{"kind": "functional", "group_id": e.vendor.ID, "reason": "more"}, 409))
	// Hierarchical escalation flags the ticket to the group's manager.
	sdTicket := e.agent.createTicket(ticketIn("VIP laptop"))
	r := e.agent.do("POST", ticketURL(sdTicket, "/escalations"), map[string]any{"kind": "hierarchical", "reason": "VIP"})
	if got := decode[ticketJSON](t, r.want(t, http.StatusOK)); got.ManagerFlaggedAt == nil {
		t.Error("manager_flagged_at not set")
	}
}

func TestTickets_CommentsAndEvents(t *testing.T) {
	e := newEnv(t)
	tk := e.agent.createTicket(ticketIn("Wi-Fi drops"))
	r := e.agent.do("POST", ticketURL(tk, "/comments"), map[string]any{"body": "Which building?"}).want(t, http.StatusCreated)
	ev := decode[eventJSON](t, r)
	want := eventJSON{ID: ev.ID, TicketID: tk.ID, At: ev.At, Actor: &desk.Ref{ID: e.agent.userID, Name: "Alan Agent"},
		Kind: "comment", Public: true, Body: "Which building?", Changes: ev.Changes}
	if diff := cmp.Diff(want, ev); diff != "" || ev.ID == 0 || r.header.Get("ETag") != etag(2) {
		t.Errorf("comment event (-want +got):\n%s\nETag %s", diff, r.header.Get("ETag"))
	}
	e.agent.do("POST", ticketURL(tk, "/comments"), map[string]any{"body": "Probably the AP in B2", "internal": true}).want(t, http.StatusCreated)
	e.alice.do("POST", ticketURL(tk, "/comments"), map[string]any{"body": "Building 2"}).want(t, http.StatusCreated)
	problemOf(t, e.alice.do("POST", ticketURL(tk, "/comments"), map[string]any{"body": "psst", "internal": true}).want(t, http.StatusForbidden))
	problemOf(t, e.agent.do("POST", ticketURL(tk, "/comments"), map[string]any{"body": "  "}).want(t, http.StatusUnprocessableEntity))

	kinds := func(c *client) []string {
		t.Helper()
		var out []string
		for _, ev := range e.walkEvents(c, tk) {
			out = append(out, fmt.Sprintf("%s:%s", ev.Kind, ev.Body))
		}
		return out
	}
	staff := []string{"created:Describe Wi-Fi drops", "comment:Which building?", "work_note:Probably the AP in B2", "comment:Building 2"}
	if diff := cmp.Diff(staff, kinds(e.agent)); diff != "" {
		t.Errorf("agent's history (-want +got):\n%s", diff)
	}
	requester := []string{"created:Describe Wi-Fi drops", "comment:Which building?", "comment:Building 2"}
	if diff := cmp.Diff(requester, kinds(e.alice)); diff != "" {
		t.Errorf("requester's history must omit work notes (-want +got):\n%s", diff)
	}
}

// walkEvents reads a ticket's whole history two events at a time.
func (e *env) walkEvents(c *client, tk ticketJSON) []eventJSON {
	e.t.Helper()
	var all []eventJSON
	seen := map[int64]bool{}
	path := ticketURL(tk, "/events?limit=2")
	for {
		page := decode[eventListJSON](e.t, c.get(path).want(e.t, http.StatusOK))
		for _, ev := range page.Events {
			if seen[ev.ID] {
				e.t.Fatalf("event %d on two pages", ev.ID)
			}
			seen[ev.ID] = true
		}
		all = append(all, page.Events...)
		if page.NextCursor == nil {
			return all
		}
		path = ticketURL(tk, "/events?limit=2&cursor="+url.QueryEscape(*page.NextCursor))
	}
}
