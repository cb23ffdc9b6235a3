package sqlite

import (
	"path/filepath"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/storetest"
)

// TestStoreProbingSearch runs the suite with every search counted as
// common, so that the per-row probing plan is checked as well as the list.
func TestStoreProbingSearch(t *testing.T) {
	storetest.Run(t, func(t *testing.T) desk.Store {
		s, err := open(t.Context(), filepath.Join(t.TempDir(), "probe.db"), dialect{commonMatches: 1})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if err := s.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		return s
	})
}
