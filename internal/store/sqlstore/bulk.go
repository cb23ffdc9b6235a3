package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// maxParams bounds the parameters of one multi-row statement, under both
// SQLite's (32766) and PostgreSQL's (65535) limits.
const maxParams = 16384

// multiInsert inserts rows of width values each with as few multi-row
// statements as the parameter limit allows. row renders one row's "(…)"
// given its first parameter number and the dialect's bulk placeholders;
// each, when set, reads every row the statements return (tail holds their
// RETURNING clause).
type multiInsert struct {
	head  string // INSERT INTO table (columns) VALUES
	tail  string // optional ON CONFLICT / RETURNING clause
	width int
	row   func(first int, ph func(int) string) string
	each  func(*sql.Rows) error
}

// plainRow renders a row of width plain values.
func plainRow(width int) func(int, func(int) string) string {
	return func(first int, ph func(int) string) string {
		vs := make([]string, width)
		for i := range vs {
			vs[i] = ph(first + i)
		}
		return "(" + strings.Join(vs, ", ") + ")"
	}
}

func (m multiInsert) run(ctx context.Context, tx *sql.Tx, d Dialect, vals []any) error {
	perStmt := maxParams / m.width
	n := len(vals) / m.width
	for start := 0; start < n; start += perStmt {
		end := min(n, start+perStmt)
		var b strings.Builder
		b.WriteString(m.head)
		for i := start; i < end; i++ {
			if i > start {
				b.WriteString(", ")
			}
			b.WriteString(m.row(1+(i-start)*m.width, d.BulkPlaceholder))
		}
		b.WriteString(m.tail)
		if err := m.exec(ctx, tx, b.String(), vals[start*m.width:end*m.width]); err != nil {
			return err
		}
	}
	return nil
}

func (m multiInsert) exec(ctx context.Context, tx *sql.Tx, q string, vals []any) error {
	if m.each == nil {
		_, err := tx.ExecContext(ctx, q, vals...)
		return err
	}
	rows, err := tx.QueryContext(ctx, q, vals...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := m.each(rows); err != nil {
			return fmt.Errorf("read returned row: %w", err)
		}
	}
	return rows.Err()
}
