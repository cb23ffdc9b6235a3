package api

import (
	"net/http"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// callJSON is a ticket call on the wire.
type callJSON struct {
	ID              int64     `json:"id"`
	TicketID        int64     `json:"ticket_id"`
	State           string    `json:"state"` // scheduled or canceled
	Start           string    `json:"start"`
	End             string    `json:"end"`
	DurationMinutes int       `json:"duration_minutes"`
	Kind            string    `json:"kind"`
	Phone           *string   `json:"phone"`
	MeetingURL      *string   `json:"meeting_url"`
	Note            string    `json:"note"`
	CreatedBy       desk.Ref  `json:"created_by"`
	CreatedAt       string    `json:"created_at"`
	CanceledAt      *string   `json:"canceled_at"`
	CanceledBy      *desk.Ref `json:"canceled_by"`
}

func callView(c *desk.Call) callJSON {
	state := "scheduled"
	if c.CanceledAt != nil {
		state = "canceled"
	}
	return callJSON{ID: c.ID, TicketID: c.TicketID, State: state, Start: rfc3339(c.Start), End: rfc3339(c.Start.Add(c.Duration)),
		DurationMinutes: int(c.Duration / time.Minute), Kind: string(c.Kind), Phone: nonEmpty(c.Phone),
		MeetingURL: nonEmpty(c.MeetingURL), Note: c.Note, CreatedBy: c.CreatedBy, CreatedAt: rfc3339(c.CreatedAt),
		CanceledAt: optTime(c.CanceledAt), CanceledBy: c.CanceledBy}
}

func callsView(calls []*desk.Call) []callJSON {
	out := make([]callJSON, 0, len(calls))
	for _, c := range calls {
		out = append(out, callView(c))
	}
	return out
}

type callBody struct {
	Start           timestamp     `json:"start"`
	DurationMinutes int           `json:"duration_minutes"`
	Kind            desk.CallKind `json:"kind"`
	Phone           string        `json:"phone"`
	MeetingURL      string        `json:"meeting_url"`
	Note            string        `json:"note"`
}

// scheduleCall schedules a call with the requester: 201 with the call, and
// the ticket's new ETag.
func (s *server) scheduleCall(w http.ResponseWriter, r *http.Request) error {
	var b callBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	spec := desk.CallSpec{Start: b.Start.Time, Duration: time.Duration(b.DurationMinutes) * time.Minute, Kind: b.Kind,
		Phone: b.Phone, MeetingURL: b.MeetingURL, Note: b.Note}
	var err error
	if spec.IfVersion, err = s.ifVersion(r, r.PathValue("id")); err != nil {
		return err
	}
	c, t, err := s.desk.ScheduleCall(r.Context(), r.PathValue("id"), spec)
	if err != nil {
		return err
	}
	setETag(w, t.Version)
	writeJSON(w, http.StatusCreated, callView(c))
	return nil
}

func (s *server) listCalls(w http.ResponseWriter, r *http.Request) error {
	calls, err := s.desk.Calls(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"calls": callsView(calls)})
	return nil
}

// cancelCall calls a call off; the requester gets an iCalendar CANCEL.
func (s *server) cancelCall(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "call_id", "call")
	if err != nil {
		return err
	}
	c, t, err := s.desk.CancelCall(r.Context(), r.PathValue("id"), id)
	if err != nil {
		return err
	}
	setETag(w, t.Version)
	writeJSON(w, http.StatusOK, callView(c))
	return nil
}
