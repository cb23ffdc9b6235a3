package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// PromiseCounts implements desk.PromiseStore over the incidents registered
// in [from, now] (the cohort rule of the dashboard's attainment), by the
// created_at index.
func (s *Store) PromiseCounts(ctx context.Context, scope desk.DashboardScope, from, now time.Time) (desk.PromiseCounts, error) {
	q, err := s.newCountQuery(scope)
	if err != nil {
		return desk.PromiseCounts{}, err
	}
	a := &q.a
	n := a.add(micros(now))
	within := func(d time.Duration) string {
		return "CAST(COALESCE(SUM(CASE WHEN t.first_response_at IS NOT NULL AND t.first_response_at - t.created_at <= " +
			a.add(d.Microseconds()) + " THEN 1 ELSE 0 END), 0) AS BIGINT)"
	}
	due := func(d time.Duration) string {
		return "CAST(COALESCE(SUM(CASE WHEN t.first_response_at IS NOT NULL OR " + n + " - t.created_at > " +
			a.add(d.Microseconds()) + " THEN 1 ELSE 0 END), 0) AS BIGINT)"
	}
	resolved := "t.resolved_at IS NOT NULL AND t.resolved_at <= " + n
	sql := "SELECT " + within(desk.PromiseFastResponse) + ", " + due(desk.PromiseFastResponse) + ", " +
		within(desk.PromiseResponse) + ", " + due(desk.PromiseResponse) + ", " +
		"CAST(COALESCE(SUM(CASE WHEN " + resolved + " THEN 1 ELSE 0 END), 0) AS BIGINT), " +
		"CAST(COALESCE(SUM(CASE WHEN " + resolved + " THEN t.resolved_at - t.created_at ELSE 0 END), 0) AS BIGINT)" +
		" FROM tickets t WHERE t.created_at >= " + a.add(micros(from)) + " AND t.created_at <= " + n +
		" AND t.type = 'incident'" + q.scope
	c := desk.PromiseCounts{From: from}
	var resolveMicros int64
	if err := s.rdb.QueryRowContext(ctx, sql, *a...).Scan(&c.Within1h, &c.Due1h, &c.Within3h, &c.Due3h,
		&c.Resolved, &resolveMicros); err != nil {
		return desk.PromiseCounts{}, fmt.Errorf("count the promise: %w", err)
	}
	c.ResolveTime = time.Duration(resolveMicros) * time.Microsecond
	return c, nil
}
