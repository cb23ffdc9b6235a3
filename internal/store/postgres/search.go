package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/textan"
)

// SearchTable implements sqlstore.Dialect: ticket_search (ticket_id, doc)
// where doc is a tsvector written as a literal from the document's terms,
// so that PostgreSQL neither parses nor stems them: title terms at
// positions from 1 with weight A, body terms after a gap of one position
// (so that no phrase spans the two, as in SQLite's separate columns).
func (dialect) SearchTable() sqlstore.SearchTable {
	return sqlstore.SearchTable{
		Head:  "INSERT INTO ticket_search (ticket_id, doc) VALUES ",
		Width: 2,
		Row: func(first int, ph func(int) string) string {
			return "(" + ph(first) + ", " + ph(first+1) + "::text::tsvector)"
		},
		Values: func(id int64, d sqlstore.SearchDoc) []any { return []any{id, tsvector(d)} },
		Delete: "DELETE FROM ticket_search WHERE ticket_id = $1",
	}
}

// tsvector renders d as a tsvector literal.
func tsvector(d sqlstore.SearchDoc) string {
	var b strings.Builder
	pos := 1
	write := func(terms []string, weight string) {
		for _, t := range terms {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(quoteLexeme(t))
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(min(pos, 16383)))
			b.WriteString(weight)
			pos++
		}
	}
	write(d.Title, "A")
	pos++
	write(d.Body, "")
	return b.String()
}

// quoteLexeme quotes a term for a tsvector or tsquery literal.
func quoteLexeme(t string) string {
	t = strings.ReplaceAll(t, `\`, `\\`)
	return "'" + strings.ReplaceAll(t, "'", "''") + "'"
}

// tsquery renders q as a tsquery literal: terms quoted, phrases with <->,
// prefixes with :*, positive clauses ANDed, excluded ones negated.
func tsquery(q textan.Query) string {
	var parts []string
	for _, c := range q.Clauses {
		terms := make([]string, len(c.Terms))
		for i, t := range c.Terms {
			terms[i] = quoteLexeme(t)
		}
		if c.Prefix {
			terms[len(terms)-1] += ":*"
		}
		p := strings.Join(terms, " <-> ")
		if len(terms) > 1 {
			p = "(" + p + ")"
		}
		if c.Not {
			p = "!" + p
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " & ")
}

// SearchMatch counts the matches up to window first and reads them from
// the GIN index as an array the plan looks tickets up by: all of them when
// fewer, else the newest window. Left to itself, the planner guesses ~5,000
// matches for any term, so a word in no ticket walked every ticket in the
// sort order (2 s at 1M), and a common word with a filter sorted all its
// matches.
func (d dialect) SearchMatch(ctx context.Context, db *sql.DB, query textan.Query, window int, bind func(any) string) (string, bool, error) {
	q := tsquery(query)
	n, err := d.CountMatches(ctx, db, q, walkFactor*window)
	if err != nil {
		return "", false, err
	}
	ph := bind(q)
	match := "SELECT ticket_id FROM ticket_search WHERE doc @@ " + ph + "::text::tsquery"
	switch {
	case n < window:
		return "t.id = ANY (ARRAY(" + match + "))", false, nil
	case n < walkFactor*window: // all matches from the index, the newest kept
		return "t.id = ANY (ARRAY(" + match + " ORDER BY ticket_id DESC LIMIT " + strconv.Itoa(window) + "))", true, nil
	}
	// Common: walk ticket_search's primary key newest first and test each
	// document, stopping at the window. "IS TRUE" keeps the GIN index out:
	// with it the planner reads every match (a third of the desk) and sorts.
	return "t.id = ANY (ARRAY(SELECT ticket_id FROM ticket_search WHERE (doc @@ " + ph + "::text::tsquery) IS TRUE" +
		" ORDER BY ticket_id DESC LIMIT " + strconv.Itoa(window) + "))", true, nil
}

// walkFactor: a search with walkFactor × window matches or more is common
// enough that walking the documents newest first finds the window sooner
// than reading every match from the GIN index.
const walkFactor = 10

// rareMatches is where a term stops counting as rare for NewestMatches:
// below it its matches are read from the GIN index first, at or above it
// the planner walks the tickets newest first and checks each.
const rareMatches = 5000

// matchCond is the condition on t.id for a query bound at ph with about n
// matches.
func matchCond(ph string, n int) string {
	match := "SELECT ticket_id FROM ticket_search WHERE doc @@ " + ph + "::text::tsquery"
	if n < rareMatches {
		return "t.id = ANY (ARRAY(" + match + "))"
	}
	return "t.id IN (" + match + ")"
}

// CountMatches implements sqlstore.Dialect.
func (dialect) CountMatches(ctx context.Context, db *sql.DB, query string, limit int) (int, error) {
	var n int
	err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM
		(SELECT 1 FROM ticket_search WHERE doc @@ $1::text::tsquery LIMIT $2) m`, query, limit).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count search matches: %w", err)
	}
	return n, nil
}

// NewestMatches implements sqlstore.Dialect with matchCond.
func (dialect) NewestMatches(ph string, df int) (from, cond, order string) {
	return "tickets t", matchCond(ph, df), "t.id DESC"
}

// SearchQuery implements sqlstore.Dialect.
func (dialect) SearchQuery(q textan.Query) string { return tsquery(q) }
