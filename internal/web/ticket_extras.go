package web

import (
	"strconv"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Ratings (the requester's 1–5 after resolution) and links between
// tickets (staff).
func init() {
	registerArea("ticket_extras", func(s *server) {
		s.post("/tickets/{ref}/rate", signedIn, s.ticketRate)
		s.post("/tickets/{ref}/link", staffOnly, s.ticketLink)
		s.post("/tickets/{ref}/unlink", staffOnly, s.ticketUnlink)
	})
}

// ratingState says what the requester's page shows about rating: the
// rating given, and whether (another) one may be given now.
func (s *server) ratingState(rq *request, t *desk.Ticket) (*desk.Rating, bool, error) {
	r, err := s.desk.RatingFor(rq.ctx, t)
	if err != nil {
		return nil, false, err
	}
	can := t.Requester.ID == rq.user.ID &&
		(t.State == desk.StateResolved || t.State == desk.StateClosed && r == nil)
	return r, can, nil
}

func (s *server) ticketRate(rq *request) error {
	return s.ticketAction(rq, "rate", func(int) error {
		score, err := strconv.Atoi(rq.r.PostFormValue("score"))
		if err != nil {
			return fieldsError(map[string]string{"score": rq.lang.T("rate.err.score")})
		}
		_, err = s.desk.RateTicket(rq.ctx, rq.ref(), desk.RatingInput{Score: score, Comment: rq.r.PostFormValue("comment")})
		return err
	})
}

func (s *server) ticketLink(rq *request) error {
	return s.ticketAction(rq, "link", func(int) error {
		_, err := s.desk.LinkTickets(rq.ctx, rq.ref(), desk.LinkInput{Kind: desk.LinkKind(rq.r.PostFormValue("kind")),
			Ticket: rq.r.PostFormValue("ticket")})
		return err
	})
}

func (s *server) ticketUnlink(rq *request) error {
	return s.ticketAction(rq, "unlink", func(int) error {
		return s.desk.UnlinkTickets(rq.ctx, rq.ref(), rq.r.PostFormValue("ticket"))
	})
}
