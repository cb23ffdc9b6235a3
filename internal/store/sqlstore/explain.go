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
	sqlite := s.dialect.Name() == "sqlite"
	explain := "EXPLAIN "
	if sqlite {
		explain = "EXPLAIN QUERY PLAN "
	}
	rows, err := s.rdb.QueryContext(ctx, explain+s.countSQL(where, f.TotalMax), a...)
	if err != nil {
		return "", fmt.Errorf("explain ticket count: %w", err)
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
			return "", fmt.Errorf("explain ticket count: %w", err)
		}
		plan = append(plan, line)
	}
	return strings.Join(plan, "\n"), rows.Err()
}
