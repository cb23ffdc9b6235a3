package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/textan"
)

// SearchTable implements sqlstore.Dialect: the FTS5 table of migration
// 00018 (rowid = ticket id) with a title and a body column, each the
// document's terms separated by spaces.
func (dialect) SearchTable() sqlstore.SearchTable {
	return sqlstore.SearchTable{
		Head:  "INSERT INTO ticket_search (rowid, title, body) VALUES ",
		Width: 3,
		Row: func(first int, ph func(int) string) string {
			return "(" + ph(first) + ", " + ph(first+1) + ", " + ph(first+2) + ")"
		},
		Values: func(id int64, d sqlstore.SearchDoc) []any {
			return []any{id, strings.Join(d.Title, " "), strings.Join(d.Body, " ")}
		},
		Delete: "DELETE FROM ticket_search WHERE rowid = $1",
	}
}

// SearchMatch counts the matches up to window (a few milliseconds at
// most). Fewer are listed from the index and looked up; more are cut to the
// newest window of them, which FTS5 yields in descending rowid order without
// sorting. Both read only the index's match lists: probing FTS5 once per
// ticket costs 30–600 µs (a fragmented index re-prepares its lookups), so a
// plan that walks a sort order or a filter's index and probes each row took
// seconds at 1M tickets (q=network&state=open&group=1: 5–13 s).
func (d dialect) SearchMatch(ctx context.Context, db *sql.DB, query textan.Query, window int, bind func(any) string) (string, bool, error) {
	q := ftsQuery(query)
	n, err := d.CountMatches(ctx, db, q, window)
	if err != nil {
		return "", false, err
	}
	match := "SELECT rowid FROM ticket_search WHERE ticket_search MATCH " + bind(q)
	if n < window {
		return "t.id IN (" + match + ")", false, nil
	}
	return "t.id IN (" + match + " ORDER BY rowid DESC LIMIT " + strconv.Itoa(window) + ")", true, nil
}

// CountMatches implements sqlstore.Dialect.
func (dialect) CountMatches(ctx context.Context, db *sql.DB, query string, limit int) (int, error) {
	var n int
	err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM
		(SELECT 1 FROM ticket_search WHERE ticket_search MATCH $1 LIMIT $2)`, query, limit).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count search matches: %w", err)
	}
	return n, nil
}

// NewestMatchIDs reads the match list alone: FTS5 yields it in descending
// rowid order without sorting.
func (dialect) NewestMatchIDs(ctx context.Context, db *sql.DB, queries []string, _ []int, _, n int) ([][]int64, error) {
	out := make([][]int64, len(queries))
	for i, q := range queries {
		rows, err := db.QueryContext(ctx, "SELECT rowid FROM ticket_search WHERE ticket_search MATCH $1 ORDER BY rowid DESC LIMIT $2", q, n)
		if err != nil {
			return nil, fmt.Errorf("read search matches: %w", err)
		}
		if out[i], err = sqlstore.ScanIDs(rows); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// DocumentFrequency counts: FTS5 reads a match list in about a
// millisecond per 10,000 matches.
func (d dialect) DocumentFrequency(ctx context.Context, db *sql.DB, term string, limit int) (int, error) {
	return d.CountMatches(ctx, db, ftsQuery(textan.Query{Clauses: []textan.Clause{{Terms: []string{term}}}}), limit)
}

// SearchQuery implements sqlstore.Dialect.
func (dialect) SearchQuery(q textan.Query) string { return ftsQuery(q) }

// ftsQuery renders q as an FTS5 expression: every term an FTS5 string (so
// nothing is read as an operator or column filter), phrases as strings of
// several terms, prefixes with '*', the positive clauses ANDed and the
// excluded ones removed with NOT. q has a positive clause.
func ftsQuery(q textan.Query) string {
	pos := ftsClauses(q.Positive())
	neg := ftsClauses(q.Negative())
	s := "(" + strings.Join(pos, " AND ") + ")"
	if len(neg) > 0 {
		s += " NOT (" + strings.Join(neg, " OR ") + ")"
	}
	return s
}

func ftsClauses(cs []textan.Clause) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = `"` + strings.ReplaceAll(strings.Join(c.Terms, " "), `"`, `""`) + `"`
		if c.Prefix {
			out[i] += "*"
		}
	}
	return out
}
