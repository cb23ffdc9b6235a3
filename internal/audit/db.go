package audit

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Report is the outcome of verifying a stored chain.
type Report struct {
	Entries  int64  // entries checked
	HeadSeq  int64  // the head's position
	HeadHash string // and hash, hex
	Pending  int64  // entries written but not chained yet (PostgreSQL's sealer)
	Anchors  int    // anchors the chain was checked against (stored and given)
	Broken   *Break // the first break, nil when the chain holds
	Took     time.Duration
}

// OK reports whether the chain holds.
func (r *Report) OK() bool { return r.Broken == nil }

// Verify reads the chain stored in db (tables of migration 00040; dialect
// "sqlite" or "postgres") in one read-only snapshot and checks every entry, the head, the anchors stored
// beside it and, when not nil, the anchor given. A broken chain is not an
// error: it is r.Broken.
func Verify(ctx context.Context, db *sql.DB, dialect string, given *Anchor) (*Report, error) {
	start := time.Now()
	tx, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: isolation(dialect), ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("audit verify: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	r := &Report{}
	var head []byte
	if err := tx.QueryRowContext(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&r.HeadSeq, &head); err != nil {
		return nil, fmt.Errorf("audit verify: read head: %w", err)
	}
	r.HeadHash = hex.EncodeToString(head)
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_pending").Scan(&r.Pending); err != nil {
		return nil, fmt.Errorf("audit verify: count pending: %w", err)
	}
	anchors, err := storedAnchors(ctx, tx)
	if err != nil {
		return nil, err
	}
	if given != nil {
		h, _ := hex.DecodeString(given.Hash)
		if old, ok := anchors[given.Seq]; ok && string(old) != string(h) {
			r.Broken = &Break{Seq: given.Seq, Reason: "the stored anchor differs from the one given (anchors rewritten)"}
		}
		anchors[given.Seq] = h
	}
	r.Anchors = len(anchors)
	v := NewVerifier(anchors)
	if err := scanChain(ctx, tx, v); err != nil {
		return nil, err
	}
	r.Entries = v.Seq()
	if r.Broken == nil {
		r.Broken = v.End(r.HeadSeq, head)
	}
	r.Took = time.Since(start)
	return r, nil
}

// isolation is a snapshot over several statements: PostgreSQL needs
// REPEATABLE READ for it; a SQLite read transaction is one already and its
// driver refuses levels.
func isolation(dialect string) sql.IsolationLevel {
	if dialect == "postgres" {
		return sql.LevelRepeatableRead
	}
	return sql.LevelDefault
}

func storedAnchors(ctx context.Context, tx *sql.Tx) (map[int64][]byte, error) {
	rows, err := tx.QueryContext(ctx, "SELECT seq, hash FROM audit_anchors")
	if err != nil {
		return nil, fmt.Errorf("audit verify: read anchors: %w", err)
	}
	defer rows.Close()
	m := map[int64][]byte{}
	for rows.Next() {
		var seq int64
		var h []byte
		if err := rows.Scan(&seq, &h); err != nil {
			return nil, err
		}
		m[seq] = h
	}
	return m, rows.Err()
}

// scanChain feeds every stored entry to v in position order, stopping at
// the first break.
func scanChain(ctx context.Context, tx *sql.Tx, v *Verifier) error {
	rows, err := tx.QueryContext(ctx, "SELECT seq, at, actor_id, kind, subject, detail, hash FROM audit_log ORDER BY seq")
	if err != nil {
		return fmt.Errorf("audit verify: read chain: %w", err)
	}
	defer rows.Close()
	var e Entry
	var at int64
	for rows.Next() {
		if err := rows.Scan(&e.Seq, &at, &e.ActorID, &e.Kind, &e.Subject, &e.Detail, &e.Hash); err != nil {
			return fmt.Errorf("audit verify: read entry: %w", err)
		}
		e.At = time.UnixMicro(at)
		if !v.Add(&e) {
			break
		}
	}
	if err := rows.Err(); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("audit verify: read chain: %w", err)
	}
	return ctx.Err()
}
