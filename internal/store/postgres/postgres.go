// Package postgres opens a Tierdesk store on PostgreSQL through pgx's
// database/sql adapter, for deployments that scale out to several
// instances. The SQL itself lives in internal/store/sqlstore; this package
// supplies the connections, the dialect and the migrations.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// Pool settings: enough connections for a busy instance without exhausting
// the server's max_connections when several instances share it.
const (
	maxConns    = 20
	maxIdleTime = 5 * time.Minute
)

// Open connects to the database at url (postgres://…; a search_path
// parameter selects the schema). It does not migrate: call Migrate on the
// returned store.
func Open(ctx context.Context, url string, opts ...sqlstore.Option) (*sqlstore.Store, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	db, err := openDB(ctx, cfg, opts)
	if err != nil {
		return nil, err
	}
	pooled := unprepared(cfg.DefaultQueryExecMode)
	if !pooled {
		if pooled, err = behindPooler(ctx, db, cfg); err != nil {
			return nil, errors.Join(err, db.Close())
		}
		if pooled { // reconnect without named prepared statements
			db.Close()
			cfg.DefaultQueryExecMode = pgx.QueryExecModeExec
			if db, err = openDB(ctx, cfg, opts); err != nil {
				return nil, err
			}
		}
	}
	return sqlstore.New(db, db, dialect{pooled: pooled}, opts...), nil
}

func openDB(ctx context.Context, cfg *pgx.ConnConfig, opts []sqlstore.Option) (*sql.DB, error) {
	db := sqlstore.OpenDB(stdlib.GetConnector(*cfg), opts)
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	db.SetConnMaxIdleTime(maxIdleTime)
	if err := db.PingContext(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("open postgres: %w", err), db.Close())
	}
	return db, nil
}

// unprepared reports whether the query mode names no prepared statement,
// so that statements survive a pooler handing each transaction another
// server connection.
func unprepared(m pgx.QueryExecMode) bool {
	return m == pgx.QueryExecModeExec || m == pgx.QueryExecModeSimpleProtocol
}

// behindPooler reports whether a connection pooler such as PgBouncer sits
// between Tierdesk and PostgreSQL: the server was reached on another port
// than the one dialled. In transaction pooling mode each transaction may
// run on another server connection, so Tierdesk then uses no named
// prepared statements and no session locks. A pooler on the same port as
// its server is not seen: add default_query_exec_mode=exec to the URL
// (docs: README, "Outgrowing one machine").
func behindPooler(ctx context.Context, db *sql.DB, cfg *pgx.ConnConfig) (bool, error) {
	// Asked once, before any other statement; the prepared statement it
	// may leave on a pooled server connection is never named again (the
	// pool is reopened without prepared statements).
	var port sql.NullInt64 // NULL over a Unix socket
	err := db.QueryRowContext(ctx, "SELECT inet_server_port()").Scan(&port)
	if err != nil {
		return false, fmt.Errorf("open postgres: %w", err)
	}
	return port.Valid && cfg.Port != 0 && port.Int64 != int64(cfg.Port) && !strings.HasPrefix(cfg.Host, "/"), nil
}
