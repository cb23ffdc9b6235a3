package sqlstore

import (
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Timestamps are BIGINT microseconds since the Unix epoch, UTC, in both
// databases: one code path, and keyset comparisons are integer compares.

func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

// nullMicros is the column value of an optional time.
func nullMicros(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMicro()
}

// timePtr reads an optional time column.
func timePtr(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMicros(v.Int64)
	return &t
}

// nullID is the column value of an optional reference: 0 is none.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// refID is the column value of an optional Ref.
func refID(r *desk.Ref) any {
	if r == nil {
		return nil
	}
	return nullID(r.ID)
}

// nullRef scans an optional reference and its joined name.
type nullRef struct {
	id   sql.NullInt64
	name sql.NullString
}

func (r *nullRef) ref() *desk.Ref {
	if !r.id.Valid {
		return nil
	}
	return &desk.Ref{ID: r.id.Int64, Name: r.name.String}
}

// placeholders returns "$from, $from+1, …" for n values.
func placeholders(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(from+i))
	}
	return b.String()
}

// args collects statement arguments and hands out their placeholders.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// addAll binds every value and returns the comma-separated placeholders.
func (a *args) addAll(vs ...any) string {
	ph := make([]string, len(vs))
	for i, v := range vs {
		ph[i] = a.add(v)
	}
	return strings.Join(ph, ", ")
}
