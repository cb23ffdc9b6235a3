package api

import (
	"net/http"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// getTicket returns one ticket by id or number, with its ETag.
func (s *server) getTicket(w http.ResponseWriter, r *http.Request) error {
	t, err := s.desk.Ticket(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeTicket(w, http.StatusOK, t)
	return nil
}

// writeTicket answers with a ticket and its ETag.
func writeTicket(w http.ResponseWriter, status int, t *desk.Ticket) {
	setETag(w, t.Version)
	writeJSON(w, status, ticketView(t))
}
