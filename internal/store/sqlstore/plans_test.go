package sqlstore_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/devgen"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestTicketsPagePlans: on an analysed SQLite desk, the Tickets page's
// filters that read most of the table at 10M tickets before migration
// 00065 walk an index in the page's order and count from it (the count
// capped, the page of 51): P1 newest first by tickets_priority_created,
// the held tickets newest first by tickets_on_hold_created (not every held
// ticket through the queue's index, then sorted). The queries are the
// shape ListTickets sends (visibility of an agent of one group).
func TestTicketsPagePlans(t *testing.T) {
	s := testdb.SQLite(t)
	ctx := t.Context()
	if err := devgen.Generate(ctx, s, devgen.Options{Tickets: 3000, Requesters: 100, Seed: 7,
		Now: time.Date(2026, 6, 1, 13, 30, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, "ANALYZE"); err != nil {
		t.Fatal(err)
	}
	const vis = " AND (NOT t.security OR EXISTS (SELECT 1 FROM security_members sm WHERE sm.ticket_id = t.id AND sm.user_id = $1))" +
		" AND (NOT t.restricted OR t.security OR t.group_id = $2)"
	for _, c := range []struct{ where, index string }{
		{"t.priority = 'P1'", "tickets_priority_created"},
		{"t.state = 'on_hold' AND t.state IN ('new', 'assigned', 'in_progress', 'on_hold')", "tickets_on_hold_created"},
	} {
		for _, q := range []string{
			"SELECT t.created_at, t.id FROM tickets t WHERE " + c.where + vis + " ORDER BY t.created_at DESC, t.id DESC LIMIT 51",
			"SELECT COUNT(*) FROM (SELECT 1 FROM tickets t WHERE " + c.where + vis + " LIMIT 1001) c",
		} {
			rows, err := s.DB().QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, 5, 1)
			if err != nil {
				t.Fatal(err)
			}
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			rows.Close()
			p := strings.Join(plan, "\n")
			if !strings.Contains(p, "USING INDEX "+c.index) || strings.Contains(p, "TEMP B-TREE") {
				t.Errorf("%s: want %s in order, no sort; plan:\n%s", q, c.index, p)
			}
		}
	}
}
