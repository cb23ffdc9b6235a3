package api

import (
	"net/http"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// outboxJSON is an outbox message as admins see it: its delivery state,
// never its rendered body.
type outboxJSON struct {
	ID            int64             `json:"id"`
	Kind          desk.OutboxKind   `json:"kind"`
	State         desk.OutboxState  `json:"state"`
	TicketID      *int64            `json:"ticket_id"`
	UserID        *int64            `json:"user_id"`
	GroupID       *int64            `json:"group_id"`
	Payload       map[string]string `json:"payload"`
	CreatedAt     time.Time         `json:"created_at"`
	Attempts      int               `json:"attempts"`
	NextAttemptAt *time.Time        `json:"next_attempt_at"`
	LastError     *string           `json:"last_error"`
	SentAt        *time.Time        `json:"sent_at"`
	FailedAt      *time.Time        `json:"failed_at"`
	MessageID     *string           `json:"message_id"`
}

type outboxListJSON struct {
	Messages   []outboxJSON `json:"messages"`
	NextCursor *string      `json:"next_cursor"`
}

func optID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func outboxView(d desk.Delivery) outboxJSON {
	payload := d.Payload
	if payload == nil {
		payload = map[string]string{}
	}
	return outboxJSON{ID: d.ID, Kind: d.Kind, State: d.State(), TicketID: optID(d.TicketID), UserID: optID(d.UserID),
		GroupID: optID(d.GroupID), Payload: payload, CreatedAt: d.CreatedAt, Attempts: d.Attempts,
		NextAttemptAt: d.NextAttemptAt, LastError: nonEmpty(d.LastError), SentAt: d.SentAt, FailedAt: d.FailedAt,
		MessageID: nonEmpty(d.MessageID)}
}

func (s *server) listOutbox(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r, "state", "cursor", "limit")
	state := desk.OutboxState(q.str("state"))
	if state == "" {
		state = desk.OutboxQueued
	}
	limit := q.limit()
	if err := q.err(); err != nil {
		return err
	}
	page, err := s.desk.Outbox(r.Context(), state, q.str("cursor"), limit)
	if err != nil {
		return err
	}
	out := outboxListJSON{Messages: []outboxJSON{}, NextCursor: cursorJSON(page.NextCursor)}
	for _, d := range page.Messages {
		out.Messages = append(out.Messages, outboxView(d))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// retryOutbox queues a failed message again (admins); it keeps its id and
// Message-ID and goes out once.
func (s *server) retryOutbox(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "outbox message")
	if err != nil {
		return err
	}
	d, err := s.desk.RetryOutbox(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, outboxView(d))
	return nil
}
