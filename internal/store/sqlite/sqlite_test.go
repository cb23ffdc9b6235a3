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
func openTemp(t *testing.T) desk.Store {
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

func TestStore(t *testing.T) { storetest.Run(t, openTemp) }
