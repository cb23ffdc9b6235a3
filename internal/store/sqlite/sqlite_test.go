package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlite"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/store/storetest"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestStore runs the suite, each test on a fresh file in its temporary
// directory (testdb).
func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) desk.Store { return testdb.SQLite(t) })
}

// TestMigrate checks that a new file is not ready until migrated, that its
// directory is created, that migrating twice is harmless, and that the
// connection settings took.
func TestMigrate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "tierdesk.db")
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Ready(t.Context()); err == nil {
		t.Error("Ready before Migrate returned nil")
	}
	for range 2 {
		if err := s.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Ready(t.Context()); err != nil {
		t.Errorf("Ready after Migrate: %v", err)
	}
	// A lower migration missing under a higher one (landed out of order)
	// is not ready either.
	if _, err := s.DB().ExecContext(t.Context(), "UPDATE goose_db_version SET is_applied = false WHERE version_id = 7"); err != nil {
		t.Fatal(err)
	}
	if err := s.Ready(t.Context()); err == nil {
		t.Error("Ready with migration 7 missing returned nil")
	}
	for pragma, want := range map[string]string{"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "10000"} {
		var got string
		if err := s.DB().QueryRowContext(t.Context(), "PRAGMA "+pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %s, want %s", pragma, got, want)
		}
	}
}

// TestBuiltinNames: a new desk's built-in names are in the installation's
// language; an existing desk keeps its own.
func TestBuiltinNames(t *testing.T) {
	storetest.BuiltinNames(t, func(t *testing.T, opts ...sqlstore.Option) (storetest.LanguageMigrator, func(...sqlstore.Option) storetest.LanguageMigrator) {
		path := filepath.Join(t.TempDir(), "tierdesk.db")
		open := func(opts ...sqlstore.Option) storetest.LanguageMigrator {
			s, err := sqlite.Open(t.Context(), path, opts...)
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
		s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "tierdesk.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
