package postgres_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/devgen"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestPlans_PriorityCount: the Tickets page's count by priority reads the
// priority index (migration 00067), not the table from its start until it
// has the cap's matches (68,000 rows for P1 at 1M tickets). The desk is
// vacuumed as autovacuum would leave it, so the count reads the index
// alone: the index carries the visibility rule's columns.
func TestPlans_PriorityCount(t *testing.T) {
	s := testdb.PostgresOwnDatabase(t)
	if err := devgen.Generate(t.Context(), s, devgen.Options{Tickets: 3000, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	settled(t, s)
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

// TestPlans_CategoryCount: the count of the category filter (category or
// subcategory) is two disjoint branches, each an index-only scan of a
// covering index (migration 00068) that stops at the cap, not a BitmapOr
// that reads every ticket of the category first; and it counts what the
// filter matches, a ticket whose category and subcategory are the same
// once.
func TestPlans_CategoryCount(t *testing.T) {
	s := testdb.PostgresOwnDatabase(t)
	ctx := t.Context()
	if err := devgen.Generate(ctx, s, devgen.Options{Tickets: 3000, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	var top, sub int64
	err := s.DB().QueryRowContext(ctx, `SELECT category_id, subcategory_id FROM tickets WHERE subcategory_id IS NOT NULL
		GROUP BY category_id, subcategory_id ORDER BY COUNT(*) DESC LIMIT 1`).Scan(&top, &sub)
	if err != nil {
		t.Fatal(err)
	}
	// One ticket filed under the subcategory as its category too.
	if _, err := s.DB().ExecContext(ctx, "UPDATE tickets SET category_id = subcategory_id WHERE id = (SELECT MIN(id) FROM tickets WHERE subcategory_id = $1)", sub); err != nil {
		t.Fatal(err)
	}
	settled(t, s)
	for _, id := range []int64{top, sub} {
		var want int
		if err := s.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM tickets WHERE category_id = $1 OR subcategory_id = $1", id).Scan(&want); err != nil {
			t.Fatal(err)
		}
		page, err := s.ListTickets(ctx, desk.TicketFilter{CategoryID: &id, Total: true, TotalMax: 100_000,
			Visibility: desk.Visibility{AllRestricted: true, AllSecurity: true}})
		if err != nil {
			t.Fatal(err)
		}
		if *page.Total != want || want == 0 {
			t.Errorf("category %d: counted %d, want %d", id, *page.Total, want)
		}
		plan, err := s.ExplainTicketCount(ctx, desk.TicketFilter{CategoryID: &id, TotalMax: desk.CountCap,
			Visibility: desk.Visibility{RestrictedGroups: []int64{1}, SecurityMember: 7}})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(plan, "BitmapOr") || strings.Contains(plan, "Bitmap Heap Scan on tickets") || strings.Contains(plan, "Seq Scan on tickets") ||
			!strings.Contains(plan, "Index Only Scan using tickets_category on tickets") ||
			!strings.Contains(plan, "Index Only Scan using tickets_subcategory on tickets") {
			t.Errorf("count of category %d, plan:\n%s\nwant index-only scans of tickets_category and tickets_subcategory", id, plan)
		}
	}
}

// settled vacuums and analyses the tickets table until every page is marked
// all-visible, as autovacuum leaves a desk between bursts of writes: the
// planner prices an index-only scan by that share. The test has a database
// of its own because VACUUM keeps rows any snapshot of the same database may
// still need: in a schema beside other packages' tests (CI runs them at
// once) a long transaction elsewhere left most pages unmarked, and the
// planner rightly chose bitmap scans. INDEX_CLEANUP ON: a page holding the
// dead line pointer of an updated ticket stays unmarked while VACUUM skips
// index cleanup for a table with so few of them (under 2% of its pages).
func settled(t *testing.T, s *sqlstore.Store) {
	t.Helper()
	var pages, visible int
	for try := 0; try < 5; try++ {
		if _, err := s.DB().ExecContext(t.Context(), "VACUUM (ANALYZE, INDEX_CLEANUP ON) tickets"); err != nil {
			t.Fatal(err)
		}
		if err := s.DB().QueryRowContext(t.Context(),
			"SELECT relpages, relallvisible FROM pg_class WHERE oid = 'tickets'::regclass").Scan(&pages, &visible); err != nil {
			t.Fatal(err)
		}
		if pages > 0 && visible >= pages {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("VACUUM left %d of %d pages of tickets not all-visible: a transaction open in the test's own database?", pages-visible, pages)
}

// TestPlans_AssigneeOpenPage: a page of one agent's open tickets, by
// creation or by last change in either direction, is read from the agent's
// open tickets' index in the page's order (migration 00070), with no sort
// of the agent's tickets and no walk of the whole desk by creation.
func TestPlans_AssigneeOpenPage(t *testing.T) {
	s := testdb.PostgresOwnDatabase(t)
	ctx := t.Context()
	if err := devgen.Generate(ctx, s, devgen.Options{Tickets: 3000, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	var agent int64
	if err := s.DB().QueryRowContext(ctx, `SELECT assignee_id FROM tickets WHERE assignee_id IS NOT NULL
		AND state IN ('new', 'assigned', 'in_progress', 'on_hold') GROUP BY assignee_id ORDER BY COUNT(*) DESC LIMIT 1`).Scan(&agent); err != nil {
		t.Fatal(err)
	}
	// As at 10M tickets, the agent has thousands of open tickets (there
	// ~20,000): on a few dozen PostgreSQL rightly sorts them.
	if _, err := s.DB().ExecContext(ctx, "UPDATE tickets SET assignee_id = $1, state = 'in_progress' WHERE id % 3 <> 0", agent); err != nil {
		t.Fatal(err)
	}
	settled(t, s)
	vis := desk.Visibility{RestrictedGroups: []int64{1}, SecurityMember: 7} // a line-1 agent of group 1
	for sort, index := range map[desk.TicketSort]string{desk.SortCreated: "tickets_assignee_open_created", desk.SortUpdated: "tickets_assignee_open_updated"} {
		for _, descending := range []bool{true, false} {
			plan, err := s.ExplainTicketList(ctx, desk.TicketFilter{AssigneeID: &agent, States: desk.OpenStates, Sort: sort, Desc: descending,
				Limit: 50, Visibility: vis})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(plan, "using "+index+" on tickets") || strings.Contains(plan, "Sort Key: t_1.") {
				t.Errorf("agent %d's open tickets by %s (desc %v), plan:\n%s\nwant %s in the page's order", agent, sort, descending, plan, index)
			}
		}
	}
}
