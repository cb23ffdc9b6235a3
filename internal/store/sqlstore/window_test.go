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

// TestSearchWindow: a search matching the window's number of tickets or
// more lists, filters and counts the newest window of them only, and says
// so (Windowed, TotalCapped with the count as a lower bound); fewer are
// listed and counted exactly. Both databases give the same tickets.
func TestSearchWindow(t *testing.T) {
	// 40: fewer than ten windows match "network" (PostgreSQL reads them
	// from its index); 4: more (it walks the documents newest first).
	for _, window := range []int{40, 4} {
		t.Run(fmt.Sprint(window), func(t *testing.T) { testSearchWindow(t, window) })
	}
}

func testSearchWindow(t *testing.T, window int) {
	var got [][]int64
	onEachDatabase(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := t.Context()
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 6, 1, 13, 30, 0, 0, time.UTC)
		if err := devgen.Generate(ctx, s, devgen.Options{Tickets: 300, Requesters: 20, Seed: 7, Now: now}); err != nil {
			t.Fatal(err)
		}
		list := func(q string, f desk.TicketFilter) *desk.TicketPage {
			f.Query, f.Total, f.Limit, f.Sort, f.Desc = q, true, desk.MaxPageSize, desk.SortPriority, false
			f.Visibility = desk.Visibility{AllRestricted: true}
			p, err := s.ListTickets(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		all := list("network", desk.TicketFilter{})
		if !all.Windowed || !all.TotalCapped || *all.Total != window || len(all.Tickets) != window {
			t.Errorf("common word: windowed %v, capped %v, total %d, %d tickets; want the newest %d",
				all.Windowed, all.TotalCapped, *all.Total, len(all.Tickets), window)
		}
		open := list("network", desk.TicketFilter{States: desk.OpenStates})
		if !open.Windowed || *open.Total > window || *open.Total != len(open.Tickets) {
			t.Errorf("common word, open: windowed %v, total %d, %d tickets", open.Windowed, *open.Total, len(open.Tickets))
		}
		rare := list("scanner", desk.TicketFilter{})
		if window == 40 && (rare.Windowed || rare.TotalCapped || *rare.Total == 0 || *rare.Total >= 40 || *rare.Total != len(rare.Tickets)) {
			t.Errorf("uncommon word: windowed %v, capped %v, total %d, %d tickets",
				rare.Windowed, rare.TotalCapped, *rare.Total, len(rare.Tickets))
		}
		var ids []int64
		for _, p := range []*desk.TicketPage{all, open, rare} {
			for _, tk := range p.Tickets {
				ids = append(ids, tk.ID)
			}
		}
		got = append(got, ids)
	}, sqlstore.WithSearchWindow(window))
	if len(got) == 2 {
		if diff := cmp.Diff(got[0], got[1]); diff != "" {
			t.Errorf("SQLite and PostgreSQL differ (-sqlite +postgres):\n%s", diff)
		}
	}
}
