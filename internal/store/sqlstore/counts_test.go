package sqlstore_test

import (
	"errors"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/devgen"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/store/storetest"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestTicketCountsBackfill: migration 00013 counts the tickets a database
// already holds, and the triggers keep counting after it. The desk is
// generated (devgen: every state, priority and group, SLA outcomes, some
// restricted tickets), rolled back to release 00012's schema, then migrated; the
// dashboard's counts must equal the recomputation from the tickets.
func TestTicketCountsBackfill(t *testing.T) {
	onEachDatabase(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := t.Context()
		// Today's code fills the desk, then the schema goes back to what
		// release 00012 had (today's code cannot write through that schema:
		// it names columns added since), taking the counts with it.
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 6, 1, 13, 30, 0, 0, time.UTC)
		if err := devgen.Generate(ctx, s, devgen.Options{Tickets: 3000, Requesters: 200, Seed: 3, Now: now}); err != nil {
			t.Fatal(err)
		}
		if err := s.MigrateDownTo(ctx, 12); err != nil {
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
	ats := []time.Time{now, now.Add(-36 * time.Hour), now.Add(10 * 24 * time.Hour)}
	// Instants about an open ticket's deadline, where the not-yet-due count
	// joins its parts (migration 00069: days ahead, today's hours ahead, the
	// current hour's tickets): just after it, on its hour, just after its
	// day's midnight (the rest of the day ahead), and at the last instant of
	// its day.
	due := dueNear(t, tickets, now)
	day := due.Truncate(24 * time.Hour)
	ats = append(ats, due.Add(time.Microsecond), due.Truncate(time.Hour), day, day.Add(3*time.Minute),
		day.Add(24*time.Hour-time.Microsecond))
	// And half an hour before a midnight with open tickets due in the hour
	// after it (tomorrow's first hour is a day's counter, not today's).
	for _, tk := range tickets {
		if d := tk.SLA.DueAt; tk.State.IsOpen() && d != nil && d.Truncate(time.Hour).Equal(d.Truncate(24*time.Hour)) {
			ats = append(ats, d.Truncate(24*time.Hour).Add(-30*time.Minute))
			break
		}
	}
	if len(ats) != 9 {
		t.Fatal("the generated desk has no open ticket due in a day's first hour")
	}
	for _, scope := range scopes {
		for _, at := range ats {
			storetest.CheckDashboard(t, s, tickets, scope, desk.PeriodStarts(at, time.FixedZone("PST", -8*60*60)), at, at.Add(time.Hour))
		}
	}
}

// dueNear is the deadline of an open ticket nearest now that is neither in
// its day's first hour nor its last, with other open tickets due later the
// same day and earlier in the same hour: at the instants check takes about
// it, every part of the not-yet-due count holds tickets.
func dueNear(t *testing.T, tickets []*desk.Ticket, now time.Time) time.Time {
	t.Helper()
	var dues []time.Time
	for _, tk := range tickets {
		if tk.State.IsOpen() && tk.SLA.DueAt != nil {
			dues = append(dues, *tk.SLA.DueAt)
		}
	}
	var best time.Time
	for _, d := range dues {
		day, hour := d.Truncate(24*time.Hour), d.Truncate(time.Hour)
		if hour.Equal(day) || hour.Equal(day.Add(23*time.Hour)) {
			continue
		}
		var later, sameHour bool
		for _, o := range dues {
			later = later || (o.Truncate(time.Hour).After(hour) && o.Before(day.Add(24*time.Hour)))
			sameHour = sameHour || (o.Truncate(time.Hour).Equal(hour) && o.Before(d))
		}
		if later && sameHour && (best.IsZero() || d.Sub(now).Abs() < best.Sub(now).Abs()) {
			best = d
		}
	}
	if best.IsZero() {
		t.Fatal("the generated desk has no open ticket due mid-day beside others due the same hour and later that day")
	}
	return best
}

// TestTicketCountsFollowEveryWrite: whatever SQL writes tickets, row by row
// or many rows at once, the counters equal the tickets' keys counted
// afresh: every counted column changed (restricted, created_at across a
// day, the deadline to and from none, SLA outcomes to and from NULL, the
// assignee, state, priority, group and line), rows inserted and deleted
// by multi-row statements.
func TestTicketCountsFollowEveryWrite(t *testing.T) {
	const keys = "kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution"
	writes := []string{
		"UPDATE tickets SET restricted = NOT restricted WHERE id % 7 = 0",
		"UPDATE tickets SET created_at = created_at - 43200000000 WHERE id % 5 = 1",
		"UPDATE tickets SET sla_due_at = created_at + 3600000000 WHERE id % 6 = 2",
		"UPDATE tickets SET sla_due_at = 9223372036854775807 WHERE id % 11 = 3",
		"UPDATE tickets SET sla_response_met = NULL WHERE id % 4 = 0",
		"UPDATE tickets SET sla_resolution_met = (id % 3 = 0) WHERE id % 9 = 4",
		"UPDATE tickets SET assignee_id = NULL WHERE id % 8 = 5",
		"UPDATE tickets SET assignee_id = requester_id WHERE id % 8 = 6",
		"UPDATE tickets SET state = 'closed' WHERE id % 10 = 6",
		"UPDATE tickets SET state = 'in_progress' WHERE id % 13 = 7",
		"UPDATE tickets SET priority = 'P1' WHERE id % 12 = 8",
		"UPDATE tickets SET group_id = (SELECT MIN(id) FROM support_groups) WHERE id % 14 = 9",
		"UPDATE tickets SET line = 3 WHERE id % 15 = 10",
		"UPDATE tickets SET type = 'request' WHERE type = 'incident' AND id % 16 = 11",
		"UPDATE tickets SET first_response_at = created_at + 5400000000 WHERE id % 17 = 12",
		"UPDATE tickets SET first_response_at = NULL WHERE first_response_at IS NOT NULL AND id % 18 = 13",
		"UPDATE tickets SET resolved_at = created_at + 7200000000 WHERE id % 19 = 14",
		"UPDATE tickets SET resolved_at = NULL WHERE resolved_at IS NOT NULL AND id % 20 = 15",
		`INSERT INTO tickets (number, ` + copiedColumns + `) SELECT 'COPY' || id, ` + copiedColumns +
			` FROM tickets WHERE id % 3 = 0`,
		"DELETE FROM tickets WHERE number LIKE 'COPY%' AND id % 2 = 0",
	}
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		s, _ := open(t)
		ctx := t.Context()
		now := time.Date(2026, 6, 1, 13, 30, 0, 0, time.UTC)
		if err := devgen.Generate(ctx, s, devgen.Options{Tickets: 600, Requesters: 50, Seed: 5, Now: now}); err != nil {
			t.Fatal(err)
		}
		afresh := "SELECT " + keys + ", SUM(v) AS n FROM ticket_count_keys GROUP BY " + keys + " HAVING SUM(v) <> 0"
		if s.Dialect().Name() == "postgres" {
			afresh = "SELECT " + keys + ", CAST(SUM(v) AS BIGINT) AS n FROM (SELECT k.* FROM tickets t, LATERAL ticket_count_keys(t) k) k GROUP BY " + keys + " HAVING SUM(v) <> 0"
		}
		kept := "SELECT " + keys + ", CAST(SUM(n) AS BIGINT) AS n FROM ticket_counts GROUP BY " + keys + " HAVING SUM(n) <> 0"
		for _, w := range writes {
			res, err := s.DB().ExecContext(ctx, w)
			if err != nil {
				t.Fatalf("%s: %v", w, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				t.Fatalf("%s: no ticket written", w)
			}
			diff := 0
			for _, q := range []string{kept + " EXCEPT " + afresh, afresh + " EXCEPT " + kept} {
				var n int
				if err := s.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM ("+q+") d").Scan(&n); err != nil {
					t.Fatal(err)
				}
				diff += n
			}
			if diff != 0 {
				t.Fatalf("after %s: %d counter keys differ from the tickets", w, diff)
			}
		}
	})
}

// copiedColumns are the columns a copy of a ticket takes over.
const copiedColumns = `type, title, description, symptoms, state, hold_reason, impact, urgency, priority, group_id,
	line, assignee_id, requester_id, channel, restricted, reported_at, created_at, updated_at, resolution_code,
	resolution_notes, reopen_count, reassignment_count, escalation_count, version, sla_due_at, sla_response_met,
	sla_resolution_met`

// TestBulkLoad: tickets generated in parts through BulkLoad (on SQLite
// without the counters' insert trigger, counted afresh at the end) leave
// the dashboard's counts equal to the tickets', the schema as it was, the
// trigger counting later writes, and commits durable again; a load that
// fails puts everything back too.
func TestBulkLoad(t *testing.T) {
	onEachDatabase(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := t.Context()
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 6, 1, 13, 30, 0, 0, time.UTC)
		schema := func() string {
			var sql string
			if s.Dialect().Name() != "sqlite" {
				return ""
			}
			if err := s.DB().QueryRowContext(ctx, "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' ORDER BY name)").Scan(&sql); err != nil {
				t.Fatal(err)
			}
			return sql
		}
		before := schema()
		if err := devgen.Generate(ctx, s, devgen.Options{Tickets: 500, Requesters: 200, Seed: 3, Now: now}); err != nil {
			t.Fatal(err)
		}
		for _, from := range []int{0, 1500} {
			o := devgen.Options{Tickets: 1500, Total: 3000, From: from, Requesters: 200, Seed: 3, Now: now, Bulk: true, NoAnalyze: from == 0}
			if err := devgen.Generate(ctx, s, o); err != nil {
				t.Fatal(err)
			}
		}
		if got := schema(); got != before {
			t.Errorf("the schema changed by a bulk load:\n%s\nwant\n%s", got, before)
		}
		check(t, s, now)
		failed := s.BulkLoad(ctx, 64, func() error { return errors.New("interrupted") })
		if failed == nil || schema() != before {
			t.Errorf("a failed load: %v, schema kept %v", failed, schema() == before)
		}
		if err := devgen.Generate(ctx, s, devgen.Options{Tickets: 300, Requesters: 200, Seed: 4, Now: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		check(t, s, now.Add(2*time.Hour))
		if s.Dialect().Name() == "sqlite" {
			var sync int
			if err := s.DB().QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil || sync != 2 {
				t.Errorf("synchronous = %d (%v) after a bulk load, want 2 (FULL)", sync, err)
			}
		}
	})
}
