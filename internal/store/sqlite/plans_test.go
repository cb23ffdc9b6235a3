package sqlite_test

import (
	"database/sql"
	"slices"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/devgen"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestPlans_CategoryPage: the Tickets page's category filter, newest
// first, walks the category's and the subcategory's index in the page's
// order (two branches) instead of reading every ticket of the category
// through a multi-index OR and sorting them (4 s a page at 10M tickets);
// and every page of it, in every sort and direction, is what a
// ticket-by-ticket reading of the desk gives, a ticket filed under the
// subcategory as its category too listed once.
func TestPlans_CategoryPage(t *testing.T) {
	s := testdb.SQLite(t)
	ctx := t.Context()
	if err := devgen.Generate(ctx, s, devgen.Options{Tickets: 3000, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	var top, sub int64
	if err := s.DB().QueryRowContext(ctx, `SELECT category_id, subcategory_id FROM tickets WHERE subcategory_id IS NOT NULL
		GROUP BY category_id, subcategory_id ORDER BY COUNT(*) DESC LIMIT 1`).Scan(&top, &sub); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, "UPDATE tickets SET category_id = subcategory_id WHERE id = (SELECT MIN(id) FROM tickets WHERE subcategory_id = ?)", sub); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, "ANALYZE"); err != nil {
		t.Fatal(err)
	}
	// A line-1 agent of group 1, as the Tickets page asks.
	vis := desk.Visibility{RestrictedGroups: []int64{1}, SecurityMember: 7}
	for _, id := range []int64{top, sub} {
		plan, err := s.ExplainTicketList(ctx, desk.TicketFilter{CategoryID: &id, Sort: desk.SortCreated, Desc: true,
			Limit: 50, Visibility: vis})
		if err != nil {
			t.Fatal(err)
		}
		// Each branch's keys come from its index in order: the line after
		// the index's search ends the branch's subquery, no sort between
		// (the sorts left are of each branch's page rows, joined).
		lines := strings.Split(plan, "\n")
		for _, index := range []string{"tickets_category", "tickets_subcategory"} {
			i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "SEARCH t USING INDEX "+index+" ") })
			ordered := false
			for _, l := range lines[i+1:] { // past the visibility rule's subquery, if any
				if strings.HasPrefix(l, "USE TEMP B-TREE") || strings.HasPrefix(l, "SCAN (subquery") {
					ordered = strings.HasPrefix(l, "SCAN (subquery")
					break
				}
			}
			if i < 0 || !ordered || strings.Contains(plan, "MULTI-INDEX OR") {
				t.Errorf("page of category %d, plan:\n%s\nwant %s walked in the page's order, no sort of the category's tickets", id, plan, index)
			}
		}
		for _, sort := range []desk.TicketSort{desk.SortCreated, desk.SortUpdated, desk.SortPriority} {
			for _, descending := range []bool{true, false} {
				want := categoryReference(t, s.DB(), id, sort, descending)
				var got []int64
				f := desk.TicketFilter{CategoryID: &id, Sort: sort, Desc: descending, Limit: 7, Visibility: desk.Visibility{AllRestricted: true, AllSecurity: true}}
				for range 1000 {
					p, err := s.ListTickets(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					for _, tk := range p.Tickets {
						got = append(got, tk.ID)
					}
					if f.Cursor = p.NextCursor; f.Cursor == "" {
						break
					}
				}
				if len(want) < 20 || !slices.Equal(got, want) {
					t.Errorf("category %d by %s (desc %v): %d tickets in pages of 7, want %d\ngot  %v\nwant %v",
						id, sort, descending, len(got), len(want), head(got), head(want))
				}
			}
		}
	}
}

// categoryReference reads the category's tickets in the sort's order the
// plain way: one statement with the OR, sorted by the database.
func categoryReference(t *testing.T, db *sql.DB, id int64, sort desk.TicketSort, desc bool) []int64 {
	t.Helper()
	keys := map[desk.TicketSort][]string{desk.SortCreated: {"created_at", "id"}, desk.SortUpdated: {"updated_at", "id"},
		desk.SortPriority: {"priority", "created_at", "id"}}[sort]
	order := strings.Join(keys, ", ")
	if desc {
		order = strings.Join(keys, " DESC, ") + " DESC"
	}
	rows, err := db.QueryContext(t.Context(), "SELECT id FROM tickets WHERE category_id = ? OR subcategory_id = ? ORDER BY "+order, id, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return ids
}

func head(ids []int64) []int64 { return ids[:min(len(ids), 12)] }

// TestPlans_AssigneeOpenPage: the Tickets page of one agent's open
// tickets reads, in every sort, an index of the agent's open tickets in
// the page's order and stops at the page (migration 00070 for creation and
// last change; the queue's indexes for priority and deadline), instead of
// reading every open ticket of the agent and sorting them (167 ms a page
// at 10M tickets); and every page of it, in every sort and direction, is
// what a ticket-by-ticket reading of the desk gives.
func TestPlans_AssigneeOpenPage(t *testing.T) {
	s := testdb.SQLite(t)
	ctx := t.Context()
	if err := devgen.Generate(ctx, s, devgen.Options{Tickets: 3000, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, "ANALYZE"); err != nil {
		t.Fatal(err)
	}
	var agent int64
	if err := s.DB().QueryRowContext(ctx, `SELECT assignee_id FROM tickets WHERE assignee_id IS NOT NULL
		AND state IN ('new', 'assigned', 'in_progress', 'on_hold') GROUP BY assignee_id ORDER BY COUNT(*) DESC LIMIT 1`).Scan(&agent); err != nil {
		t.Fatal(err)
	}
	vis := desk.Visibility{RestrictedGroups: []int64{1}, SecurityMember: 7} // a line-1 agent of group 1
	for sort, index := range map[desk.TicketSort]string{desk.SortCreated: "tickets_assignee_open_created",
		desk.SortUpdated: "tickets_assignee_open_updated", desk.SortPriority: "tickets_assignee_queue", desk.SortSLA: "tickets_assignee_sla"} {
		for _, descending := range []bool{true, false} {
			f := desk.TicketFilter{AssigneeID: &agent, States: desk.OpenStates, Sort: sort, Desc: descending, Limit: 50, Visibility: vis}
			plan, err := s.ExplainTicketList(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if !pageInIndexOrder(plan, index) {
				t.Errorf("agent %d's open tickets by %s (desc %v), plan:\n%s\nwant %s walked in the page's order, no sort of the agent's tickets",
					agent, sort, descending, plan, index)
			}
			want := assigneeOpenReference(t, s.DB(), agent, sort, descending)
			var got []int64
			f.Limit, f.Visibility = 7, desk.Visibility{AllRestricted: true, AllSecurity: true}
			for range 1000 {
				p, err := s.ListTickets(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, tk := range p.Tickets {
					got = append(got, tk.ID)
				}
				if f.Cursor = p.NextCursor; f.Cursor == "" {
					break
				}
			}
			if len(want) < 15 || !slices.Equal(got, want) {
				t.Errorf("agent %d's open tickets by %s (desc %v): %d tickets in pages of 7, want %d\ngot  %v\nwant %v",
					agent, sort, descending, len(got), len(want), head(got), head(want))
			}
		}
	}
}

// pageInIndexOrder reports whether the plan of a page reads its keys from
// index in order: the page's subquery searches the index and no sort
// follows it before the subquery's rows are scanned (the sort left is of
// the page's rows, joined).
func pageInIndexOrder(plan, index string) bool {
	lines := strings.Split(plan, "\n")
	i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "SEARCH t USING INDEX "+index+" ") })
	if i < 0 {
		return false
	}
	for _, l := range lines[i+1:] { // past the visibility rule's subquery, if any
		if strings.HasPrefix(l, "USE TEMP B-TREE") || strings.HasPrefix(l, "SCAN (subquery") || strings.HasPrefix(l, "SCAN p") {
			return !strings.HasPrefix(l, "USE TEMP B-TREE")
		}
	}
	return false
}

// assigneeOpenReference reads the agent's open tickets in the sort's order
// the plain way.
func assigneeOpenReference(t *testing.T, db *sql.DB, agent int64, sort desk.TicketSort, desc bool) []int64 {
	t.Helper()
	keys := map[desk.TicketSort][]string{desk.SortCreated: {"created_at", "id"}, desk.SortUpdated: {"updated_at", "id"},
		desk.SortPriority: {"priority", "created_at", "id"}, desk.SortSLA: {"sla_due_at", "id"}}[sort]
	order := strings.Join(keys, ", ")
	if desc {
		order = strings.Join(keys, " DESC, ") + " DESC"
	}
	rows, err := db.QueryContext(t.Context(), "SELECT id FROM tickets WHERE assignee_id = ? AND state IN ('new', 'assigned', 'in_progress', 'on_hold') ORDER BY "+order, agent)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return ids
}
