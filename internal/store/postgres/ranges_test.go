package postgres_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tierdesk/tierdesk/internal/store/postgres"
)

// TestNewestByRange: the newest matches of a word are read from the newest
// id ranges' markers, widened while they hold too few (never answering
// with fewer than asked), and refused when the ranges needed are not all
// marked yet. Tickets 1-64, the even ones holding the word; ranges of 4
// ids (larger ones of 64 and 1,024).
func TestNewestByRange(t *testing.T) {
	db := searchTable(t, `SELECT i, (CASE WHEN i % 2 = 0 THEN 'word other' ELSE 'other' END ||
		' ~a' || (i >> 2) || ' ~b' || (i >> 6) || ' ~c' || (i >> 10))::tsvector FROM generate_series(1, 64) i`)
	ctx := t.Context()
	newest := func(n int) []int64 {
		var ids []int64
		for id := int64(64); len(ids) < n; id -= 2 {
			ids = append(ids, id)
		}
		return ids
	}
	for _, c := range []struct {
		rate   float64
		below  int64
		n      int
		want   []int64
		wantOK bool
	}{
		{1, 1, 8, newest(8), true},     // the first ranges (ids 52-64) hold 7: widened once
		{0.5, 1, 4, newest(4), true},   // the first ranges hold enough
		{0.9, 1, 12, newest(12), true}, // a rate too high: widened by what the ranges held
		{0.5, 53, 8, nil, false},       // ranges from id 52 needed, marked from 53
		{0.5, 52, 4, newest(4), true},  // marked from the first id needed (52)
		{0.5, 1, 40, nil, false},       // every id needed: ranges narrow nothing
		{0, 1, 4, nil, false},          // a rare word: read every match
	} {
		t.Run(fmt.Sprintf("rate %v below %d n %d", c.rate, c.below, c.n), func(t *testing.T) {
			ids, ok, err := postgres.NewestByRange(ctx, db, 2, "'word'", c.rate, 64, c.below, c.n)
			if err != nil {
				t.Fatal(err)
			}
			if ok != c.wantOK {
				t.Errorf("ok %v, want %v", ok, c.wantOK)
			}
			if diff := cmp.Diff(c.want, ids); ok && diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
		})
	}
}
