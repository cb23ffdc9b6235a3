package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// Migrate applies every pending migration, each in its own transaction,
// holding the dialect's lock (a PostgreSQL advisory lock) so that several
// instances starting together apply each migration once.
func (s *Store) Migrate(ctx context.Context) error {
	return s.migrate(ctx, func(p *goose.Provider) error { _, err := p.Up(ctx); return err })
}

// TableLocking is implemented by a dialect that may serialise migrations
// with a lock table instead of a session lock (PostgreSQL behind a
// transaction-pooling proxy); a nil Locker means it does not.
type TableLocking interface {
	MigrationTableLocker(ctx context.Context, db *sql.DB) (lock.Locker, error)
}

// MigrateTo applies the pending migrations up to version only, so that a
// test can fill a database as an older release left it and then check what
// a later migration does to the data.
func (s *Store) MigrateTo(ctx context.Context, version int64) error {
	return s.migrate(ctx, func(p *goose.Provider) error { _, err := p.UpTo(ctx, version); return err })
}

func (s *Store) migrate(ctx context.Context, up func(*goose.Provider) error) error {
	// Out-of-order migrations are allowed: features are developed in
	// parallel and land in any order, so a database migrated between two
	// landings may lack a lower number that arrives later. Each migration
	// only adds its own tables and columns, so applying it late is safe.
	fresh, err := s.fresh(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	opts := []goose.ProviderOption{goose.WithSlog(slog.New(slog.NewTextHandler(io.Discard, nil))),
		goose.WithAllowOutofOrder(true), goose.WithGoMigrations(freshDefaults(fresh))}
	locker, err := s.dialect.MigrationLocker(ctx, s.db)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if locker != nil {
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	if tl, ok := s.dialect.(TableLocking); ok {
		l, err := tl.MigrationTableLocker(ctx, s.db)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if l != nil {
			opts = append(opts, goose.WithLocker(l))
		}
	}
	p, err := goose.NewProvider(s.dialect.GooseDialect(), s.db, s.dialect.Migrations(), opts...)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := up(p); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if fresh {
		if err := s.nameBuiltins(ctx); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	return s.afterMigrate(ctx)
}

// Ready implements desk.Store: the database answers and every migration this
// binary knows is applied (migrations may be applied out of order, so the
// newest one alone proves nothing). It reads goose's version table
// directly, because goose's own status calls create the table.
func (s *Store) Ready(ctx context.Context) error {
	want, err := s.migrationVersions()
	if err != nil {
		return err
	}
	rows, err := s.rdb.QueryContext(ctx,
		"SELECT DISTINCT version_id FROM "+goose.DefaultTablename+" WHERE is_applied")
	if err != nil {
		return fmt.Errorf("database not ready (not migrated?): %w", err)
	}
	defer rows.Close()
	applied := map[int64]bool{}
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return fmt.Errorf("database not ready: %w", err)
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("database not ready: %w", err)
	}
	for _, v := range want {
		if !applied[v] {
			return fmt.Errorf("database schema lacks migration %d: run migrations", v)
		}
	}
	return nil
}

// KnownMigrations returns every migration this binary can apply, the Go
// ones included, so that tools can refuse a desk from a newer release.
func (s *Store) KnownMigrations() ([]int64, error) {
	v, err := s.migrationVersions()
	return append(v, freshDefaults(false).Version), err
}

// migrationVersions returns the versions of the embedded migrations.
func (s *Store) migrationVersions() ([]int64, error) {
	p, err := goose.NewProvider(s.dialect.GooseDialect(), s.db, s.dialect.Migrations())
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []int64
	for _, src := range p.ListSources() {
		out = append(out, src.Version)
	}
	return out, nil
}

// afterMigrate fills in what a migration could not compute in SQL: the
// lookup terms of users stored before migration 00015 (a test that stopped
// short of 00015 has no such column yet).
func (s *Store) afterMigrate(ctx context.Context) error {
	ok, err := s.applied(ctx, 15)
	if err != nil || !ok {
		return err
	}
	return s.fillLookupTerms(ctx)
}

// applied reports whether migration version is applied: bulk paths that
// tests run on an older schema (MigrateTo) leave out the newer columns.
func (s *Store) applied(ctx context.Context, version int64) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+goose.DefaultTablename+
		" WHERE version_id = $1 AND is_applied", version).Scan(&n)
	return n > 0, err
}

// fresh reports whether the database is new: no migration applied yet.
// Several instances starting together may all see a new database; only
// the one that applies migration 14 acts on it (goose runs it once).
func (s *Store) fresh(ctx context.Context) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+goose.DefaultTablename+" WHERE is_applied").Scan(&n)
	if err != nil {
		return true, nil //nolint:nilerr // no version table yet: a new database
	}
	return n == 0, nil
}

// freshDefaults is migration 14, in Go because what it does depends on
// the database: on a new one (the migrations applied together with the
// seeding in 00002) incidents P2–P4 go on the 24x7 calendar, so their
// "1 h / 3 h" first response and "8 h / 24 h / 72 h" restoration hold at
// any time of day as the support policy promises. On a desk that already
// existed it does nothing: its policies are as its admins set them.
func freshDefaults(fresh bool) *goose.Migration {
	return goose.NewGoMigration(14, &goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
		if !fresh {
			return nil
		}
		_, err := tx.ExecContext(ctx, `UPDATE sla_policies SET calendar = '24x7'
			WHERE name IN ('P2 incidents', 'P3 incidents', 'P4 incidents') AND calendar = 'business'`)
		return err
	}}, nil)
}
