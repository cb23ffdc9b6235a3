package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

var _ desk.CallStore = (*Store)(nil)

const callSelect = `SELECT c.id, c.ticket_id, c.start_at, c.duration, c.kind, c.phone, c.meeting_url, c.note,
	c.created_by, cu.name, c.created_at, c.canceled_at, c.canceled_by, xu.name, c.sequence
	FROM ticket_calls c JOIN users cu ON cu.id = c.created_by LEFT JOIN users xu ON xu.id = c.canceled_by`

func scanCall(sc scanner) (*desk.Call, error) {
	var c desk.Call
	var start, dur, created int64
	var canceled sql.NullInt64
	var by nullRef
	err := sc.Scan(&c.ID, &c.TicketID, &start, &dur, &c.Kind, &c.Phone, &c.MeetingURL, &c.Note,
		&c.CreatedBy.ID, &c.CreatedBy.Name, &created, &canceled, &by.id, &by.name, &c.Sequence)
	if err != nil {
		return nil, err
	}
	c.Start, c.Duration, c.CreatedAt = fromMicros(start), time.Duration(dur)*time.Second, fromMicros(created)
	c.CanceledAt, c.CanceledBy = timePtr(canceled), by.ref()
	return &c, nil
}

// ScheduleCall implements desk.CallStore. The call's id, unknown to the
// desk, is filled into the events' call_id change and the call_id of
// their notifications, so the invitation and a later cancellation name
// the same call.
func (s *Store) ScheduleCall(ctx context.Context, t *desk.Ticket, c *desk.Call, events []desk.Event) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.writeTicket(ctx, tx, t); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO ticket_calls (ticket_id, start_at, duration, kind, phone, meeting_url,
			note, created_by, created_at, sequence) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			t.ID, micros(c.Start), int64(c.Duration/time.Second), string(c.Kind), c.Phone, c.MeetingURL, c.Note,
			c.CreatedBy.ID, micros(c.CreatedAt), c.Sequence).Scan(&c.ID)
		if err != nil {
			return fmt.Errorf("insert call: %w", err)
		}
		c.TicketID = t.ID
		fillCallID(events, c.ID)
		return s.finishTicketWrite(ctx, tx, t, events)
	})
	return s.refError(ctx, fmt.Sprintf("schedule call on ticket %d", t.ID), err, ticketRefs(t)...)
}

func fillCallID(events []desk.Event, id int64) {
	v := strconv.FormatInt(id, 10)
	for i := range events {
		for j := range events[i].Changes {
			if ch := &events[i].Changes[j]; ch.Field == "call_id" && ch.Old == "" {
				ch.New = v
			}
		}
		for j := range events[i].Notify {
			if p := events[i].Notify[j].Payload; p != nil {
				p["call_id"] = v
			}
		}
	}
}

// finishTicketWrite appends events to a ticket written in tx and reads it
// back into t.
func (s *Store) finishTicketWrite(ctx context.Context, tx *sql.Tx, t *desk.Ticket, events []desk.Event) error {
	if err := s.insertEvents(ctx, tx, t.ID, events); err != nil {
		return err
	}
	updated, err := readTicket(ctx, tx, "t.id = $1", t.ID)
	if err != nil {
		return err
	}
	*t = *updated
	return nil
}

// CancelCall implements desk.CallStore.
func (s *Store) CancelCall(ctx context.Context, t *desk.Ticket, c *desk.Call, events []desk.Event) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.writeTicket(ctx, tx, t); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE ticket_calls SET canceled_at = $1, canceled_by = $2, sequence = $3
			WHERE id = $4 AND ticket_id = $5 AND canceled_at IS NULL`,
			nullMicros(c.CanceledAt), refID(c.CanceledBy), c.Sequence, c.ID, t.ID)
		if err != nil {
			return fmt.Errorf("cancel call: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return desk.Errorf(desk.ECONFLICT, "call %d is not a scheduled call of ticket %d", c.ID, t.ID)
		}
		return s.finishTicketWrite(ctx, tx, t, events)
	})
	return s.refError(ctx, fmt.Sprintf("cancel call %d", c.ID), err, ticketRefs(t)...)
}

// GetCall implements desk.CallStore.
func (s *Store) GetCall(ctx context.Context, id int64) (*desk.Call, error) {
	c, err := scanCall(s.rdb.QueryRowContext(ctx, callSelect+" WHERE c.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("call", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read call %d: %w", id, err)
	}
	return c, nil
}

// TicketCalls implements desk.CallStore.
func (s *Store) TicketCalls(ctx context.Context, ticketID int64) ([]*desk.Call, error) {
	rows, err := s.rdb.QueryContext(ctx, callSelect+" WHERE c.ticket_id = $1 ORDER BY c.start_at, c.id", ticketID)
	if err != nil {
		return nil, fmt.Errorf("calls of ticket %d: %w", ticketID, err)
	}
	defer rows.Close()
	out := []*desk.Call{}
	for rows.Next() {
		c, err := scanCall(rows)
		if err != nil {
			return nil, fmt.Errorf("calls of ticket %d: %w", ticketID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
