package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestAuth_RequiresBearerToken(t *testing.T) {
	e := newEnv(t)
	cases := []struct{ name, header string }{
		{"none", ""},
		{"wrong scheme", "Basic " + e.admin.token},
		{"empty token", "Bearer "},
		{"unknown token", "Bearer tdk_not-a-real-token"},
		{"not a tierdesk token", "Bearer abc.def.ghi"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var opts []reqOpt
			if tc.header != "" {
				opts = append(opts, withHeader("Authorization", tc.header))
			}
			r := e.anon.get("/api/v1/tickets", opts...).want(t, http.StatusUnauthorized)
			problemOf(t, r)
			if got := r.header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
				t.Errorf("WWW-Authenticate = %q, want Bearer", got)
			}
			if strings.Contains(string(r.body), e.admin.token) {
				t.Error("the response echoes the token")
			}
		})
	}
	// A deactivated user's token stops working.
	e.admin.do("DELETE", "/api/v1/users/"+itoa(e.bob.userID), nil).want(t, http.StatusNoContent)
	e.bob.get("/api/v1/users/me").want(t, http.StatusUnauthorized)
	// Public endpoints need no token.
	for _, path := range []string{"/healthz", "/readyz", "/api/v1/openapi.json"} {
		e.anon.get(path).want(t, http.StatusOK)
	}
}

// TestAuthz_Requester checks what a requester may not see or do. The desk
// decides; the API must pass its answers through unchanged.
func TestAuthz_Requester(t *testing.T) {
	e := newEnv(t)
	mine := e.alice.createTicket(map[string]any{"type": "incident", "title": "My screen"})
	e.agent.do("POST", ticketURL(mine, "/comments"), map[string]any{"body": "secret note", "internal": true}).want(t, http.StatusCreated)
	cases := []struct {
		name         string
		c            *client
		method, path string
		body         map[string]any
		status       int
	}{
		{"other requester reads", e.bob, "GET", ticketURL(mine, ""), nil, 404},
		{"other requester reads by number", e.bob, "GET", "/api/v1/tickets/" + mine.Number, nil, 404},
		{"other requester reads history", e.bob, "GET", ticketURL(mine, "/events"), nil, 404},
		{"other requester comments", e.bob, "POST", ticketURL(mine, "/comments"), map[string]any{"body": "hi"}, 404},
		{"other requester transitions", e.bob, "POST", ticketURL(mine, "/transitions"), map[string]any{"to": "closed"}, 404},
		{"requester patches own", e.alice, "PATCH", ticketURL(mine, ""), map[string]any{"title": "x"}, 403},
		{"requester escalates", e.alice, "POST", ticketURL(mine, "/escalations"), map[string]any{"kind": "hierarchical", "reason": "x"}, 403},
		{"requester moves own", e.alice, "POST", ticketURL(mine, "/transitions"), map[string]any{"to": "assigned"}, 403},
		{"requester lists users", e.alice, "GET", "/api/v1/users", nil, 403},
		{"requester reads another user", e.alice, "GET", "/api/v1/users/" + itoa(e.bob.userID), nil, 404},
		{"requester lists groups", e.alice, "GET", "/api/v1/groups", nil, 403},
		{"agent sets the matrix", e.agent, "PUT", "/api/v1/priority-matrix", matrixBody("P1"), 403},
		{"agent creates a user", e.agent, "POST", "/api/v1/users", map[string]any{"email": "x@example.com", "name": "X", "role": "admin"}, 403},
		{"agent creates a category", e.agent, "POST", "/api/v1/categories", map[string]any{"name": "X"}, 403},
		{"agent creates a service", e.agent, "POST", "/api/v1/services", map[string]any{"name": "X"}, 403},
		{"agent creates a group", e.agent, "POST", "/api/v1/groups", map[string]any{"name": "X", "line": 2}, 403},
		{"agent issues a token for another", e.agent, "POST", "/api/v1/users/" + itoa(e.admin.userID) + "/tokens", map[string]any{"name": "steal"}, 403},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			problemOf(t, tc.c.do(tc.method, tc.path, tc.body).want(t, tc.status))
		})
	}
	t.Run("requester lists only own tickets", func(t *testing.T) {
		e.agent.createTicket(map[string]any{"type": "incident", "title": "Bob's", "requester": map[string]any{"email": "bob@example.com"}})
		list := decode[ticketListJSON](t, e.alice.get("/api/v1/tickets?total=true").want(t, http.StatusOK))
		if len(list.Tickets) != 1 || list.Tickets[0].ID != mine.ID || *list.Total != 1 {
			t.Errorf("alice sees %d tickets (total %v), want only her own", len(list.Tickets), list.Total)
		}
	})
	t.Run("requester never sees work notes", func(t *testing.T) {
		evs := e.walkEvents(e.alice, mine)
		if len(evs) == 0 || evs[0].Kind != "created" {
			t.Fatalf("requester's history %+v, want it to begin with the registration", evs)
		}
		for _, ev := range evs {
			if !ev.Public || strings.Contains(ev.Body, "secret") {
				t.Errorf("requester sees %s event %q", ev.Kind, ev.Body)
			}
		}
	})
}

// TestAuthz_RestrictedForAnotherGroup: a line-1 agent registering a
// restricted ticket for the network group gets 201 with a receipt (number,
// group, visible false), not a 404 for a success; a retry with the same
// Idempotency-Key gets the same receipt and registers nothing more; the
// ticket itself stays unreadable to them and readable to the group.
func TestAuthz_RestrictedForAnotherGroup(t *testing.T) {
	e := newEnv(t)
	body := ticketIn("Payroll server down")
	body["restricted"] = true
	body["group_id"] = e.net.ID
	type receipt struct {
		ID      int64  `json:"id"`
		Number  string `json:"number"`
		Visible bool   `json:"visible"`
		Group   struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"group"`
	}
	res := e.agent.do("POST", "/api/v1/tickets", body, withHeader("Idempotency-Key", "payroll-1")).want(t, http.StatusCreated)
	got := decode[receipt](t, res)
	if got.Number == "" || got.Visible || got.Group.ID != e.net.ID || got.Group.Name != "Network" {
		t.Errorf("receipt %+v", got)
	}
	if loc := res.header.Get("Location"); loc != fmt.Sprintf("/api/v1/tickets/%d", got.ID) {
		t.Errorf("Location %q", loc)
	}
	again := decode[receipt](t, e.agent.do("POST", "/api/v1/tickets", body, withHeader("Idempotency-Key", "payroll-1")).want(t, http.StatusOK))
	if again.Number != got.Number {
		t.Errorf("the retry answered %s, the first %s", again.Number, got.Number)
	}
	problemOf(t, e.agent.get(fmt.Sprintf("/api/v1/tickets/%d", got.ID)).want(t, http.StatusNotFound))
	if tk := decode[ticketJSON](t, e.l2.get(fmt.Sprintf("/api/v1/tickets/%d", got.ID)).want(t, http.StatusOK)); tk.Number != got.Number {
		t.Errorf("the network group reads %s", tk.Number)
	}
	list := decode[ticketListJSON](t, e.admin.get("/api/v1/tickets").want(t, http.StatusOK))
	if len(list.Tickets) != 1 {
		t.Errorf("%d tickets registered, want 1", len(list.Tickets))
	}
}

// TestAuthz_Restricted checks that a restricted ticket is invisible outside
// its group.
func TestAuthz_Restricted(t *testing.T) {
	e := newEnv(t)
	body := ticketIn("HR laptop")
	body["restricted"] = true
	tk := e.agent.createTicket(body)
	e.agent2.get(ticketURL(tk, "")).want(t, http.StatusOK)
	problemOf(t, e.l2.get(ticketURL(tk, "")).want(t, http.StatusNotFound))
	list := decode[ticketListJSON](t, e.l2.get("/api/v1/tickets").want(t, http.StatusOK))
	if len(list.Tickets) != 0 {
		t.Errorf("line-2 agent lists %d restricted tickets", len(list.Tickets))
	}
}
