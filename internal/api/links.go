package api

import (
	"net/http"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// linkJSON is one link of a ticket, as seen from it.
type linkJSON struct {
	Kind      desk.LinkKind `json:"kind"`
	Ticket    linkedJSON    `json:"ticket"`
	CreatedAt string        `json:"created_at"`
}

type linkedJSON struct {
	ID       int64         `json:"id"`
	Number   string        `json:"number"`
	Title    string        `json:"title"`
	State    desk.State    `json:"state"`
	Priority desk.Priority `json:"priority"`
}

func linkView(l *desk.LinkedTicket) linkJSON {
	return linkJSON{Kind: l.Kind, CreatedAt: rfc3339(l.CreatedAt),
		Ticket: linkedJSON{ID: l.ID, Number: l.Number, Title: l.Title, State: l.State, Priority: l.Priority}}
}

func linkViews(ls []desk.LinkedTicket) []linkJSON {
	out := make([]linkJSON, len(ls))
	for i := range ls {
		out[i] = linkView(&ls[i])
	}
	return out
}

type linkBody struct {
	Kind   desk.LinkKind `json:"kind"`
	Ticket string        `json:"ticket"`
}

// listLinks returns a ticket's links (staff).
func (s *server) listLinks(w http.ResponseWriter, r *http.Request) error {
	ls, err := s.desk.TicketLinks(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"links": linkViews(ls)})
	return nil
}

// createLink links the ticket to another: 201 with the link as seen from
// the ticket; the other ticket shows the inverse.
func (s *server) createLink(w http.ResponseWriter, r *http.Request) error {
	var b linkBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	l, err := s.desk.LinkTickets(r.Context(), r.PathValue("id"), desk.LinkInput{Kind: b.Kind, Ticket: b.Ticket})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, linkView(l))
	return nil
}

// deleteLink removes the link between the ticket and {other}, whichever
// way it was made.
func (s *server) deleteLink(w http.ResponseWriter, r *http.Request) error {
	if err := s.desk.UnlinkTickets(r.Context(), r.PathValue("id"), r.PathValue("other")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
