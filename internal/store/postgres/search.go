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

// SearchMatch reads the ids of the query's matches once, up to window of
// them (the newest when there are more), and binds them as an array that
// the list's count and page both look tickets up by. Which way they are
// read depends on how common the query is (see common): a common word's
// newest matches are found by walking the documents newest first and
// testing each, which stops at the window; any other query's matches are
// read from the GIN index and the newest kept. Before, the matches were
// counted up to ten windows first (20,000 heap rows for a word in 4 % of
// 1M tickets) and the walk then ran once for the count and once for the
// page: three passes where one does.
func (d dialect) SearchMatch(ctx context.Context, db *sql.DB, query textan.Query, window int, bind func(any) string) (string, bool, error) {
	q := tsquery(query)
	common, err := d.common(ctx, db, query, q, walkFactor*window)
	if err != nil {
		return "", false, err
	}
	ids, err := matchIDs(ctx, db, q, common, window+1)
	if err != nil {
		return "", false, err
	}
	windowed := len(ids) > window
	if windowed {
		ids = ids[:window]
	}
	return "t.id = ANY (CAST(" + bind(ids) + " AS bigint[]))", windowed, nil
}

// matchIDs reads up to n ids of the documents matching q, newest first.
// A common query walks ticket_search's primary key newest first and tests
// each document ("IS TRUE" keeps the GIN index out: with it the planner
// reads every match, a third of the desk for some words, and sorts). Any
// other reads every match from the GIN index (MATERIALIZED, so that no
// ORDER BY … LIMIT tempts the planner into the walk, which for a rare word
// reads the whole table) and keeps the newest n.
func matchIDs(ctx context.Context, db *sql.DB, q string, common bool, n int) ([]int64, error) {
	query := `WITH m AS MATERIALIZED (SELECT ticket_id FROM ticket_search WHERE doc @@ $1::text::tsquery)
		SELECT ticket_id FROM m ORDER BY ticket_id DESC LIMIT $2`
	if common {
		query = `SELECT ticket_id FROM ticket_search WHERE (doc @@ $1::text::tsquery) IS TRUE
			ORDER BY ticket_id DESC LIMIT $2`
	}
	rows, err := db.QueryContext(ctx, query, q, n)
	if err != nil {
		return nil, fmt.Errorf("read search matches: %w", err)
	}
	defer rows.Close()
	ids := make([]int64, 0, 64)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("read search matches: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read search matches: %w", err)
	}
	return ids, nil
}

// common reports whether the query matches min documents or more. It is
// judged by the statistics ANALYZE (and autovacuum) keeps of the index's
// commonest lexemes, which costs no read of the documents: the rarest of
// the query's plain terms bounds its matches, and a term not among the
// commonest is rare. A query of prefixes only, or a table without
// statistics yet, is judged by counting its matches up to min.
func (d dialect) common(ctx context.Context, db *sql.DB, query textan.Query, q string, min int) (bool, error) {
	var terms []string
	for _, c := range query.Positive() {
		if !c.Prefix {
			terms = append(terms, c.Terms...)
		}
	}
	if len(terms) > 0 {
		var rows float64
		var freq sql.NullFloat64
		err := db.QueryRowContext(ctx, lexemeStats, terms).Scan(&rows, &freq)
		if err != nil {
			return false, fmt.Errorf("read search statistics: %w", err)
		}
		if freq.Valid && rows > 0 {
			return freq.Float64*rows >= float64(min), nil
		}
	}
	n, err := d.CountMatches(ctx, db, q, min)
	return n >= min, err
}

// lexemeStats is the table's estimated rows and the smallest frequency of
// the terms $1 among the commonest lexemes (0 for a term not listed), NULL
// when the table has no statistics.
const lexemeStats = `SELECT c.reltuples, CASE WHEN s.elems IS NOT NULL THEN
	(SELECT MIN(COALESCE(m.f, 0)) FROM unnest($1::text[]) AS q(term)
		LEFT JOIN unnest(s.elems, s.freqs) AS m(e, f) ON m.e = q.term) END
	FROM pg_class c
	LEFT JOIN (SELECT most_common_elems::text::text[] AS elems, most_common_elem_freqs AS freqs FROM pg_stats
		WHERE schemaname = current_schema() AND tablename = 'ticket_search' AND attname = 'doc') s ON s.elems IS NOT NULL
	WHERE c.oid = 'ticket_search'::regclass`

// walkFactor: a search with walkFactor × window matches or more is common
// enough that walking the documents newest first finds the window sooner
// than reading every match from the GIN index.
const walkFactor = 10

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

// NewestMatchIDs walks the documents newest first when the matches are
// common enough that n of them are found sooner that way (n × total / df
// documents tested) than by reading all df of them from the GIN index.
func (dialect) NewestMatchIDs(ctx context.Context, db *sql.DB, query string, df, total, n int) ([]int64, error) {
	return matchIDs(ctx, db, query, float64(df)*float64(df) >= float64(n)*float64(total), n)
}

// DocumentFrequency estimates a term among the index's commonest lexemes
// from the statistics ANALYZE keeps (their frequency times the table's
// rows), and counts any other: counting reads a heap row per match through
// the GIN index, up to 20,000 for a common word, which took seconds on a
// 1M desk whose documents were not in memory.
func (d dialect) DocumentFrequency(ctx context.Context, db *sql.DB, term string, limit int) (int, error) {
	var rows float64
	var freq sql.NullFloat64
	err := db.QueryRowContext(ctx, lexemeStats, []string{term}).Scan(&rows, &freq)
	if err != nil {
		return 0, fmt.Errorf("read search statistics: %w", err)
	}
	if freq.Valid && freq.Float64 > 0 && rows > 0 {
		return min(int(freq.Float64*rows+0.5), limit), nil
	}
	return d.CountMatches(ctx, db, tsquery(textan.Query{Clauses: []textan.Clause{{Terms: []string{term}}}}), limit)
}

// SearchQuery implements sqlstore.Dialect.
func (dialect) SearchQuery(q textan.Query) string { return tsquery(q) }
