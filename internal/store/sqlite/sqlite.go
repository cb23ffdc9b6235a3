// Package sqlite opens a Tierdesk store in a SQLite file (modernc.org/sqlite,
// pure Go), the default embedded database. The SQL itself lives in
// internal/store/sqlstore; this package supplies the connections, the
// dialect and the migrations.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// Connection settings. SQLite has one writer at a time: writes go through a
// pool of one connection, so that they queue in Go instead of spinning on
// SQLITE_BUSY, and every write transaction starts IMMEDIATE, taking the
// write lock up front rather than failing on upgrade. Reads use their own
// pool of read-only connections, which WAL lets run beside the writer.
// synchronous(FULL) makes every commit durable before the API answers; in WAL
// mode NORMAL would lose the last commits on a power cut (measured: FULL
// costs ~10 % on a single ticket creation, see docs/benchmarks.md).
// Each connection has a page cache of its own, outside the Go heap and
// resident once filled: the writer's keeps the indexes that every
// creation updates; the readers' are smaller, since there are several of
// them (max(4, GOMAXPROCS)) and on a desk larger than their caches they
// would fill to the bound (5 × 32 MiB was 160 MiB of the 200 MB goal);
// the operating system's file cache serves their other pages. A reader's
// cache size also bounds the memory of each of its sorts before they spill
// (SQLite's sorter takes up to cache_size): at 8 MiB, eight clients over
// every list of a 600k desk peaked at 161 MB, at 2 MiB at 123 MB with the
// same CPU a request (docs/benchmarks.md, session 12); a desk of millions
// is far larger than any of these caches, so what a reader keeps is the
// top of the indexes it walks.
const (
	busyTimeoutMillis = 10000
	cacheKiB          = 32 << 10 // the writer's page cache
	readCacheKiB      = 2 << 10  // each reader's
)

func dsn(path string, write bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMillis))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(FULL)")
	if write {
		q.Add("_pragma", fmt.Sprintf("cache_size(-%d)", cacheKiB))
		q.Add("_pragma", "journal_mode(WAL)")
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", fmt.Sprintf("cache_size(-%d)", readCacheKiB))
		q.Add("_pragma", "query_only(1)")
	}
	return path + "?" + q.Encode()
}

// Open opens (creating if needed, with its directory) the database file at
// path. It does not migrate: call Migrate on the returned store.
func Open(ctx context.Context, path string, opts ...sqlstore.Option) (*sqlstore.Store, error) {
	return open(ctx, path, dialect{}, opts...)
}

func open(ctx context.Context, path string, d dialect, opts ...sqlstore.Option) (*sqlstore.Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	w, err := openPool(ctx, dsn(path, true), 1, opts)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	r, err := openPool(ctx, dsn(path, false), max(4, runtime.GOMAXPROCS(0)), opts)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("open sqlite %s: %w", path, err), w.Close())
	}
	return sqlstore.New(w, r, d, opts...), nil
}

// openPool opens a pool of at most n connections and checks it works; the
// writer is opened first so that it creates the file in WAL mode.
func openPool(ctx context.Context, dsn string, n int, opts []sqlstore.Option) (*sql.DB, error) {
	probe, err := sql.Open("sqlite", "") // the registered driver, with the functions registered on it
	if err != nil {
		return nil, err
	}
	db := sqlstore.OpenDB(cachingConnector{sqlstore.DSNConnector{DSN: dsn, D: probe.Driver()}}, opts)
	probe.Close()
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxIdleTime(0)
	if err := db.PingContext(ctx); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	return db, nil
}
