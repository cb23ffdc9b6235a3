package api

import (
	"net/http"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// The actions on a ticket: transitions, comments and escalations. Each
// honours If-Match like PATCH does.

type transitionBody struct {
	To              desk.State          `json:"to"`
	HoldReason      desk.HoldReason     `json:"hold_reason"`
	ResolutionCode  desk.ResolutionCode `json:"resolution_code"`
	ResolutionNotes string              `json:"resolution_notes"`
	Reason          string              `json:"reason"`
	AssigneeID      int64               `json:"assignee_id"`
	Unassign        bool                `json:"unassign"`
	ReusedFrom      string              `json:"reused_from"`
}

// transitionTicket moves a ticket through the state machine; a refused
// move is 409 with the allowed target states.
func (s *server) transitionTicket(w http.ResponseWriter, r *http.Request) error {
	var b transitionBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	in := desk.TransitionInput{To: b.To, HoldReason: b.HoldReason, ResolutionCode: b.ResolutionCode,
		ResolutionNotes: b.ResolutionNotes, Reason: b.Reason, AssigneeID: b.AssigneeID, Unassign: b.Unassign, ReusedFrom: b.ReusedFrom}
	var err error
	if in.IfVersion, err = s.ifVersion(r, r.PathValue("id")); err != nil {
		return err
	}
	t, err := s.desk.Transition(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return s.writeTicket(w, r, http.StatusOK, t)
}

type commentBody struct {
	Body     string `json:"body"`
	Internal bool   `json:"internal"`
}

// commentTicket adds a public comment or an internal work note: 201 with
// the event, and the ticket's new ETag.
func (s *server) commentTicket(w http.ResponseWriter, r *http.Request) error {
	var b commentBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	in := desk.CommentInput{Body: b.Body, Internal: b.Internal}
	var err error
	if in.IfVersion, err = s.ifVersion(r, r.PathValue("id")); err != nil {
		return err
	}
	ev, t, err := s.desk.Comment(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	setETag(w, t.Version)
	writeJSON(w, http.StatusCreated, eventView(ev))
	return nil
}

type escalationBody struct {
	Kind       string `json:"kind"`
	GroupID    int64  `json:"group_id"`
	AssigneeID int64  `json:"assignee_id"`
	Reason     string `json:"reason"`
	// DiagnosisSkipped says why the diagnosis checklist is not answered.
	DiagnosisSkipped string `json:"diagnosis_skipped"`
}

// escalateTicket escalates functionally (up a line) or hierarchically (to
// the group's manager).
func (s *server) escalateTicket(w http.ResponseWriter, r *http.Request) error {
	var b escalationBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	in := desk.EscalationInput{Kind: b.Kind, GroupID: b.GroupID, AssigneeID: b.AssigneeID, Reason: b.Reason,
		DiagnosisSkipped: b.DiagnosisSkipped}
	var err error
	if in.IfVersion, err = s.ifVersion(r, r.PathValue("id")); err != nil {
		return err
	}
	t, err := s.desk.Escalate(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return s.writeTicket(w, r, http.StatusOK, t)
}

type eventListJSON struct {
	Events     []eventJSON `json:"events"`
	NextCursor *string     `json:"next_cursor"`
}

// listEvents returns one page of a ticket's history, oldest first;
// requesters see only its public part.
func (s *server) listEvents(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r, "cursor", "limit")
	f := desk.EventFilter{Cursor: q.str("cursor"), Limit: q.limit()}
	if err := q.err(); err != nil {
		return err
	}
	page, err := s.desk.Events(r.Context(), r.PathValue("id"), f)
	if err != nil {
		return err
	}
	events := views(page.Events, eventView)
	if err := s.withAttachments(r, events); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, eventListJSON{Events: events, NextCursor: cursorJSON(page.NextCursor)})
	return nil
}
