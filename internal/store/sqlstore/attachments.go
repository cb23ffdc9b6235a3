package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/desk"
)

var _ desk.AttachmentStore = (*Store)(nil)

const attachmentColumns = `a.id, a.ticket_id, a.event_id, a.file_name, a.content_type, a.size, a.sha256, a.inline,
	a.content_id, a.public, a.uploaded_by, u.name, a.created_at`

// insertAttachments stores e's attachments inside the event's transaction;
// each takes the event's ticket, visibility, actor and time.
func (s *Store) insertAttachments(ctx context.Context, tx *sql.Tx, e *desk.Event) error {
	for _, a := range e.Attachments {
		a.TicketID, a.EventID, a.Public, a.UploadedBy, a.CreatedAt = e.TicketID, e.ID, e.Public, e.Actor, e.At
		a.Size = int64(len(a.Content))
		err := tx.QueryRowContext(ctx, `INSERT INTO attachments (ticket_id, event_id, file_name, content_type, size,
			sha256, inline, content_id, public, uploaded_by, created_at, content)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			a.TicketID, a.EventID, a.FileName, a.ContentType, a.Size, a.SHA256, a.Inline, a.ContentID, a.Public,
			refID(a.UploadedBy), micros(a.CreatedAt), a.Content).Scan(&a.ID)
		if err != nil {
			return fmt.Errorf("store attachment %q: %w", a.FileName, err)
		}
	}
	return nil
}

// ListAttachments implements desk.AttachmentStore.
func (s *Store) ListAttachments(ctx context.Context, ticketID int64, publicOnly bool) ([]*desk.Attachment, error) {
	q := "SELECT " + attachmentColumns + " FROM attachments a LEFT JOIN users u ON u.id = a.uploaded_by WHERE a.ticket_id = $1"
	if publicOnly {
		q += " AND a.public"
	}
	rows, err := s.rdb.QueryContext(ctx, q+" ORDER BY a.id", ticketID)
	if err != nil {
		return nil, fmt.Errorf("list attachments of ticket %d: %w", ticketID, err)
	}
	defer rows.Close()
	list := []*desk.Attachment{}
	for rows.Next() {
		a, err := scanAttachment(rows)
		if err != nil {
			return nil, fmt.Errorf("list attachments of ticket %d: %w", ticketID, err)
		}
		list = append(list, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list attachments of ticket %d: %w", ticketID, err)
	}
	if len(list) == 0 {
		if _, err := s.GetTicket(ctx, ticketID); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// GetAttachment implements desk.AttachmentStore.
func (s *Store) GetAttachment(ctx context.Context, id int64) (*desk.Attachment, error) {
	var content []byte
	row := s.rdb.QueryRowContext(ctx, "SELECT "+attachmentColumns+
		", a.content FROM attachments a LEFT JOIN users u ON u.id = a.uploaded_by WHERE a.id = $1", id)
	a, err := scanAttachment(row, &content)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, desk.Errorf(desk.ENOTFOUND, "no attachment %d", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get attachment %d: %w", id, err)
	}
	a.Content = content
	return a, nil
}

func scanAttachment(sc scanner, extra ...any) (*desk.Attachment, error) {
	var a desk.Attachment
	var by nullRef
	var at int64
	dest := append([]any{&a.ID, &a.TicketID, &a.EventID, &a.FileName, &a.ContentType, &a.Size, &a.SHA256, &a.Inline,
		&a.ContentID, &a.Public, &by.id, &by.name, &at}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	a.UploadedBy, a.CreatedAt = by.ref(), fromMicros(at)
	return &a, nil
}
