package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// dialect is the SQLite side of sqlstore.Dialect.
type dialect struct{}

var _ sqlstore.Dialect = dialect{}

func (dialect) Name() string { return "sqlite" }

func (dialect) Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err) // the directory is embedded above
	}
	return sub
}

func (dialect) GooseDialect() goose.Dialect { return goose.DialectSQLite3 }

// MigrationLocker returns nil: SQLite's write lock already serialises the
// migrations' transactions, and one file has one set of writers.
func (dialect) MigrationLocker(context.Context, *sql.DB) (lock.SessionLocker, error) {
	return nil, nil
}

func (dialect) IsUniqueViolation(err error) bool {
	return hasCode(err, sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}

func (dialect) IsForeignKeyViolation(err error) bool {
	return hasCode(err, sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY)
}

func hasCode(err error, codes ...int) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	for _, c := range codes {
		if e.Code() == c {
			return true
		}
	}
	return false
}

// Analyze gathers statistics and merges the FTS index's segments, which a
// bulk load leaves many of.
func (dialect) Analyze(ctx context.Context, db *sql.DB) error {
	for _, q := range []string{
		"ANALYZE",
		"INSERT INTO ticket_search (ticket_search) VALUES ('optimize')",
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("analyze: %w", err)
		}
	}
	return nil
}

// BulkPlaceholder is an anonymous ?, which SQLite binds in order without
// the name lookups that make thousands of $n quadratic.
func (dialect) BulkPlaceholder(int) string { return "?" }

// IsRetryable implements sqlstore.Dialect: one writer never deadlocks, and
// a busy database is waited for by the busy timeout.
func (dialect) IsRetryable(error) bool { return false }

// ForUpdate implements sqlstore.Dialect.
func (dialect) ForUpdate() string { return "" }

// SkipLocked implements sqlstore.Dialect.
func (dialect) SkipLocked() string { return "" }
