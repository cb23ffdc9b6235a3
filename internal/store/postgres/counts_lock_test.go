package postgres_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/store/storetest"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestTicketWriteBesideImport: the count triggers lock counter rows until
// commit, one statement's rows in key order, but a transaction of several
// statements takes them statement after statement: the ServiceNow import
// stores 1,000 incidents a transaction in INSERTs of 442 rows. An agent
// moving a ticket from group A to B between two of them locks A's cohort
// row of the day, then waits for B's, which the first INSERT holds; the
// next INSERT needs A's: PostgreSQL breaks the cycle by aborting the
// agent's transaction (40P01). The store must run it again, so that the
// change is stored, and the counts stay exact.
func TestTicketWriteBesideImport(t *testing.T) {
	s := testdb.Postgres(t)
	untilWriteIsVictim(t, func(n int) bool {
		from, to := newGroup(t, s, fmt.Sprint("Field service ", n)), newGroup(t, s, fmt.Sprint("Facilities ", n))
		x := newTicket(t, s, from)
		imported := newTicket(t, s, from) // a template for the import's rows
		err := besideImport(t, s, importRow{imported.ID, to.ID}, importRow{imported.ID, from.ID}, func(ctx context.Context) error {
			x.Group = desk.GroupRef{ID: to.ID}
			return s.UpdateTicket(ctx, x, nil)
		})
		if errors.Is(err, errImportVictim) {
			return false
		}
		if err != nil {
			t.Fatalf("the agent's change beside the import: %v", err)
		}
		if got := storedTicket(t, s, x.ID); got.Group.ID != to.ID {
			t.Errorf("ticket in group %d, want %d", got.Group.ID, to.ID)
		}
		return true
	})
}

// TestGroupLineChangeBesideImport: a group's new line rewrites its tickets
// in one UPDATE whose row triggers fire ticket after ticket, each locking
// the 'due' rows of its deadline's day. An import holding the day of the
// second ticket and then inserting one due on the first's day closes a
// cycle; PostgreSQL aborts the line change, which the store must run
// again, so that the admin's change is stored.
func TestGroupLineChangeBesideImport(t *testing.T) {
	s := testdb.Postgres(t)
	untilWriteIsVictim(t, func(n int) bool {
		g := newGroup(t, s, fmt.Sprint("Field service ", n))
		first, second := newTicket(t, s, g), newTicket(t, s, g)
		_, err := s.DB().ExecContext(t.Context(), `UPDATE tickets SET sla_due_at = CASE WHEN id = $1 THEN CAST($3 AS BIGINT)
			ELSE CAST($4 AS BIGINT) END WHERE id IN ($1, $2)`,
			first.ID, second.ID, time.Now().Add(24*time.Hour).UnixMicro(), time.Now().Add(72*time.Hour).UnixMicro())
		if err != nil {
			t.Fatal(err)
		}
		err = besideImport(t, s, importRow{second.ID, g.ID}, importRow{first.ID, g.ID}, func(ctx context.Context) error {
			g2 := *g
			g2.Line = desk.Line2
			return s.UpdateGroup(ctx, &g2)
		})
		if errors.Is(err, errImportVictim) {
			return false
		}
		if err != nil {
			t.Fatalf("the group's line change beside the import: %v", err)
		}
		if got := storedTicket(t, s, first.ID); got.Group.Line != desk.Line2 {
			t.Errorf("the group's ticket is on line %d, want 2", got.Group.Line)
		}
		return true
	})
}

// errImportVictim is besideImport's answer when PostgreSQL aborted the
// import rather than the write: nothing about the store was tested.
var errImportVictim = errors.New("the import, not the write, was the deadlock victim")

// untilWriteIsVictim runs a deadlock scenario up to three times, until
// PostgreSQL aborts the store's write (attempt returns true). The backend
// whose one deadlock check runs first after the cycle closes is aborted:
// normally the write's, which waits first; but on a loaded machine the
// import may block more than deadlock_timeout later, when the write's
// check has already found no cycle, and then the import is aborted.
func untilWriteIsVictim(t *testing.T, attempt func(n int) bool) {
	t.Helper()
	for n := range 3 {
		if attempt(n) {
			return
		}
		t.Logf("attempt %d: the import was aborted, not the write; again", n+1)
	}
	t.Fatal("in three attempts PostgreSQL never aborted the write: the retry was not tested")
}

// importRow is a copy of ticket into group, as a row of an import.
type importRow struct{ ticket, group int64 }

// besideImport runs write while an import transaction, having inserted
// before, waits to insert after; it returns write's error once the import
// committed, and checks that the counts are exact then.
func besideImport(t *testing.T, s *sqlstore.Store, before, after importRow, write func(context.Context) error) error {
	t.Helper()
	ctx := t.Context()
	imp, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Rollback()
	var impPID int
	if err := imp.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&impPID); err != nil {
		t.Fatal(err)
	}
	if err := importBatch(t, imp, before, "INC-9000001"); err != nil {
		t.Fatalf("import: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- write(context.WithoutCancel(ctx)) }()
	waitForBlocked(t, s.DB(), impPID)
	if err := importBatch(t, imp, after, "INC-9000002"); err != nil {
		if pgCode(err) != "40P01" {
			t.Fatalf("import: %v", err)
		}
		imp.Rollback()
		if err := <-done; err != nil {
			t.Fatalf("the write after the import was aborted: %v", err)
		}
		return errImportVictim
	}
	if err := imp.Commit(); err != nil {
		t.Fatalf("the import's commit: %v", err)
	}
	err = <-done
	now := time.Now().UTC()
	scope := desk.DashboardScope{Visibility: desk.Visibility{AllRestricted: true}}
	storetest.CheckDashboard(t, s, storetest.AllTickets(t, s), scope, desk.PeriodStarts(now, nil), now, now.Add(time.Hour))
	return err
}

func newGroup(t *testing.T, s *sqlstore.Store, name string) *desk.Group {
	t.Helper()
	g := &desk.Group{Name: name, Line: desk.Line1, Active: true}
	if err := s.CreateGroup(t.Context(), g); err != nil {
		t.Fatal(err)
	}
	return g
}

func newTicket(t *testing.T, s *sqlstore.Store, g *desk.Group) *desk.Ticket {
	t.Helper()
	u, err := s.EnsureRequester(t.Context(), &desk.User{Email: "r@example.com", Name: "R", Role: desk.RoleRequester, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	tk := &desk.Ticket{
		Type: desk.TypeIncident, Title: fmt.Sprintf("Badge reader in %s", g.Name), State: desk.StateNew,
		Impact: desk.LevelMedium, Urgency: desk.LevelMedium, Priority: desk.P3,
		Group: desk.GroupRef{ID: g.ID}, Requester: desk.Person{ID: u.ID}, Channel: desk.ChannelPortal,
		ReportedAt: now, CreatedAt: now, UpdatedAt: now,
	}
	if _, err := s.CreateTicket(t.Context(), tk, nil, nil); err != nil {
		t.Fatal(err)
	}
	return tk
}

func storedTicket(t *testing.T, s *sqlstore.Store, id int64) *desk.Ticket {
	t.Helper()
	tk, err := s.GetTicket(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// importBatch inserts row under number, as one of an import's multi-row
// INSERTs does.
func importBatch(t *testing.T, tx *sql.Tx, row importRow, number string) error {
	t.Helper()
	const cols = `type, title, description, symptoms, state, hold_reason, impact, urgency, priority,
		line, requester_id, channel, restricted, reported_at, created_at, updated_at, resolution_code,
		resolution_notes, reopen_count, reassignment_count, escalation_count, version, sla_due_at`
	_, err := tx.ExecContext(t.Context(), "INSERT INTO tickets (number, group_id, "+cols+
		") SELECT $1, $2, "+cols+" FROM tickets WHERE id = $3", number, row.group, row.ticket)
	if err != nil {
		return fmt.Errorf("import %s: %w", number, err)
	}
	return nil
}

// pgCode is the SQLSTATE of a PostgreSQL error in err's chain, else "".
func pgCode(err error) string {
	if e, ok := errors.AsType[*pgconn.PgError](err); ok {
		return e.Code
	}
	return ""
}

// waitForBlocked returns once another backend waits for a lock that the
// backend pid holds.
func waitForBlocked(t *testing.T, db *sql.DB, pid int) {
	t.Helper()
	for range 500 {
		var n int
		err := db.QueryRowContext(t.Context(),
			"SELECT COUNT(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))", pid).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("nothing waited for the import's locks")
}
