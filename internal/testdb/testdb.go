// Package testdb gives tests and benchmarks their own database on the real
// servers: a fresh SQLite file, or a fresh schema on the PostgreSQL server
// named by TIERDESK_TEST_POSTGRES. Without that variable PostgreSQL tests
// skip with a message, except under CI=true, where they fail: CI must never
// pass by running nothing.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, for creating schemas

	"github.com/tierdesk/tierdesk/internal/store/postgres"
	"github.com/tierdesk/tierdesk/internal/store/sqlite"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// PostgresEnv names the variable holding the test server's URL.
const PostgresEnv = "TIERDESK_TEST_POSTGRES"

// PostgresServer returns the test server's URL, or skips (fails in CI).
func PostgresServer(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv(PostgresEnv)
	if u == "" {
		Unavailable(tb, PostgresEnv+" is not set (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
	return u
}

// Unavailable skips the test because a service is missing, or fails it
// under CI=true.
func Unavailable(tb testing.TB, why string) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf("required test service missing in CI: %s", why)
	}
	tb.Skipf("skipping: %s", why)
}

// PostgresSchema creates an empty schema of its own on the test server,
// dropped when the test ends, and returns a URL whose search_path selects it.
func PostgresSchema(tb testing.TB) string {
	tb.Helper()
	server := PostgresServer(tb)
	admin, err := sql.Open("pgx", server)
	if err != nil {
		tb.Fatal(err)
	}
	if err := admin.PingContext(context.Background()); err != nil {
		admin.Close()
		Unavailable(tb, fmt.Sprintf("PostgreSQL at %s unreachable: %v", PostgresEnv, err))
	}
	schema := "test_" + strings.ToLower(rand.Text()[:12])
	if _, err := admin.Exec(`CREATE SCHEMA "` + schema + `"`); err != nil {
		admin.Close()
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.Exec(`DROP SCHEMA "` + schema + `" CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return WithSearchPath(tb, server, schema)
}

// WithSearchPath returns the server URL with search_path set to schema.
func WithSearchPath(tb testing.TB, server, schema string) string {
	tb.Helper()
	u, err := url.Parse(server)
	if err != nil {
		tb.Fatalf("%s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// PostgresDatabase creates an empty database of its own on the test server,
// dropped (with any connection left to it) when the test ends, and returns
// its URL. A schema shares its database's vacuum horizon with every test
// running beside it, so a test that needs VACUUM to mark every page
// all-visible (a plan test expecting index-only scans) takes a database:
// PostgreSQL keeps rows visible to the oldest snapshot in the same
// database only.
func PostgresDatabase(tb testing.TB, prefix string) string {
	tb.Helper()
	server := PostgresServer(tb)
	admin, err := sql.Open("pgx", server)
	if err != nil {
		tb.Fatal(err)
	}
	if err := admin.PingContext(context.Background()); err != nil {
		admin.Close()
		Unavailable(tb, fmt.Sprintf("PostgreSQL at %s unreachable: %v", PostgresEnv, err))
	}
	name := prefix + strings.ToLower(rand.Text()[:12])
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		admin.Close()
		tb.Fatalf("create database: %v", err)
	}
	tb.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.Exec("DROP DATABASE " + name + " WITH (FORCE)"); err != nil {
			tb.Errorf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(server)
	if err != nil {
		tb.Fatalf("%s: %v", PostgresEnv, err)
	}
	u.Path = "/" + name
	return u.String()
}

// PostgresOwnDatabase opens a migrated store in a database of its own
// (PostgresDatabase).
func PostgresOwnDatabase(tb testing.TB, opts ...sqlstore.Option) *sqlstore.Store {
	tb.Helper()
	s, err := postgres.Open(context.Background(), PostgresDatabase(tb, "test_db_"), opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return migrated(tb, s)
}

// Postgres opens a migrated store in a schema of its own.
func Postgres(tb testing.TB, opts ...sqlstore.Option) *sqlstore.Store {
	tb.Helper()
	s, err := postgres.Open(context.Background(), PostgresSchema(tb), opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return migrated(tb, s)
}

// SQLite opens a migrated store in a new file under tb.TempDir().
func SQLite(tb testing.TB, opts ...sqlstore.Option) *sqlstore.Store {
	tb.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "tierdesk.db"), opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return migrated(tb, s)
}

func migrated(tb testing.TB, s *sqlstore.Store) *sqlstore.Store {
	tb.Helper()
	tb.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return s
}

// Backends lists both databases by name, for tests that run on each.
var Backends = []struct {
	Name string
	Open func(testing.TB, ...sqlstore.Option) *sqlstore.Store
}{
	{"sqlite", SQLite},
	{"postgres", Postgres},
}
