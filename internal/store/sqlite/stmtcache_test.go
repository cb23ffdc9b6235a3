package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
)

// openCached opens a pool of one connection to a new file through the
// statement cache, and returns it with a way to look into its cache.
func openCached(t *testing.T) (*sql.DB, func() *cachingConn) {
	t.Helper()
	db, err := openPool(t.Context(), dsn(filepath.Join(t.TempDir(), "c.db"), true), 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	peek := func() *cachingConn {
		t.Helper()
		conn, err := db.Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var cc *cachingConn
		if err := conn.Raw(func(dc any) error { cc = dc.(*cachingConn); return nil }); err != nil {
			t.Fatal(err)
		}
		return cc
	}
	if _, err := db.ExecContext(t.Context(), "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"); err != nil {
		t.Fatal(err)
	}
	return db, peek
}

// TestStmtCache_Reuses: a statement run again is the one prepared the
// first time, not a new one (parsing it again was the cost removed).
func TestStmtCache_Reuses(t *testing.T) {
	db, peek := openCached(t)
	ctx := t.Context()
	const ins = "INSERT INTO t (v) VALUES ($1) RETURNING id"
	var first *cachedStmt
	for i := range 50 {
		var id int64
		if err := db.QueryRowContext(ctx, ins, fmt.Sprint(i)).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if id != int64(i+1) {
			t.Fatalf("insert %d returned id %d", i, id)
		}
		cs := peek().stmts[ins].Value.(*cachedStmt)
		if first == nil {
			first = cs
		} else if cs != first {
			t.Fatalf("insert %d prepared the statement again", i)
		}
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM t").Scan(&n); err != nil || n != 50 {
		t.Fatalf("count = %d, %v; want 50", n, err)
	}
}

// TestStmtCache_NestedSameQuery: the same query run while its rows are
// still open (a transaction reading a row per row of a list) gets a
// statement of its own, and both read what they should.
func TestStmtCache_NestedSameQuery(t *testing.T) {
	db, _ := openCached(t)
	ctx := t.Context()
	for i := range 5 {
		if _, err := db.ExecContext(ctx, "INSERT INTO t (v) VALUES ($1)", fmt.Sprint("v", i)); err != nil {
			t.Fatal(err)
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const q = "SELECT id, v FROM t WHERE id >= $1 ORDER BY id"
	rows, err := tx.QueryContext(ctx, q, 1)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var id int64
		var v string
		if err := rows.Scan(&id, &v); err != nil {
			t.Fatal(err)
		}
		var inner string
		if err := tx.QueryRowContext(ctx, q, id).Scan(new(int64), &inner); err != nil {
			t.Fatal(err)
		}
		got = append(got, v+"="+inner)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	want := "[v0=v0 v1=v1 v2=v2 v3=v3 v4=v4]"
	if fmt.Sprint(got) != want {
		t.Errorf("got %v, want %s", got, want)
	}
}

// TestStmtCache_Bounded: distinct statements beyond the bound evict the
// least recently used, never one whose rows are open.
func TestStmtCache_Bounded(t *testing.T) {
	db, _ := openCached(t)
	ctx := t.Context()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "INSERT INTO t (v) VALUES ('a'), ('b')"); err != nil {
		t.Fatal(err)
	}
	const held = "SELECT v FROM t ORDER BY id"
	rows, err := conn.QueryContext(ctx, held)
	if err != nil {
		t.Fatal(err)
	}
	if !rows.Next() {
		t.Fatal("no first row")
	}
	for i := range stmtCacheSize + 20 {
		var n int
		if err := conn.QueryRowContext(ctx, fmt.Sprintf("SELECT %d", i)).Scan(&n); err != nil || n != i {
			t.Fatalf("SELECT %d = %d, %v", i, n, err)
		}
	}
	var cc *cachingConn
	conn.Raw(func(dc any) error { cc = dc.(*cachingConn); return nil })
	if len(cc.stmts) != stmtCacheSize || cc.lru.Len() != stmtCacheSize {
		t.Errorf("%d statements cached (%d in order), want %d", len(cc.stmts), cc.lru.Len(), stmtCacheSize)
	}
	if _, ok := cc.stmts[held]; !ok {
		t.Error("the statement with open rows was evicted")
	}
	var v string
	if !rows.Next() || rows.Scan(&v) != nil || v != "b" {
		t.Errorf("open rows after evictions: second row %q, want b", v)
	}
	rows.Close()
}

// TestStmtCache_SchemaChange: a statement kept prepared across a change of
// the schema it reads sees the new schema.
func TestStmtCache_SchemaChange(t *testing.T) {
	db, _ := openCached(t)
	ctx := context.Background()
	const q = "SELECT * FROM t"
	if _, err := db.ExecContext(ctx, "INSERT INTO t (v) VALUES ('a')"); err != nil {
		t.Fatal(err)
	}
	cols := func() int {
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		c, _ := rows.Columns()
		return len(c)
	}
	if n := cols(); n != 2 {
		t.Fatalf("%d columns, want 2", n)
	}
	if _, err := db.ExecContext(ctx, "ALTER TABLE t ADD COLUMN w TEXT"); err != nil {
		t.Fatal(err)
	}
	if n := cols(); n != 3 {
		t.Errorf("%d columns after ALTER TABLE, want 3", n)
	}
}
