package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/schollz/progressbar/v3"

	"github.com/tierdesk/tierdesk/internal/store/sqlite"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// Options tune a copy or restore.
type Options struct {
	// Progress receives a progress bar (nil: none).
	Progress io.Writer
	// Batch is how many rows one transaction loads (default 2000); a
	// resumed copy continues after the last committed batch.
	Batch int
	// AfterBatch, when set, runs after each committed batch; an error stops
	// the copy there (tests interrupt copies this way).
	AfterBatch func() error
}

// ErrNotEmpty is returned when the target already holds a desk.
var ErrNotEmpty = errors.New("target is not empty")

// ErrNewerSchema is returned for a desk written by a newer Tierdesk.
var ErrNewerSchema = errors.New("newer schema")

// Copy copies the desk src into the empty database dst, or finishes a copy
// into dst that stopped half-way, then verifies every table.
func Copy(ctx context.Context, src Source, dst Endpoint, opts Options) (*Report, error) {
	if err := checkVersions(ctx, src.Versions()); err != nil {
		return nil, err
	}
	db, err := openTarget(ctx, dst)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	tables, err := readTables(ctx, db, dst.Dialect)
	if err != nil {
		return nil, err
	}
	if err := loadAll(ctx, src, db, dst.Dialect, tables, opts); err != nil {
		return nil, err
	}
	if err := finishTarget(ctx, db, dst.Dialect, tables); err != nil {
		return nil, err
	}
	if err := reindex(ctx, dst, opts.Progress); err != nil {
		return nil, err
	}
	return Verify(ctx, src, dst)
}

// openTarget migrates an empty target and prepares it for the load, or
// reopens one whose copy stopped half-way.
func openTarget(ctx context.Context, dst Endpoint) (*sql.DB, error) {
	empty, err := dst.isEmpty(ctx)
	if err != nil {
		return nil, err
	}
	if !empty {
		db, err := dst.openRaw(ctx)
		if err != nil {
			return nil, err
		}
		if resume, err := hasCopyState(ctx, db, dst.Dialect); err != nil || !resume {
			db.Close()
			return nil, errors.Join(fmt.Errorf("%w: %s already holds a desk; copy and restore need an empty data directory or database", ErrNotEmpty, dst), err)
		}
		return db, nil
	}
	st, err := dst.OpenStore(ctx)
	if err != nil {
		return nil, err
	}
	err = st.Migrate(ctx)
	st.Close()
	if err != nil {
		return nil, fmt.Errorf("create the target: %w", err)
	}
	db, err := dst.openRaw(ctx)
	if err != nil {
		return nil, err
	}
	tables, err := readTables(ctx, db, dst.Dialect)
	if err == nil {
		err = prepareTarget(ctx, db, dst.Dialect, tables)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// loadAll loads every table not yet done, with a progress bar over rows.
func loadAll(ctx context.Context, src Source, db *sql.DB, dialect string, tables []Table, opts Options) error {
	state, err := readState(ctx, db)
	if err != nil {
		return err
	}
	byName := map[string]Table{}
	for _, t := range tables {
		byName[t.Name] = t
	}
	if err := sameTables(src.Tables(), tables); err != nil {
		return err
	}
	bar := newBar(opts.Progress, -1, "copying")
	l := &loader{db: db, dialect: dialect, batch: opts.Batch, onBatch: opts.AfterBatch,
		onRows: func(n int64) { bar.Add64(n) }}
	if l.batch <= 0 {
		l.batch = 2000
	}
	for _, t := range src.Tables() {
		st := state[t.Name]
		if st.done {
			continue
		}
		bar.Describe("copying " + t.Name)
		if err := l.load(ctx, src, t, byName[t.Name], st); err != nil {
			return err
		}
	}
	bar.Finish()
	return nil
}

// sameTables fails when source and target do not have the same tables.
func sameTables(src, dst []Table) error {
	var a, b []string
	for _, t := range src {
		a = append(a, t.Name)
	}
	for _, t := range dst {
		b = append(b, t.Name)
	}
	if !slices.Equal(a, b) {
		return fmt.Errorf("source and target have different tables:\n  source %v\n  target %v", a, b)
	}
	return nil
}

// reindex builds the target's search documents.
func reindex(ctx context.Context, dst Endpoint, progress io.Writer) error {
	st, err := dst.OpenStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	bar := newBar(progress, -1, "indexing tickets for search")
	err = st.ReindexSearch(ctx, func(p sqlstore.ReindexProgress) {
		bar.ChangeMax64(p.Total)
		bar.Set64(p.Done)
	})
	bar.Finish()
	if err != nil {
		return fmt.Errorf("index the copied tickets for search: %w", err)
	}
	return nil
}

func newBar(w io.Writer, max int64, what string) *progressbar.ProgressBar {
	if w == nil {
		w = io.Discard
	}
	return progressbar.NewOptions64(max, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(200e6), progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }))
}

// checkVersions refuses a desk written by a newer Tierdesk, and one that
// lacks migrations this one has (migrate it, or restore it with the release
// that wrote it, first).
func checkVersions(ctx context.Context, versions []int64) error {
	known, err := knownVersions(ctx)
	if err != nil {
		return err
	}
	var newer, older []int64
	for _, v := range versions {
		if !slices.Contains(known, v) {
			newer = append(newer, v)
		}
	}
	for _, v := range known {
		if !slices.Contains(versions, v) {
			older = append(older, v)
		}
	}
	switch {
	case len(newer) > 0:
		return fmt.Errorf("%w: the desk was written by a newer Tierdesk (migrations %v are unknown to this one); use that release or a later one", ErrNewerSchema, newer)
	case len(older) > 0:
		return fmt.Errorf("the desk lacks migrations %v of this Tierdesk: run `tierdesk migrate` on it first (or restore it with the release that wrote it)", older)
	}
	return nil
}

// knownVersions are the migrations this binary applies.
func knownVersions(ctx context.Context) ([]int64, error) {
	st, err := sqlite.Open(ctx, ":memory:")
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return st.KnownMigrations()
}
