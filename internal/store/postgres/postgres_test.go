package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver for the admin connection

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/postgres"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/store/storetest"
)

// serverURL returns the test server's URL from TIERDESK_TEST_POSTGRES. A
// missing or unreachable server skips the test, except in CI (CI=true),
// where it is a failure: CI must not pass by running nothing.
func serverURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("TIERDESK_TEST_POSTGRES")
	if u == "" {
		unavailable(tb, "TIERDESK_TEST_POSTGRES is not set (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
	return u
}

func unavailable(tb testing.TB, why string) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf("PostgreSQL tests cannot run in CI: %s", why)
	}
	tb.Skipf("skipping PostgreSQL tests: %s", why)
}

// adminDB connects to the test server to create and drop schemas.
func adminDB(tb testing.TB) *sql.DB {
	tb.Helper()
	db, err := sql.Open("pgx", serverURL(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.PingContext(context.Background()); err != nil {
		unavailable(tb, fmt.Sprintf("server unreachable: %v", err))
	}
	return db
}

// inSchema returns the server URL with search_path set to schema.
func inSchema(tb testing.TB, schema string) string {
	tb.Helper()
	u, err := url.Parse(serverURL(tb))
	if err != nil {
		tb.Fatalf("TIERDESK_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// openSchema opens a migrated store in a new schema of its own, dropped
// when the test ends, so that tests run in parallel on one database.
func openSchema(t *testing.T) desk.Store {
	t.Helper()
	admin := adminDB(t)
	schema := "test_" + strings.ToLower(rand.Text()[:12])
	if _, err := admin.ExecContext(t.Context(), `CREATE SCHEMA "`+schema+`"`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), `DROP SCHEMA "`+schema+`" CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return openMigrated(t, inSchema(t, schema))
}

func openMigrated(tb testing.TB, url string) *sqlstore.Store {
	tb.Helper()
	s, err := postgres.Open(context.Background(), url)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return s
}

func TestStore(t *testing.T) { storetest.Run(t, openSchema) }

// TestMigrateConcurrently starts several instances on one empty schema at
// once: the advisory lock lets each migration run once, and all succeed.
func TestMigrateConcurrently(t *testing.T) {
	admin := adminDB(t)
	schema := "test_" + strings.ToLower(rand.Text()[:12])
	if _, err := admin.ExecContext(t.Context(), `CREATE SCHEMA "`+schema+`"`); err != nil {
		t.Fatal(err)
	}
	defer admin.ExecContext(context.Background(), `DROP SCHEMA "`+schema+`" CASCADE`)
	const n = 4
	stores := make([]*sqlstore.Store, n)
	for i := range stores {
		s, err := postgres.Open(t.Context(), inSchema(t, schema))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.Ready(t.Context()); err == nil {
			t.Fatal("Ready before Migrate returned nil")
		}
		stores[i] = s
	}
	errs := make(chan error, n)
	for _, s := range stores {
		go func() { errs <- s.Migrate(t.Context()) }()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	for _, s := range stores {
		if err := s.Ready(t.Context()); err != nil {
			t.Errorf("Ready after Migrate: %v", err)
		}
	}
	var groups int
	if err := stores[0].DB().QueryRowContext(t.Context(), "SELECT COUNT(*) FROM support_groups").Scan(&groups); err != nil {
		t.Fatal(err)
	}
	if groups != 1 {
		t.Errorf("%d seeded groups after concurrent migrations, want 1", groups)
	}
}
