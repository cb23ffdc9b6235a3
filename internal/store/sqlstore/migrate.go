package sqlstore

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/pressly/goose/v3"
)

// Migrate applies every pending migration, each in its own transaction,
// holding the dialect's lock (a PostgreSQL advisory lock) so that several
// instances starting together apply each migration once.
func (s *Store) Migrate(ctx context.Context) error {
	opts := []goose.ProviderOption{goose.WithSlog(slog.New(slog.NewTextHandler(io.Discard, nil)))}
	locker, err := s.dialect.MigrationLocker(ctx, s.db)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if locker != nil {
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(s.dialect.GooseDialect(), s.db, s.dialect.Migrations(), opts...)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Ready implements desk.Store: the database answers and its newest applied
// migration is the newest one this binary knows. It reads goose's version
// table directly, because goose's own status calls create the table.
func (s *Store) Ready(ctx context.Context) error {
	want, err := s.latestMigration()
	if err != nil {
		return err
	}
	var have int64
	err = s.rdb.QueryRowContext(ctx,
		"SELECT COALESCE(MAX(version_id), 0) FROM "+goose.DefaultTablename+" WHERE is_applied").Scan(&have)
	if err != nil {
		return fmt.Errorf("database not ready (not migrated?): %w", err)
	}
	if have != want {
		return fmt.Errorf("database schema is at version %d, want %d: run migrations", have, want)
	}
	return nil
}

// latestMigration returns the highest migration version embedded.
func (s *Store) latestMigration() (int64, error) {
	p, err := goose.NewProvider(s.dialect.GooseDialect(), s.db, s.dialect.Migrations())
	if err != nil {
		return 0, fmt.Errorf("read migrations: %w", err)
	}
	srcs := p.ListSources()
	return srcs[len(srcs)-1].Version, nil
}
