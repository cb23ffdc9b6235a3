package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// insertEvents appends events to ticket id, setting each one's ID and
// TicketID (and At, when zero, to the store clock's time), and audits them
// as one entry.
func (s *Store) insertEvents(ctx context.Context, tx *sql.Tx, ticketID int64, events []desk.Event) error {
	if err := s.writeEvents(ctx, tx, ticketID, events); err != nil {
		return err
	}
	return s.auditEvents(ctx, tx, ticketID, events)
}

// writeEvents is insertEvents without the audit entry (a new ticket's
// entry covers its first events).
func (s *Store) writeEvents(ctx context.Context, tx *sql.Tx, ticketID int64, events []desk.Event) error {
	for i := range events {
		e := &events[i]
		e.TicketID = ticketID
		if e.At.IsZero() {
			e.At = fromMicros(s.now())
		}
		vals, err := eventValues(e)
		if err != nil {
			return err
		}
		q := "INSERT INTO events (" + eventColumns + ") VALUES (" + placeholders(1, len(vals)) + ") RETURNING id"
		if err := tx.QueryRowContext(ctx, q, vals...).Scan(&e.ID); err != nil {
			return fmt.Errorf("insert %s event: %w", e.Kind, err)
		}
		if e.Mail != nil {
			if err := s.insertMail(ctx, tx, e); err != nil {
				return err
			}
		}
		if err := s.insertAttachments(ctx, tx, e); err != nil {
			return err
		}
		if err := s.recordTriage(ctx, tx, e); err != nil {
			return err
		}
		if err := recordOutcomes(ctx, tx, e); err != nil {
			return err
		}
		if err := s.recordReuse(ctx, tx, e); err != nil {
			return err
		}
		for j := range e.Notify {
			e.Notify[j].TicketID = ticketID
		}
		if err := s.insertOutbox(ctx, tx, e.Notify); err != nil {
			return err
		}
	}
	return nil
}

const eventColumns = eventColumnsBefore38 + ", reason_code, reason_params"

// eventColumnsBefore38 are the columns of events before migration 00038
// added the reason codes, in eventValues order.
const eventColumnsBefore38 = "ticket_id, at, actor_id, kind, public, body, reason, changes"

// eventValues returns e's values in eventColumns order; changes are stored
// as JSON text, NULL when there are none.
func eventValues(e *desk.Event) ([]any, error) {
	var changes any
	if len(e.Changes) > 0 {
		b, err := json.Marshal(e.Changes)
		if err != nil {
			return nil, fmt.Errorf("encode event changes: %w", err)
		}
		changes = string(b)
	}
	params, err := reasonParamsJSON(e.ReasonParams)
	if err != nil {
		return nil, err
	}
	return []any{e.TicketID, micros(e.At), refID(e.Actor), string(e.Kind), e.Public, e.Body, e.Reason, changes,
		string(e.ReasonCode), params}, nil
}

// reasonParamsJSON is a reason's params as stored: a JSON object, NULL
// when there are none.
func reasonParamsJSON(p desk.ReasonParams) (any, error) {
	if len(p) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encode reason params: %w", err)
	}
	return string(b), nil
}

// decodeReasonParams reads back what reasonParamsJSON stored.
func decodeReasonParams(raw sql.NullString, into *desk.ReasonParams) error {
	if !raw.Valid || raw.String == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(raw.String), into); err != nil {
		return fmt.Errorf("decode reason params: %w", err)
	}
	return nil
}

// ListEvents implements desk.TicketStore.
func (s *Store) ListEvents(ctx context.Context, ticketID int64, f desk.EventFilter) (*desk.EventPage, error) {
	limit, err := pageSize(f.Limit)
	if err != nil {
		return nil, err
	}
	list := "events:" + strconv.FormatInt(ticketID, 10)
	after, err := afterID(f.Cursor, list)
	if err != nil {
		return nil, err
	}
	events, err := s.queryEvents(ctx, ticketID, after, f.PublicOnly, limit+1)
	if err != nil {
		return nil, fmt.Errorf("list events of ticket %d: %w", ticketID, err)
	}
	if len(events) == 0 && after == 0 {
		if _, err := s.GetTicket(ctx, ticketID); err != nil {
			return nil, err
		}
	}
	page := &desk.EventPage{Events: events}
	if len(events) > limit {
		page.Events = events[:limit]
		page.NextCursor = encodeCursor(idCursor{List: list, ID: events[limit-1].ID})
	}
	return page, nil
}

func (s *Store) queryEvents(ctx context.Context, ticketID, after int64, publicOnly bool, n int) ([]*desk.Event, error) {
	q := `SELECT e.id, e.ticket_id, e.at, e.actor_id, u.name, e.kind, e.public, e.body, e.reason, e.changes,
		e.reason_code, e.reason_params, COALESCE(p.grammatical_gender, '')
		FROM events e LEFT JOIN users u ON u.id = e.actor_id LEFT JOIN user_preferences p ON p.user_id = e.actor_id
		WHERE e.ticket_id = $1 AND e.id > $2`
	if publicOnly {
		q += " AND e.public"
	}
	q += " ORDER BY e.id LIMIT " + strconv.Itoa(n)
	rows, err := s.rdb.QueryContext(ctx, q, ticketID, after)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var events []*desk.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		events = append(events, e)
	}
	return events, rows.Err()
}

func scanEvent(sc scanner) (*desk.Event, error) {
	var e desk.Event
	var at int64
	var actor nullRef
	var changes, params sql.NullString
	var gender desk.Gender
	err := sc.Scan(&e.ID, &e.TicketID, &at, &actor.id, &actor.name, &e.Kind, &e.Public, &e.Body, &e.Reason, &changes,
		&e.ReasonCode, &params, &gender)
	if err != nil {
		return nil, err
	}
	if e.Actor = actor.ref(); e.Actor != nil {
		e.Actor.Gender = gender
	}
	if err := decodeReasonParams(params, &e.ReasonParams); err != nil {
		return nil, fmt.Errorf("event %d: %w", e.ID, err)
	}
	e.At = fromMicros(at)
	if changes.Valid {
		if err := json.Unmarshal([]byte(changes.String), &e.Changes); err != nil {
			return nil, fmt.Errorf("decode changes of event %d: %w", e.ID, err)
		}
	}
	return &e, nil
}
