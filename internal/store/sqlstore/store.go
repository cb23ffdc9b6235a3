// Package sqlstore implements desk.Store over database/sql with one SQL text
// for SQLite and PostgreSQL. The driver packages (internal/store/sqlite and
// internal/store/postgres) open the connections and supply a Dialect for the
// few things that really differ: constraint errors, full-text search and
// migration locking.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/tierdesk/tierdesk/internal/desk"
)

var _ desk.Store = (*Store)(nil)

// Store is a desk.Store on a SQL database.
type Store struct {
	db      *sql.DB // writes, and reads inside write transactions
	rdb     *sql.DB // reads outside transactions; may be db itself
	dialect Dialect
	clock   desk.Clock
	alerts  alertBatcher  // group commit of RecordAlerts
	creates createBatcher // group commit of CreateTicket
	stmts   stmtCache     // statements of hot paths, prepared once
	terms   atomic.Bool   // migration 00018 (search terms) is applied; see searchSchema
	// searchWindow is how many matches of a search, newest first, a list
	// looks at (desk.SearchWindow unless a test sets it).
	searchWindow int
	// language is the installation's language: a new desk's built-in
	// names are created in it (builtin_names.go).
	language string
	wrapConn ConnWrapper // read by OpenDB only
	auditLog auditState  // audit.go
	dfs      dfCache     // similar_df.go
}

// Option configures a Store.
type Option func(*Store)

// WithClock sets the clock that stamps rows the store creates itself (users,
// groups, tokens, idempotency keys) and tickets or events given without
// times. The default is desk.SystemClock.
func WithClock(c desk.Clock) Option { return func(s *Store) { s.clock = c } }

// WithSearchWindow sets how many matches of a search a list looks at, so
// that tests can see a windowed search on a small desk.
func WithSearchWindow(n int) Option { return func(s *Store) { s.searchWindow = n } }

// WithLanguage sets the installation's language ("en" or "ru"): migrating
// a new database names its built-in group and SLA policies in it. A desk
// that already exists keeps its names.
func WithLanguage(lang string) Option { return func(s *Store) { s.language = lang } }

// New returns a Store writing through db and reading through rdb. SQLite
// drivers pass a one-connection writer pool and a wider read pool;
// PostgreSQL passes the same pool twice.
func New(db, rdb *sql.DB, d Dialect, opts ...Option) *Store {
	s := &Store{db: db, rdb: rdb, dialect: d, clock: desk.SystemClock{}, searchWindow: desk.SearchWindow}
	for _, o := range opts {
		o(s)
	}
	return s
}

// DB returns the writer pool, for bulk tools such as internal/devgen.
func (s *Store) DB() *sql.DB { return s.db }

// Dialect returns the store's dialect.
func (s *Store) Dialect() Dialect { return s.dialect }

// Close closes both pools.
func (s *Store) Close() error {
	err := s.db.Close()
	if s.rdb != s.db {
		err = errors.Join(err, s.rdb.Close())
	}
	return err
}

// queryer is what both *sql.DB and *sql.Tx offer, so that reads can run
// inside or outside a transaction.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// txAttempts bounds how often inTx runs a transaction the database aborted
// as a deadlock victim.
const txAttempts = 3

// inTx runs fn in a write transaction, committing when it returns nil. On
// PostgreSQL, transactions that write tickets can deadlock on the dashboard's
// counter rows (migration 00013): each statement's trigger locks them in key
// order, but a transaction of several statements (an import's batches) takes
// them batch after batch. The database aborts one transaction of the cycle;
// inTx runs that one again, so fn must be safe to repeat: it sets its
// results anew on every run.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := s.tryTx(ctx, fn)
		if err == nil || attempt == txAttempts || !s.dialect.IsRetryable(err) || ctx.Err() != nil {
			return err
		}
	}
}

func (s *Store) tryTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		if rbErr := tx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			return errors.Join(err, fmt.Errorf("rollback: %w", rbErr))
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// now returns the store clock's time, truncated to what the database keeps.
func (s *Store) now() int64 { return micros(s.clock.Now()) }

// WithSearchRanges sets the size (1 << shift ticket ids) of the id ranges
// whose markers PostgreSQL's search documents carry, so that tests see
// many ranges on a small desk, and read them wherever they narrow the read
// (where PostgreSQL would otherwise judge, for a word so common on so
// small a desk, that testing documents newest first is cheaper); a
// database must be written and searched with one size. SQLite has no such
// markers and ignores it.
func WithSearchRanges(shift uint) Option {
	return func(s *Store) {
		if d, ok := s.dialect.(interface{ WithSearchRanges(uint) Dialect }); ok {
			s.dialect = d.WithSearchRanges(shift)
		}
	}
}
