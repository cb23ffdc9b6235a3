package sqlstore_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tierdesk/tierdesk/internal/devgen"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// TestMergeSearchIndex: documents written one transaction each (as a desk's
// ordinary writes write them) leave SQLite's index several segments; the
// background merge folds them to about one a level, in steps, and searches
// find the same tickets in the same order before and after. A second run
// has nothing to do. PostgreSQL has no segments: nothing to do, no error.
func TestMergeSearchIndex(t *testing.T) {
	onEachDatabase(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := t.Context()
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 6, 1, 13, 30, 0, 0, time.UTC)
		if err := devgen.Generate(ctx, s, devgen.Options{Tickets: 300, Requesters: 50, Seed: 7, Now: now}); err != nil {
			t.Fatal(err)
		}
		if err := s.IndexEachAlone(ctx, 120); err != nil {
			t.Fatal(err)
		}
		queries := []string{"принтер", "network", "printing", "ошибка -сеть", `"does not work"`, "vpn*"}
		before := searchAll(t, s, queries)
		segments, err := s.Dialect().SearchIndexSegments(ctx, s.DB())
		if err != nil {
			t.Fatal(err)
		}
		m, err := s.MergeSearchIndex(ctx, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if m.Before != segments || !m.Done {
			t.Errorf("merge %+v: want Before %d (as counted) and done", m, segments)
		}
		if s.Dialect().Name() == "postgres" {
			if m.Steps != 0 || m.After != 0 {
				t.Errorf("postgres merge %+v, want nothing", m)
			}
		} else {
			// 120 one-document writes after the bulk load leave four
			// segments on three levels, which automerge (4 a level) keeps;
			// usermerge 2 folds every level of two.
			if m.Before < 4 || m.Steps == 0 || m.After > 2 {
				t.Errorf("sqlite merge %+v: want 4 segments or more before, steps, and at most 2 after", m)
			}
		}
		if diff := cmp.Diff(before, searchAll(t, s, queries)); diff != "" {
			t.Errorf("search after merge (-before +after):\n%s", diff)
		}
		if again, err := s.MergeSearchIndex(ctx, time.Minute); err != nil || again.Steps != 0 || !again.Done || again.After != m.After {
			t.Errorf("second run %+v, %v; want nothing to do", again, err)
		}
	})
}
