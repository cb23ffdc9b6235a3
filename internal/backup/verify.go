package backup

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/tierdesk/tierdesk/internal/audit"
)

// Report is the outcome of a verification: each table's digest on both
// sides.
type Report struct {
	Tables []TableCheck
	// Audit is the verification of the target's audit chain (issue 14),
	// nil when the desk predates it (migration 00040).
	Audit *audit.Report
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
	if a := r.Audit; a != nil {
		mark := "ok"
		if !a.OK() {
			mark = fmt.Sprintf("BROKEN at entry %d: %s", a.Broken.Seq, a.Broken.Reason)
		}
		fmt.Fprintf(w, "  %-28s %9d entries  %s\n", "audit chain", a.Entries, mark)
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
	r, err := compareDigests(want, have)
	if err != nil {
		return r, err
	}
	got.Close() // its snapshot holds the pool's one connection
	return r, verifyAudit(ctx, db, dst.Dialect, src.Versions(), r)
}

// auditMigration is the migration that made the audit log.
const auditMigration = 40

// verifyAudit checks the target's audit chain where the desk has one: a
// copy whose rows all match can still hold a chain broken before it was
// taken, and the restored desk must not start from one unnoticed.
func verifyAudit(ctx context.Context, db *sql.DB, dialect string, versions []int64, r *Report) error {
	if !slices.Contains(versions, auditMigration) {
		return nil
	}
	a, err := audit.Verify(ctx, db, dialect, nil)
	if err != nil {
		return err
	}
	r.Audit = a
	if !a.OK() {
		return fmt.Errorf("verify: %w", a.Broken)
	}
	return nil
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
