package api

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestTickets_IfMatch(t *testing.T) {
	e := newEnv(t)
	tk := e.agent.createTicket(ticketIn("Disk full"))
	e.agent.do("PATCH", ticketURL(tk, ""), map[string]any{"symptoms": "97%"}, withHeader("If-Match", etag(1))).want(t, http.StatusOK)
	cases := []struct {
		name, ifMatch string
		status        int
	}{
		{"stale", etag(1), http.StatusPreconditionFailed},
		{"weak never matches", `W/"2"`, http.StatusPreconditionFailed},
		{"not a version", `"abc"`, http.StatusPreconditionFailed},
		{"malformed", `2`, http.StatusBadRequest},
		{"star and tag", `*, "2"`, http.StatusBadRequest},
		{"list without current", `"1", "7"`, http.StatusPreconditionFailed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.agent.do("PATCH", ticketURL(tk, ""), map[string]any{"symptoms": "99%"}, withHeader("If-Match", tc.ifMatch))
			problemOf(t, r.want(t, tc.status))
		})
	}
	for i, ifMatch := range []string{"*", `"1", "3"`, ""} {
		r := e.agent.do("PATCH", ticketURL(tk, ""), map[string]any{"symptoms": fmt.Sprint(i)}, withHeader("If-Match", ifMatch))
		got := decode[ticketJSON](t, r.want(t, http.StatusOK))
		if got.Version != 3+i {
			t.Errorf("If-Match %q: version %d, want %d", ifMatch, got.Version, 3+i)
		}
	}
	// Every write on a ticket honours If-Match.
	for _, w := range []struct {
		path string
		body map[string]any
	}{
		{"/transitions", map[string]any{"to": "assigned"}}, {"/comments", map[string]any{"body": "hi"}},
		{"/escalations", map[string]any{"kind": "functional", "group_id": e.net.ID, "reason": "x"}},
	} {
		r := e.agent.do("POST", ticketURL(tk, w.path), w.body, withHeader("If-Match", etag(1)))
		problemOf(t, r.want(t, http.StatusPreconditionFailed))
	}
}

// TestTickets_ConcurrentPatch races two agents holding the same ETag:
// exactly one wins, the other gets 412, and the winner's change is stored.
func TestTickets_ConcurrentPatch(t *testing.T) {
	e := newEnv(t)
	for round := range 5 {
		tk := e.agent.createTicket(ticketIn(fmt.Sprint("Race ", round)))
		clients := []*client{e.agent, e.agent2}
		statuses := make([]int, len(clients))
		var wg sync.WaitGroup
		for i, c := range clients {
			wg.Go(func() {
				r := c.do("PATCH", ticketURL(tk, ""), map[string]any{"title": fmt.Sprint("winner ", i)},
					withHeader("If-Match", etag(tk.Version)))
				statuses[i] = r.status
			})
		}
		wg.Wait()
		winner := -1
		for i, s := range statuses {
			if s == http.StatusOK {
				winner = i
			}
		}
		if got := fmt.Sprint(statuses); got != "[200 412]" && got != "[412 200]" {
			t.Fatalf("round %d: statuses %s, want one 200 and one 412", round, got)
		}
		stored := decode[ticketJSON](t, e.agent.get(ticketURL(tk, "")).want(t, http.StatusOK))
		if want := fmt.Sprint("winner ", winner); stored.Title != want || stored.Version != 2 {
			t.Errorf("round %d: stored title %q version %d, want %q version 2", round, stored.Title, stored.Version, want)
		}
	}
}

func TestTickets_IdempotencyKey(t *testing.T) {
	e := newEnv(t)
	body := ticketIn("Printer on fire")
	body["reported_at"] = "2026-01-15T08:30:00Z"
	key := withHeader("Idempotency-Key", "7f6c2a3e-retry-1")
	first := e.agent.do("POST", "/api/v1/tickets", body, key).want(t, http.StatusCreated)
	if first.header.Get("Idempotent-Replayed") != "" {
		t.Errorf("first request marked as replayed")
	}
	created := decode[ticketJSON](t, first)
	for range 3 {
		r := e.agent.do("POST", "/api/v1/tickets", body, key).want(t, http.StatusOK)
		if r.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("Idempotent-Replayed = %q, want true", r.header.Get("Idempotent-Replayed"))
		}
		// The replay is the same ticket; only its SLA clocks have moved on.
		clocks := cmpopts.IgnoreFields(slaClockJSON{}, "Elapsed", "Remaining", "PercentUsed")
		if diff := cmp.Diff(created, decode[ticketJSON](t, r), clocks); diff != "" {
			t.Errorf("replay differs (-first +replay):\n%s", diff)
		}
	}
	if n := e.countTickets(); n != 1 {
		t.Errorf("after replays: %d tickets, want 1", n)
	}
	// The same key with another body is refused; another caller's key is theirs.
	other := ticketIn("Something else")
	problemOf(t, e.agent.do("POST", "/api/v1/tickets", other, key).want(t, http.StatusUnprocessableEntity))
	e.agent2.do("POST", "/api/v1/tickets", body, key).want(t, http.StatusCreated)
}

// TestTickets_IdempotencyKeyDefaultReportedAt retries a registration that
// leaves reported_at to default to now, as most clients do.
func TestTickets_IdempotencyKeyDefaultReportedAt(t *testing.T) {
	e := newEnv(t)
	key := withHeader("Idempotency-Key", "no-reported-at")
	created := decode[ticketJSON](t, e.agent.do("POST", "/api/v1/tickets", ticketIn("Retry me"), key).want(t, http.StatusCreated))
	time.Sleep(2 * time.Millisecond) // the retry's "now" differs from the first request's
	r := e.agent.do("POST", "/api/v1/tickets", ticketIn("Retry me"), key)
	if got := decode[ticketJSON](t, r.want(t, http.StatusOK)); got.ID != created.ID || e.countTickets() != 1 {
		t.Errorf("replay gave ticket %d (want %d), %d tickets stored", got.ID, created.ID, e.countTickets())
	}
}

// countTickets counts every ticket through the API.
func (e *env) countTickets() int {
	e.t.Helper()
	list := decode[ticketListJSON](e.t, e.admin.get("/api/v1/tickets?total=true&limit=1").want(e.t, http.StatusOK))
	if list.Total == nil {
		e.t.Fatal("total missing with total=true")
	}
	return *list.Total
}

// TestTickets_Pagination walks every page in each sort order and checks
// that each ticket appears exactly once.
func TestTickets_Pagination(t *testing.T) {
	e := newEnv(t)
	const n = 23
	levels := []string{"high", "medium", "low"}
	want := map[int64]bool{}
	for i := range n {
		body := ticketIn(fmt.Sprint("Ticket ", i))
		body["impact"], body["urgency"] = levels[i%3], levels[(i/3)%3]
		want[e.agent.createTicket(body).ID] = true
	}
	for _, sort := range []string{"", "created", "-created", "updated", "-updated", "priority", "-priority"} {
		t.Run("sort="+sort, func(t *testing.T) {
			seen := map[int64]bool{}
			cursor, pages := "", 0
			for {
				q := url.Values{"limit": {"5"}, "total": {"true"}}
				if sort != "" {
					q.Set("sort", sort)
				}
				if cursor != "" {
					q.Set("cursor", cursor)
				}
				page := decode[ticketListJSON](t, e.agent.get("/api/v1/tickets?"+q.Encode()).want(t, http.StatusOK))
				pages++
				if page.Total == nil || *page.Total != n {
					t.Fatalf("page %d: total %v, want %d", pages, page.Total, n)
				}
				for _, tk := range page.Tickets {
					if seen[tk.ID] {
						t.Fatalf("ticket %d on two pages", tk.ID)
					}
					seen[tk.ID] = true
				}
				if page.NextCursor == nil {
					break
				}
				cursor = *page.NextCursor
			}
			if diff := cmp.Diff(want, seen); diff != "" || pages != 5 {
				t.Errorf("walked %d pages; tickets (-want +got):\n%s", pages, diff)
			}
		})
	}
}
