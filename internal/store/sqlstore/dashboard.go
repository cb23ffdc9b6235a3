package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

var _ desk.DashboardStore = (*Store)(nil)

// The dashboard reads ticket_counts (migrations 00013, 00064, 00069), which
// triggers keep in the transaction of every ticket write: the open
// tickets' counters, and of the per-day and per-hour counters only the
// last 30 days and the days ahead (what lies further back follows from the
// open total). The part of an hour up to an instant it counts from the
// tickets through small index ranges (dashboard_spans.go).
// Everything comes from one UNION ALL statement, so every figure is of one
// snapshot and they add up.

// dayMicros is a UTC day in Unix microseconds: ticket_counts.day is a time
// divided by it.
const dayMicros = 24 * 60 * 60 * 1_000_000

func dayOf(t time.Time) int64 { return micros(t) / dayMicros }

// countQuery builds the UNION ALL of branches that each yield rows of
// countRow's shape, bound through one args.
type countQuery struct {
	branches []string
	a        args
	scope    string // the scope's conditions on t, " AND …", or ""
	open     string // t.state IN (the open states), as the partial indexes repeat it
	// indexedBy names the index of each exact count on SQLite, whose
	// planner, given statistics, prefers a skip-scan of another index on
	// (x, created_at) or (group_id, sla_due_at) that reads the whole day
	// many times over (70 ms instead of 3 at 1M tickets).
	indexedBy bool
}

// countRow is one row of a countQuery: the branch's name (part), a day or
// index (k), and the key columns the branch groups by.
type countRow struct {
	part                 string
	k                    int64
	line                 desk.Line
	state                desk.State
	priority             desk.Priority
	unassigned           bool
	response, resolution int
	n                    int
}

func (s *Store) newCountQuery(scope desk.DashboardScope) (*countQuery, error) {
	if scope.Visibility.RequesterID != 0 {
		return nil, desk.Errorf(desk.EINVALID, "the dashboard counts for staff only")
	}
	q := &countQuery{indexedBy: s.dialect.Name() == "sqlite"}
	var w []string
	w = appendNonEmpty(w, idsIn("t.group_id", scope.GroupIDs, &q.a))
	// Counters have no ticket id: security cases are left out by group.
	w = appendNonEmpty(w, securityGroupCond(scope.Visibility))
	w = appendNonEmpty(w, restrictedCond(scope.Visibility, &q.a, ""))
	for _, c := range w {
		q.scope += " AND " + c
	}
	var err error
	q.open, err = enumIn("t.state", "states", desk.OpenStates, desk.States)
	return q, err
}

// add appends a branch: cols are the SELECT list after the part's name
// (eight columns, see countRow), from the table and conditions given; the
// scope's conditions are added.
func (q *countQuery) add(part, cols, from, where, groupBy string) {
	b := "SELECT '" + part + "', " + cols + " FROM " + from + " WHERE " + where + q.scope
	if groupBy != "" {
		b += " GROUP BY " + groupBy
	}
	q.branches = append(q.branches, b)
}

// counters sums ticket_counts rows of kind: cols select the key columns
// (seven, see countRow) and group is their GROUP BY.
func (q *countQuery) counters(part, kind, cols, where, groupBy string) {
	if where != "" {
		where = " AND " + where
	}
	q.add(part, cols+", CAST(SUM(t.n) AS BIGINT)", "ticket_counts t", "t.kind = '"+kind+"'"+where, groupBy)
}

// exact counts tickets themselves, through index.
func (q *countQuery) exact(part, index, cols, where, groupBy string) {
	q.add(part, cols+", COUNT(*)", q.ticketsBy(index), where, groupBy)
}

// ticketsBy is the tickets table read through index (named on SQLite).
func (q *countQuery) ticketsBy(index string) string {
	if q.indexedBy {
		return "tickets t INDEXED BY " + index
	}
	return "tickets t"
}

func (q *countQuery) run(ctx context.Context, s *Store) ([]countRow, error) {
	// Prepared once per shape (how many groups the scope names): parsing
	// and planning the fourteen branches cost ~1 ms a view on SQLite.
	st, err := s.stmts.prepared(ctx, s.rdb, strings.Join(q.branches, "\nUNION ALL\n"))
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, q.a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []countRow
	for rows.Next() {
		var r countRow
		var unassigned int
		if err := rows.Scan(&r.part, &r.k, &r.line, &r.state, &r.priority, &unassigned, &r.response, &r.resolution, &r.n); err != nil {
			return nil, err
		}
		r.unassigned = unassigned == 1
		out = append(out, r)
	}
	return out, rows.Err()
}

// Column lists of the branches (after the part's name, before n).
const (
	openCols   = "0, t.line, t.state, t.priority, CASE WHEN t.unassigned THEN 1 ELSE 0 END, 0, 0"
	lineCols   = "0, t.line, '', '', 0, 0, 0"
	noCols     = "0, 0, '', '', 0, 0, 0"
	outcomeSQL = "CASE WHEN t.sla_%[1]s_met THEN 1 WHEN NOT t.sla_%[1]s_met THEN 2 ELSE 0 END"
)

// notDue adds, by line, the open tickets whose deadline is not before now
// (those without one included): the counters of the days after today
// (due), of today's hours after the current one (due_h, migration 00069),
// and the current hour's part from tickets_open_sla. The breached are the
// rest of the open tickets, so the rows read are the days and hours ahead,
// however many days of breached tickets lie behind, and at most an hour
// of tickets (the rest of the day's were 11,917 just after midnight at
// 10M tickets).
func (q *countQuery) notDue(now time.Time) {
	today := dayOf(now)
	hour := floorDiv(micros(now), hourMicros)
	q.counters("due", "due", lineCols, "t.day > "+q.a.add(today), "t.line")
	q.counters("due", "due_h", lineCols, "t.day > "+q.a.add(hour)+" AND t.day < "+q.a.add((today+1)*24), "t.line")
	q.exact("due", "tickets_open_sla", lineCols, q.open+" AND t.sla_due_at >= "+q.a.add(micros(now))+
		" AND t.sla_due_at < "+q.a.add((hour+1)*hourMicros), "t.line")
}

// DashboardCounts implements desk.DashboardStore.
func (s *Store) DashboardCounts(ctx context.Context, scope desk.DashboardScope, froms []time.Time, now time.Time) (*desk.DashboardCounts, error) {
	q, err := s.newCountQuery(scope)
	if err != nil {
		return nil, err
	}
	q.counters("open", "open", openCols, "", "t.line, t.state, t.priority, t.unassigned")
	q.notDue(now)
	// Backlog: open tickets created after each age bound, from the counters
	// of the days after the bound's (created), of the hours after the
	// bound's up to its day's end (created_h, migration 00069), and the
	// rest of the bound's own hour from the tickets.
	bounds := make([]time.Time, len(desk.AgeBuckets))
	for i, b := range desk.AgeBuckets {
		bounds[i] = now.Add(-b)
		next := floorDiv(micros(bounds[i]), hourMicros) + 1 // the first hour after the bound's
		q.exact("age", "tickets_open_created", strconv.Itoa(i)+", 0, '', '', 0, 0, 0", q.open+" AND t.created_at > "+
			q.a.add(micros(bounds[i]))+" AND t.created_at < "+q.a.add(next*hourMicros), "")
		q.counters("age", "created_h", strconv.Itoa(i)+", 0, '', '', 0, 0, 0", "t.day >= "+q.a.add(next)+
			" AND t.day < "+q.a.add((dayOf(bounds[i])+1)*24), "1")
	}
	if len(bounds) > 0 {
		q.counters("created", "created", "t.day, 0, '', '', 0, 0, 0", "t.day > "+q.a.add(dayOf(earliest(bounds))), "t.day")
	}
	// Attainment: tickets created in each period up to now (inclusive),
	// from the counters (cohort by day, cohort_h by hour) and the tickets
	// of the part-hours: each period's first, and the hour now is in,
	// shared ("range" -1). A period that begins in that hour is counted
	// from its tickets alone. The branches are the same whatever the
	// instants (empty ranges count nothing), so the statement is prepared
	// once.
	hour := floorDiv(micros(now), hourMicros) * hourMicros
	end := micros(now) + 1
	for i, from := range froms {
		f := micros(from)
		sp, own := splitSpan(f, hour), [2]int64{f, end}
		if f < hour {
			own = sp.head
		}
		q.exact("range", "tickets_created", strconv.Itoa(i)+", 0, '', '', 0, "+fmt.Sprintf(outcomeSQL, "response")+", "+
			fmt.Sprintf(outcomeSQL, "resolution"), "t.created_at >= "+q.a.add(own[0])+" AND t.created_at < "+q.a.add(own[1]), "7, 8")
		q.spanCounters(sp, "cohort", "cohort", strconv.Itoa(i)+", 0, '', '', 0, t.response, t.resolution", "t.response, t.resolution")
	}
	if len(froms) > 0 {
		q.exact("range", "tickets_created", "-1, 0, '', '', 0, "+fmt.Sprintf(outcomeSQL, "response")+", "+
			fmt.Sprintf(outcomeSQL, "resolution"), "t.created_at >= "+q.a.add(hour)+" AND t.created_at < "+q.a.add(end), "7, 8")
	}
	rows, err := q.run(ctx, s)
	if err != nil {
		return nil, fmt.Errorf("count dashboard: %w", err)
	}
	return dashboardCounts(rows, bounds, froms, now), nil
}

func earliest(ts []time.Time) time.Time {
	e := ts[0]
	for _, t := range ts[1:] {
		if t.Before(e) {
			e = t
		}
	}
	return e
}

// dashboardCounts adds the rows of DashboardCounts up.
func dashboardCounts(rows []countRow, bounds, froms []time.Time, now time.Time) *desk.DashboardCounts {
	out := &desk.DashboardCounts{Breached: map[desk.Line]int{}, Ages: make([]int, len(bounds)+1),
		Outcomes: make([]desk.OutcomeCount, len(froms))}
	type openKey struct {
		state    desk.State
		priority desk.Priority
		line     desk.Line
	}
	open := map[openKey]int{} // index in out.Open
	hour := floorDiv(micros(now), hourMicros) * hourMicros
	total := 0
	openByLine, notDue := map[desk.Line]int{}, map[desk.Line]int{}
	after := make([]int, len(bounds)) // open tickets created after bounds[i]
	for i, from := range froms {
		out.Outcomes[i].From = from
	}
	for _, r := range rows {
		switch r.part {
		case "open":
			k := openKey{r.state, r.priority, r.line}
			i, ok := open[k]
			if !ok {
				i = len(out.Open)
				open[k] = i
				out.Open = append(out.Open, desk.OpenCount{State: r.state, Priority: r.priority, Line: r.line})
			}
			out.Open[i].N += r.n
			if r.unassigned {
				out.Open[i].Unassigned += r.n
			}
			total += r.n
			openByLine[r.line] += r.n
		case "due":
			notDue[r.line] += r.n
		case "created":
			for i, b := range bounds {
				if r.k > dayOf(b) {
					after[i] += r.n
				}
			}
		case "age":
			after[r.k] += r.n
		case "range", "cohort":
			for i, from := range froms {
				// Range -1 is the hour now is in, in every period that
				// began before it; the others are period k's own.
				if r.k == int64(i) || (r.k == -1 && micros(from) < hour) {
					addOutcome(&out.Outcomes[i], r)
				}
			}
		}
	}
	out.Open = slices.DeleteFunc(out.Open, func(c desk.OpenCount) bool { return c.N == 0 }) // counters fallen to 0
	for line, n := range openByLine {
		if n > notDue[line] {
			out.Breached[line] = n - notDue[line]
		}
	}
	younger := 0 // open tickets in the buckets before i
	for i := range bounds {
		out.Ages[i] = after[i] - younger
		younger = after[i]
	}
	out.Ages[len(bounds)] = total - younger
	return out
}

func addOutcome(o *desk.OutcomeCount, r countRow) {
	o.Tickets += r.n
	switch r.response {
	case 1:
		o.ResponseMet += r.n
	case 2:
		o.ResponseMissed += r.n
	}
	switch r.resolution {
	case 1:
		o.ResolutionMet += r.n
	case 2:
		o.ResolutionMissed += r.n
	}
}

// GroupQueueCounts implements desk.DashboardStore: the counters of the
// open tickets and of their deadlines (the breached are those not due yet
// subtracted from the open), and the tickets due within [now, soon)
// through tickets_open_sla.
func (s *Store) GroupQueueCounts(ctx context.Context, scope desk.DashboardScope, now, soon time.Time) (map[desk.QueueName]int, error) {
	q, err := s.newCountQuery(scope)
	if err != nil {
		return nil, err
	}
	q.counters("open", "open", "0, 0, t.state, '', CASE WHEN t.unassigned THEN 1 ELSE 0 END, 0, 0", "", "t.state, t.unassigned")
	q.notDue(now)
	q.exact("about", "tickets_open_sla", noCols, q.open+" AND t.sla_due_at >= "+q.a.add(micros(now))+" AND t.sla_due_at < "+q.a.add(micros(soon)), "")
	rows, err := q.run(ctx, s)
	if err != nil {
		return nil, fmt.Errorf("count queues: %w", err)
	}
	n := map[desk.QueueName]int{desk.QueueMyGroups: 0, desk.QueueUnassigned: 0, desk.QueueAboutToBreach: 0,
		desk.QueueBreached: 0, desk.QueueOnHold: 0}
	for _, r := range rows {
		switch r.part {
		case "open":
			n[desk.QueueMyGroups] += r.n
			if r.unassigned {
				n[desk.QueueUnassigned] += r.n
			}
			if r.state == desk.StateOnHold {
				n[desk.QueueOnHold] += r.n
			}
		case "due":
			n[desk.QueueBreached] -= r.n
		case "about":
			n[desk.QueueAboutToBreach] += r.n
		}
	}
	n[desk.QueueBreached] += n[desk.QueueMyGroups]
	return n, nil
}

// RatingCounts implements desk.DashboardStore.
func (s *Store) RatingCounts(ctx context.Context, groupIDs []int64, froms []time.Time, now time.Time) ([]desk.RatingCount, error) {
	if len(froms) == 0 {
		return nil, nil
	}
	// Only the ratings since the earliest instant are read (ticket_ratings_at):
	// without a lower bound every rating ever given was summed a view.
	var a args
	var cols []string
	where := []string{"r.rated_at >= " + a.add(micros(earliest(froms))), "r.rated_at < " + a.add(micros(now))}
	where = appendNonEmpty(where, idsIn("r.group_id", groupIDs, &a))
	for _, from := range froms {
		since := "r.rated_at >= " + a.add(micros(from))
		cols = append(cols, "COALESCE(SUM(CASE WHEN "+since+" THEN 1 ELSE 0 END), 0)",
			"COALESCE(SUM(CASE WHEN "+since+" THEN r.score ELSE 0 END), 0)")
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
