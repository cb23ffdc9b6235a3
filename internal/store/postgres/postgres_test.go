package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver for the admin connection

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/postgres"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/store/storetest"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestStore runs the suite, each test in a schema of its own (testdb), so
// that the tests run in parallel on one database. Without
// TIERDESK_TEST_POSTGRES they skip, except under CI=true, where they fail.
func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) desk.Store { return testdb.Postgres(t) })
}

// TestMigrateConcurrently starts several instances on one empty schema at
// once: the advisory lock lets each migration run once, and all succeed.
func TestMigrateConcurrently(t *testing.T) {
	url := testdb.PostgresSchema(t)
	const n = 4
	stores := make([]*sqlstore.Store, n)
	for i := range stores {
		s, err := postgres.Open(t.Context(), url)
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

// adminDB connects to the test server to manage the benchmarks' schemas.
func adminDB(tb testing.TB) *sql.DB {
	tb.Helper()
	db, err := sql.Open("pgx", testdb.PostgresServer(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.PingContext(context.Background()); err != nil {
		testdb.Unavailable(tb, fmt.Sprintf("PostgreSQL unreachable: %v", err))
	}
	return db
}

// TestBuiltinNames: a new desk's built-in names are in the installation's
// language; an existing desk keeps its own.
func TestBuiltinNames(t *testing.T) {
	storetest.BuiltinNames(t, func(t *testing.T, opts ...sqlstore.Option) (storetest.LanguageMigrator, func(...sqlstore.Option) storetest.LanguageMigrator) {
		url := testdb.PostgresSchema(t)
		open := func(opts ...sqlstore.Option) storetest.LanguageMigrator {
			s, err := postgres.Open(t.Context(), url, opts...)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
		return open(opts...), open
	})
}

// TestFreshDefaults: migration 14 puts a new desk's incidents on 24x7 and
// leaves an existing desk's policies alone.
func TestFreshDefaults(t *testing.T) {
	storetest.FreshDefaults(t, func(t *testing.T) storetest.Migrator {
		s, err := postgres.Open(t.Context(), testdb.PostgresSchema(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
