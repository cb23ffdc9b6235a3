package postgres_test

import (
	"database/sql"
	"errors"
	"fmt"
	"testing"

	"github.com/tierdesk/tierdesk/internal/devgen"
	"github.com/tierdesk/tierdesk/internal/store/postgres"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/store/storetest"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

func BenchmarkCreateTicket(b *testing.B) {
	storetest.BenchCreateTicket(b, testdb.Postgres(b))
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

// generated opens a generated desk of n tickets kept across runs in a
// schema named by size and generator version (bench_1000000_gen1); a kept
// schema whose migrations are out of date is generated again.
func generated(b *testing.B, n int) *sqlstore.Store {
	admin := adminDB(b)
	schema := fmt.Sprintf("bench_%d_gen%d", n, devgen.Version)
	var exists bool
	err := admin.QueryRowContext(b.Context(), "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", schema).Scan(&exists)
	if err != nil {
		b.Fatal(err)
	}
	if exists {
		s, err := postgres.Open(b.Context(), testdb.WithSearchPath(b, testdb.PostgresServer(b), schema))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		if s.Ready(b.Context()) == nil {
			return s
		}
	}
	generateSchema(b, admin, schema, n)
	s, err := postgres.Open(b.Context(), testdb.WithSearchPath(b, testdb.PostgresServer(b), schema))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// generateSchema fills a scratch schema and renames it to schema when
// complete, so an interrupted run leaves no half-filled desk behind.
func generateSchema(b *testing.B, admin *sql.DB, schema string, n int) {
	tmp := schema + "_tmp"
	exec := func(q string) {
		if _, err := admin.ExecContext(b.Context(), q); err != nil {
			b.Fatal(err)
		}
	}
	exec(`DROP SCHEMA IF EXISTS "` + tmp + `" CASCADE`)
	exec(`CREATE SCHEMA "` + tmp + `"`)
	s, err := postgres.Open(b.Context(), testdb.WithSearchPath(b, testdb.PostgresServer(b), tmp))
	if err != nil {
		b.Fatal(err)
	}
	err = errors.Join(s.Migrate(b.Context()), devgen.Generate(b.Context(), s, devgen.Options{
		Tickets: n, Seed: 1,
		Progress: func(done int) {
			if done%100_000 == 0 {
				b.Logf("generated %d of %d tickets", done, n)
			}
		},
	}), s.Close())
	if err != nil {
		b.Fatal(err)
	}
	exec(`DROP SCHEMA IF EXISTS "` + schema + `" CASCADE`)
	exec(`ALTER SCHEMA "` + tmp + `" RENAME TO "` + schema + `"`)
}

// BenchmarkArticleSearch searches 10,000 articles made of real ticket texts.
func BenchmarkArticleSearch(b *testing.B) {
	st := testdb.Postgres(b)
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
