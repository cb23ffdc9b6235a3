package api

import (
	"fmt"
	"net/http"
	"testing"

	prb "github.com/tierdesk/tierdesk/internal/problem"
)

// TestProblems_ResolutionCode: resolving a problem with its incidents
// takes only a resolution code of the desk's; an unknown one is refused
// with the field named and resolves nothing, a known one is what each
// incident is resolved with.
func TestProblems_ResolutionCode(t *testing.T) {
	e := newEnv(t)
	tk := e.working("Printer jams")
	p := decode[problemJSON](t, e.agent.do("POST", "/api/v1/problems", map[string]any{"title": "Printers jam"}).want(t, http.StatusCreated))
	e.agent.do("POST", problemURL(p, "/incidents"), map[string]any{"tickets": []string{tk.Number}}).want(t, http.StatusOK)
	pr := problemOf(t, e.agent.do("POST", problemURL(p, "/resolution"),
		map[string]any{"fix": "New rollers", "resolve_incidents": true, "resolution_code": "fixed_by_magic"}).want(t, http.StatusUnprocessableEntity))
	if len(pr.Errors) != 1 || pr.Errors[0].Field != "resolution_code" {
		t.Errorf("an unknown resolution code: %+v", pr)
	}
	if got := decode[problemJSON](t, e.agent.get(problemURL(p, "")).want(t, http.StatusOK)); got.State == "resolved" {
		t.Error("the problem was resolved by a refused request")
	}
	e.agent.do("POST", problemURL(p, "/resolution"),
		map[string]any{"fix": "New rollers", "resolve_incidents": true, "resolution_code": "workaround"}).want(t, http.StatusAccepted)
	e.runBroadcasts()
	got := decode[ticketJSON](t, e.agent.get(ticketURL(tk, "")).want(t, http.StatusOK))
	if got.State != "resolved" || got.ResolutionCode == nil || *got.ResolutionCode != "workaround" {
		t.Errorf("the incident is %s with code %v, want resolved as workaround", got.State, got.ResolutionCode)
	}
}

// TestProblems_BroadcastDefaults: a runner configured with nothing takes
// the default batch (20 incidents, a first batch of 5), so three linked
// incidents get the workaround in one transaction, not one by one.
func TestProblems_BroadcastDefaults(t *testing.T) {
	e := newEnv(t)
	p := decode[problemJSON](t, e.agent.do("POST", "/api/v1/problems", map[string]any{"title": "VPN drops"}).want(t, http.StatusCreated))
	var tickets []string
	for _, title := range []string{"VPN drops at home", "VPN drops in the office", "VPN drops on the train"} {
		tickets = append(tickets, e.working(title).Number)
	}
	e.agent.do("POST", problemURL(p, "/incidents"), map[string]any{"tickets": tickets}).want(t, http.StatusOK)
	e.agent.do("POST", problemURL(p, "/workaround"), map[string]any{"text": "Reconnect on the IKEv2 profile"}).want(t, http.StatusAccepted)
	if _, err := prb.NewRunner(e.problems, prb.RunnerConfig{}, nil).RunDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	bs := decode[map[string][]map[string]any](t, e.agent.get(problemURL(p, "/broadcasts")).want(t, http.StatusOK))
	if len(bs["broadcasts"]) != 1 || bs["broadcasts"][0]["done"] != float64(3) || bs["broadcasts"][0]["batches"] != float64(1) {
		t.Errorf("broadcasts %v, want the three incidents done in one batch", bs)
	}
}

// TestProblems_BroadcastLease: a runner configured with nothing holds its
// broadcast for the default lease (30 s), so another instance looking for
// work between two of its batches finds none and the first finishes what
// it began (a lease of nothing would let the second take it over at once,
// and two instances would race over every broadcast). The claim is the
// database's, so a second runner is what another instance would be.
func TestProblems_BroadcastLease(t *testing.T) {
	e := newEnv(t)
	p := decode[problemJSON](t, e.agent.do("POST", "/api/v1/problems", map[string]any{"title": "Mail delayed"}).want(t, http.StatusCreated))
	var tickets []string
	for i := range 6 { // a first batch of 5, then the sixth
		tickets = append(tickets, e.working(fmt.Sprintf("Mail delayed %d", i+1)).Number)
	}
	e.agent.do("POST", problemURL(p, "/incidents"), map[string]any{"tickets": tickets}).want(t, http.StatusOK)
	e.agent.do("POST", problemURL(p, "/workaround"), map[string]any{"text": "Send through the webmail"}).want(t, http.StatusAccepted)
	first, other := prb.NewRunner(e.problems, prb.RunnerConfig{}, nil), prb.NewRunner(e.problems, prb.RunnerConfig{}, nil)
	paused := 0
	first.Pause = func() {
		paused++
		if n, err := other.RunDue(t.Context()); err != nil || n != 0 {
			t.Errorf("another instance during the first's lease finished %d broadcasts (%v), want none", n, err)
		}
	}
	if n, err := first.RunDue(t.Context()); err != nil || n != 1 {
		t.Fatalf("the first instance finished %d broadcasts (%v), want its one", n, err)
	}
	if paused != 1 {
		t.Fatalf("%d pauses between batches, want 1", paused)
	}
	bs := decode[map[string][]map[string]any](t, e.agent.get(problemURL(p, "/broadcasts")).want(t, http.StatusOK))
	if len(bs["broadcasts"]) != 1 || bs["broadcasts"][0]["done"] != float64(6) || bs["broadcasts"][0]["batches"] != float64(2) {
		t.Errorf("broadcasts %v, want the six incidents done in two batches", bs)
	}
}
