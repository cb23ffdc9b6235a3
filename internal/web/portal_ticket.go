package web

import (
	"github.com/tierdesk/tierdesk/internal/desk"
)

// portalTicketView is a requester's ticket: the public conversation, the
// state, who works on it and the turnaround promise.
type portalTicketView struct {
	*ticketState
	Result  *actionResult
	Rating  *desk.Rating
	CanRate bool
	KB      []kbRow // published public articles linked to it (knowledge_portal.go)
}

func (s *server) renderPortalTicket(rq *request, status int, t *desk.Ticket, back *formState) error {
	st, err := s.loadTicketState(rq, t)
	if err != nil {
		return err
	}
	v := portalTicketView{ticketState: st}
	if v.Rating, v.CanRate, err = s.ratingState(rq, t); err != nil {
		return err
	}
	if v.KB, err = s.kbPortalTicket(rq, t); err != nil {
		return err
	}
	if back == nil {
		return rq.render(status, "portal_ticket", v)
	}
	v.Result = back.result
	return rq.renderForm(status, "portal_ticket", v, back.input, back.errs)
}

// ticketComment adds a comment, with files when some are attached.
// Requesters comment publicly; staff post here from the agent page, with
// "internal" set for a work note.
func (s *server) ticketComment(rq *request) error {
	return s.ticketAction(rq, "comment", func(version int) error {
		body, internal := rq.r.PostFormValue("body"), rq.r.PostFormValue("internal") == "on"
		files, ferrs, err := s.formFiles(rq)
		switch {
		case err != nil:
			return err
		case ferrs != nil:
			return fieldsError(ferrs)
		case len(files) > 0:
			_, _, err = s.desk.Attach(rq.ctx, rq.ref(), desk.AttachInput{Files: files, Body: body, Internal: internal,
				IfVersion: version})
			return err
		}
		_, _, err = s.desk.Comment(rq.ctx, rq.ref(), desk.CommentInput{Body: body, Internal: internal, IfVersion: version})
		return err
	})
}

// fieldsError turns messages the web layer found into a desk validation
// error, so that they take the same way back to the form.
func fieldsError(msgs map[string]string) error {
	e := &desk.Error{Code: desk.EINVALID, Message: "validation failed"}
	for f, m := range msgs {
		e.Fields = append(e.Fields, desk.FieldError{Field: f, Message: m})
	}
	return e
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
