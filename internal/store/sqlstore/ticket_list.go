package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// sortKeys are the keyset columns of each sort; the last is always the id,
// so that every row has a distinct position.
var sortKeys = map[desk.TicketSort][]string{
	desk.SortCreated:  {"t.created_at", "t.id"},
	desk.SortUpdated:  {"t.updated_at", "t.id"},
	desk.SortPriority: {"t.priority", "t.created_at", "t.id"},
	desk.SortSLA:      {"t.sla_due_at", "t.id"},
}

// ticketCursor is the position after a page's last row.
type ticketCursor struct {
	Sort     desk.TicketSort `json:"s"`
	Desc     bool            `json:"d"`
	Filter   string          `json:"f"` // fingerprint of the filter the page came from
	Priority desk.Priority   `json:"p,omitempty"`
	Time     int64           `json:"t"`
	ID       int64           `json:"i"`
}

// values returns the cursor's values in sortKeys order.
func (c *ticketCursor) values() []any {
	if c.Sort == desk.SortPriority {
		return []any{string(c.Priority), c.Time, c.ID}
	}
	return []any{c.Time, c.ID}
}

// cursorAfter returns the cursor positioned on t.
func cursorAfter(t *desk.Ticket, sort desk.TicketSort, desc bool, filter string) string {
	c := ticketCursor{Sort: sort, Desc: desc, Filter: filter, Time: micros(t.CreatedAt), ID: t.ID}
	switch sort {
	case desk.SortUpdated:
		c.Time = micros(t.UpdatedAt)
	case desk.SortPriority:
		c.Priority = t.Priority
	case desk.SortSLA:
		c.Time = slaDue(t.SLA.DueAt)
	}
	return encodeCursor(c)
}

// filterFingerprint identifies f without its paging fields, so that a
// cursor is refused with any other filter.
func filterFingerprint(f desk.TicketFilter) string {
	f.Cursor, f.Limit, f.Total, f.TotalMax = "", 0, false, 0
	b, _ := json.Marshal(f) // a struct of plain values always marshals
	h := fnv.New64a()
	h.Write(b)
	return strconv.FormatUint(h.Sum64(), 36)
}

// ListTickets implements desk.TicketStore.
func (s *Store) ListTickets(ctx context.Context, f desk.TicketFilter) (*desk.TicketPage, error) {
	if f.Sort == "" {
		f.Sort = desk.SortCreated
	}
	keys, ok := sortKeys[f.Sort]
	if !ok {
		return nil, fieldError(desk.EINVALID, "sort", desk.RuleOneOf, nil, fmt.Sprintf("unknown sort %q", f.Sort))
	}
	limit, err := pageSize(f.Limit)
	if err != nil {
		return nil, err
	}
	fp := filterFingerprint(f)
	after, err := parseCursor(f, fp)
	if err != nil {
		return nil, err
	}
	var a args
	page := &desk.TicketPage{}
	where, countWhere, err := s.ticketWhere(ctx, &f, &a, &page.Windowed)
	if err != nil {
		return nil, err
	}
	if f.Total { // before the cursor's values are bound: the count does not use them
		if page.Total, err = s.countTickets(ctx, countWhere, a, f.TotalMax); err != nil {
			return nil, err
		}
		if f.TotalMax > 0 && *page.Total > f.TotalMax {
			*page.Total, page.TotalCapped = f.TotalMax, true
		}
		page.TotalCapped = page.TotalCapped || page.Windowed
	}
	if after != nil {
		where = append(where, keysetCond(after, keys, f.Desc, &a))
	}
	if page.Tickets, err = s.queryTickets(ctx, where, a, keys, f.Desc, limit+1); err != nil {
		return nil, err
	}
	if len(page.Tickets) > limit {
		page.Tickets = page.Tickets[:limit]
		page.NextCursor = cursorAfter(page.Tickets[limit-1], f.Sort, f.Desc, fp)
	}
	return page, nil
}

// parseCursor decodes f's cursor, which must come from a page of the same
// filter, sort and direction; nil means the first page.
func parseCursor(f desk.TicketFilter, fp string) (*ticketCursor, error) {
	if f.Cursor == "" {
		return nil, nil
	}
	var c ticketCursor
	if err := decodeCursor(f.Cursor, &c); err != nil {
		return nil, err
	}
	if c.Sort != f.Sort || c.Desc != f.Desc || c.Filter != fp || c.ID <= 0 {
		return nil, invalidCursor()
	}
	return &c, nil
}

// keysetCond is the row-value comparison that starts the page after the
// cursor's row.
func keysetCond(c *ticketCursor, keys []string, desc bool, a *args) string {
	op := ">"
	if desc {
		op = "<"
	}
	return "(" + strings.Join(keys, ", ") + ") " + op + " (" + a.addAll(c.values()...) + ")"
}

func whereClause(where []string) string {
	if len(where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(where, " AND ")
}

// sortOrder is the ORDER BY of keys.
func sortOrder(keys []string, desc bool) string {
	if desc {
		return strings.Join(keys, " DESC, ") + " DESC"
	}
	return strings.Join(keys, ", ")
}

// listSQL is the statement of queryTickets: the page's keys chosen in a
// subquery (on SQLite, the category filter's as two ordered branches:
// splitCategoryPage), then the tickets of those keys.
func (s *Store) listSQL(where, keys []string, order string, n int) string {
	limit := " LIMIT " + strconv.Itoa(n)
	page := "SELECT " + strings.Join(keys, ", ") + " FROM tickets t" + whereClause(where) + " ORDER BY " + order + limit
	if q, ok := s.splitCategoryPage(where, keys, order, limit); ok {
		page = q
	}
	return "SELECT " + ticketColumns + " FROM (" + page + ") p JOIN tickets t ON t.id = p.id JOIN users r ON r.id = t.requester_id ORDER BY " +
		order + limit
}

// countTickets counts the matches; with max > 0 it stops after max+1.
func (s *Store) countTickets(ctx context.Context, where []string, a args, max int) (*int, error) {
	var n int
	err := s.rdb.QueryRowContext(ctx, s.countSQL(where, max), a...).Scan(&n)
	if err != nil {
		return nil, fmt.Errorf("count tickets: %w", err)
	}
	return &n, nil
}

// countSQL is the statement of countTickets.
func (s *Store) countSQL(where []string, max int) string {
	if max > 0 {
		if q, ok := s.splitCategoryCount(where, max); ok {
			return q
		}
		return "SELECT COUNT(*) FROM (SELECT 1 FROM tickets t" + whereClause(where) + " LIMIT " + strconv.Itoa(max+1) + ") c"
	}
	return "SELECT COUNT(*) FROM tickets t" + whereClause(where)
}

// queryTickets reads one page. The page is chosen in a subquery that
// selects the sort keys only, and the tickets and their names are read
// outside it for the page's rows: SQLite computes result columns before
// sorting, so a subquery of whole rows carried every candidate's text
// into the sorter (a windowed search's 2,000 matches: 72 ms against 25 ms
// for the keys alone on a 1M desk under load).
func (s *Store) queryTickets(ctx context.Context, where []string, a args, keys []string, desc bool, n int) ([]*desk.Ticket, error) {
	rows, err := s.rdb.QueryContext(ctx, s.listSQL(where, keys, sortOrder(keys, desc), n), a...)
	if err != nil {
		return nil, fmt.Errorf("list tickets: %w", err)
	}
	defer rows.Close()
	var tickets []*desk.Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, fmt.Errorf("list tickets: %w", err)
		}
		tickets = append(tickets, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list tickets: %w", err)
	}
	return tickets, nil
}
