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

// TestSearchFirstWindow: the first page of a search newest first is read
// from the newest few matches when they fill it, and is the page the whole
// window gives; a filter that leaves too few of them falls back to the
// whole window, and so does a second page.
func TestSearchFirstWindow(t *testing.T) {
	onEachDatabase(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := t.Context()
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 6, 1, 13, 30, 0, 0, time.UTC)
		if err := devgen.Generate(ctx, s, devgen.Options{Tickets: 300, Requesters: 20, Seed: 7, Now: now}); err != nil {
			t.Fatal(err)
		}
		list := func(f desk.TicketFilter, total bool) *desk.TicketPage {
			t.Helper()
			f.Query, f.Total, f.Limit, f.Sort, f.Desc = "network", total, 5, desk.SortCreated, true
			f.Visibility = desk.Visibility{AllRestricted: true}
			p, err := s.ListTickets(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		ids := func(p *desk.TicketPage) (out []int64) {
			for _, tk := range p.Tickets {
				out = append(out, tk.ID)
			}
			return out
		}
		// Counted, a search reads the whole window: the reference.
		for _, f := range []desk.TicketFilter{{}, {States: []desk.State{desk.StateNew}}} {
			got, want := list(f, false), list(f, true)
			if !got.Windowed || len(got.Tickets) != 5 {
				t.Errorf("%v: windowed %v, %d tickets", f.States, got.Windowed, len(got.Tickets))
			}
			if diff := cmp.Diff(ids(want), ids(got)); diff != "" {
				t.Errorf("%v: first window's page differs from the whole window's (-whole +first):\n%s", f.States, diff)
			}
			next := list(desk.TicketFilter{States: f.States, Cursor: got.NextCursor}, false)
			wantNext := list(desk.TicketFilter{States: f.States, Cursor: want.NextCursor}, true)
			if diff := cmp.Diff(ids(wantNext), ids(next)); diff != "" {
				t.Errorf("%v: second pages differ (-whole +first):\n%s", f.States, diff)
			}
		}
	}, sqlstore.WithSearchWindow(100))
}
