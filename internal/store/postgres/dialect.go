package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// dialect is the PostgreSQL side of sqlstore.Dialect. pooled is set
// behind a transaction-pooling proxy (PgBouncer), where a session lock
// would be taken on one server connection and released on another.
type dialect struct {
	pooled bool
	ranges *idRanges // search_ranges.go; nil is the default ranges
}

var _ sqlstore.Dialect = dialect{}

func (dialect) Name() string { return "postgres" }

func (dialect) Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err) // the directory is embedded above
	}
	return sub
}

func (dialect) GooseDialect() goose.Dialect { return goose.DialectPostgres }

// MigrationLocker returns a session advisory lock whose id is derived from
// the database and schema, so that instances migrating the same schema
// queue behind each other while other schemas (tests run in parallel, one
// schema each) do not wait. It is retried every second for five minutes.
func (d dialect) MigrationLocker(ctx context.Context, db *sql.DB) (lock.SessionLocker, error) {
	if d.pooled {
		return nil, nil // MigrationTableLocker instead
	}
	id, err := migrationLockID(ctx, db)
	if err != nil {
		return nil, err
	}
	return lock.NewPostgresSessionLocker(lock.WithLockID(id), lock.WithLockTimeout(1, 300))
}

// MigrationTableLocker implements sqlstore.TableLocking: behind a pooler,
// migrations are serialised by a row in goose's lock table (kept alive by a
// heartbeat, expiring if its holder dies), which needs no session.
func (d dialect) MigrationTableLocker(ctx context.Context, db *sql.DB) (lock.Locker, error) {
	if !d.pooled {
		return nil, nil
	}
	id, err := migrationLockID(ctx, db)
	if err != nil {
		return nil, err
	}
	positive := id & math.MaxInt64 // the lock table takes positive ids only
	if positive == 0 {
		positive = 1
	}
	return lock.NewPostgresTableLocker(lock.WithTableLockID(positive), lock.WithTableLockTimeout(time.Second, 300))
}

// migrationLockID derives the lock's id from the database and schema.
func migrationLockID(ctx context.Context, db *sql.DB) (int64, error) {
	var where sql.NullString
	if err := db.QueryRowContext(ctx, "SELECT current_database() || '.' || current_schema()").Scan(&where); err != nil {
		return 0, fmt.Errorf("read current schema: %w", err)
	}
	if !where.Valid {
		return 0, errors.New("no schema of the search_path exists")
	}
	h := fnv.New64a()
	h.Write([]byte("tierdesk migrate " + where.String))
	return int64(h.Sum64()), nil
}

func (dialect) IsUniqueViolation(err error) bool { return hasCode(err, "23505") }

func (dialect) IsForeignKeyViolation(err error) bool { return hasCode(err, "23503") }

func hasCode(err error, code string) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == code
}

// analyzed are Tierdesk's tables whose statistics a bulk load changes.
var analyzed = []string{"tickets", "events", "ticket_search", "users", "user_lookup", "group_members",
	"support_groups", "categories", "services", "sla_timers"}

// Analyze refreshes the planner's statistics of Tierdesk's own tables after
// a bulk load. A bare ANALYZE would visit every table of the database, other
// schemas (and other applications) included. Only the tables that exist are
// named: a desk generated at an earlier schema (the migrations' backfill
// tests do that) has no search index or lookup table yet.
func (dialect) Analyze(ctx context.Context, db *sql.DB) error {
	var present []string
	rows, err := db.QueryContext(ctx, "SELECT t FROM unnest($1::text[]) AS t WHERE to_regclass(t) IS NOT NULL", analyzed)
	if err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return fmt.Errorf("analyze: %w", err)
		}
		present = append(present, t)
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	if _, err := db.ExecContext(ctx, "ANALYZE "+strings.Join(present, ", ")); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	// A bulk load leaves the search index's new entries in GIN's pending
	// list, which every search then reads through (60 ms for a word in no
	// ticket at 200k) until autovacuum merges it; merge it now.
	if _, err := db.ExecContext(ctx, "SELECT gin_clean_pending_list(to_regclass('ticket_search_doc')) WHERE to_regclass('ticket_search_doc') IS NOT NULL"); err != nil {
		return fmt.Errorf("analyze: merge the search index: %w", err)
	}
	return nil
}

func (dialect) BulkPlaceholder(n int) string { return "$" + strconv.Itoa(n) }

// IsRetryable implements sqlstore.Dialect: deadlock_detected and
// serialization_failure.
func (dialect) IsRetryable(err error) bool { return hasCode(err, "40P01") || hasCode(err, "40001") }

// ForUpdate implements sqlstore.Dialect.
func (dialect) ForUpdate() string { return " FOR UPDATE" }

// SkipLocked implements sqlstore.Dialect.
func (dialect) SkipLocked() string { return " FOR UPDATE SKIP LOCKED" }
