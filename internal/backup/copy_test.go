package backup_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/backup"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/devgen"
	"github.com/tierdesk/tierdesk/internal/jobs"
	"github.com/tierdesk/tierdesk/internal/pager"
	"github.com/tierdesk/tierdesk/internal/store/sqlite"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// showcaseDir builds the showcase desk (every kind of record) in a new
// SQLite data directory, with a signed-in web session, and returns it.
func showcaseDir(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlite.Open(ctx, filepath.Join(dir, backup.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	d := desk.New(st, desk.SystemClock{}, desk.DefaultConfig)
	runDue := func(ctx context.Context) error {
		if _, err := jobs.New(st, d, desk.SystemClock{}, jobs.Config{}, nil).RunDue(ctx, time.Now()); err != nil {
			return err
		}
		_, err := pager.NewEngine(st, d, desk.SystemClock{}, pager.Config{}, nil).RunDue(ctx, time.Now())
		return err
	}
	sc, err := devgen.Showcase(ctx, d, st, devgen.ShowcaseOptions{Password: "showcase-password", RunDue: runDue})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	sess := &desk.Session{UserID: sc.People["agent_l1"].ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := st.CreateSession(ctx, sess, []byte("token-hash-of-a-signed-in-agent")); err != nil {
		t.Fatal(err)
	}
	return dir
}

func copyDesk(t *testing.T, from, to backup.Endpoint, opts backup.Options) (*backup.Report, error) {
	t.Helper()
	src, err := backup.OpenSource(context.Background(), from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	return backup.Copy(context.Background(), src, to, opts)
}

func TestCopy_SQLiteToPostgresAndBack(t *testing.T) {
	first := backup.ParseEndpoint(showcaseDir(t))
	pg := backup.ParseEndpoint(testdb.PostgresSchema(t))
	back := backup.ParseEndpoint(filepath.Join(t.TempDir(), "back"))

	report, err := copyDesk(t, first, pg, backup.Options{Batch: 7})
	if err != nil {
		t.Fatalf("copy to PostgreSQL: %v", err)
	}
	checkCovered(t, report, first)
	if _, err := copyDesk(t, pg, back, backup.Options{}); err != nil {
		t.Fatalf("copy back to SQLite: %v", err)
	}
	src, err := backup.OpenSource(context.Background(), first)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	report, err = backup.Verify(context.Background(), src, back)
	if err != nil {
		t.Fatalf("the desk that went to PostgreSQL and back differs from the first: %v", err)
	}
	checkCovered(t, report, first)
	checkUsable(t, pg)
	checkUsable(t, back)
}

// checkCovered fails when a table of the schema was not compared, or when
// one of the records the issue names (numbers, history, timers, sessions,
// attachments) was not there to compare.
func checkCovered(t *testing.T, r *backup.Report, e backup.Endpoint) {
	t.Helper()
	names, err := backup.SchemaTables(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]int64{}
	for _, c := range r.Tables {
		rows[c.Name] = c.Target.Rows
	}
	for _, n := range names {
		_, derived := backup.Derived[n]
		if _, ok := rows[n]; !ok && !derived {
			t.Errorf("table %s of the schema was not copied and compared", n)
		}
	}
	for _, n := range []string{"tickets", "events", "counters", "sla_timers", "web_sessions", "attachments", "users", "pages"} {
		if rows[n] == 0 {
			t.Errorf("table %s had no rows to compare", n)
		}
	}
}

// checkUsable opens the copy as serve would and writes a ticket: the id
// sequences continue after the copied rows, and search finds copied tickets.
func checkUsable(t *testing.T, e backup.Endpoint) {
	t.Helper()
	ctx := context.Background()
	st, err := e.OpenStore(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Ready(ctx); err != nil {
		t.Fatal(err)
	}
	d := desk.New(st, desk.SystemClock{}, desk.DefaultConfig)
	admin, err := st.GetUserByEmail(ctx, "admin@showcase.example")
	if err != nil {
		t.Fatalf("showcase admin: %v", err)
	}
	actx := desk.WithActor(ctx, admin)
	tk, _, err := d.CreateTicket(actx, desk.NewTicket{Type: desk.TypeIncident, Title: "Written after the copy",
		Channel: desk.ChannelPhone, Requester: desk.PersonInput{Email: "after.copy@example.com", Name: "After Copy"},
		Impact: desk.LevelLow, Urgency: desk.LevelLow}, "")
	if err != nil {
		t.Fatalf("create a ticket in the copy on %s: %v", e, err)
	}
	t.Logf("%s: new ticket %s (id %d)", e, tk.Number, tk.ID)
}

func TestCopy_RefusesNonEmptyTarget(t *testing.T) {
	first := backup.ParseEndpoint(showcaseDir(t))
	other := backup.ParseEndpoint(showcaseDir(t))
	if _, err := copyDesk(t, first, other, backup.Options{}); !errors.Is(err, backup.ErrNotEmpty) {
		t.Fatalf("copy into a desk: %v, want it refused as not empty", err)
	}
}

func TestCopy_ResumesAfterInterruption(t *testing.T) {
	first := backup.ParseEndpoint(showcaseDir(t))
	pg := backup.ParseEndpoint(testdb.PostgresSchema(t))
	stop := errors.New("interrupted")
	batches := 0
	_, err := copyDesk(t, first, pg, backup.Options{Batch: 5, AfterBatch: func() error {
		if batches++; batches == 6 {
			return stop
		}
		return nil
	}})
	if !errors.Is(err, stop) {
		t.Fatalf("interrupted copy: %v", err)
	}
	if _, err := copyDesk(t, first, pg, backup.Options{Batch: 5}); err != nil {
		t.Fatalf("resumed copy: %v", err)
	}
}
