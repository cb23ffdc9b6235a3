package postgres_test

import (
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/devgen"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestPlans_PriorityCount: the Tickets page's count by priority reads the
// priority index (migration 00067), not the table from its start until it
// has the cap's matches (68,000 rows for P1 at 1M tickets). The desk is
// vacuumed as autovacuum would leave it, so the count reads the index
// alone: the index carries the visibility rule's columns.
func TestPlans_PriorityCount(t *testing.T) {
	s := testdb.Postgres(t)
	if err := devgen.Generate(t.Context(), s, devgen.Options{Tickets: 3000, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(t.Context(), "VACUUM ANALYZE tickets"); err != nil {
		t.Fatal(err)
	}
	// A line-1 agent of group 1, as the Tickets page asks.
	vis := desk.Visibility{RestrictedGroups: []int64{1}, SecurityMember: 7}
	for _, p := range []desk.Priority{desk.P1, desk.P2} {
		plan, err := s.ExplainTicketCount(t.Context(), desk.TicketFilter{Priorities: []desk.Priority{p}, TotalMax: desk.CountCap,
			Visibility: vis})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(plan, "Index Only Scan using tickets_priority on tickets") || strings.Contains(plan, "Seq Scan on tickets") {
			t.Errorf("count of %s tickets, plan:\n%s\nwant an index-only scan of tickets_priority", p, plan)
		}
	}
}
