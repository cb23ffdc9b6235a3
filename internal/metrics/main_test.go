package metrics_test

import (
	"os"
	"testing"

	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestMain stops the PgBouncer that the tests through it started.
func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }
