package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Bulk loading of records that come from another system (a ServiceNow
// incident log, see internal/servicenow): tickets that keep their source
// number, and directory entries found or created by name, so that running
// the same load twice adds nothing.

// ExistingNumbers reports which of numbers are stored ticket numbers. Like
// GetTicketByNumber it compares them upper-cased and trimmed; the keys of
// the map are the numbers as given.
func (s *Store) ExistingNumbers(ctx context.Context, numbers []string) (map[string]bool, error) {
	byKey := make(map[string][]string, len(numbers))
	keys := make([]any, 0, len(numbers))
	for _, n := range numbers {
		k := strings.ToUpper(strings.TrimSpace(n))
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], n)
	}
	found := map[string]bool{}
	const chunk = 1000
	for start := 0; start < len(keys); start += chunk {
		part := keys[start:min(len(keys), start+chunk)]
		q := "SELECT number FROM tickets WHERE number IN (" + placeholders(1, len(part)) + ")"
		rows, err := s.rdb.QueryContext(ctx, q, part...)
		if err != nil {
			return nil, fmt.Errorf("find existing ticket numbers: %w", err)
		}
		err = scanNumbers(rows, func(k string) {
			for _, n := range byKey[k] {
				found[n] = true
			}
		})
		if err != nil {
			return nil, fmt.Errorf("find existing ticket numbers: %w", err)
		}
	}
	return found, nil
}

func scanNumbers(rows *sql.Rows, each func(string)) error {
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return err
		}
		each(n)
	}
	return rows.Err()
}

// ImportTicketsNumbered is ImportTickets for tickets that bring their own
// number from another system (such as ServiceNow's INC0000045): each
// ticket's Number is stored as given, upper-cased, and the per-type
// counters are neither read nor advanced. Numbers must be distinct, also
// from stored ones (check with ExistingNumbers): a taken number fails the
// whole call with ECONFLICT on "number". Everything else is as in
// ImportTickets: one transaction, IDs and Version set, search documents
// written, event IDs not reported back.
func (s *Store) ImportTicketsNumbered(ctx context.Context, tickets []*desk.Ticket, events [][]desk.Event) error {
	if len(events) != len(tickets) {
		return fmt.Errorf("import numbered tickets: %d event lists for %d tickets", len(events), len(tickets))
	}
	err := s.inAuditedTx(ctx, importedTickets(tickets), func(tx *sql.Tx) error {
		if err := s.insertNumberedTicketRows(ctx, tx, tickets); err != nil {
			return err
		}
		if err := s.insertEventRows(ctx, tx, tickets, events); err != nil {
			return err
		}
		return s.insertSearchRows(ctx, tx, tickets, events)
	})
	if err != nil {
		return s.uniqueError("import numbered tickets", err, "number")
	}
	return nil
}

// insertNumberedTicketRows inserts the tickets under their own numbers and
// sets their IDs from the rows returned (matched by number).
func (s *Store) insertNumberedTicketRows(ctx context.Context, tx *sql.Tx, tickets []*desk.Ticket) error {
	lines, err := groupLines(ctx, tx)
	if err != nil {
		return err
	}
	byNumber := make(map[string]*desk.Ticket, len(tickets))
	for _, t := range tickets {
		t.Number = strings.ToUpper(strings.TrimSpace(t.Number))
		if t.Number == "" {
			return fieldError(desk.EINVALID, "number", desk.RuleRequired, nil, "every imported ticket needs its number")
		}
		if byNumber[t.Number] != nil {
			return fieldError(desk.ECONFLICT, "number", desk.RuleTaken, nil, fmt.Sprintf("number %s appears twice", t.Number))
		}
		byNumber[t.Number] = t
	}
	return s.insertNumbered(ctx, tx, tickets, lines, byNumber)
}

// EnsureGroups finds each group by name, creating the missing ones with
// their Line and Active (never as the default group), in one transaction.
// Every group gets its ID; a group that already existed keeps its stored
// line, which is copied into g.Line. Names must be distinct within a call.
func (s *Store) EnsureGroups(ctx context.Context, groups []*desk.Group) error {
	byName := make(map[string]*desk.Group, len(groups))
	vals := make([]any, 0, len(groups)*5)
	now := s.now()
	for _, g := range groups {
		if !g.Line.Valid() {
			return fieldError(desk.EINVALID, "line", desk.RuleOneOf, desk.Params{"allowed": []string{"1", "2", "3"}}, "must be 1, 2 or 3")
		}
		byName[g.Name] = g
		g.Default = false
		vals = append(vals, g.Name, int64(g.Line), false, g.Active, now)
	}
	ins := multiInsert{
		head: "INSERT INTO support_groups (name, line, is_default, active, created_at) VALUES ",
		// The no-op update makes RETURNING report existing rows too.
		tail:  " ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id, name, line, created_at",
		width: 5,
		row:   plainRow(5),
		each: func(r *sql.Rows) error {
			var (
				id, created int64
				name        string
				line        desk.Line
			)
			if err := r.Scan(&id, &name, &line, &created); err != nil {
				return err
			}
			g := byName[name]
			g.ID, g.Line, g.CreatedAt = id, line, fromMicros(created)
			return nil
		},
	}
	err := s.inAuditedTx(ctx, entry("import.groups", named("import", "groups"), "count", len(groups)),
		func(tx *sql.Tx) error { return ins.run(ctx, tx, s.dialect, vals) })
	if err != nil {
		return fmt.Errorf("ensure groups: %w", err)
	}
	return nil
}

// ImportGroupMembers adds memberships, each {group id, user id}, in one
// transaction; those that exist already are left alone.
func (s *Store) ImportGroupMembers(ctx context.Context, members [][2]int64) error {
	vals := make([]any, 0, len(members)*2)
	for _, m := range members {
		vals = append(vals, m[0], m[1])
	}
	ins := multiInsert{
		head:  "INSERT INTO group_members (group_id, user_id) VALUES ",
		tail:  " ON CONFLICT (group_id, user_id) DO NOTHING",
		width: 2,
		row:   plainRow(2),
	}
	err := s.inAuditedTx(ctx, entry("import.members", named("import", "members"), "count", len(members)),
		func(tx *sql.Tx) error { return ins.run(ctx, tx, s.dialect, vals) })
	if err != nil {
		return s.refError(ctx, "import group members", err)
	}
	return nil
}
