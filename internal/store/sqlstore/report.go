package sqlstore

import (
	"context"
	"database/sql"
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
// Both run outside a transaction: a ticket written between the two reads
// may show a newer history than its row, which a report can bear.
func (s *Store) ReportTickets(ctx context.Context, from, to time.Time,
	fn func(page []*desk.Ticket, events map[int64][]*desk.Event) error) error {
	names, err := s.reportNames(ctx)
	if err != nil {
		return fmt.Errorf("report tickets: %w", err)
	}
	afterTime, afterID := int64(-1<<62), int64(0)
	for {
		page, err := s.reportPage(ctx, names, micros(from), micros(to), afterTime, afterID)
		if err != nil {
			return fmt.Errorf("report tickets: %w", err)
		}
		if len(page) == 0 {
			return nil
		}
		events, err := s.reportEvents(ctx, micros(from), micros(to), afterTime, afterID, len(page))
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

// reportColumns are the few ticket columns a report reads; names of
// groups, categories and services come from reportNames, not from a
// subquery per row (which took half of a report's time on SQLite).
const reportColumns = `t.id, t.number, t.type, t.state, t.hold_reason, t.priority, t.category_id,
	t.subcategory_id, t.service_id, t.group_id, t.line, t.requester_id, t.channel, t.restricted,
	t.reported_at, t.created_at, t.first_response_at, t.resolved_at, t.closed_at, t.canceled_at,
	t.reopen_count, t.reassignment_count, t.escalation_count, t.security`

// reportNames are the display names of groups, categories and services,
// and the organisation and VIP flag of the requesters that have either
// (for SLA policies that match on them; most requesters have neither).
type reportNames struct {
	groups, categories, services map[int64]string
	requesters                   map[int64]desk.Person
}

func (s *Store) reportNames(ctx context.Context) (*reportNames, error) {
	n := &reportNames{}
	for _, t := range []struct {
		table string
		into  *map[int64]string
	}{{"support_groups", &n.groups}, {"categories", &n.categories}, {"services", &n.services}} {
		m, err := s.namesOf(ctx, t.table)
		if err != nil {
			return nil, err
		}
		*t.into = m
	}
	r, err := s.taggedRequesters(ctx)
	if err != nil {
		return nil, err
	}
	n.requesters = r
	return n, nil
}

// taggedRequesters reads the users with an organisation or the VIP flag.
func (s *Store) taggedRequesters(ctx context.Context) (map[int64]desk.Person, error) {
	rows, err := s.rdb.QueryContext(ctx, "SELECT id, organization, vip FROM users WHERE organization <> '' OR vip")
	if err != nil {
		return nil, fmt.Errorf("requester organisations: %w", err)
	}
	defer rows.Close()
	m := map[int64]desk.Person{}
	for rows.Next() {
		var p desk.Person
		if err := rows.Scan(&p.ID, &p.Organization, &p.VIP); err != nil {
			return nil, err
		}
		m[p.ID] = p
	}
	return m, rows.Err()
}

func (s *Store) namesOf(ctx context.Context, table string) (map[int64]string, error) {
	rows, err := s.rdb.QueryContext(ctx, "SELECT id, name FROM "+table)
	if err != nil {
		return nil, fmt.Errorf("names of %s: %w", table, err)
	}
	defer rows.Close()
	m := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		m[id] = name
	}
	return m, rows.Err()
}

func (n *reportNames) ref(m map[int64]string, id sql.NullInt64) *desk.Ref {
	if !id.Valid {
		return nil
	}
	return &desk.Ref{ID: id.Int64, Name: m[id.Int64]}
}

func (s *Store) reportPage(ctx context.Context, names *reportNames, from, to, afterTime, afterID int64) ([]*desk.Ticket, error) {
	q := "SELECT " + reportColumns + " FROM tickets t WHERE " + reportWhere +
		" ORDER BY t.created_at, t.id LIMIT " + strconv.Itoa(reportPage)
	rows, err := s.rdb.QueryContext(ctx, q, from, to, afterTime, afterID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*desk.Ticket
	for rows.Next() {
		t, err := names.scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// scan reads one row of reportColumns; text fields a report does not use
// (title, description, requester's name ...) stay empty, but the
// requester's organisation and VIP flag are set.
func (n *reportNames) scan(sc scanner) (*desk.Ticket, error) {
	var (
		t                                   desk.Ticket
		cat, sub, svc                       sql.NullInt64
		reported, created                   int64
		firstResp, resolved, closed, cancel sql.NullInt64
	)
	err := sc.Scan(&t.ID, &t.Number, &t.Type, &t.State, &t.HoldReason, &t.Priority, &cat, &sub, &svc,
		&t.Group.ID, &t.Group.Line, &t.Requester.ID, &t.Channel, &t.Restricted,
		&reported, &created, &firstResp, &resolved, &closed, &cancel,
		&t.ReopenCount, &t.ReassignmentCount, &t.EscalationCount, &t.Security)
	if err != nil {
		return nil, err
	}
	t.Group.Name = n.groups[t.Group.ID]
	if r, ok := n.requesters[t.Requester.ID]; ok {
		t.Requester.Organization, t.Requester.VIP = r.Organization, r.VIP
	}
	t.Category, t.Subcategory, t.Service = n.ref(n.categories, cat), n.ref(n.categories, sub), n.ref(n.services, svc)
	t.ReportedAt, t.CreatedAt = fromMicros(reported), fromMicros(created)
	t.UpdatedAt = t.CreatedAt
	t.FirstResponseAt, t.ResolvedAt, t.ClosedAt = timePtr(firstResp), timePtr(resolved), timePtr(closed)
	t.CanceledAt = timePtr(cancel)
	return &t, nil
}

// reportEvents reads the events of the page's tickets that a report uses:
// those with changes (state, hold reason, line) and escalations. The page
// is selected again by the same keyset rather than by a list of ids: 500
// bound parameters cost SQLite more to parse than the subquery to run.
// Actor names are not read.
func (s *Store) reportEvents(ctx context.Context, from, to, afterTime, afterID int64, n int) (map[int64][]*desk.Event, error) {
	q := `SELECT e.id, e.ticket_id, e.at, e.actor_id, NULL, e.kind, e.public, '', e.reason, e.changes,
		e.reason_code, e.reason_params, ''
		FROM events e WHERE e.ticket_id IN (SELECT t.id FROM tickets t WHERE ` + reportWhere +
		` ORDER BY t.created_at, t.id LIMIT ` + strconv.Itoa(n) + `)
		AND (e.changes IS NOT NULL OR e.kind = $5)
		ORDER BY e.ticket_id, e.id`
	rows, err := s.rdb.QueryContext(ctx, q, from, to, afterTime, afterID, string(desk.EventEscalated))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int64][]*desk.Event, n)
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out[e.TicketID] = append(out[e.TicketID], e)
	}
	return out, rows.Err()
}
