package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/desk"
)

// auditState is the store's side of the audit log: the signal that wakes
// the sealer after a write left an entry pending.
type auditState struct {
	once  sync.Once
	nudge chan struct{}
}

func (a *auditState) ch() chan struct{} {
	a.once.Do(func() { a.nudge = make(chan struct{}, 1) })
	return a.nudge
}

// singleWriter reports a database that runs one write transaction at a
// time (SQLite): entries are chained in the writing transaction there.
func (s *Store) singleWriter() bool { return s.dialect.ForUpdate() == "" }

// Audit appends e to the audit log inside tx, the transaction of the write
// it records, so that the entry exists exactly when the write does. This
// is the one way to audit a write: packages with SQL of their own call it
// with their transaction. ActorID defaults to the signed-in user in ctx
// (desk.WithActor) and At to the store's clock. Never put a secret in
// Detail.
func (s *Store) Audit(ctx context.Context, tx *sql.Tx, e audit.Entry) error {
	if e.ActorID == 0 {
		if u := desk.ActorFrom(ctx); u != nil {
			e.ActorID = u.ID
		}
	}
	if e.At.IsZero() {
		e.At = fromMicros(s.now())
	}
	if e.Detail == "" {
		e.Detail = "{}"
	}
	if !s.singleWriter() {
		_, err := tx.ExecContext(ctx, `INSERT INTO audit_pending (at, actor_id, kind, subject, detail)
			VALUES ($1, $2, $3, $4, $5)`, micros(e.At), e.ActorID, e.Kind, e.Subject, e.Detail)
		if err != nil {
			return fmt.Errorf("audit %s: %w", e.Kind, err)
		}
		select {
		case s.auditLog.ch() <- struct{}{}:
		default:
		}
		return nil
	}
	var seq int64
	var prev []byte
	if err := tx.QueryRowContext(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&seq, &prev); err != nil {
		return fmt.Errorf("audit %s: read head: %w", e.Kind, err)
	}
	e.Chain(seq, prev)
	if err := insertChained(ctx, tx, []audit.Entry{e}); err != nil {
		return fmt.Errorf("audit %s: %w", e.Kind, err)
	}
	return nil
}

// audit appends an entry of the actor in ctx (see Audit).
func (s *Store) audit(ctx context.Context, tx *sql.Tx, kind, subject, detail string) error {
	return s.Audit(ctx, tx, audit.Entry{Kind: kind, Subject: subject, Detail: detail})
}

// insertChained stores chained entries (in order) and moves the head to
// the last one.
func insertChained(ctx context.Context, tx *sql.Tx, es []audit.Entry) error {
	const cols = 7
	for len(es) > 0 {
		batch := es[:min(len(es), 500)]
		es = es[len(batch):]
		var q strings.Builder
		q.WriteString("INSERT INTO audit_log (seq, at, actor_id, kind, subject, detail, hash) VALUES ")
		args := make([]any, 0, cols*len(batch))
		for i, e := range batch {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(" + placeholders(i*cols+1, cols) + ")")
			args = append(args, e.Seq, micros(e.At), e.ActorID, e.Kind, e.Subject, e.Detail, e.Hash)
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return fmt.Errorf("insert audit entries: %w", err)
		}
		last := batch[len(batch)-1]
		if _, err := tx.ExecContext(ctx, "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1", last.Seq, last.Hash); err != nil {
			return fmt.Errorf("move audit head: %w", err)
		}
	}
	return nil
}

// sealBatch is how many pending entries one sealing transaction chains.
const sealBatch = 2000

// SealAudit chains the pending entries committed so far, oldest (lowest
// id) first, and returns how many it chained. Each batch is one
// transaction holding the head's row lock, so sealers on any number of
// instances extend one chain, and a sealer that dies leaves its batch
// pending for the next. On SQLite nothing is ever pending.
func (s *Store) SealAudit(ctx context.Context) (int64, error) {
	var total int64
	for {
		var pending bool
		if err := s.rdb.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM audit_pending)").Scan(&pending); err != nil {
			return total, fmt.Errorf("seal audit: %w", err)
		}
		if !pending {
			return total, nil
		}
		var n int
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			var err error
			n, err = sealPending(ctx, tx, s.dialect.ForUpdate())
			return err
		})
		total += int64(n)
		if err != nil {
			return total, fmt.Errorf("seal audit: %w", err)
		}
		if n < sealBatch {
			return total, nil
		}
	}
}

func sealPending(ctx context.Context, tx *sql.Tx, forUpdate string) (int, error) {
	var seq int64
	var prev []byte
	if err := tx.QueryRowContext(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1"+forUpdate).Scan(&seq, &prev); err != nil {
		return 0, fmt.Errorf("read head: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, at, actor_id, kind, subject, detail FROM audit_pending
		ORDER BY id LIMIT $1`, sealBatch)
	if err != nil {
		return 0, err
	}
	var es []audit.Entry
	var ids []any
	for rows.Next() {
		var e audit.Entry
		var id, at int64
		if err := rows.Scan(&id, &at, &e.ActorID, &e.Kind, &e.Subject, &e.Detail); err != nil {
			rows.Close()
			return 0, err
		}
		e.At = fromMicros(at)
		prev = e.Chain(seq, prev)
		seq = e.Seq
		es, ids = append(es, e), append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(es) == 0 {
		return 0, err
	}
	if err := insertChained(ctx, tx, es); err != nil {
		return 0, err
	}
	// Exactly the rows read: a pending row committed since, with a lower
	// id, stays for the next batch.
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 1000)]
		ids = ids[len(chunk):]
		if _, err := tx.ExecContext(ctx, "DELETE FROM audit_pending WHERE id IN ("+placeholders(1, len(chunk))+")", chunk...); err != nil {
			return 0, fmt.Errorf("delete sealed: %w", err)
		}
	}
	return len(es), nil
}

// AnchorAudit records the chain's head as an anchor and returns it, unless
// the last anchor is younger than minAge (then nil); with the head already
// anchored it returns that anchor. An empty chain has no anchor (nil).
func (s *Store) AnchorAudit(ctx context.Context, minAge time.Duration) (*audit.Anchor, error) {
	var out *audit.Anchor
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		out = nil
		var seq int64
		var hash []byte
		if err := tx.QueryRowContext(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&seq, &hash); err != nil {
			return err
		}
		if seq == 0 {
			return nil
		}
		last, err := latestAnchor(ctx, tx)
		if err != nil {
			return err
		}
		now := fromMicros(s.now())
		if last != nil && (last.Seq == seq || now.Sub(last.At) < minAge) {
			if last.Seq == seq {
				out = last
			}
			return nil
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO audit_anchors (seq, hash, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
			seq, hash, micros(now))
		a := audit.NewAnchor(seq, hash, now)
		out = &a
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("anchor audit: %w", err)
	}
	return out, nil
}

// LatestAuditAnchor returns the newest anchor recorded, or nil.
func (s *Store) LatestAuditAnchor(ctx context.Context) (*audit.Anchor, error) {
	return latestAnchor(ctx, s.rdb)
}

func latestAnchor(ctx context.Context, q queryer) (*audit.Anchor, error) {
	var seq, at int64
	var hash []byte
	err := q.QueryRowContext(ctx, "SELECT seq, hash, at FROM audit_anchors ORDER BY seq DESC LIMIT 1").Scan(&seq, &hash, &at)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read anchor: %w", err)
	}
	a := audit.NewAnchor(seq, hash, fromMicros(at))
	return &a, nil
}

// VerifyAudit checks the whole stored chain (see audit.Verify), against
// given too when it is not nil.
func (s *Store) VerifyAudit(ctx context.Context, given *audit.Anchor) (*audit.Report, error) {
	return audit.Verify(ctx, s.rdb, s.dialect.Name(), given)
}

// ListAudit returns one page of chained entries matching f, newest first.
func (s *Store) ListAudit(ctx context.Context, f audit.Filter) (*audit.Page, error) {
	var conds []string
	var args []any
	bind := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if f.ActorID != nil {
		conds = append(conds, "actor_id = "+bind(*f.ActorID))
	}
	if k := f.Kind; strings.HasSuffix(k, ".") {
		conds = append(conds, "kind LIKE "+bind(escapeLike(k)+"%")+" ESCAPE '\\'")
	} else if k != "" {
		conds = append(conds, "kind = "+bind(k))
	}
	if f.Subject != "" {
		conds = append(conds, "subject = "+bind(f.Subject))
	}
	if f.From != nil {
		conds = append(conds, "at >= "+bind(micros(*f.From)))
	}
	if f.To != nil {
		conds = append(conds, "at < "+bind(micros(*f.To)))
	}
	before, err := afterID(f.Cursor, "audit")
	if err != nil {
		return nil, err
	}
	if before > 0 {
		conds = append(conds, "seq < "+bind(before))
	}
	limit, err := pageSize(f.Limit)
	if err != nil {
		return nil, err
	}
	q := "SELECT seq, at, actor_id, kind, subject, detail, hash FROM audit_log"
	if len(conds) > 0 {
		q += " WHERE " + strings.Join(conds, " AND ")
	}
	q += " ORDER BY seq DESC LIMIT " + bind(limit+1)
	rows, err := s.rdb.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	defer rows.Close()
	p := &audit.Page{}
	for rows.Next() {
		e := &audit.Entry{}
		var at int64
		if err := rows.Scan(&e.Seq, &at, &e.ActorID, &e.Kind, &e.Subject, &e.Detail, &e.Hash); err != nil {
			return nil, fmt.Errorf("list audit: %w", err)
		}
		e.At = fromMicros(at)
		p.Entries = append(p.Entries, e)
	}
	if len(p.Entries) > limit {
		p.Entries = p.Entries[:limit]
		p.NextCursor = encodeCursor(idCursor{List: "audit", ID: p.Entries[limit-1].Seq})
	}
	return p, rows.Err()
}
