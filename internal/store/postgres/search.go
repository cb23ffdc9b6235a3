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
// (so that no phrase spans the two, as in SQLite's separate columns), then
// the markers of the ticket's id range (search_ranges.go).
func (dl dialect) SearchTable() sqlstore.SearchTable {
	return sqlstore.SearchTable{
		Head:  "INSERT INTO ticket_search (ticket_id, doc) VALUES ",
		Width: 2,
		Row: func(first int, ph func(int) string) string {
			return "(" + ph(first) + ", " + ph(first+1) + "::text::tsvector)"
		},
		Values: func(id int64, d sqlstore.SearchDoc) []any {
			doc := tsvector(d)
			if dl.ranges != nil {
				doc += " " + dl.ranges.markers(id)
			}
			return []any{id, doc}
		},
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
// the list's count and page both look tickets up by. A query common enough
// to fill the window from recent tickets reads its newest matches from the
// newest id ranges (newestByRange); any other, or any while the ranges it
// needs are not marked yet, is read as before marking: a common word's
// newest matches by walking the documents newest first and testing each,
// which stops at the window, any other query's matches from the GIN index,
// the newest kept.
func (d dialect) SearchMatch(ctx context.Context, db *sql.DB, query textan.Query, window int, bind func(any) string) (string, bool, error) {
	q := tsquery(query)
	st, err := readStats(ctx, db, query)
	if err != nil {
		return "", false, err
	}
	ids, ok, err := d.newestByRange(ctx, db, q, st.rate(), st.maxID, st.below, window+1)
	if err != nil {
		return "", false, err
	}
	if !ok {
		common, err := d.common(ctx, db, query, st, q, walkFactor*window)
		if err != nil {
			return "", false, err
		}
		if ids, err = matchIDs(ctx, db, q, common, window+1); err != nil {
			return "", false, err
		}
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

// searchStats is what the planner's statistics say of a query: the
// table's estimated rows and the smallest frequency of its plain terms
// among the commonest lexemes (0 for a term not listed; NULL when the
// table has no statistics or the query no plain term), and the highest
// indexed ticket id and the id from which documents are marked (see
// markedFrom).
type searchStats struct {
	rows         float64
	freq         sql.NullFloat64
	maxID, below int64
}

func readStats(ctx context.Context, db *sql.DB, query textan.Query) (searchStats, error) {
	terms := []string{}
	for _, c := range query.Positive() {
		if !c.Prefix {
			terms = append(terms, c.Terms...)
		}
	}
	var st searchStats
	err := db.QueryRowContext(ctx, lexemeStats, terms).Scan(&st.rows, &st.freq, &st.maxID, &st.below)
	if err != nil {
		return st, fmt.Errorf("read search statistics: %w", err)
	}
	return st, nil
}

// rate estimates the query's matches per ticket id: at most the rarest
// term's share; 0 for a term not among the commonest (rare: read every
// match); unknown (no statistics, prefixes only) is taken as every id, so
// that the newest range is read first and the ranges widen by what it held.
func (st searchStats) rate() float64 {
	if !st.freq.Valid || st.rows <= 0 {
		return 1
	}
	return min(st.freq.Float64*st.rows/float64(max(st.maxID, 1)), 1)
}

// common reports whether the query matches min documents or more, judged
// by the statistics (see searchStats), which costs no read of the
// documents; a query of prefixes only, or a table without statistics yet,
// is judged by counting its matches up to min.
func (d dialect) common(ctx context.Context, db *sql.DB, query textan.Query, st searchStats, q string, min int) (bool, error) {
	if st.freq.Valid && st.rows > 0 {
		return st.freq.Float64*st.rows >= float64(min), nil
	}
	n, err := d.CountMatches(ctx, db, q, min)
	return n >= min, err
}

// lexemeStats is the table's estimated rows, the smallest frequency of
// the terms $1 among the commonest lexemes (0 for a term not listed), NULL
// when the table has no statistics or $1 is empty, the highest indexed
// ticket id, and search_reindex.below.
const lexemeStats = `SELECT c.reltuples, CASE WHEN s.elems IS NOT NULL THEN
	(SELECT MIN(COALESCE(m.f, 0)) FROM unnest($1::text[]) AS q(term)
		LEFT JOIN unnest(s.elems, s.freqs) AS m(e, f) ON m.e = q.term) END,
	(SELECT COALESCE(MAX(ticket_id), 0) FROM ticket_search), (SELECT below FROM search_reindex)
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

// newestMatchIDs reads the n newest matches of query alone: from the
// newest id ranges when they are marked (from below on) and narrow the
// read (newestByRange); otherwise by walking the documents newest first
// when the matches are common enough that n of them are found sooner that
// way (n × total / df documents tested) than by reading all df of them
// from the GIN index.
func (d dialect) newestMatchIDs(ctx context.Context, db *sql.DB, query string, df, total int, below int64, n int) ([]int64, error) {
	ids, ok, err := d.newestByRange(ctx, db, query, float64(df)/float64(max(total, 1)), int64(total), below, n)
	if ok || err != nil {
		return ids, err
	}
	return matchIDs(ctx, db, query, float64(df)*float64(df) >= float64(n)*float64(total), n)
}

// DocumentFrequency estimates a term among the index's commonest lexemes
// from the statistics ANALYZE keeps (their frequency times the table's
// rows, above limit too), and counts any other up to limit: counting
// reads a heap row per match through the GIN index, up to 20,000 for a
// common word, which took seconds on a 1M desk whose documents were not in
// memory.
func (d dialect) DocumentFrequency(ctx context.Context, db *sql.DB, term string, limit int) (int, error) {
	var st searchStats
	err := db.QueryRowContext(ctx, lexemeStats, []string{term}).Scan(&st.rows, &st.freq, &st.maxID, &st.below)
	if err != nil {
		return 0, fmt.Errorf("read search statistics: %w", err)
	}
	if st.freq.Valid && st.freq.Float64 > 0 && st.rows > 0 {
		// Never limit itself, which would say "counted up to limit": an
		// estimate above it is kept, for reading its newest matches by.
		if df := int(st.freq.Float64*st.rows + 0.5); df != limit {
			return df, nil
		}
		return limit + 1, nil
	}
	return d.CountMatches(ctx, db, tsquery(textan.Query{Clauses: []textan.Clause{{Terms: []string{term}}}}), limit)
}

// SearchQuery implements sqlstore.Dialect.
func (dialect) SearchQuery(q textan.Query) string { return tsquery(q) }
