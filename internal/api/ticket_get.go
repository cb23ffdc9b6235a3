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
	return s.writeTicket(w, r, http.StatusOK, t)
}

// writeTicket answers with a ticket, its SLA clocks as of now, and its ETag.
func (s *server) writeTicket(w http.ResponseWriter, r *http.Request, status int, t *desk.Ticket) error {
	sla, err := s.desk.SLAFor(r.Context(), t)
	if err != nil {
		return err
	}
	v := ticketView(t)
	v.SLA = slaView(sla)
	links, err := s.desk.LinksFor(r.Context(), t)
	if err != nil {
		return err
	}
	if links != nil {
		v.Links = linkViews(links)
	}
	calls, err := s.desk.CallsOf(r.Context(), t)
	if err != nil {
		return err
	}
	v.Calls = callsView(calls)
	setETag(w, t.Version)
	writeJSON(w, status, v)
	return nil
}
