// Package backup moves whole desks between databases and archives: online
// backups of a running desk (SQLite through VACUUM INTO, PostgreSQL through
// one repeatable-read snapshot), restores into an empty data directory or
// database, and copies between SQLite and PostgreSQL. Every path ends in a
// verification that compares each table by row count and content hash.
//
// The tables come from the database's own catalogue, not from a list, so a
// table added by a later migration is copied, backed up and compared
// without changes here. Only the derived tables below are left out, each
// rebuilt by the target itself.
package backup

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
)

// Derived tables are not copied: each database keeps them in its own format
// and the target rebuilds them after the load. The reason is shown when a
// copy lists what it skipped.
var Derived = map[string]string{
	"ticket_search":  "search documents, in each database's own index format; rebuilt by the search reindex",
	"search_reindex": "progress of the search reindex; set so that the target reindexes every ticket",
}

// versionTable is goose's record of applied migrations: the target gets its
// own by migrating, and the versions are compared instead of its rows.
const versionTable = "goose_db_version"

// lockTable is goose's migration lock behind a connection pooler: a lock's
// state, not the desk's.
const lockTable = "goose_lock"

// kind is how a column's values are converted for the target database.
type kind int

const (
	kindOther kind = iota
	kindInt
	kindBool
	kindText
	kindBytes
)

func kindOf(typ string) kind {
	t := strings.ToUpper(typ)
	switch {
	case strings.Contains(t, "BOOL"):
		return kindBool
	case strings.Contains(t, "BYTEA"), strings.Contains(t, "BLOB"):
		return kindBytes
	case strings.Contains(t, "INT"):
		return kindInt
	case strings.Contains(t, "CHAR"), strings.Contains(t, "TEXT"), strings.Contains(t, "JSON"), strings.Contains(t, "CLOB"):
		return kindText
	}
	return kindOther
}

// Column is one copied column.
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"`
	kind kind
}

// Table is one copied table: its columns in catalogue order and, when its
// primary key is a single integer column, that column (copies are then
// resumable batch by batch in key order).
type Table struct {
	Name    string   `json:"name"`
	Columns []Column `json:"columns"`
	Key     string   `json:"key,omitempty"`
}

func (t Table) columnNames() []string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return names
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// readTables lists the tables of the database (dialect "sqlite" or
// "postgres") with their columns, derived and version tables left out,
// sorted by name.
func readTables(ctx context.Context, q querier, dialect string) ([]Table, error) {
	names, err := tableNames(ctx, q, dialect)
	if err != nil {
		return nil, fmt.Errorf("read the tables: %w", err)
	}
	var out []Table
	for _, n := range names {
		if _, skip := Derived[n]; skip || n == versionTable || n == lockTable || strings.HasPrefix(n, "tierdesk_copy_") {
			continue
		}
		t, err := readTable(ctx, q, dialect, n)
		if err != nil {
			return nil, fmt.Errorf("read table %s: %w", n, err)
		}
		out = append(out, t)
	}
	return out, nil
}

// tableNames lists every ordinary table: on SQLite not the internal ones,
// virtual tables or their shadow tables.
func tableNames(ctx context.Context, q querier, dialect string) ([]string, error) {
	query := `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	if dialect == "sqlite" {
		query = `SELECT name FROM sqlite_master t WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'
			AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE v.type = 'table' AND v.sql LIKE 'CREATE VIRTUAL TABLE%'
				AND (t.name = v.name OR t.name LIKE v.name || '\_%' ESCAPE '\'))`
	}
	names, err := queryStrings(ctx, q, query)
	sort.Strings(names)
	return names, err
}

func readTable(ctx context.Context, q querier, dialect, name string) (Table, error) {
	t := Table{Name: name}
	var keys []Column
	query := `SELECT c.column_name, c.data_type, COALESCE((SELECT TRUE FROM pg_index i JOIN pg_attribute a
			ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
			WHERE i.indrelid = to_regclass(quote_ident($1)) AND i.indisprimary AND a.attname = c.column_name), FALSE)
		FROM information_schema.columns c
		WHERE c.table_schema = current_schema() AND c.table_name = $1 AND c.is_generated = 'NEVER'
		ORDER BY c.ordinal_position`
	if dialect == "sqlite" {
		query = "SELECT name, type, pk > 0 FROM pragma_table_info($1) ORDER BY cid"
	}
	rows, err := q.QueryContext(ctx, query, name)
	if err != nil {
		return t, err
	}
	defer rows.Close()
	for rows.Next() {
		var c Column
		var pk bool
		if err := rows.Scan(&c.Name, &c.Type, &pk); err != nil {
			return t, err
		}
		c.kind = kindOf(c.Type)
		t.Columns = append(t.Columns, c)
		if pk {
			keys = append(keys, c)
		}
	}
	if len(keys) == 1 && keys[0].kind == kindInt {
		t.Key = keys[0].Name
	}
	return t, rows.Err()
}

func queryStrings(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// appliedVersions returns the migrations applied to the database, sorted.
func appliedVersions(ctx context.Context, q querier) ([]int64, error) {
	rows, err := q.QueryContext(ctx, "SELECT DISTINCT version_id FROM "+versionTable+" WHERE is_applied AND version_id > 0 ORDER BY version_id")
	if err != nil {
		return nil, fmt.Errorf("read the applied migrations: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// quote quotes an identifier for both databases.
func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// SchemaTables lists every table of the desk at e, derived ones included
// (the version table and the copy's bookkeeping left out).
func SchemaTables(ctx context.Context, e Endpoint) ([]string, error) {
	db, err := e.openRaw(ctx)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	names, err := tableNames(ctx, db, e.Dialect)
	var out []string
	for _, n := range names {
		if n != versionTable && n != lockTable && !strings.HasPrefix(n, "tierdesk_copy_") {
			out = append(out, n)
		}
	}
	return out, err
}
