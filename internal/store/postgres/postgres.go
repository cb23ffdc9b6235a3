// Package postgres opens a Tierdesk store on PostgreSQL through pgx's
// database/sql adapter, for deployments that scale out to several
// instances. The SQL itself lives in internal/store/sqlstore; this package
// supplies the connections, the dialect and the migrations.
package postgres

import (
	"context"
	"errors"
	"fmt"
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
	db := sqlstore.OpenDB(stdlib.GetConnector(*cfg), opts)
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	db.SetConnMaxIdleTime(maxIdleTime)
	if err := db.PingContext(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("open postgres: %w", err), db.Close())
	}
	return sqlstore.New(db, db, dialect{}, opts...), nil
}
