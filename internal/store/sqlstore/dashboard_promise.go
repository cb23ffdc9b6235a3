package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// PromiseCounts implements desk.PromiseStore over the incidents registered
// in [from, now] (the cohort rule of the dashboard's attainment). The
// incidents registered more than 3 hours before now (every one of them
// due by both response targets) are counted from the counters promise and
// promise_t by day and hour (migration 00064) and the tickets of the
// part-hour the period begins in; the last 3 to 4 hours from the tickets,
// whose first responses may not be due yet. A resolution counts as stored
// (resolved_at set), as the counters keep it.
func (s *Store) PromiseCounts(ctx context.Context, scope desk.DashboardScope, from, now time.Time) (desk.PromiseCounts, error) {
	q, err := s.newCountQuery(scope)
	if err != nil {
		return desk.PromiseCounts{}, err
	}
	end := micros(now) + 1
	cut := floorDiv(micros(now)-desk.PromiseResponse.Microseconds(), hourMicros) * hourMicros
	f := micros(from)
	sp, last := splitSpan(f, cut), [2]int64{f, end}
	if f < cut {
		last[0] = cut
	}
	// Exact parts: the head, then the last hours. line says whether an
	// incident without a response is due (1: past 1 h, 3: past 3 h).
	n := q.a.add(micros(now))
	dueSQL := "CASE WHEN " + n + " - t.created_at > " + q.a.add(desk.PromiseResponse.Microseconds()) + " THEN 3 WHEN " +
		n + " - t.created_at > " + q.a.add(desk.PromiseFastResponse.Microseconds()) + " THEN 1 ELSE 0 END"
	bucketSQL := "CASE WHEN t.first_response_at IS NULL THEN 0 WHEN t.first_response_at - t.created_at <= " +
		q.a.add(desk.PromiseFastResponse.Microseconds()) + " THEN 1 WHEN t.first_response_at - t.created_at <= " +
		q.a.add(desk.PromiseResponse.Microseconds()) + " THEN 2 ELSE 3 END"
	solvedSQL := "CASE WHEN t.resolved_at IS NULL THEN 0 ELSE 1 END"
	for _, r := range [][2]int64{sp.head, last} {
		in := "t.type = 'incident' AND t.created_at >= " + q.a.add(r[0]) + " AND t.created_at < " + q.a.add(r[1])
		q.exact("p", "tickets_created", "0, "+dueSQL+", '', '', 0, "+bucketSQL+", "+solvedSQL, in, "3, 7, 8")
		q.add("pt", "0, 0, '', '', 0, 0, 1, CAST(COALESCE(SUM(t.resolved_at - t.created_at), 0) AS BIGINT)",
			q.ticketsBy("tickets_created"), in+" AND t.resolved_at IS NOT NULL", "")
	}
	q.spanCounters(sp, "p", "promise", "0, 3, '', '', 0, t.response, t.resolution", "t.response, t.resolution")
	q.spanCounters(sp, "pt", "promise_t", "0, 0, '', '', 0, 0, t.resolution", "t.resolution")
	rows, err := q.run(ctx, s)
	if err != nil {
		return desk.PromiseCounts{}, fmt.Errorf("count the promise: %w", err)
	}
	return promiseCounts(rows, from), nil
}

// promiseCounts adds the rows of PromiseCounts up: response is the first
// response's delay (0 none, 1 within 1 h, 2 within 3 h, 3 later),
// resolution 1 when resolved, line whether one without a response is due.
func promiseCounts(rows []countRow, from time.Time) desk.PromiseCounts {
	c := desk.PromiseCounts{From: from}
	for _, r := range rows {
		if r.part == "pt" {
			c.ResolveTime += time.Duration(r.n) * time.Microsecond
			continue
		}
		responded := r.response > 0
		if r.response == 1 {
			c.Within1h += r.n
		}
		if r.response == 1 || r.response == 2 {
			c.Within3h += r.n
		}
		if responded || r.line >= 1 {
			c.Due1h += r.n
		}
		if responded || r.line == 3 {
			c.Due3h += r.n
		}
		if r.resolution == 1 {
			c.Resolved += r.n
		}
	}
	return c
}
