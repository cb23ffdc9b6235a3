package postgres_test

import (
	"database/sql"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tierdesk/tierdesk/internal/store/postgres"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestNewestMatchIDs: the batched read answers for every query what
// reading it alone does, whichever way each part is read: the first ranges
// when they hold enough, widened alone when they hold too few (a rate
// guessed too high), every match from the GIN index (a rare word), and the
// walk newest first (ranges not marked yet). Tickets 1-64: 'word' on the
// even ones, 'rare' on every 16th, 'all' on each; ranges of 4 ids.
func TestNewestMatchIDs(t *testing.T) {
	db := searchTable(t, `SELECT i, ('all' || CASE WHEN i % 2 = 0 THEN ' word' ELSE '' END ||
		CASE WHEN i % 16 = 0 THEN ' rare' ELSE '' END ||
		' ~a' || (i >> 2) || ' ~b' || (i >> 6) || ' ~c' || (i >> 10))::tsvector FROM generate_series(1, 64) i`)
	ctx := t.Context()
	span := func(from, step int64, n int) []int64 {
		var ids []int64
		for id := from; len(ids) < n && id > 0; id -= step {
			ids = append(ids, id)
		}
		return ids
	}
	queries := []string{"'word'", "'word'", "'rare'", "'all'", "'absent'"}
	dfs := []int{32, 64, 4, 64, 0}
	want := [][]int64{
		span(64, 2, 8),  // first ranges (ids 44-64) hold 11: enough
		span(64, 2, 8),  // rate 1 guessed: ids 52-64 hold 7, widened alone
		span(64, 16, 4), // too rare for ranges: every match from the index
		span(64, 1, 8),  // every id (the walk when ranges are not marked)
		nil,             // no match at all
	}
	got, err := postgres.NewestMatchIDs(ctx, db, 2, queries, dfs, 64, 8)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("marked from 1 (-want +got):\n%s", diff)
	}
	// Marked from 60 only: no ranges may be read, so every part is the
	// walk or the index, with the same answers.
	if _, err := db.ExecContext(ctx, "UPDATE search_reindex SET below = 60"); err != nil {
		t.Fatal(err)
	}
	got, err = postgres.NewestMatchIDs(ctx, db, 2, queries, dfs, 64, 8)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("marked from 60 (-want +got):\n%s", diff)
	}
}

// TestDocumentFrequency: a term among the commonest lexemes is estimated
// from ANALYZE's statistics, above the limit too (similar tickets read its
// newest matches by that rate: capped, 'every ticket', they walked the
// documents where ranges read a tenth); an estimate equal to the limit is
// never answered as the limit, which means "counted up to it"; any other
// term is counted up to the limit.
func TestDocumentFrequency(t *testing.T) {
	db := searchTable(t, `SELECT i, ('all' || CASE WHEN i % 2 = 0 THEN ' word' ELSE '' END)::tsvector
		FROM generate_series(1, 64) i`)
	ctx := t.Context()
	df := func(term string, limit int) int {
		t.Helper()
		n, err := postgres.DocumentFrequency(ctx, db, term, limit)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if got := df("all", 10); got != 10 {
		t.Errorf("'all' before ANALYZE, limit 10: %d, want 10 (counted up to the limit)", got)
	}
	if _, err := db.ExecContext(ctx, "ANALYZE ticket_search"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		term        string
		limit, want int
	}{
		{"all", 10, 64},   // estimated, above the limit
		{"all", 100, 64},  // estimated, below it
		{"word", 32, 33},  // estimated at the limit: never the limit itself
		{"absent", 10, 0}, // not among the commonest: counted
	} {
		if got := df(c.term, c.limit); got != c.want {
			t.Errorf("%q limit %d: %d, want %d", c.term, c.limit, got, c.want)
		}
	}
}

// searchTable opens a schema of its own holding ticket_search, with its GIN
// index, filled by the rows of query, and search_reindex marked from 1.
func searchTable(t *testing.T, query string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", testdb.PostgresSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, q := range []string{
		"CREATE TABLE ticket_search (ticket_id BIGINT PRIMARY KEY, doc TSVECTOR NOT NULL)",
		"CREATE INDEX ticket_search_doc ON ticket_search USING gin (doc)",
		"INSERT INTO ticket_search " + query,
		"CREATE TABLE search_reindex (below BIGINT NOT NULL)",
		"INSERT INTO search_reindex VALUES (1)",
	} {
		if _, err := db.ExecContext(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	return db
}
