package sqlite

import (
	"container/list"
	"context"
	"database/sql/driver"
	"errors"
)

// stmtCacheSize bounds the statements kept prepared on one connection. The
// hot paths use a few dozen; lists built from filters vary and churn the
// least recently used end.
const stmtCacheSize = 128

// cachingConnector opens connections that keep their statements prepared.
//
// modernc's driver prepares (parses and compiles to bytecode, in Go) every
// statement run through Exec or Query without an explicit Prepare, and
// finalises it afterwards; a ticket's creation ran some 30 statements, and
// parsing them again was ~30 % of its CPU. An INSERT into tickets also
// compiles the bodies of its triggers (the dashboard's counts) into its
// program, so keeping it prepared keeps the triggers compiled too.
type cachingConnector struct{ driver.Connector }

func (c cachingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return newCachingConn(conn)
}

// cachingConn runs ExecContext and QueryContext through statements kept
// prepared per SQL text, least recently used evicted. database/sql uses a
// connection from one goroutine at a time (it holds the connection's lock
// around every driver call, Rows.Close included), so the cache needs no
// lock of its own. A statement still busy with open rows (a query run
// again while its rows are read) is not shared: the call prepares a
// statement of its own, as without the cache.
type cachingConn struct {
	conn  driverConn
	stmts map[string]*list.Element // of *cachedStmt
	lru   list.List                // front: most recently used
}

// driverConn is what modernc's connection implements and database/sql uses.
type driverConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

type cachedStmt struct {
	query string
	stmt  interface {
		driver.Stmt
		driver.StmtExecContext
		driver.StmtQueryContext
	}
	busy bool // rows of it are open
}

func newCachingConn(c driver.Conn) (driver.Conn, error) {
	dc, ok := c.(driverConn)
	if !ok {
		return nil, errors.Join(errors.New("sqlite: the driver's connection lacks a context interface"), c.Close())
	}
	return &cachingConn{conn: dc, stmts: map[string]*list.Element{}}, nil
}

// cached returns the idle prepared statement for query, preparing it if
// needed; nil (and no error) when the one cached is busy.
func (c *cachingConn) cached(ctx context.Context, query string) (*cachedStmt, error) {
	if e, ok := c.stmts[query]; ok {
		c.lru.MoveToFront(e)
		cs := e.Value.(*cachedStmt)
		if cs.busy {
			return nil, nil
		}
		return cs, nil
	}
	st, err := c.conn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	full, ok := st.(interface {
		driver.Stmt
		driver.StmtExecContext
		driver.StmtQueryContext
	})
	if !ok {
		st.Close()
		return nil, nil
	}
	cs := &cachedStmt{query: query, stmt: full}
	c.stmts[query] = c.lru.PushFront(cs)
	c.evict()
	return cs, nil
}

// evict finalises the least recently used idle statements over the bound.
func (c *cachingConn) evict() {
	for e := c.lru.Back(); e != nil && len(c.stmts) > stmtCacheSize; {
		prev := e.Prev()
		if cs := e.Value.(*cachedStmt); !cs.busy {
			c.lru.Remove(e)
			delete(c.stmts, cs.query)
			cs.stmt.Close()
		}
		e = prev
	}
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	cs, err := c.cached(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.conn.ExecContext(ctx, query, args)
	}
	cs.busy = true
	defer func() { cs.busy = false }()
	return cs.stmt.ExecContext(ctx, args)
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	cs, err := c.cached(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.conn.QueryContext(ctx, query, args)
	}
	rows, err := cs.stmt.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	full, ok := rows.(fullRows)
	if !ok {
		return nil, errors.Join(errors.New("sqlite: the driver's rows lack column types"), rows.Close())
	}
	cs.busy = true
	return &cachedRows{fullRows: full, cs: cs}, nil
}

// cachedRows frees its statement for the next call when closed. It
// embeds the driver's rows whole, so that database/sql still finds their
// column types.
type cachedRows struct {
	fullRows
	cs *cachedStmt
}

// fullRows is what modernc's rows implement.
type fullRows interface {
	driver.Rows
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypeNullable
	driver.RowsColumnTypePrecisionScale
	driver.RowsColumnTypeScanType
}

func (r *cachedRows) Close() error {
	err := r.fullRows.Close()
	r.cs.busy = false
	return err
}

func (c *cachingConn) Close() error {
	var errs []error
	for e := c.lru.Front(); e != nil; e = e.Next() {
		errs = append(errs, e.Value.(*cachedStmt).stmt.Close())
	}
	c.stmts = nil
	c.lru.Init()
	return errors.Join(append(errs, c.conn.Close())...)
}

func (c *cachingConn) Prepare(query string) (driver.Stmt, error) { return c.conn.Prepare(query) }
func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.conn.PrepareContext(ctx, query)
}
func (c *cachingConn) Begin() (driver.Tx, error) {
	return c.conn.BeginTx(context.Background(), driver.TxOptions{})
}
func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.conn.BeginTx(ctx, opts)
}
func (c *cachingConn) Ping(ctx context.Context) error         { return c.conn.Ping(ctx) }
func (c *cachingConn) ResetSession(ctx context.Context) error { return c.conn.ResetSession(ctx) }
func (c *cachingConn) IsValid() bool                          { return c.conn.IsValid() }
