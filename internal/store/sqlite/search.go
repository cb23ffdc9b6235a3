package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/textan"
)

// defaultCommonMatches is where a search counts as common. Measured on a
// generated desk of 1M tickets (2 cores): listing by the sort order and
// probing FTS5 per row costs ~30 µs a row, so it suits words in many
// tickets (a word in a third of them: 4 ms) and is hopeless for rare ones
// (no match at all: 20 s); driving from the match list costs ~4 µs a match
// (a third of the tickets: 900 ms; 3%: 110 ms). They cross near 2% of 1M.
const defaultCommonMatches = 20000

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

// SearchMatch picks the plan by counting the matches up to d.commonMatches
// (under 3 ms at most). A rare query lists its matches and looks the
// tickets up; a common one walks the requested order (an index) and probes
// each row, stopping when the page is full. Counting all matches always
// uses the list.
func (d dialect) SearchMatch(ctx context.Context, db *sql.DB, query textan.Query, bind func(any) string) (string, string, error) {
	q := ftsQuery(query)
	n, err := d.CountMatches(ctx, db, q, d.commonMatches)
	if err != nil {
		return "", "", err
	}
	ph := bind(q)
	list := "t.id IN (SELECT rowid FROM ticket_search WHERE ticket_search MATCH " + ph + ")"
	if n < d.commonMatches {
		return list, list, nil
	}
	probe := "EXISTS (SELECT 1 FROM ticket_search WHERE ticket_search.rowid = t.id AND ticket_search MATCH " + ph + ")"
	return probe, list, nil
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

// NewestMatches drives from FTS5, which yields its matches in descending
// rowid order without sorting (CROSS JOIN keeps it the outer loop), so
// reading stops as soon as enough tickets pass the other conditions.
func (dialect) NewestMatches(ph string, _ int) (from, cond, order string) {
	return "ticket_search m CROSS JOIN tickets t ON t.id = m.rowid", "m.ticket_search MATCH " + ph, "m.rowid DESC"
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
