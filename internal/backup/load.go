package backup

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// loader writes a source's rows into the target's tables.
type loader struct {
	db      *sql.DB
	dialect string
	batch   int           // rows per transaction
	onRows  func(n int64) // progress, after each committed batch
	onBatch func() error  // called after each committed batch (tests interrupt here)
}

// load copies the rows of src's table t into the target table dst (same
// columns), continuing after st.
func (l *loader) load(ctx context.Context, src Source, t, dst Table, st tableState) error {
	conv, err := converters(t, dst)
	if err != nil {
		return err
	}
	if t.Key == "" {
		st.lastKey = minKey // without a key a table is copied whole, in one transaction
	}
	keyAt := -1
	for i, c := range t.Columns {
		if c.Name == t.Key {
			keyAt = i
		}
	}
	var pending [][]any
	flush := func(done bool) error {
		if err := l.commit(ctx, dst, pending, st.lastKey, done, t.Key == ""); err != nil {
			return err
		}
		if l.onRows != nil {
			l.onRows(int64(len(pending)))
		}
		pending = pending[:0]
		if l.onBatch != nil && !done {
			return l.onBatch()
		}
		return nil
	}
	err = src.Scan(ctx, t, st.lastKey, func(vals []any) error {
		row := make([]any, len(vals))
		for i, v := range vals {
			row[i] = conv[i](v)
		}
		pending = append(pending, row)
		if keyAt >= 0 {
			st.lastKey = toInt64(vals[keyAt])
			if len(pending) >= l.batch {
				return flush(false)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flush(true)
}

// commit inserts rows and records the table's progress in one transaction;
// whole tables (no key) are emptied first, in case an earlier run failed
// half-way.
func (l *loader) commit(ctx context.Context, t Table, rows [][]any, lastKey int64, done, whole bool) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if whole {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+quote(t.Name)); err != nil {
			return fmt.Errorf("load %s: %w", t.Name, err)
		}
	}
	per := max(1, min(500, 30000/len(t.Columns)))
	for len(rows) > 0 {
		n := min(per, len(rows))
		if err := l.insert(ctx, tx, t, rows[:n]); err != nil {
			return err
		}
		rows = rows[n:]
	}
	if _, err := tx.ExecContext(ctx, "UPDATE "+stateTable+" SET last_key = $1, done = $2 WHERE tbl = $3",
		lastKey, done, t.Name); err != nil {
		return fmt.Errorf("load %s: record progress: %w", t.Name, err)
	}
	return tx.Commit()
}

func (l *loader) insert(ctx context.Context, tx *sql.Tx, t Table, rows [][]any) error {
	var b strings.Builder
	cols := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = quote(c.Name)
	}
	b.WriteString("INSERT INTO " + quote(t.Name) + " (" + strings.Join(cols, ", ") + ") VALUES ")
	args := make([]any, 0, len(rows)*len(cols))
	for r, row := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for i := range row {
			if i > 0 {
				b.WriteString(", ")
			}
			if l.dialect == "postgres" {
				b.WriteString("$" + strconv.Itoa(len(args)+i+1))
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
		args = append(args, row...)
	}
	if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
		return fmt.Errorf("load %s: %w", t.Name, err)
	}
	return nil
}

// converters returns, for each of src's columns, the conversion of its
// values into dst's column of the same name; the columns must agree.
func converters(src, dst Table) ([]func(any) any, error) {
	if strings.Join(src.columnNames(), ",") != strings.Join(dst.columnNames(), ",") {
		return nil, fmt.Errorf("table %s differs between source and target: columns %v and %v",
			src.Name, src.columnNames(), dst.columnNames())
	}
	out := make([]func(any) any, len(dst.Columns))
	for i, c := range dst.Columns {
		out[i] = convert(c.kind)
	}
	return out, nil
}

func convert(k kind) func(any) any {
	switch k {
	case kindBool:
		return func(v any) any {
			switch x := v.(type) {
			case int64:
				return x != 0
			case string:
				return x == "1" || x == "true" || x == "t"
			}
			return v
		}
	case kindText:
		return func(v any) any {
			if b, ok := v.([]byte); ok {
				return string(b)
			}
			return v
		}
	case kindBytes:
		return func(v any) any {
			if s, ok := v.(string); ok {
				return []byte(s)
			}
			return v
		}
	case kindInt:
		return func(v any) any {
			if b, ok := v.(bool); ok {
				if b {
					return int64(1)
				}
				return int64(0)
			}
			return v
		}
	}
	return func(v any) any { return v }
}

func toInt64(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case int:
		return int64(x)
	}
	return 0
}
