package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	prb "github.com/tierdesk/tierdesk/internal/problem"
)

func problemURL(p problemJSON, suffix string) string { return "/api/v1/problems/" + p.Number + suffix }

// working registers an incident as the agent and takes it into progress.
func (e *env) working(title string) ticketJSON {
	e.t.Helper()
	tk := e.agent.createTicket(ticketIn(title))
	e.agent.do("POST", ticketURL(tk, "/transitions"), map[string]any{"to": "in_progress"}).want(e.t, http.StatusOK)
	return tk
}

// runBroadcasts carries out the queued broadcasts as the server would, in
// batches of at most two. A batch aims to hold the writer an hour, so every
// batch is quick enough for the next to grow and the batches are the same
// on a loaded machine (with the default 50 ms, a transaction over 25 ms
// under load kept the second batch at one incident: 4 batches, not 3).
func (e *env) runBroadcasts() {
	e.t.Helper()
	if _, err := prb.NewRunner(e.problems, prb.RunnerConfig{Batch: 2, Hold: time.Hour}, nil).RunDue(e.t.Context()); err != nil {
		e.t.Fatalf("run broadcasts: %v", err)
	}
}

// TestProblems_Lifecycle: a problem from an incident, two more linked,
// a workaround that reaches all three (notes and public comments), an
// edit on a stale version, resolution of the incidents in one step, the
// ticket's problem, candidates and the report, each answered as the
// OpenAPI document says.
func TestProblems_Lifecycle(t *testing.T) {
	e := newEnv(t)
	first := e.working("VPN drops every hour")
	p := decode[problemJSON](t, e.agent.do("POST", "/api/v1/problems", map[string]any{"from_ticket": first.Number,
		"references": []map[string]any{{"text": "CHG-42"}, {"text": "vendor", "url": "https://vendor.example.com/kb/7"}}}).want(t, http.StatusCreated))
	if p.Title != first.Title || p.Incidents != 1 || p.State != "new" || !strings.HasPrefix(p.Number, "PRB-") {
		t.Fatalf("from ticket: %+v", p)
	}
	second, third := e.working("VPN drops again"), e.agent.createTicket(ticketIn("VPN slow"))
	res := decode[map[string]any](t, e.agent.do("POST", problemURL(p, "/incidents"), map[string]any{"tickets": []string{second.Number, third.Number}}).want(t, http.StatusOK))
	if fmt.Sprint(res["linked"]) != fmt.Sprintf("[%s %s]", second.Number, third.Number) || fmt.Sprint(res["held"]) != fmt.Sprintf("[%s]", second.Number) {
		t.Errorf("link: %v", res)
	}
	got := decode[ticketJSON](t, e.agent.get(ticketURL(second, "")).want(t, http.StatusOK))
	if got.State != "on_hold" || got.HoldReason == nil || *got.HoldReason != "awaiting_problem" {
		t.Errorf("second is %s/%v", got.State, got.HoldReason)
	}
	page := decode[map[string]any](t, e.agent.get(problemURL(p, "/incidents")).want(t, http.StatusOK))
	if n := len(page["incidents"].([]any)); n != 3 {
		t.Errorf("%d incidents listed", n)
	}
	e.agent.get(problemURL(p, "/incidents?after=abc"), invalid).want(t, http.StatusUnprocessableEntity)

	// Edits carry the version; a stale one is 412.
	rc := map[string]any{"root_cause": "The gateway drops idle tunnels"}
	e.agent.do("PATCH", problemURL(p, ""), rc, withHeader("If-Match", etag(p.Version))).want(t, http.StatusOK)
	e.agent.do("PATCH", problemURL(p, ""), rc, withHeader("If-Match", etag(p.Version))).want(t, http.StatusPreconditionFailed)
	e.agent.do("PATCH", problemURL(p, ""), map[string]any{"title": ""}).want(t, http.StatusUnprocessableEntity)

	e.agent.do("POST", problemURL(p, "/state"), map[string]any{"state": "investigating"}).want(t, http.StatusOK)
	out := decode[map[string]any](t, e.agent.do("POST", problemURL(p, "/workaround"),
		map[string]any{"text": "Use the IKEv2 profile until the gateway is patched.", "public": true}).want(t, http.StatusAccepted))
	if out["broadcast"] == nil {
		t.Fatalf("no broadcast: %v", out)
	}
	e.runBroadcasts()
	for _, tk := range []ticketJSON{first, second, third} {
		evs := e.agent.get(ticketURL(tk, "/events")).want(t, http.StatusOK)
		if n := strings.Count(string(evs.body), "Use the IKEv2 profile"); n != 2 {
			t.Errorf("%s: the workaround appears %d times, want a note and a comment", tk.Number, n)
		}
		mine := decode[map[string]any](t, e.alice.get(ticketURL(tk, "/events")).want(t, http.StatusOK))
		if s := fmt.Sprint(mine); strings.Count(s, "Use the IKEv2 profile") != 1 || strings.Contains(s, "workaround_published") {
			t.Errorf("%s: the requester sees %s", tk.Number, s)
		}
	}
	bs := decode[map[string][]map[string]any](t, e.agent.get(problemURL(p, "/broadcasts")).want(t, http.StatusOK))
	// Three incidents at most two a batch: the first batch is a quarter of
	// that (one, at least), the next grows to two while they are quick.
	if len(bs["broadcasts"]) != 1 || bs["broadcasts"][0]["done"] != float64(3) || bs["broadcasts"][0]["batches"] != float64(3) {
		t.Errorf("broadcasts %v", bs)
	}
	tp := decode[map[string]any](t, e.agent.get(ticketURL(third, "/problem")).want(t, http.StatusOK))
	if tp["problem"].(map[string]any)["state"] != "known_error" {
		t.Errorf("ticket's problem %v", tp)
	}

	res2 := decode[map[string]any](t, e.agent.do("POST", problemURL(p, "/resolution"),
		map[string]any{"fix": "Gateway firmware 5.2", "resolve_incidents": true}).want(t, http.StatusAccepted))
	if res2["problem"].(map[string]any)["state"] != "resolved" {
		t.Errorf("resolved %v", res2)
	}
	e.runBroadcasts()
	for _, tk := range []ticketJSON{first, second} {
		got := decode[ticketJSON](t, e.agent.get(ticketURL(tk, "")).want(t, http.StatusOK))
		if got.State != "resolved" || got.ResolutionNotes != "Gateway firmware 5.2" {
			t.Errorf("%s is %s %q", tk.Number, got.State, got.ResolutionNotes)
		}
	}
	e.agent.do("POST", problemURL(p, "/state"), map[string]any{"state": "closed"}).want(t, http.StatusOK)
	pr := problemOf(t, e.agent.do("POST", problemURL(p, "/incidents"), map[string]any{"tickets": []string{e.agent.createTicket(ticketIn("late")).Number}}).want(t, http.StatusConflict))
	if !strings.Contains(pr.Detail, "closed") {
		t.Errorf("link to closed: %+v", pr)
	}

	list := decode[map[string]any](t, e.agent.get("/api/v1/problems?state=closed&q=vpn").want(t, http.StatusOK))
	if n := len(list["problems"].([]any)); n != 1 {
		t.Errorf("listed %d", n)
	}
	e.agent.get("/api/v1/problem-candidates?window=24h&min=2").want(t, http.StatusOK)
	rep := decode[map[string]any](t, e.agent.get("/api/v1/reports/problems?from=2000-01-01&to=2100-01-01").want(t, http.StatusOK))
	if rep["opened"] != float64(1) || rep["known_errors"] != float64(1) || rep["incidents_linked"] != float64(3) {
		t.Errorf("report %v", rep)
	}
}

// TestProblems_BadInput: empty titles, unknown problems and tickets, bad
// states and references, and unlinking.
func TestProblems_BadInput(t *testing.T) {
	e := newEnv(t)
	pr := problemOf(t, e.agent.do("POST", "/api/v1/problems", map[string]any{"title": " "}).want(t, http.StatusUnprocessableEntity))
	if len(pr.Errors) != 1 || pr.Errors[0].Field != "title" {
		t.Errorf("empty title: %+v", pr)
	}
	e.agent.do("POST", "/api/v1/problems", map[string]any{"title": "x", "references": []map[string]any{{"text": "x", "url": "javascript:alert(1)"}}}).
		want(t, http.StatusUnprocessableEntity)
	e.agent.do("POST", "/api/v1/problems", map[string]any{"title": "x", "bogus": 1}, invalid).want(t, http.StatusBadRequest)
	e.agent.get("/api/v1/problems/PRB-999999").want(t, http.StatusNotFound)
	e.agent.get("/api/v1/problems/nonsense").want(t, http.StatusNotFound)
	p := decode[problemJSON](t, e.agent.do("POST", "/api/v1/problems", map[string]any{"title": "Printers"}).want(t, http.StatusCreated))
	e.agent.do("POST", problemURL(p, "/state"), map[string]any{"state": "known_error"}).want(t, http.StatusUnprocessableEntity)
	e.agent.do("POST", problemURL(p, "/state"), map[string]any{"state": "fixed"}, invalid).want(t, http.StatusUnprocessableEntity)
	e.agent.do("POST", problemURL(p, "/workaround"), map[string]any{"text": ""}).want(t, http.StatusUnprocessableEntity)
	e.agent.do("POST", problemURL(p, "/incidents"), map[string]any{"tickets": []string{"INC-999999"}}).want(t, http.StatusNotFound)
	req := e.agent.createTicket(map[string]any{"type": "request", "title": "New laptop",
		"requester": map[string]any{"name": "Alice Requester", "email": "alice@example.com"}})
	e.agent.do("POST", problemURL(p, "/incidents"), map[string]any{"tickets": []string{req.Number}}).want(t, http.StatusUnprocessableEntity)
	tk := e.working("Printer jams")
	e.agent.do("POST", problemURL(p, "/incidents"), map[string]any{"tickets": []string{tk.Number}}).want(t, http.StatusOK)
	e.agent.do("DELETE", problemURL(p, "/incidents/"+tk.Number), nil).want(t, http.StatusNoContent)
	e.agent.do("DELETE", problemURL(p, "/incidents/"+tk.Number), nil).want(t, http.StatusNotFound)
	if got := decode[ticketJSON](t, e.agent.get(ticketURL(tk, "")).want(t, http.StatusOK)); got.State != "in_progress" {
		t.Errorf("unlinked incident is %s", got.State)
	}
	e.agent.get("/api/v1/problem-candidates?window=forever").want(t, http.StatusUnprocessableEntity)
	e.agent.get("/api/v1/reports/problems?from=2020-01-02&to=2020-01-01").want(t, http.StatusUnprocessableEntity)
}

// TestAuthz_Problems is problem management's read/write matrix:
// requesters reach nothing, staff read and write, restricted incidents
// stay hidden from staff outside their group.
func TestAuthz_Problems(t *testing.T) {
	e := newEnv(t)
	p := decode[problemJSON](t, e.agent.do("POST", "/api/v1/problems", map[string]any{"title": "Mail bounces"}).want(t, http.StatusCreated))
	alices := e.alice.createTicket(map[string]any{"type": "incident", "title": "My mail bounces"})
	secret := ticketIn("Breach suspected")
	secret["restricted"] = true
	sec := e.agent.createTicket(secret)
	e.agent.do("POST", problemURL(p, "/incidents"), map[string]any{"tickets": []string{sec.Number}}).want(t, http.StatusOK)
	body := map[string]any{"title": "x"}
	cases := []struct {
		name         string
		c            *client
		method, path string
		body         any
		status       int
	}{
		{"anonymous lists", e.anon, "GET", "/api/v1/problems", nil, 401},
		{"requester lists", e.alice, "GET", "/api/v1/problems", nil, 403},
		{"requester reads", e.alice, "GET", problemURL(p, ""), nil, 403},
		{"requester creates", e.alice, "POST", "/api/v1/problems", body, 403},
		{"requester creates from own ticket", e.alice, "POST", "/api/v1/problems", map[string]any{"from_ticket": alices.Number}, 403},
		{"requester links own ticket", e.alice, "POST", problemURL(p, "/incidents"), map[string]any{"tickets": []string{alices.Number}}, 403},
		{"requester reads incidents", e.alice, "GET", problemURL(p, "/incidents"), nil, 403},
		{"requester reads own ticket's problem", e.alice, "GET", ticketURL(alices, "/problem"), nil, 403},
		{"requester reads candidates", e.alice, "GET", "/api/v1/problem-candidates", nil, 403},
		{"requester reads the report", e.alice, "GET", "/api/v1/reports/problems?from=2000-01-01&to=2100-01-01", nil, 403},
		{"requester publishes", e.alice, "POST", problemURL(p, "/workaround"), map[string]any{"text": "x"}, 403},
		{"line 2 links a restricted ticket it cannot see", e.l2, "POST", problemURL(p, "/incidents"), map[string]any{"tickets": []string{sec.Number}}, 404},
		{"line 2 reads", e.l2, "GET", problemURL(p, ""), nil, 200},
		{"line 2 edits", e.l2, "PATCH", problemURL(p, ""), map[string]any{"description": "seen on line 2"}, 200},
		{"agent links", e.agent, "POST", problemURL(p, "/incidents"), map[string]any{"tickets": []string{alices.Number}}, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var opts []reqOpt
			if tc.status >= 400 {
				opts = append(opts, invalid)
			}
			tc.c.do(tc.method, tc.path, tc.body, opts...).want(t, tc.status)
		})
	}
	page := decode[map[string]any](t, e.l2.get(problemURL(p, "/incidents")).want(t, http.StatusOK))
	if s := fmt.Sprint(page); strings.Contains(s, sec.Number) || strings.Contains(s, "Breach") || page["hidden"] != float64(1) {
		t.Errorf("line 2 sees the restricted incident: %s", s)
	}
	// Nor through the ticket: its problem is not found for line 2.
	e.l2.get(ticketURL(sec, "/problem")).want(t, http.StatusNotFound)
}
