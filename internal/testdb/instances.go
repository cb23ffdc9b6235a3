package testdb

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/tierdesk/tierdesk/internal/store/postgres"
	"github.com/tierdesk/tierdesk/internal/store/sqlite"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// Opener opens a migrated store on a fresh database and returns a function
// that opens another store on the same database: a second instance of the
// service, for tests of what several instances must do exactly once, or of
// an instance restarted after a crash.
type Opener func(tb testing.TB, opts ...sqlstore.Option) (*sqlstore.Store, func() *sqlstore.Store)

// SQLiteInstances is an Opener on a new file under tb.TempDir().
func SQLiteInstances(tb testing.TB, opts ...sqlstore.Option) (*sqlstore.Store, func() *sqlstore.Store) {
	path := filepath.Join(tb.TempDir(), "tierdesk.db")
	return instances(tb, func() (*sqlstore.Store, error) { return sqlite.Open(context.Background(), path, opts...) })
}

// PostgresInstances is an Opener on a schema of its own.
func PostgresInstances(tb testing.TB, opts ...sqlstore.Option) (*sqlstore.Store, func() *sqlstore.Store) {
	url := PostgresSchema(tb)
	return instances(tb, func() (*sqlstore.Store, error) { return postgres.Open(context.Background(), url, opts...) })
}

// PgBouncerInstances is an Opener on a database of its own reached through
// PgBouncer in transaction pooling mode (PgBouncerDatabase).
func PgBouncerInstances(tb testing.TB, opts ...sqlstore.Option) (*sqlstore.Store, func() *sqlstore.Store) {
	url := PgBouncerDatabase(tb)
	return instances(tb, func() (*sqlstore.Store, error) { return postgres.Open(context.Background(), url, opts...) })
}

func instances(tb testing.TB, open func() (*sqlstore.Store, error)) (*sqlstore.Store, func() *sqlstore.Store) {
	tb.Helper()
	another := func() *sqlstore.Store {
		s, err := open()
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { s.Close() })
		return s
	}
	s := another()
	if err := s.Migrate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return s, another
}

// Openers lists both databases' Openers by name, and PostgreSQL through
// PgBouncer: the job runner's multi-instance tests run on each.
var Openers = []struct {
	Name string
	Open Opener
}{
	{"sqlite", SQLiteInstances},
	{"postgres", PostgresInstances},
	{"pgbouncer", PgBouncerInstances},
}

// EachOpener runs fn as a subtest on each database.
func EachOpener(t *testing.T, fn func(t *testing.T, open Opener)) {
	for _, o := range Openers {
		t.Run(o.Name, func(t *testing.T) { fn(t, o.Open) })
	}
}
