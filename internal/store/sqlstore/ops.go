package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

var _ desk.OpsStore = (*Store)(nil)

// OpsSnapshot reads what monitoring scrapes. Each query reads counter rows
// (ticket_counts, integrations) or a partial index (due timers, unsent
// outbox rows), so a scrape does not grow with the desk; pages are few.
func (s *Store) OpsSnapshot(ctx context.Context, now time.Time) (*desk.OpsSnapshot, error) {
	o := &desk.OpsSnapshot{}
	steps := []func(context.Context, *desk.OpsSnapshot, int64) error{
		s.opsBacklog, s.opsTimers, s.opsOutbox, s.opsAlerts, s.opsPages,
	}
	for _, step := range steps {
		if err := step(ctx, o, micros(now)); err != nil {
			return nil, fmt.Errorf("ops snapshot: %w", err)
		}
	}
	return o, nil
}

func (s *Store) opsBacklog(ctx context.Context, o *desk.OpsSnapshot, _ int64) error {
	rows, err := s.rdb.QueryContext(ctx, `SELECT line, priority, CAST(SUM(n) AS BIGINT) FROM ticket_counts
		WHERE kind = 'open' GROUP BY line, priority HAVING SUM(n) > 0 ORDER BY line, priority`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var b desk.BacklogCount
		if err := rows.Scan(&b.Line, &b.Priority, &b.N); err != nil {
			return err
		}
		o.Backlog = append(o.Backlog, b)
	}
	return rows.Err()
}

func (s *Store) opsTimers(ctx context.Context, o *desk.OpsSnapshot, now int64) error {
	var oldest sql.NullInt64
	err := s.rdb.QueryRowContext(ctx, `SELECT MIN(due_at), COUNT(*) FROM sla_timers
		WHERE done_at IS NULL AND due_at <= $1`, now).Scan(&oldest, &o.DueTimers)
	if oldest.Valid {
		t := fromMicros(oldest.Int64)
		o.OldestDueTimer = &t
	}
	return err
}

func (s *Store) opsOutbox(ctx context.Context, o *desk.OpsSnapshot, _ int64) error {
	rows, err := s.rdb.QueryContext(ctx, `SELECT kind, CASE WHEN failed_at IS NULL THEN 'queued' ELSE 'failed' END, COUNT(*)
		FROM outbox WHERE sent_at IS NULL GROUP BY 1, 2 ORDER BY 1, 2`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var c desk.OutboxCount
		if err := rows.Scan(&c.Kind, &c.State, &c.N); err != nil {
			return err
		}
		o.Outbox = append(o.Outbox, c)
	}
	return rows.Err()
}

func (s *Store) opsAlerts(ctx context.Context, o *desk.OpsSnapshot, _ int64) error {
	rows, err := s.rdb.QueryContext(ctx, `SELECT kind, CAST(SUM(alerts_received) AS BIGINT), CAST(SUM(alerts_deduplicated) AS BIGINT),
		CAST(SUM(alerts_overflow) AS BIGINT), CAST(SUM(incidents_opened) AS BIGINT), COUNT(*)
		FROM integrations GROUP BY kind ORDER BY kind`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a desk.AlertCounters
		if err := rows.Scan(&a.Kind, &a.Received, &a.Deduplicated, &a.Overflowed, &a.IncidentsOpened, &a.Integrations); err != nil {
			return err
		}
		o.Alerts = append(o.Alerts, a)
	}
	return rows.Err()
}

// opsPages counts pages and buckets the acknowledged ones by the time to
// acknowledge in one pass (pages are rare next to tickets).
func (s *Store) opsPages(ctx context.Context, o *desk.OpsSnapshot, _ int64) error {
	var q strings.Builder
	q.WriteString(`SELECT COUNT(*), COUNT(acked_at), COALESCE(SUM(CASE WHEN state = 'active' THEN 1 ELSE 0 END), 0),
		COALESCE(CAST(SUM(acked_at - started_at) AS BIGINT), 0)`)
	for _, b := range desk.AckBuckets {
		fmt.Fprintf(&q, ", COALESCE(SUM(CASE WHEN acked_at - started_at <= %d THEN 1 ELSE 0 END), 0)", int64(b*1e6))
	}
	q.WriteString(" FROM pages")
	p := &o.Pages
	p.AckWithin = make([]int64, len(desk.AckBuckets))
	var ackMicros int64
	dest := []any{&p.Started, &p.Acknowledged, &p.Active, &ackMicros}
	for i := range p.AckWithin {
		dest = append(dest, &p.AckWithin[i])
	}
	if err := s.rdb.QueryRowContext(ctx, q.String()).Scan(dest...); err != nil {
		return err
	}
	p.AckSeconds = float64(ackMicros) / 1e6
	return nil
}

// PoolStats returns the connection pools' statistics by role ("write",
// and "read" when reads have a pool of their own).
func (s *Store) PoolStats() map[string]sql.DBStats {
	out := map[string]sql.DBStats{"write": s.db.Stats()}
	if s.rdb != s.db {
		out["read"] = s.rdb.Stats()
	}
	return out
}

// ConnWrapper wraps the driver's connector of every pool a driver package
// opens (tracing); nil wraps nothing.
type ConnWrapper func(driver.Connector) driver.Connector

// WithConnWrapper makes the driver packages open their pools through w.
func WithConnWrapper(w ConnWrapper) Option { return func(s *Store) { s.wrapConn = w } }

// OpenDB opens a pool on c, through the wrapper opts name if any (for the
// driver packages).
func OpenDB(c driver.Connector, opts []Option) *sql.DB {
	var s Store
	for _, o := range opts {
		o(&s)
	}
	if s.wrapConn != nil {
		c = s.wrapConn(c)
	}
	return sql.OpenDB(c)
}

// DSNConnector is a driver.Connector for a driver that has none of its own.
type DSNConnector struct {
	DSN string
	D   driver.Driver
}

func (c DSNConnector) Connect(context.Context) (driver.Conn, error) { return c.D.Open(c.DSN) }
func (c DSNConnector) Driver() driver.Driver                        { return c.D }
