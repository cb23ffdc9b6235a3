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
	if !s.desk.CanSee(r.Context(), t) {
		// Restricted to a group the creator is not in: registered all the
		// same, so a success with what they may know, never a 404 that
		// makes a client retry and register it twice.
		setETag(w, t.Version)
		writeJSON(w, status, ticketReceipt{ID: t.ID, Number: t.Number, Type: t.Type, Restricted: t.Restricted,
			Group: t.Group, Line: t.Line(), Visible: false})
		return nil
	}
	return s.writeTicket(w, r, status, t)
}

// ticketReceipt is the answer to registering a ticket its creator may not
// read (restricted to another group).
type ticketReceipt struct {
	ID         int64           `json:"id"`
	Number     string          `json:"number"`
	Type       desk.TicketType `json:"type"`
	Restricted bool            `json:"restricted"`
	Group      desk.GroupRef   `json:"group"`
	Line       desk.Line       `json:"line"`
	Visible    bool            `json:"visible"`
}

func ticketPath(t *desk.Ticket) string {
	return "/api/v1/tickets/" + strconv.FormatInt(t.ID, 10)
}
