package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Source is a desk to copy from: a database read in one snapshot, or the
// rows of a backup archive.
type Source interface {
	// Dialect is "sqlite" or "postgres": the database the rows came from.
	Dialect() string
	// Versions are the migrations applied to the source, sorted.
	Versions() []int64
	// Tables are the source's tables, derived ones left out.
	Tables() []Table
	// Scan calls fn with each row of t (values in t's column order); for a
	// table with an integer key, only rows whose key is above after, in key
	// order. fn must not keep vals.
	Scan(ctx context.Context, t Table, after int64, fn func(vals []any) error) error
	// Close releases the snapshot.
	Close() error
}

// dbSource reads a database inside one read-only transaction, so that every
// table comes from the same moment even while the desk keeps writing.
type dbSource struct {
	tx       *sql.Tx
	dialect  string
	versions []int64
	tables   []Table
}

// OpenDBSource starts a snapshot of db (dialect "sqlite" or "postgres").
func OpenDBSource(ctx context.Context, db *sql.DB, dialect string) (Source, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if dialect == "postgres" {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("start a snapshot: %w", err)
	}
	s := &dbSource{tx: tx, dialect: dialect}
	if s.versions, err = appliedVersions(ctx, tx); err == nil {
		s.tables, err = readTables(ctx, tx, dialect)
	}
	if err != nil {
		tx.Rollback()
		return nil, err
	}
	return s, nil
}

func (s *dbSource) Dialect() string   { return s.dialect }
func (s *dbSource) Versions() []int64 { return s.versions }
func (s *dbSource) Tables() []Table   { return s.tables }
func (s *dbSource) Close() error      { return s.tx.Rollback() }

func (s *dbSource) Scan(ctx context.Context, t Table, after int64, fn func([]any) error) error {
	return scanRows(ctx, s.tx, t, after, fn)
}

func scanRows(ctx context.Context, q querier, t Table, after int64, fn func([]any) error) error {
	cols := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = quote(c.Name)
	}
	query := "SELECT " + strings.Join(cols, ", ") + " FROM " + quote(t.Name)
	var args []any
	if t.Key != "" {
		if after != minKey { // minKey does not fit an INTEGER column of PostgreSQL
			query += " WHERE " + quote(t.Key) + " > $1"
			args = append(args, after)
		}
		query += " ORDER BY " + quote(t.Key)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("read %s: %w", t.Name, err)
	}
	defer rows.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("read %s: %w", t.Name, err)
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", t.Name, err)
	}
	return nil
}

// DigestSource computes the digest of every table of src.
func DigestSource(ctx context.Context, src Source) (map[string]TableDigest, error) {
	out := map[string]TableDigest{}
	for _, t := range src.Tables() {
		var d Digest
		if err := src.Scan(ctx, t, minKey, func(v []any) error { d.Add(v); return nil }); err != nil {
			return nil, err
		}
		out[t.Name] = d.record()
	}
	return out, nil
}

// minKey is below every key: scans from it read the whole table.
const minKey = -1 << 63

// OpenSource opens a snapshot of the desk at e; closing it closes the
// connections too.
func OpenSource(ctx context.Context, e Endpoint) (Source, error) {
	db, err := e.openRaw(ctx)
	if err != nil {
		return nil, err
	}
	src, err := OpenDBSource(ctx, db, e.Dialect)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &ownedSource{Source: src, db: db}, nil
}

type ownedSource struct {
	Source
	db *sql.DB
}

func (s *ownedSource) Close() error { return errors.Join(s.Source.Close(), s.db.Close()) }
