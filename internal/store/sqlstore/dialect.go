package sqlstore

import (
	"context"
	"database/sql"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/tierdesk/tierdesk/internal/textan"
)

// Dialect is everything that differs between the databases behind Store.
// The statements themselves are shared: $n placeholders work on both
// drivers, both have RETURNING and ON CONFLICT, and timestamps are integers.
type Dialect interface {
	// Name is "sqlite" or "postgres".
	Name() string

	// Migrations returns the dialect's numbered, embedded SQL migrations.
	Migrations() fs.FS
	// GooseDialect tells goose how to keep its version table.
	GooseDialect() goose.Dialect
	// MigrationLocker returns the lock that serialises Migrate across
	// instances sharing the database, or nil when the database needs none.
	MigrationLocker(ctx context.Context, db *sql.DB) (lock.SessionLocker, error)

	// IsUniqueViolation reports whether err is a unique-constraint failure.
	IsUniqueViolation(err error) bool
	// IsForeignKeyViolation reports whether err is a foreign-key failure.
	IsForeignKeyViolation(err error) bool

	// SearchTable says how search documents are written.
	SearchTable() SearchTable
	// SearchMatch returns the condition on t.id that holds for tickets
	// whose document matches q, which has a positive clause, or, when window
	// or more documents match (windowed), for the newest window of them.
	// Values are bound through bind, which returns their placeholder.
	SearchMatch(ctx context.Context, db *sql.DB, q textan.Query, window int, bind func(any) string) (cond string, windowed bool, err error)
	// SearchQuery renders q (with a positive clause) in the database's
	// query language, as a value to bind.
	SearchQuery(q textan.Query) string
	// CountMatches counts the documents matching query (from SearchQuery)
	// up to limit.
	CountMatches(ctx context.Context, db *sql.DB, query string, limit int) (int, error)
	// DocumentFrequency returns about how many documents hold term (one
	// term of textan's analysis): counted up to limit (limit itself then
	// means "limit or more"), or estimated from statistics the database
	// keeps where counting a common term is slow, which may be above limit.
	DocumentFrequency(ctx context.Context, db *sql.DB, term string, limit int) (int, error)
	// NewestMatchIDs returns, for each of queries (from SearchQuery), the
	// ids of the n newest (highest id) documents matching it, newest
	// first, from the index alone, knowing queries[i] has about dfs[i]
	// matches among the documents of tickets up to id total. A database
	// across a network reads them all in one round trip.
	NewestMatchIDs(ctx context.Context, db *sql.DB, queries []string, dfs []int, total, n int) ([][]int64, error)
	// SearchIndexSegments returns the number of segments of the search
	// index that every search term looks up (0 where the index has none).
	SearchIndexSegments(ctx context.Context, db *sql.DB) (int, error)
	// MergeSearchIndex merges segments of the search index, at most pages
	// pages in one short write, and reports whether there was anything
	// to merge.
	MergeSearchIndex(ctx context.Context, db *sql.DB, pages int) (bool, error)

	// BulkPlaceholder returns the placeholder of parameter n in the
	// multi-row INSERTs of bulk imports, where parameters appear in order.
	// SQLite looks numbered names up linearly when parsing and binding, so
	// thousands of $n cost quadratic time; plain ? does not.
	BulkPlaceholder(n int) string

	// SkipLocked is appended to the SELECT that picks rows to claim:
	// " FOR UPDATE SKIP LOCKED" where concurrent claimers need it, "" where
	// the database has a single writer.
	SkipLocked() string
	// ForUpdate is appended to a SELECT whose rows the transaction must
	// hold until it ends: " FOR UPDATE" where writers run concurrently, ""
	// where the database has a single writer.
	ForUpdate() string
	// IsRetryable reports a transaction the database aborted to break a
	// deadlock or a serialisation failure: run again, it succeeds.
	IsRetryable(err error) bool

	// Analyze refreshes the planner's statistics after a bulk load, so that
	// the queue queries pick their indexes on a freshly generated desk.
	Analyze(ctx context.Context, db *sql.DB) error
}
