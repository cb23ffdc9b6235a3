package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// ExplainTicketCount returns the database's plan of the capped count that
// ListTickets runs for f (f.TotalMax matches at most, as the desk sets
// it), one line a plan row, so that tests can check which index serves a
// filter's count: EXPLAIN on PostgreSQL, EXPLAIN QUERY PLAN on SQLite.
func (s *Store) ExplainTicketCount(ctx context.Context, f desk.TicketFilter) (string, error) {
	var a args
	var windowed bool
	_, where, err := s.ticketWhere(ctx, &f, &a, &windowed)
	if err != nil {
		return "", err
	}
	return s.explain(ctx, s.countSQL(where, f.TotalMax), a)
}

// ExplainTicketList returns the plan of the first page that ListTickets
// reads for f (its sort, direction and page size), as ExplainTicketCount
// does for the count.
func (s *Store) ExplainTicketList(ctx context.Context, f desk.TicketFilter) (string, error) {
	if f.Sort == "" {
		f.Sort = desk.SortCreated
	}
	keys, ok := sortKeys[f.Sort]
	if !ok {
		return "", fmt.Errorf("explain ticket list: unknown sort %q", f.Sort)
	}
	limit, err := pageSize(f.Limit)
	if err != nil {
		return "", err
	}
	var a args
	var windowed bool
	where, _, err := s.ticketWhere(ctx, &f, &a, &windowed)
	if err != nil {
		return "", err
	}
	return s.explain(ctx, s.listSQL(where, keys, sortOrder(keys, f.Desc), limit+1), a)
}

func (s *Store) explain(ctx context.Context, q string, a args) (string, error) {
	sqlite := s.dialect.Name() == "sqlite"
	explain := "EXPLAIN "
	if sqlite {
		explain = "EXPLAIN QUERY PLAN "
	}
	rows, err := s.rdb.QueryContext(ctx, explain+q, a...)
	if err != nil {
		return "", fmt.Errorf("explain: %w", err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		// SQLite: id, parent, notused, detail; PostgreSQL: the line alone.
		var id, parent, notused int
		var line string
		dest := []any{&line}
		if sqlite {
			dest = []any{&id, &parent, &notused, &line}
		}
		if err := rows.Scan(dest...); err != nil {
			return "", fmt.Errorf("explain: %w", err)
		}
		plan = append(plan, line)
	}
	return strings.Join(plan, "\n"), rows.Err()
}
