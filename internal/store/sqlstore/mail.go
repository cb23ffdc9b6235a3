package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/desk"
)

var _ desk.MailStore = (*Store)(nil)

// insertMail records e.Mail against e's ticket inside the event's
// transaction. The unique message_id arbitrates redeliveries and races: a
// message already recorded is ECONFLICT and the whole transaction rolls back.
func (s *Store) insertMail(ctx context.Context, tx *sql.Tx, e *desk.Event) error {
	m := e.Mail
	at := m.At
	if at.IsZero() {
		at = e.At
	}
	dir := m.Direction
	if dir == "" {
		dir = desk.MailIn
	}
	_, err := tx.ExecContext(ctx,
		"INSERT INTO mail_messages (message_id, ticket_id, event_id, direction, received_at) VALUES ($1, $2, $3, $4, $5)",
		m.MessageID, e.TicketID, e.ID, string(dir), micros(at))
	if err != nil && s.dialect.IsUniqueViolation(err) {
		return desk.Errorf(desk.ECONFLICT, "mail message %s is already recorded", m.MessageID)
	}
	if err != nil {
		return fmt.Errorf("record mail message: %w", err)
	}
	return nil
}

// MailTicket implements desk.MailStore.
func (s *Store) MailTicket(ctx context.Context, messageIDs ...string) (int64, error) {
	for _, id := range messageIDs {
		if id == "" {
			continue
		}
		var ticketID int64
		err := s.db.QueryRowContext(ctx, "SELECT ticket_id FROM mail_messages WHERE message_id = $1", id).Scan(&ticketID)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("look up mail message: %w", err)
		}
		return ticketID, nil
	}
	return 0, nil
}
