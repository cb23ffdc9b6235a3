package sqlstore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/devgen"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// TestSearchRanges: PostgreSQL reads a common query's newest matches from
// the newest id ranges' markers (ranges of 4, 64 and 1,024 ids here, so that a
// 300-ticket desk has many), and gives the same tickets as SQLite, which
// has no markers: for common, rare, prefix, phrase and excluding queries,
// windowed or not, with filters; while the documents lack their markers
// (a desk searched before or during its reindex) and after the reindex
// marked them.
func TestSearchRanges(t *testing.T) {
	for _, window := range []int{4, 40} {
		t.Run(fmt.Sprint(window), func(t *testing.T) { testSearchRanges(t, window) })
	}
}

func testSearchRanges(t *testing.T, window int) {
	queries := []struct {
		q string
		f desk.TicketFilter
	}{
		{"network", desk.TicketFilter{}},
		{"network", desk.TicketFilter{States: desk.OpenStates}},
		{"network printer", desk.TicketFilter{}},
		{"network -printer", desk.TicketFilter{}},
		{"netw*", desk.TicketFilter{}},
		{`"network printer"`, desk.TicketFilter{}},
		{"scanner", desk.TicketFilter{}},
		{"xylophone", desk.TicketFilter{}},
	}
	var got [][][]int64
	onEachDatabase(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := t.Context()
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 6, 1, 13, 30, 0, 0, time.UTC)
		if err := devgen.Generate(ctx, s, devgen.Options{Tickets: 300, Requesters: 20, Seed: 11, Now: now}); err != nil {
			t.Fatal(err)
		}
		search := func() [][]int64 {
			var out [][]int64
			for _, c := range queries {
				f := c.f
				f.Query, f.Total, f.Limit = c.q, true, desk.MaxPageSize
				f.Visibility = desk.Visibility{AllRestricted: true}
				p, err := s.ListTickets(ctx, f)
				if err != nil {
					t.Fatalf("%s: %v", c.q, err)
				}
				ids := []int64{int64(*p.Total)}
				for _, tk := range p.Tickets {
					ids = append(ids, tk.ID)
				}
				out = append(out, ids)
			}
			return out
		}
		marked := search()
		for _, c := range []struct{ name, strip, below string }{
			// A reindex under way: tickets 200 and up rewritten, 1-99
			// rewritten by their own writes since, 100-199 waiting.
			{"under way", "ticket_id BETWEEN 100 AND 199", "200"},
			// A desk of the release before: every document waiting.
			{"not started", "true", "(SELECT MAX(id) + 1 FROM tickets)"},
		} {
			if s.Dialect().Name() == "postgres" {
				_, err := s.DB().ExecContext(ctx, `UPDATE ticket_search SET doc = ts_delete(doc,
					ARRAY(SELECT l FROM unnest(tsvector_to_array(doc)) l WHERE l LIKE '~%')) WHERE `+c.strip)
				if err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.DB().ExecContext(ctx, "UPDATE search_reindex SET below = "+c.below); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(marked, search()); diff != "" {
				t.Errorf("reindex %s: found other tickets (-marked +now):\n%s", c.name, diff)
			}
		}
		if err := s.ReindexSearch(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(marked, search()); diff != "" {
			t.Errorf("reindexed documents found other tickets (-before +after):\n%s", diff)
		}
		got = append(got, marked)
	}, sqlstore.WithSearchWindow(window), sqlstore.WithSearchRanges(2))
	if len(got) == 2 {
		if diff := cmp.Diff(got[0], got[1]); diff != "" {
			t.Errorf("SQLite and PostgreSQL differ (-sqlite +postgres):\n%s", diff)
		}
	}
}
