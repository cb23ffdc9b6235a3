package web

import (
	"github.com/tierdesk/tierdesk/internal/desk"
)

func init() {
	registerArea("portal", func(s *server) {
		s.addNav(navItem{Path: "/my", Key: "nav.my", Who: signedIn, Order: 10, People: true})
		s.addNav(navItem{Path: "/report", Key: "nav.report", Who: signedIn, Order: 20, People: true})
		s.get("/my", signedIn, s.myTickets)
		s.get("/report", signedIn, s.reportPage)
		s.post("/report", signedIn, s.report)
	})
}

// myTicketsView is the requester's list: open tickets first (what they are
// waiting for), then the rest, newest change first, a page at a time.
type myTicketsView struct {
	Open, Done []*desk.Ticket
	OpenCount  int
	OpenCapped bool   // more than OpenCount (desk.CountCap)
	Next       string // cursor of the next page of finished tickets
}

func (s *server) myTickets(rq *request) error {
	me := rq.user.ID
	open, err := s.desk.ListTickets(rq.ctx, desk.TicketFilter{RequesterID: &me, States: desk.OpenStates,
		Sort: desk.SortUpdated, Desc: true, Limit: desk.MaxPageSize, Total: true})
	if err != nil {
		return err
	}
	done, err := s.desk.ListTickets(rq.ctx, desk.TicketFilter{RequesterID: &me,
		States: []desk.State{desk.StateResolved, desk.StateClosed, desk.StateCanceled},
		Sort:   desk.SortUpdated, Desc: true, Limit: 20, Cursor: rq.r.URL.Query().Get("after")})
	if err != nil {
		return err
	}
	v := myTicketsView{Open: open.Tickets, Done: done.Tickets, Next: done.NextCursor}
	if open.Total != nil {
		v.OpenCount, v.OpenCapped = *open.Total, open.TotalCapped
	}
	return rq.ok("portal_my", v)
}
