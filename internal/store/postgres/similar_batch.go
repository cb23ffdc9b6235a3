package postgres

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// NewestMatchIDs reads the n newest matches of every query (one term's
// tsquery each, with about dfs[i] matches among the tickets up to id
// total) in one statement: one part a query, each read the way
// newestMatchIDs would read it alone (from the newest id ranges, by
// walking the documents newest first, or from the GIN index). Similar
// tickets read 16 terms; one statement a term plus its reindex check was
// 30-odd round trips a request, and on a loaded machine each waits for a
// core (PostgreSQL similar tickets p50 ~200 ms at load 20-27 on a 1M
// desk). A query whose first ranges hold fewer than n is then read alone,
// widening as newestByRange does, so the answers are those of reading each
// query alone.
func (d dialect) NewestMatchIDs(ctx context.Context, db *sql.DB, queries []string, dfs []int, total, n int) ([][]int64, error) {
	out := make([][]int64, len(queries))
	if len(queries) == 0 {
		return out, nil
	}
	below, err := markedFrom(ctx, db)
	if err != nil {
		return nil, err
	}
	parts := make([]batchPart, len(queries))
	for i, q := range queries {
		parts[i] = d.planPart(q, dfs[i], total, below, n)
	}
	if out, err = readBatch(ctx, db, parts, n); err != nil {
		return nil, err
	}
	for i, p := range parts {
		if p.kind == partRanges && len(out[i]) < n { // too few in the first ranges: widen alone
			if out[i], err = d.newestMatchIDs(ctx, db, queries[i], dfs[i], total, below, n); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

type partKind int

const (
	partRanges partKind = iota // the query AND the newest ranges' markers, from the GIN index
	partWalk                   // documents newest first, each tested
	partIndex                  // every match from the GIN index, the newest kept
)

// batchPart is one query's read: its kind and the tsquery read.
type batchPart struct {
	kind  partKind
	query string
}

// planPart chooses how query is read: from its newest ranges when
// newestByRange would read them first, otherwise as matchIDs would.
func (d dialect) planPart(query string, df, total int, below int64, n int) batchPart {
	rate := float64(df) / float64(max(total, 1))
	if m, lo := d.firstSpan(rate, int64(total), n); m != "" && lo >= below {
		return batchPart{partRanges, "(" + query + ") & " + m}
	}
	if float64(df)*float64(df) >= float64(n)*float64(total) {
		return batchPart{partWalk, query}
	}
	return batchPart{partIndex, query}
}

// readBatch reads every part in one statement and returns each part's ids,
// newest first.
func readBatch(ctx context.Context, db *sql.DB, parts []batchPart, n int) ([][]int64, error) {
	var ctes, selects []string
	args := []any{n}
	for i, p := range parts {
		args = append(args, p.query)
		ph := "$" + strconv.Itoa(len(args)) + "::text::tsquery"
		sel := "(SELECT " + strconv.Itoa(i) + " AS part, ticket_id FROM "
		switch p.kind {
		case partWalk: // "IS TRUE" keeps the GIN index out (see matchIDs)
			sel += "ticket_search WHERE (doc @@ " + ph + ") IS TRUE"
		default: // MATERIALIZED: every match from the GIN index (see matchIDs)
			name := "m" + strconv.Itoa(i)
			ctes = append(ctes, name+" AS MATERIALIZED (SELECT ticket_id FROM ticket_search WHERE doc @@ "+ph+")")
			sel += name
		}
		selects = append(selects, sel+" ORDER BY ticket_id DESC LIMIT $1)")
	}
	query := strings.Join(selects, " UNION ALL ")
	if len(ctes) > 0 {
		query = "WITH " + strings.Join(ctes, ", ") + " " + query
	}
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read search matches: %w", err)
	}
	defer rows.Close()
	out := make([][]int64, len(parts))
	for rows.Next() {
		var part int
		var id int64
		if err := rows.Scan(&part, &id); err != nil {
			return nil, fmt.Errorf("read search matches: %w", err)
		}
		out[part] = append(out[part], id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read search matches: %w", err)
	}
	for _, ids := range out {
		slices.SortFunc(ids, func(a, b int64) int { return cmp.Compare(b, a) })
	}
	return out, nil
}
