package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlite"
	"github.com/tierdesk/tierdesk/internal/store/storetest"
)

// openTemp opens and migrates a fresh database file in the test's
// temporary directory.
func openTemp(t testing.TB) desk.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "data", "tierdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) desk.Store { return openTemp(t) })
}

// TestMigrate checks that a new file is not ready until migrated, that its
// directory is created, and that migrating twice is harmless.
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
}
