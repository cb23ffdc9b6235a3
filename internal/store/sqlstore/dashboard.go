package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

var _ desk.DashboardStore = (*Store)(nil)

// OpenTicketCounts implements desk.DashboardStore: one scan of the open
// tickets in tickets_open_counts, which covers every column read, grouped
// in the index's order (no sort) with the finer counts as conditional sums.
func (s *Store) OpenTicketCounts(ctx context.Context, f desk.TicketFilter, now time.Time) ([]desk.OpenCount, error) {
	f.Query = ""
	var a args
	where, _, err := s.ticketWhere(ctx, &f, &a)
	if err != nil {
		return nil, err
	}
	cols := []string{"COUNT(*)", "COALESCE(SUM(CASE WHEN t.assignee_id IS NULL THEN 1 ELSE 0 END), 0)",
		"COALESCE(SUM(CASE WHEN t.sla_due_at < " + a.add(micros(now)) + " THEN 1 ELSE 0 END), 0)"}
	older := "1 = 1"
	for _, b := range desk.AgeBuckets {
		bound := a.add(micros(now.Add(-b)))
		cols = append(cols, "COALESCE(SUM(CASE WHEN "+older+" AND t.created_at > "+bound+" THEN 1 ELSE 0 END), 0)")
		older = "t.created_at <= " + bound
	}
	cols = append(cols, "COALESCE(SUM(CASE WHEN "+older+" THEN 1 ELSE 0 END), 0)")
	q := "SELECT t.state, t.priority, t.line, " + strings.Join(cols, ", ") + " FROM tickets t" + whereClause(where) +
		" GROUP BY t.state, t.priority, t.line"
	rows, err := s.rdb.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("count open tickets: %w", err)
	}
	defer rows.Close()
	var out []desk.OpenCount
	for rows.Next() {
		c := desk.OpenCount{Ages: make([]int, len(desk.AgeBuckets)+1)}
		dest := []any{&c.State, &c.Priority, &c.Line, &c.N, &c.Unassigned, &c.Breached}
		for i := range c.Ages {
			dest = append(dest, &c.Ages[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("count open tickets: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// OutcomeCounts implements desk.DashboardStore: one scan of the tickets
// created since the earliest instant, summing per period.
func (s *Store) OutcomeCounts(ctx context.Context, f desk.TicketFilter, froms []time.Time, now time.Time) ([]desk.OutcomeCount, error) {
	if len(froms) == 0 {
		return nil, nil
	}
	earliest := froms[0]
	for _, from := range froms {
		if from.Before(earliest) {
			earliest = from
		}
	}
	f.Query, f.CreatedFrom, f.CreatedTo = "", &earliest, &now
	var a args
	where, _, err := s.ticketWhere(ctx, &f, &a)
	if err != nil {
		return nil, err
	}
	var cols []string
	for _, from := range froms {
		since := "t.created_at >= " + a.add(micros(from))
		for _, cond := range []string{"1 = 1", "t.sla_response_met", "NOT t.sla_response_met",
			"t.sla_resolution_met", "NOT t.sla_resolution_met"} {
			cols = append(cols, "COALESCE(SUM(CASE WHEN "+since+" AND "+cond+" THEN 1 ELSE 0 END), 0)")
		}
	}
	q := "SELECT " + strings.Join(cols, ", ") + " FROM tickets t" + whereClause(where)
	vals := make([]int, len(cols))
	dest := make([]any, len(cols))
	for i := range vals {
		dest[i] = &vals[i]
	}
	if err := s.rdb.QueryRowContext(ctx, q, a...).Scan(dest...); err != nil {
		return nil, fmt.Errorf("count sla outcomes: %w", err)
	}
	out := make([]desk.OutcomeCount, len(froms))
	for i, from := range froms {
		v := vals[i*5:]
		out[i] = desk.OutcomeCount{From: from, Tickets: v[0], ResponseMet: v[1], ResponseMissed: v[2],
			ResolutionMet: v[3], ResolutionMissed: v[4]}
	}
	return out, nil
}

// RatingCounts implements desk.DashboardStore.
func (s *Store) RatingCounts(ctx context.Context, groupIDs []int64, froms []time.Time, now time.Time) ([]desk.RatingCount, error) {
	var a args
	var cols []string
	where := []string{"r.rated_at < " + a.add(micros(now))}
	where = appendNonEmpty(where, idsIn("r.group_id", groupIDs, &a))
	for _, from := range froms {
		since := "r.rated_at >= " + a.add(micros(from))
		cols = append(cols, "COALESCE(SUM(CASE WHEN "+since+" THEN 1 ELSE 0 END), 0)",
			"COALESCE(SUM(CASE WHEN "+since+" THEN r.score ELSE 0 END), 0)")
	}
	if len(cols) == 0 {
		return nil, nil
	}
	q := "SELECT " + strings.Join(cols, ", ") + " FROM ticket_ratings r" + whereClause(where)
	vals := make([]int, len(cols))
	dest := make([]any, len(cols))
	for i := range vals {
		dest[i] = &vals[i]
	}
	if err := s.rdb.QueryRowContext(ctx, q, a...).Scan(dest...); err != nil {
		return nil, fmt.Errorf("count ratings: %w", err)
	}
	out := make([]desk.RatingCount, len(froms))
	for i, from := range froms {
		out[i] = desk.RatingCount{From: from, Ratings: vals[2*i], ScoreSum: vals[2*i+1]}
	}
	return out, nil
}

// GroupQueueCounts implements desk.DashboardStore: one scan of the open
// tickets of f, which tickets_open_counts covers.
func (s *Store) GroupQueueCounts(ctx context.Context, f desk.TicketFilter, now, soon time.Time) (map[desk.QueueName]int, error) {
	f.Query = ""
	var a args
	where, _, err := s.ticketWhere(ctx, &f, &a)
	if err != nil {
		return nil, err
	}
	nowPH, soonPH := a.add(micros(now)), a.add(micros(soon))
	q := `SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN t.assignee_id IS NULL THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN t.sla_due_at >= ` + nowPH + ` AND t.sla_due_at < ` + soonPH + ` THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN t.sla_due_at < ` + nowPH + ` THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN t.state = 'on_hold' THEN 1 ELSE 0 END), 0)
		FROM tickets t` + whereClause(where)
	var all, unassigned, about, breached, onHold int
	if err := s.rdb.QueryRowContext(ctx, q, a...).Scan(&all, &unassigned, &about, &breached, &onHold); err != nil {
		return nil, fmt.Errorf("count queues: %w", err)
	}
	return map[desk.QueueName]int{desk.QueueMyGroups: all, desk.QueueUnassigned: unassigned,
		desk.QueueAboutToBreach: about, desk.QueueBreached: breached, desk.QueueOnHold: onHold}, nil
}
