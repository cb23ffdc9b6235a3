package sqlite_test

import (
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestExplainTicketCount: the plan of a list's capped count reads on
// SQLite too (EXPLAIN QUERY PLAN's detail lines), so that plan tests can
// be written for either database: the open states' count is served by
// one of the open tickets' partial indexes.
func TestExplainTicketCount(t *testing.T) {
	s := testdb.SQLite(t)
	plan, err := s.ExplainTicketCount(t.Context(), desk.TicketFilter{States: desk.OpenStates, TotalMax: desk.CountCap})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "USING") || !strings.Contains(plan, "INDEX tickets_") {
		t.Errorf("plan of the open tickets' count:\n%s\nwant one of the tickets' indexes", plan)
	}
}
