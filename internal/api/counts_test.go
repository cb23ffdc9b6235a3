package api

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// TestCounts_Capped: total=true counts up to the desk's cap (here 2,
// 1,000 by default) and then says total_capped, on the ticket list, the
// queue mine, a saved filter and the dashboard's mine; the queues of the
// caller's groups are counted exactly beyond it; below the cap every count
// is exact and says nothing more.
func TestCounts_Capped(t *testing.T) {
	cfg := desk.DefaultConfig
	cfg.CountCap = 2
	e := newEnvConfig(t, Options{}, desk.SystemClock{}, cfg)
	var tickets []ticketJSON
	for _, title := range []string{"VPN down", "Printer jam", "Mail slow"} {
		tk := e.agent.createTicket(ticketIn(title))
		e.agent.do("POST", ticketURL(tk, "/transitions"), map[string]any{"to": "assigned"}).want(t, http.StatusOK)
		tickets = append(tickets, tk)
	}
	sf := decode[struct{ ID int64 }](t, e.agent.do("POST", "/api/v1/filters",
		map[string]any{"name": "Mine", "filter": map[string]any{"assigned_to_me": true, "states": []string{"assigned"}}}).want(t, http.StatusCreated))
	lists := []string{"/api/v1/tickets?state=open&total=true", "/api/v1/queues/mine?total=true", "/api/v1/filters/" + strconv.FormatInt(sf.ID, 10) + "/tickets?total=true"}
	check := func(n int, capped bool) {
		t.Helper()
		for _, path := range lists {
			l := decode[ticketListJSON](t, e.agent.get(path).want(t, http.StatusOK))
			if l.Total == nil || *l.Total != n || l.Capped != capped {
				t.Errorf("%s: total %v capped %v, want %d %v", path, l.Total, l.Capped, n, capped)
			}
		}
		g := decode[ticketListJSON](t, e.agent.get("/api/v1/queues/groups?total=true").want(t, http.StatusOK))
		if g.Total == nil || *g.Total != n+btoi(capped) || g.Capped {
			t.Errorf("the groups queue: total %v capped %v, want exactly %d", g.Total, g.Capped, n+btoi(capped))
		}
		d := decode[dashboardJSON](t, e.agent.get("/api/v1/dashboard").want(t, http.StatusOK))
		if q := d.Queues[0]; q.Key != "mine" || q.N != n || q.Capped != capped {
			t.Errorf("the dashboard's mine: %+v, want %d capped %v", q, n, capped)
		}
	}
	check(2, true)
	e.agent.do("POST", ticketURL(tickets[0], "/transitions"), map[string]any{"to": "canceled", "reason": "duplicate"}).want(t, http.StatusOK)
	check(2, false)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
