package backup

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// The copy's own bookkeeping in the target, dropped when the copy ends: the
// progress of each table (resumable copies) and the statements that put
// back the triggers and foreign keys set aside during the load.
const (
	stateTable = "tierdesk_copy_state"
	ddlTable   = "tierdesk_copy_ddl"
)

// tableState is where the load of one table stands.
type tableState struct {
	lastKey int64
	done    bool
}

// hasCopyState reports whether an unfinished copy left its bookkeeping in db.
func hasCopyState(ctx context.Context, db *sql.DB, dialect string) (bool, error) {
	names, err := tableNames(ctx, db, dialect)
	for _, n := range names {
		if n == stateTable {
			return true, err
		}
	}
	return false, err
}

// prepareTarget readies a freshly migrated target for the load, in one
// transaction: bookkeeping tables, triggers and foreign keys set aside
// (their restoring statements saved), the rows the migrations seeded
// deleted.
func prepareTarget(ctx context.Context, db *sql.DB, dialect string, tables []Table) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, q := range []string{
		"CREATE TABLE " + stateTable + " (tbl TEXT PRIMARY KEY, last_key BIGINT NOT NULL, done BOOLEAN NOT NULL)",
		"CREATE TABLE " + ddlTable + " (seq INTEGER PRIMARY KEY, stmt TEXT NOT NULL)",
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("prepare the target: %w", err)
		}
	}
	setAside := setAsideSQLite
	if dialect == "postgres" {
		setAside = setAsidePostgres
	}
	if err := setAside(ctx, tx); err != nil {
		return fmt.Errorf("prepare the target: %w", err)
	}
	for _, t := range tables {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+quote(t.Name)); err != nil {
			return fmt.Errorf("prepare the target: empty %s: %w", t.Name, err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO "+stateTable+" (tbl, last_key, done) VALUES ($1, $2, $3)",
			t.Name, int64(minKey), false); err != nil {
			return fmt.Errorf("prepare the target: %w", err)
		}
	}
	return tx.Commit()
}

// setAsideSQLite drops the triggers (SQLite cannot disable them), saving
// their definitions; foreign keys are off on the loading connection.
func setAsideSQLite(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
	if err != nil {
		return err
	}
	var names, defs []string
	for rows.Next() {
		var n, d string
		if err := rows.Scan(&n, &d); err != nil {
			rows.Close()
			return err
		}
		names, defs = append(names, n), append(defs, d)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for i, n := range names {
		if err := saveDDL(ctx, tx, i, defs[i], "DROP TRIGGER "+quote(n)); err != nil {
			return err
		}
	}
	return nil
}

// setAsidePostgres drops the foreign keys (added back, and so checked, at
// the end) and disables the user triggers of the schema's tables.
func setAsidePostgres(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT c.conrelid::regclass::text, quote_ident(c.conname), pg_get_constraintdef(c.oid)
		FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace ORDER BY 1, 2`)
	if err != nil {
		return err
	}
	var undo, do []string
	for rows.Next() {
		var rel, name, def string
		if err := rows.Scan(&rel, &name, &def); err != nil {
			rows.Close()
			return err
		}
		undo = append(undo, "ALTER TABLE "+rel+" ADD CONSTRAINT "+name+" "+def)
		do = append(do, "ALTER TABLE "+rel+" DROP CONSTRAINT "+name)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	rels, err := queryStrings(ctx, tx, `SELECT DISTINCT t.tgrelid::regclass::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
		WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace ORDER BY 1`)
	if err != nil {
		return err
	}
	for _, rel := range rels {
		undo = append(undo, "ALTER TABLE "+rel+" ENABLE TRIGGER USER")
		do = append(do, "ALTER TABLE "+rel+" DISABLE TRIGGER USER")
	}
	for i := range undo {
		if err := saveDDL(ctx, tx, i, undo[i], do[i]); err != nil {
			return err
		}
	}
	return nil
}

func saveDDL(ctx context.Context, tx *sql.Tx, seq int, undo, do string) error {
	if _, err := tx.ExecContext(ctx, "INSERT INTO "+ddlTable+" (seq, stmt) VALUES ($1, $2)", seq, undo); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, do)
	return err
}

// readState returns the progress of every table.
func readState(ctx context.Context, db *sql.DB) (map[string]tableState, error) {
	rows, err := db.QueryContext(ctx, "SELECT tbl, last_key, done FROM "+stateTable)
	if err != nil {
		return nil, fmt.Errorf("read the copy's progress: %w", err)
	}
	defer rows.Close()
	out := map[string]tableState{}
	for rows.Next() {
		var n string
		var s tableState
		if err := rows.Scan(&n, &s.lastKey, &s.done); err != nil {
			return nil, err
		}
		out[n] = s
	}
	return out, rows.Err()
}

// finishTarget puts back the triggers and foreign keys (checking every
// row), moves the id sequences past the copied ids, asks for a search
// reindex of every ticket and drops the bookkeeping, in one transaction.
func finishTarget(ctx context.Context, db *sql.DB, dialect string, tables []Table) error {
	stmts, err := queryStrings(ctx, db, "SELECT stmt FROM "+ddlTable+" ORDER BY seq")
	if err != nil {
		return fmt.Errorf("finish the copy: %w", err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmts = append(stmts,
		"DELETE FROM search_reindex",
		"INSERT INTO search_reindex (below) SELECT COALESCE(MAX(id), 0) + 1 FROM tickets",
		"DROP TABLE "+stateTable, "DROP TABLE "+ddlTable)
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("finish the copy: %s: %w", firstLine(q), err)
		}
	}
	if dialect == "postgres" {
		if err := resetSequences(ctx, tx, tables); err != nil {
			return fmt.Errorf("finish the copy: %w", err)
		}
	} else if err := checkForeignKeys(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

// resetSequences moves each identity sequence past the largest copied id,
// so that new rows do not collide with copied ones.
func resetSequences(ctx context.Context, tx *sql.Tx, tables []Table) error {
	for _, t := range tables {
		if t.Key == "" {
			continue
		}
		q := fmt.Sprintf(`SELECT setval(s, COALESCE((SELECT MAX(%[1]s) FROM %[2]s), 0) + 1, false)
			FROM pg_get_serial_sequence($1, $2) AS s WHERE s IS NOT NULL`, quote(t.Key), quote(t.Name))
		if _, err := tx.ExecContext(ctx, q, quote(t.Name), t.Key); err != nil {
			return fmt.Errorf("reset the sequence of %s: %w", t.Name, err)
		}
	}
	return nil
}

// checkForeignKeys fails when a copied row refers to a row that is not
// there (SQLite loads with the checks off).
func checkForeignKeys(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")
	if err != nil {
		return fmt.Errorf("check foreign keys: %w", err)
	}
	defer rows.Close()
	var bad []string
	for rows.Next() {
		var tbl, parent string
		var id sql.NullInt64
		if err := rows.Scan(&tbl, &id, &parent); err != nil {
			return err
		}
		if len(bad) < 5 {
			bad = append(bad, fmt.Sprintf("%s row %d refers to a missing %s", tbl, id.Int64, parent))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("the copied rows break foreign keys: %s", strings.Join(bad, "; "))
	}
	return rows.Err()
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
