package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

var _ desk.ReportStore = (*Store)(nil)

// reportPage is how many tickets one step of a report scan reads.
const reportPage = desk.MaxPageSize

// reportWhere selects the tickets of a report over [$1, $2): created in the
// range, or created before it and not finished before its end. The scan
// walks tickets_created (created_at, id) with a keyset ($3, $4).
const reportWhere = `t.created_at < $2 AND (t.created_at >= $1 OR (
		(t.resolved_at IS NULL OR t.resolved_at >= $2) AND
		(t.closed_at IS NULL OR t.closed_at >= $2) AND
		(t.canceled_at IS NULL OR t.canceled_at >= $2)))
	AND (t.created_at, t.id) > ($3, $4)`

// ReportTickets implements desk.ReportStore: pages in (created_at, id)
// order, each read with one query for its tickets and one for their events.
func (s *Store) ReportTickets(ctx context.Context, from, to time.Time,
	fn func(page []*desk.Ticket, events map[int64][]*desk.Event) error) error {
	afterTime, afterID := int64(-1<<62), int64(0)
	for {
		page, err := s.reportPage(ctx, micros(from), micros(to), afterTime, afterID)
		if err != nil {
			return fmt.Errorf("report tickets: %w", err)
		}
		if len(page) == 0 {
			return nil
		}
		events, err := s.reportEvents(ctx, page)
		if err != nil {
			return fmt.Errorf("report events: %w", err)
		}
		if err := fn(page, events); err != nil {
			return err
		}
		if len(page) < reportPage {
			return nil
		}
		last := page[len(page)-1]
		afterTime, afterID = micros(last.CreatedAt), last.ID
	}
}

func (s *Store) reportPage(ctx context.Context, from, to, afterTime, afterID int64) ([]*desk.Ticket, error) {
	q := "SELECT " + ticketColumns + " FROM (SELECT * FROM tickets t WHERE " + reportWhere +
		" ORDER BY t.created_at, t.id LIMIT " + strconv.Itoa(reportPage) +
		") t JOIN users r ON r.id = t.requester_id ORDER BY t.created_at, t.id"
	rows, err := s.rdb.QueryContext(ctx, q, from, to, afterTime, afterID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*desk.Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// reportEvents reads the events of the page's tickets that a report uses:
// those with changes (state, hold reason, line) and escalations. Actor
// names are not read.
func (s *Store) reportEvents(ctx context.Context, page []*desk.Ticket) (map[int64][]*desk.Event, error) {
	var a args
	ids := make([]any, len(page))
	for i, t := range page {
		ids[i] = t.ID
	}
	q := `SELECT e.id, e.ticket_id, e.at, e.actor_id, NULL, e.kind, e.public, '', e.reason, e.changes
		FROM events e WHERE e.ticket_id IN (` + a.addAll(ids...) + `)
		AND (e.changes IS NOT NULL OR e.kind = ` + a.add(string(desk.EventEscalated)) + `)
		ORDER BY e.ticket_id, e.id`
	rows, err := s.rdb.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int64][]*desk.Event, len(page))
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out[e.TicketID] = append(out[e.TicketID], e)
	}
	return out, rows.Err()
}
