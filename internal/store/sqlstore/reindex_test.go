package sqlstore_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/devgen"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// TestReindexSearch: a desk whose tickets are not yet indexed (as migration
// 00018 leaves one) finds nothing old until ReindexSearch has run, then
// finds the same tickets as a desk indexed by its writes; progress is
// reported up to the total, and a second run has nothing to do.
func TestReindexSearch(t *testing.T) {
	onEachDatabase(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := t.Context()
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 6, 1, 13, 30, 0, 0, time.UTC)
		if err := devgen.Generate(ctx, s, devgen.Options{Tickets: 1000, Requesters: 50, Seed: 5, Now: now}); err != nil {
			t.Fatal(err)
		}
		queries := []string{"принтер", "network", "printing", "ошибка -сеть", `"does not work"`, "vpn*"}
		before := searchAll(t, s, queries)
		// As migration 00018 leaves a desk: no documents, all to redo.
		for _, q := range []string{"DELETE FROM ticket_search",
			"UPDATE search_reindex SET below = (SELECT MAX(id) + 1 FROM tickets)"} {
			if _, err := s.DB().ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if got := searchAll(t, s, queries[:1]); len(got[0]) != 0 {
			t.Fatalf("%d tickets found with an empty index", len(got[0]))
		}
		var last sqlstore.ReindexProgress
		if err := s.ReindexSearch(ctx, func(p sqlstore.ReindexProgress) { last = p }); err != nil {
			t.Fatal(err)
		}
		if last.Done != 1000 || last.Total != 1000 {
			t.Errorf("last progress %+v, want 1000 of 1000", last)
		}
		if diff := cmp.Diff(before, searchAll(t, s, queries)); diff != "" {
			t.Errorf("search after reindex (-indexed by writes +reindexed):\n%s", diff)
		}
		last = sqlstore.ReindexProgress{}
		if err := s.ReindexSearch(ctx, func(p sqlstore.ReindexProgress) { last = p }); err != nil || last.Done != 0 {
			t.Errorf("second run: %+v, %v; want nothing done", last, err)
		}
	})
}

func searchAll(t *testing.T, s *sqlstore.Store, queries []string) [][]int64 {
	t.Helper()
	var out [][]int64
	for _, q := range queries {
		p, err := s.ListTickets(t.Context(), desk.TicketFilter{Query: q, Limit: desk.MaxPageSize,
			Visibility: desk.Visibility{AllRestricted: true}})
		if err != nil {
			t.Fatal(err)
		}
		ids := []int64{}
		for _, tk := range p.Tickets {
			ids = append(ids, tk.ID)
		}
		if q != queries[0] || len(queries) == 1 {
			out = append(out, ids)
			continue
		}
		if len(ids) == 0 {
			t.Fatalf("query %q finds nothing on a generated desk", q)
		}
		out = append(out, ids)
	}
	return out
}
