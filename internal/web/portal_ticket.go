package web

import (
	"github.com/tierdesk/tierdesk/internal/desk"
)

// portalTicketView is a requester's ticket: the public conversation, the
// state, who works on it and the turnaround promise.
type portalTicketView struct {
	*ticketState
	Result *actionResult
}

func (s *server) renderPortalTicket(rq *request, status int, t *desk.Ticket, back *formState) error {
	st, err := s.loadTicketState(rq, t)
	if err != nil {
		return err
	}
	v := portalTicketView{ticketState: st}
	if back == nil {
		return rq.render(status, "portal_ticket", v)
	}
	v.Result = back.result
	return rq.renderForm(status, "portal_ticket", v, back.input, back.errs)
}

// ticketComment adds a public comment (requesters) — staff use the agent
// page's comment form, which posts here too with "internal" set.
func (s *server) ticketComment(rq *request) error {
	return s.ticketAction(rq, "comment", func(version int) error {
		_, _, err := s.desk.Comment(rq.ctx, rq.r.PathValue("ref"), desk.CommentInput{Body: rq.r.PostFormValue("body"),
			Internal: rq.r.PostFormValue("internal") == "on", IfVersion: version})
		return err
	})
}

// ticketConfirm closes a resolved ticket: the requester confirms the fix.
func (s *server) ticketConfirm(rq *request) error {
	return s.ticketAction(rq, "confirm", func(version int) error {
		_, err := s.desk.Transition(rq.ctx, rq.r.PathValue("ref"), desk.TransitionInput{To: desk.StateClosed,
			IfVersion: version})
		return err
	})
}

// ticketReopen reopens a resolved ticket within the window, with a reason.
func (s *server) ticketReopen(rq *request) error {
	return s.ticketAction(rq, "reopen", func(version int) error {
		_, err := s.desk.Transition(rq.ctx, rq.r.PathValue("ref"), desk.TransitionInput{To: desk.StateInProgress,
			Reason: rq.r.PostFormValue("reason"), IfVersion: version})
		return err
	})
}
