package backup

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
)

// Report is the outcome of a verification: each table's digest on both
// sides.
type Report struct {
	Tables []TableCheck
}

// TableCheck compares one table.
type TableCheck struct {
	Name           string
	Source, Target TableDigest
}

// OK reports whether the table's rows are the same on both sides.
func (c TableCheck) OK() bool { return c.Source == c.Target }

// Print writes one line per table.
func (r *Report) Print(w io.Writer) {
	for _, c := range r.Tables {
		mark := "ok"
		if !c.OK() {
			mark = fmt.Sprintf("DIFFERS (source %d rows %s…, target %d rows %s…)",
				c.Source.Rows, c.Source.Hash[:12], c.Target.Rows, c.Target.Hash[:12])
		}
		fmt.Fprintf(w, "  %-28s %9d rows  %s\n", c.Name, c.Target.Rows, mark)
	}
}

// Rows is the number of rows verified.
func (r *Report) Rows() int64 {
	var n int64
	for _, c := range r.Tables {
		n += c.Target.Rows
	}
	return n
}

// Verify compares every table of src with the desk at dst, row by row
// through their digests, and their migrations.
func Verify(ctx context.Context, src Source, dst Endpoint) (*Report, error) {
	want, err := DigestSource(ctx, src)
	if err != nil {
		return nil, err
	}
	db, err := dst.openRaw(ctx)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	got, err := OpenDBSource(ctx, db, dst.Dialect)
	if err != nil {
		return nil, err
	}
	defer got.Close()
	if !slices.Equal(got.Versions(), src.Versions()) {
		return nil, fmt.Errorf("verify: the target has migrations %v, the source %v", got.Versions(), src.Versions())
	}
	have, err := DigestSource(ctx, got)
	if err != nil {
		return nil, err
	}
	return compareDigests(want, have)
}

// compareDigests pairs the digests of both sides, every table of either.
func compareDigests(want, have map[string]TableDigest) (*Report, error) {
	names := map[string]bool{}
	for n := range want {
		names[n] = true
	}
	for n := range have {
		names[n] = true
	}
	r := &Report{}
	var bad []string
	for n := range names {
		c := TableCheck{Name: n, Source: want[n], Target: have[n]}
		if c.Source.Hash == "" {
			c.Source.Hash = "(missing)   "
		}
		if c.Target.Hash == "" {
			c.Target.Hash = "(missing)   "
		}
		r.Tables = append(r.Tables, c)
		if !c.OK() {
			bad = append(bad, n)
		}
	}
	sort.Slice(r.Tables, func(i, j int) bool { return r.Tables[i].Name < r.Tables[j].Name })
	if len(bad) > 0 {
		sort.Strings(bad)
		return r, fmt.Errorf("verify: %d tables differ: %s", len(bad), strings.Join(bad, ", "))
	}
	return r, nil
}
