package tracing

import (
	"context"
	"database/sql/driver"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// Connector returns a wrapper that makes every statement run inside a
// traced request a client span (named by its first word, with the SQL
// text, which carries placeholders, never values). Calls outside a trace
// (the job runner's sweeps) make no spans. system is "sqlite" or
// "postgresql".
func (t *Tracer) Connector(system string) func(driver.Connector) driver.Connector {
	if t == nil {
		return nil
	}
	return func(c driver.Connector) driver.Connector { return &connector{c: c, t: t, system: system} }
}

type connector struct {
	c      driver.Connector
	t      *Tracer
	system string
}

func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.c.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &conn{Conn: dc, c: c}, nil
}

func (c *connector) Driver() driver.Driver { return c.c.Driver() }

// start opens a span for query when ctx is traced; end must be called.
func (c *connector) start(ctx context.Context, query string) (context.Context, func(error)) {
	if !trace.SpanContextFromContext(ctx).IsValid() {
		return ctx, func(error) {}
	}
	name, _, _ := strings.Cut(strings.TrimSpace(query), " ")
	ctx, span := c.t.tracer.Start(ctx, strings.ToUpper(name), trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attribute.String("db.system", c.system), attribute.String("db.statement", query)))
	return ctx, func(err error) {
		if err != nil && err != driver.ErrSkip {
			span.RecordError(err)
			span.SetStatus(codes.Error, err.Error())
		}
		span.End()
	}
}

// conn passes every optional interface database/sql probes through to the
// driver's connection, timing the statements.
type conn struct {
	driver.Conn
	c *connector
}

func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	var st driver.Stmt
	var err error
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		st, err = p.PrepareContext(ctx, query)
	} else {
		st, err = c.Conn.Prepare(query)
	}
	if err != nil {
		return nil, err
	}
	return &stmt{Stmt: st, query: query, c: c.c}, nil
}

func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	ctx, end := c.c.start(ctx, "BEGIN")
	b, ok := c.Conn.(driver.ConnBeginTx)
	if !ok {
		end(nil)
		return c.Conn.Begin() //nolint:staticcheck // the driver offers nothing else
	}
	tx, err := b.BeginTx(ctx, opts)
	end(err)
	if err != nil {
		return nil, err
	}
	return &txn{Tx: tx, ctx: ctx, c: c.c}, nil
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	e, ok := c.Conn.(driver.ExecerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	ctx, end := c.c.start(ctx, query)
	res, err := e.ExecContext(ctx, query, args)
	end(err)
	return res, err
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := c.Conn.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	ctx, end := c.c.start(ctx, query)
	rows, err := q.QueryContext(ctx, query, args)
	end(err)
	return rows, err
}

func (c *conn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *conn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *conn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *conn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.Conn.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

// txn times the commit (where a write transaction waits for the disk).
type txn struct {
	driver.Tx
	ctx context.Context
	c   *connector
}

func (t *txn) Commit() error {
	_, end := t.c.start(t.ctx, "COMMIT")
	err := t.Tx.Commit()
	end(err)
	return err
}

type stmt struct {
	driver.Stmt
	query string
	c     *connector
}

func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	ctx, end := s.c.start(ctx, s.query)
	var res driver.Result
	var err error
	if e, ok := s.Stmt.(driver.StmtExecContext); ok {
		res, err = e.ExecContext(ctx, args)
	} else {
		res, err = s.Stmt.Exec(values(args)) //nolint:staticcheck // the driver offers nothing else
	}
	end(err)
	return res, err
}

func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	ctx, end := s.c.start(ctx, s.query)
	var rows driver.Rows
	var err error
	if q, ok := s.Stmt.(driver.StmtQueryContext); ok {
		rows, err = q.QueryContext(ctx, args)
	} else {
		rows, err = s.Stmt.Query(values(args)) //nolint:staticcheck // the driver offers nothing else
	}
	end(err)
	return rows, err
}

func (s *stmt) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := s.Stmt.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

func values(args []driver.NamedValue) []driver.Value {
	out := make([]driver.Value, len(args))
	for i, a := range args {
		out[i] = a.Value
	}
	return out
}
