package sqlstore_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/tierdesk/tierdesk/internal/store/postgres"
	"github.com/tierdesk/tierdesk/internal/store/sqlite"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// onEachDatabase runs fn as a subtest on a fresh, unmigrated store of each
// database (PostgreSQL as testdb allows) opened with opts, closing it
// afterwards.
func onEachDatabase(t *testing.T, fn func(t *testing.T, s *sqlstore.Store), opts ...sqlstore.Option) {
	for _, db := range []struct {
		name string
		open func(t *testing.T) (*sqlstore.Store, error)
	}{
		{"sqlite", func(t *testing.T) (*sqlstore.Store, error) {
			return sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "old.db"), opts...)
		}},
		{"postgres", func(t *testing.T) (*sqlstore.Store, error) {
			return postgres.Open(context.Background(), testdb.PostgresSchema(t), opts...)
		}},
	} {
		t.Run(db.name, func(t *testing.T) {
			s, err := db.open(t)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			fn(t, s)
		})
	}
}
