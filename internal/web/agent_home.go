package web

import (
	"github.com/tierdesk/tierdesk/internal/desk"
)

func init() {
	registerArea("agent", func(s *server) {
		s.addNav(navItem{Path: "/tickets", Key: "nav.agent", Who: staffOnly, Order: 10}) // tickets_page.go
		s.get("/agent", staffOnly, s.agentHome)
	})
}

// agentHomeView is the staff start page until the console's queues take
// over: open tickets of the agent's groups, most urgent first.
type agentHomeView struct {
	Tickets []*desk.Ticket
	Next    string
}

func (s *server) agentHome(rq *request) error {
	f := desk.TicketFilter{States: desk.OpenStates, Sort: desk.SortPriority, Limit: 50,
		Cursor: rq.r.URL.Query().Get("after")}
	for _, g := range rq.user.Groups {
		f.GroupIDs = append(f.GroupIDs, g.ID)
	}
	var v agentHomeView
	if len(f.GroupIDs) > 0 {
		page, err := s.desk.ListTickets(rq.ctx, f)
		if err != nil {
			return err
		}
		v.Tickets, v.Next = page.Tickets, page.NextCursor
	}
	return rq.ok("agent_home", v)
}
