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
	pooled := unprepared(cfg.DefaultQueryExecMode)
	if !pooled {
		if pooled, err = behindPooler(ctx, cfg); err != nil {
			return nil, err
		}
		if pooled { // no named prepared statements
			cfg.DefaultQueryExecMode = pgx.QueryExecModeExec
		}
	}
	db, err := openDB(ctx, cfg, opts)
	if err != nil {
		return nil, err
	}
	return sqlstore.New(db, db, dialect{pooled: pooled, ranges: newIDRanges(defaultRangeShift)}, opts...), nil
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
func behindPooler(ctx context.Context, cfg *pgx.ConnConfig) (bool, error) {
	// A connection of its own, asked in the simple protocol: a prepared
	// statement left on a pooled server connection would collide with the
	// next instance's.
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return false, fmt.Errorf("open postgres: %w", err)
	}
	defer conn.Close(ctx)
	var port *int64 // nil over a Unix socket
	if err := conn.QueryRow(ctx, "SELECT inet_server_port()", pgx.QueryExecModeSimpleProtocol).Scan(&port); err != nil {
		return false, fmt.Errorf("open postgres: %w", err)
	}
	return port != nil && cfg.Port != 0 && *port != int64(cfg.Port) && !strings.HasPrefix(cfg.Host, "/"), nil
}
