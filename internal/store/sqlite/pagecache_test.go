package sqlite

import (
	"path/filepath"
	"testing"
)

// TestPageCache_Sized: the writer keeps its 32 MiB page cache, each
// reader 2 MiB, so that the readers' caches cannot take the memory of a
// large desk (docs/benchmarks.md, footprint); and both stay durable.
func TestPageCache_Sized(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	for _, c := range []struct {
		write   bool
		wantKiB int
	}{{true, 32 << 10}, {false, 2 << 10}} {
		db, err := openPool(t.Context(), dsn(path, c.write), 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		var size, sync int
		if err := db.QueryRowContext(t.Context(), "PRAGMA cache_size").Scan(&size); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(t.Context(), "PRAGMA synchronous").Scan(&sync); err != nil {
			t.Fatal(err)
		}
		db.Close()
		if size != -c.wantKiB || sync != 2 { // negative: KiB; 2: FULL
			t.Errorf("write %v: cache_size %d, synchronous %d; want %d, 2", c.write, size, sync, -c.wantKiB)
		}
	}
}
