package testdb

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// SharedDataEnv names the variable that points at the shared real data.
const SharedDataEnv = "TIERDESK_SHARED_DATA"

// SharedData returns the path of sub inside the shared real-data folder:
// $TIERDESK_SHARED_DATA, else ../shared/data next to the repository root
// (the directory of go.mod). When it is missing the test skips, except
// under CI=true, where it fails.
func SharedData(tb testing.TB, sub string) string {
	tb.Helper()
	dir := os.Getenv(SharedDataEnv)
	if dir == "" {
		root, err := os.Getwd()
		if err != nil {
			tb.Fatal(err)
		}
		for {
			if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
				break
			}
			parent := filepath.Dir(root)
			if parent == root {
				tb.Fatal("no go.mod above the test's directory")
			}
			root = parent
		}
		dir = filepath.Join(root, "..", "shared", "data")
	}
	path := filepath.Join(dir, sub)
	if _, err := os.Stat(path); err != nil {
		Unavailable(tb, fmt.Sprintf("real data is not at %s (set %s to the shared data folder): %v", path, SharedDataEnv, err))
	}
	return path
}

// ReadShared returns the content of file name in the shared data folder
// sub (skipping, or failing under CI, as SharedData does).
func ReadShared(tb testing.TB, sub, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(SharedData(tb, sub), name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
