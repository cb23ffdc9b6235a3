package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// stmtCache keeps statements prepared once per pool, for the hot paths
// where parsing the SQL again for every call was a large share of the CPU
// (modernc SQLite parses in Go). database/sql prepares a cached statement
// again on each pooled connection the first time it runs there.
type stmtCache struct {
	mu    sync.Mutex
	stmts map[stmtKey]*sql.Stmt
}

type stmtKey struct {
	db    *sql.DB
	query string
}

// prepared returns query prepared on db. Never call it for the writer pool
// inside a transaction: SQLite's writer pool has one connection, which the
// transaction holds.
func (c *stmtCache) prepared(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := stmtKey{db, query}
	if st, ok := c.stmts[k]; ok {
		return st, nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	if c.stmts == nil {
		c.stmts = map[stmtKey]*sql.Stmt{}
	}
	c.stmts[k] = st
	return st, nil
}
