package storetest

import (
	"context"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Migrator is a store on a new database that nothing has migrated yet.
type Migrator interface {
	Migrate(ctx context.Context) error
	MigrateTo(ctx context.Context, version int64) error
	ListSLAPolicies(ctx context.Context) ([]*desk.SLAPolicy, error)
}

// FreshDefaults checks migration 14: a new desk gets incidents P2–P4 on
// the 24x7 calendar (requests stay on business hours), while a desk that
// existed before it (migrated up to 13) keeps every
// policy as it was. open returns a store on a new, unmigrated database.
func FreshDefaults(t *testing.T, open func(t *testing.T) Migrator) {
	calendars := func(t *testing.T, s Migrator) map[string]string {
		t.Helper()
		ps, err := s.ListSLAPolicies(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, p := range ps {
			out[p.Name] = p.Calendar
		}
		return out
	}
	t.Run("NewDesk", func(t *testing.T) {
		s := open(t)
		if err := s.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"P1 incidents": "24x7", "P2 incidents": "24x7", "P3 incidents": "24x7",
			"P4 incidents": "24x7", "Service requests": "business"}
		diff(t, "a new desk's calendars", want, calendars(t, s))
	})
	t.Run("ExistingDeskUntouched", func(t *testing.T) {
		s := open(t)
		if err := s.MigrateTo(t.Context(), 13); err != nil {
			t.Fatal(err)
		}
		before := calendars(t, s)
		if before["P3 incidents"] != "business" {
			t.Fatalf("before migration 14 P3 is on %q", before["P3 incidents"])
		}
		if err := s.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		diff(t, "an existing desk's calendars after migrating", before, calendars(t, s))
	})
}
