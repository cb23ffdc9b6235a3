package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/tierdesk/tierdesk/internal/devgen"
	"github.com/tierdesk/tierdesk/internal/store/sqlite"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/store/storetest"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

func BenchmarkCreateTicket(b *testing.B) {
	storetest.BenchCreateTicket(b, testdb.SQLite(b))
}

func BenchmarkListGroupQueue(b *testing.B) {
	for _, size := range storetest.BenchSizes {
		b.Run(size.Name, func(b *testing.B) {
			storetest.BenchListGroupQueue(b, generated(b, size.Tickets))
		})
	}
}

func BenchmarkSearch(b *testing.B) {
	for _, size := range storetest.BenchSizes {
		b.Run(size.Name, func(b *testing.B) {
			storetest.BenchSearch(b, generated(b, size.Tickets))
		})
	}
}

// generated opens a generated desk of n tickets, cached across runs in the
// temporary directory by size and generator version; a cached file whose
// schema is out of date is generated again.
func generated(b *testing.B, n int) *sqlstore.Store {
	path := filepath.Join(os.TempDir(), "tierdesk-bench", fmt.Sprintf("sqlite-%d-gen%d.db", n, devgen.Version))
	s, err := sqlite.Open(b.Context(), path)
	if err != nil {
		b.Fatal(err)
	}
	if s.Ready(b.Context()) != nil {
		s.Close()
		if err := generate(b, path, n); err != nil {
			b.Fatal(err)
		}
		if s, err = sqlite.Open(b.Context(), path); err != nil {
			b.Fatal(err)
		}
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// generate writes the desk to a temporary file and renames it into place
// only when complete, so an interrupted run leaves no half-filled cache.
func generate(b *testing.B, path string, n int) error {
	tmp := path + ".tmp"
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(tmp + suffix)
		os.Remove(path + suffix)
	}
	s, err := sqlite.Open(context.Background(), tmp)
	if err != nil {
		return err
	}
	err = errors.Join(s.Migrate(b.Context()), devgen.Generate(b.Context(), s, devgen.Options{
		Tickets: n, Seed: 1,
		Progress: func(done int) {
			if done%100_000 == 0 {
				b.Logf("generated %d of %d tickets", done, n)
			}
		},
	}))
	if err := errors.Join(err, s.Close()); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// BenchmarkArticleSearch searches 10,000 articles made of real ticket texts.
func BenchmarkArticleSearch(b *testing.B) {
	st := testdb.SQLite(b)
	kn := storetest.LoadArticles(b, st, testdb.ReadShared(b, "ticket-text", "train.csv.gz"), 10_000)
	storetest.BenchArticleSearch(b, kn)
}

// BenchmarkProblemLink links open incidents of a generated desk to a
// problem (issue 12).
func BenchmarkProblemLink(b *testing.B) {
	for _, size := range storetest.BenchSizes {
		b.Run(size.Name, func(b *testing.B) {
			storetest.BenchProblemLink(b, generated(b, size.Tickets))
		})
	}
}
