package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// ImportUsers stores users in one transaction with multi-row INSERTs, for
// bulk loads (internal/devgen, imports). A user whose e-mail is already
// taken is kept as stored; either way u.ID is set. E-mails must be distinct
// within one call.
func (s *Store) ImportUsers(ctx context.Context, users []*desk.User) error {
	byKey := make(map[string]*desk.User, len(users))
	// A test may load users into a schema before migration 00015; their
	// lookup terms are filled in when it migrates further.
	terms, err := s.applied(ctx, 15)
	if err != nil {
		return fmt.Errorf("import users: %w", err)
	}
	width := 9
	cols := "email, email_key, name, phone, organization, role, active, search_key, created_at"
	if terms {
		width, cols = 10, cols+", lookup_terms"
	}
	vals := make([]any, 0, len(users)*width)
	now := s.now()
	for _, u := range users {
		byKey[emailKey(u.Email)] = u
		u.CreatedAt = fromMicros(now)
		vals = append(vals, u.Email, emailKey(u.Email), u.Name, u.Phone, u.Organization, string(u.Role), u.Active,
			userSearchKey(u), now)
		if terms {
			vals = append(vals, lookupTerms(u))
		}
	}
	ins := multiInsert{
		head: "INSERT INTO users (" + cols + ") VALUES ",
		// The no-op update makes RETURNING report existing rows too.
		tail:  " ON CONFLICT (email_key) DO UPDATE SET email_key = excluded.email_key RETURNING id, email_key",
		width: width,
		row:   plainRow(width),
		each: func(r *sql.Rows) error {
			var id int64
			var key string
			if err := r.Scan(&id, &key); err != nil {
				return err
			}
			byKey[key].ID = id
			return nil
		},
	}
	err = s.inAuditedTx(ctx, entry("import.users", named("import", "users"), "count", len(users)),
		func(tx *sql.Tx) error { return ins.run(ctx, tx, s.dialect, vals) })
	if err != nil {
		return fmt.Errorf("import users: %w", err)
	}
	return nil
}

// ImportTickets stores tickets, and events[i] for tickets[i], in one
// transaction with multi-row INSERTs: the bulk path for internal/devgen and
// imports, far faster than CreateTicket per ticket. Numbers come from the
// counters in slice order, so later tickets continue the sequence; ID,
// Number and Version are set on each ticket and search documents are
// written. Display names are not filled and event IDs are not reported
// back. There is no idempotency key,
// and a bad reference fails the whole call without naming the field.
func (s *Store) ImportTickets(ctx context.Context, tickets []*desk.Ticket, events [][]desk.Event) error {
	if len(events) != len(tickets) {
		return fmt.Errorf("import tickets: %d event lists for %d tickets", len(events), len(tickets))
	}
	err := s.inAuditedTx(ctx, importedTickets(tickets), func(tx *sql.Tx) error {
		if err := s.insertTicketRows(ctx, tx, tickets); err != nil {
			return err
		}
		if err := s.insertEventRows(ctx, tx, tickets, events); err != nil {
			return err
		}
		return s.insertSearchRows(ctx, tx, tickets, events)
	})
	if err != nil {
		return fmt.Errorf("import tickets: %w", err)
	}
	return nil
}

// insertTicketRows numbers and inserts the tickets, then sets their IDs
// from the rows returned (matched by number: RETURNING order is not
// promised).
func (s *Store) insertTicketRows(ctx context.Context, tx *sql.Tx, tickets []*desk.Ticket) error {
	lines, err := groupLines(ctx, tx)
	if err != nil {
		return err
	}
	numbered, err := numberAll(ctx, tx, tickets)
	if err != nil {
		return err
	}
	return s.insertNumbered(ctx, tx, tickets, lines, numbered)
}

// insertNumbered inserts numbered tickets in multi-row statements, stamping
// default times and version 1, and gives each its id back through byNumber.
func (s *Store) insertNumbered(ctx context.Context, tx *sql.Tx, tickets []*desk.Ticket,
	lines map[int64]desk.Line, byNumber map[string]*desk.Ticket) error {
	width := len(writeColumns) + 4
	vals := make([]any, 0, len(tickets)*width)
	for _, t := range tickets {
		s.defaultTimes(t)
		t.Version = 1
		vals = append(vals, ticketInsertValues(t, lines[t.Group.ID], t.Number)...)
	}
	ins := multiInsert{
		head:  "INSERT INTO tickets (" + ticketInsertColumns + ") VALUES ",
		tail:  " RETURNING id, number",
		width: width,
		row:   plainRow(width),
		each: func(r *sql.Rows) error {
			var id int64
			var number string
			if err := r.Scan(&id, &number); err != nil {
				return err
			}
			byNumber[number].ID = id
			return nil
		},
	}
	return ins.run(ctx, tx, s.dialect, vals)
}

// groupLines maps every group to its line.
func groupLines(ctx context.Context, tx *sql.Tx) (map[int64]desk.Line, error) {
	rows, err := tx.QueryContext(ctx, "SELECT id, line FROM support_groups")
	if err != nil {
		return nil, fmt.Errorf("read group lines: %w", err)
	}
	defer rows.Close()
	lines := map[int64]desk.Line{}
	for rows.Next() {
		var id int64
		var line desk.Line
		if err := rows.Scan(&id, &line); err != nil {
			return nil, fmt.Errorf("read group lines: %w", err)
		}
		lines[id] = line
	}
	return lines, rows.Err()
}

// numberAll takes one block of numbers per type and hands them out in
// slice order; it returns the tickets by number.
func numberAll(ctx context.Context, tx *sql.Tx, tickets []*desk.Ticket) (map[string]*desk.Ticket, error) {
	counts := map[desk.TicketType]int{}
	for _, t := range tickets {
		counts[t.Type]++
	}
	next := map[desk.TicketType]int64{}
	for typ, n := range counts {
		first, err := takeNumbers(ctx, tx, typ, n)
		if err != nil {
			return nil, err
		}
		next[typ] = first
	}
	byNumber := make(map[string]*desk.Ticket, len(tickets))
	for _, t := range tickets {
		t.Number = formatNumber(t.Type, next[t.Type])
		next[t.Type]++
		byNumber[t.Number] = t
	}
	return byNumber, nil
}

// insertEventRows writes imported history. Imported events carry no
// reason codes (those are the desk's own), so the reason code columns are
// written only when one does: the generator also loads desks at schemas
// older than migration 00038 (the backfill tests).
func (s *Store) insertEventRows(ctx context.Context, tx *sql.Tx, tickets []*desk.Ticket, events [][]desk.Event) error {
	var vals []any
	cols, width := eventColumns, strings.Count(eventColumns, ",")+1
	if !slices.ContainsFunc(events, func(es []desk.Event) bool {
		return slices.ContainsFunc(es, func(e desk.Event) bool { return e.ReasonCode != "" })
	}) {
		cols, width = eventColumnsBefore38, width-2
	}
	for i, t := range tickets {
		for j := range events[i] {
			e := &events[i][j]
			e.TicketID = t.ID
			v, err := eventValues(e)
			if err != nil {
				return err
			}
			vals = append(vals, v[:width]...)
		}
	}
	ins := multiInsert{head: "INSERT INTO events (" + cols + ") VALUES ", width: width, row: plainRow(width)}
	return ins.run(ctx, tx, s.dialect, vals)
}

// insertSearchRows writes each ticket's search document, built in Go from
// the same parts indexTicket reads back from the tables.
func (s *Store) insertSearchRows(ctx context.Context, tx *sql.Tx, tickets []*desk.Ticket, events [][]desk.Event) error {
	if ok, err := s.searchSchema(ctx, tx); !ok {
		return err
	}
	st := s.dialect.SearchTable()
	vals := make([]any, 0, len(tickets)*st.Width)
	for i, t := range tickets {
		parts := []string{t.Description, t.Symptoms}
		for _, e := range events[i] {
			if e.Kind == desk.EventComment && e.Public {
				parts = append(parts, e.Body)
			}
		}
		vals = append(vals, st.Values(t.ID, NewSearchDoc(t.Title, parts...))...)
	}
	ins := multiInsert{head: st.Head, width: st.Width, row: st.Row}
	return ins.run(ctx, tx, s.dialect, vals)
}
