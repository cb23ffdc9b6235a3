package sqlstore_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/devgen"
	"github.com/tierdesk/tierdesk/internal/store/postgres"
	"github.com/tierdesk/tierdesk/internal/store/sqlite"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/store/storetest"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestTicketCountsBackfill: migration 00013 counts the tickets a database
// already holds, and the triggers keep counting after it. The desk is
// generated as release 00012 left it (devgen: every state, priority and
// group, SLA outcomes, some restricted tickets), then migrated; the
// dashboard's counts must equal the recomputation from the tickets.
func TestTicketCountsBackfill(t *testing.T) {
	for _, db := range []struct {
		name string
		open func(t *testing.T) (*sqlstore.Store, error)
	}{
		{"sqlite", func(t *testing.T) (*sqlstore.Store, error) {
			return sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "old.db"))
		}},
		{"postgres", func(t *testing.T) (*sqlstore.Store, error) {
			return postgres.Open(context.Background(), testdb.PostgresSchema(t))
		}},
	} {
		t.Run(db.name, func(t *testing.T) {
			ctx := t.Context()
			s, err := db.open(t)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.MigrateTo(ctx, 12); err != nil {
				t.Fatal(err)
			}
			now := time.Date(2026, 6, 1, 13, 30, 0, 0, time.UTC)
			if err := devgen.Generate(ctx, s, devgen.Options{Tickets: 3000, Requesters: 200, Seed: 3, Now: now}); err != nil {
				t.Fatal(err)
			}
			if err := s.Ready(ctx); err == nil {
				t.Fatal("the store is ready before migration 00013")
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			check(t, s, now)
			// Later writes go through the triggers on top of the backfill.
			if err := devgen.Generate(ctx, s, devgen.Options{Tickets: 500, Requesters: 200, Seed: 4, Now: now.Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
			check(t, s, now.Add(2*time.Hour))
		})
	}
}

func check(t *testing.T, s *sqlstore.Store, now time.Time) {
	t.Helper()
	tickets := storetest.AllTickets(t, s)
	groups, err := s.ListGroups(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	scopes := []desk.DashboardScope{
		{Visibility: desk.Visibility{AllRestricted: true}},
		{GroupIDs: []int64{groups[0].ID, groups[3].ID}, Visibility: desk.Visibility{RestrictedGroups: []int64{groups[3].ID}}},
	}
	want := storetest.WantDashboardCounts(tickets, scopes[0], desk.PeriodStarts(now, nil), now)
	if want.Outcomes[2].ResponseMissed == 0 || want.Ages[4] == 0 || len(want.Breached) == 0 {
		t.Fatalf("the generated desk should hold breaches and old open tickets: %+v", want)
	}
	for _, scope := range scopes {
		for _, at := range []time.Time{now, now.Add(-36 * time.Hour), now.Add(10 * 24 * time.Hour)} {
			storetest.CheckDashboard(t, s, tickets, scope, desk.PeriodStarts(at, time.FixedZone("PST", -8*60*60)), at, at.Add(time.Hour))
		}
	}
}
