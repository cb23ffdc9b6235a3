package api

import (
	"net/http"
	"strconv"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// newTicketBody is desk.NewTicket on the wire; reported_at is overridden
// only so that a bad timestamp is reported against its field.
type newTicketBody struct {
	desk.NewTicket
	ReportedAt *timestamp `json:"reported_at"`
}

// createTicket registers a ticket: 201 with the new ticket, or 200 with the
// first one (Idempotent-Replayed: true) when an Idempotency-Key is reused.
func (s *server) createTicket(w http.ResponseWriter, r *http.Request) error {
	var body newTicketBody
	if err := s.decodeJSON(w, r, &body); err != nil {
		return err
	}
	in := body.NewTicket
	if body.ReportedAt != nil {
		in.ReportedAt = &body.ReportedAt.Time
	}
	if in.Channel == "" {
		in.Channel = desk.ChannelAPI
	}
	t, replayed, err := s.desk.CreateTicket(r.Context(), in, r.Header.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if replayed {
		status = http.StatusOK
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.Header().Set("Location", ticketPath(t))
	return s.writeTicket(w, r, status, t)
}

func ticketPath(t *desk.Ticket) string {
	return "/api/v1/tickets/" + strconv.FormatInt(t.ID, 10)
}
