package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // the "sqlite" driver

	"github.com/tierdesk/tierdesk/internal/store/postgres"
	"github.com/tierdesk/tierdesk/internal/store/sqlite"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// DBFile is the name of the SQLite database in a data directory.
const DBFile = "tierdesk.db"

// Endpoint is a desk's database: the SQLite file of a data directory, or a
// PostgreSQL URL.
type Endpoint struct {
	Dialect string // "sqlite" or "postgres"
	Dir     string // the data directory (SQLite)
	URL     string // postgres://… (PostgreSQL)
}

// ParseEndpoint reads a postgres:// URL or a data directory's path.
func ParseEndpoint(s string) Endpoint {
	if strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://") {
		return Endpoint{Dialect: "postgres", URL: s}
	}
	return Endpoint{Dialect: "sqlite", Dir: s}
}

// String names the endpoint without credentials.
func (e Endpoint) String() string {
	if e.Dialect == "sqlite" {
		return filepath.Join(e.Dir, DBFile)
	}
	u, err := url.Parse(e.URL)
	if err != nil {
		return "postgres"
	}
	return "postgres://" + u.Host + u.Path
}

func (e Endpoint) file() string { return filepath.Join(e.Dir, DBFile) }

// OpenStore opens the desk's store, as serve does.
func (e Endpoint) OpenStore(ctx context.Context) (*sqlstore.Store, error) {
	if e.Dialect == "sqlite" {
		return sqlite.Open(ctx, e.file())
	}
	return postgres.Open(ctx, e.URL)
}

// openRaw opens a plain connection pool for bulk reads and writes. On
// SQLite it is one connection with foreign keys unchecked (the load
// checks them at the end, as PostgreSQL does when its constraints return).
func (e Endpoint) openRaw(ctx context.Context) (*sql.DB, error) {
	var db *sql.DB
	if e.Dialect == "sqlite" {
		if _, err := os.Stat(e.file()); err != nil {
			return nil, fmt.Errorf("no desk at %s: %w", e.file(), err)
		}
		var err error
		db, err = sql.Open("sqlite", e.file()+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(0)")
		if err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(1)
	} else {
		cfg, err := pgx.ParseConfig(e.URL)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		db = stdlib.OpenDB(*cfg)
		db.SetMaxOpenConns(2)
	}
	if err := db.PingContext(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("open %s: %w", e, err), db.Close())
	}
	return db, nil
}

// isEmpty reports whether the endpoint holds no desk yet: no database file
// in the data directory, or no table in the PostgreSQL schema.
func (e Endpoint) isEmpty(ctx context.Context) (bool, error) {
	if e.Dialect == "sqlite" {
		_, err := os.Stat(e.file())
		if errors.Is(err, os.ErrNotExist) {
			return true, nil
		}
		return false, err
	}
	db, err := e.openRaw(ctx)
	if err != nil {
		return false, err
	}
	defer db.Close()
	names, err := tableNames(ctx, db, "postgres")
	return len(names) == 0, err
}
