package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// BulkLoad runs load, which adds many tickets through ImportTickets, with
// the store set up for it, and puts everything back afterwards, whether
// load failed or not. On SQLite (one writer connection) that is:
//
//   - a page cache of cacheMiB on the writer and synchronous OFF: a bulk
//     load is repeatable, so it need not survive a power cut mid-way;
//   - the dashboard counters' insert trigger dropped (four upserts a
//     ticket) and the counters recomputed from the tickets in one grouped
//     scan at the end, as migration 00013 first filled them.
//
// A process killed during load leaves the trigger dropped: generate again
// into a fresh desk. PostgreSQL's counters are kept by statement triggers
// over the whole batch already, so there load simply runs.
func (s *Store) BulkLoad(ctx context.Context, cacheMiB int, load func() error) (err error) {
	if s.dialect.Name() != "sqlite" {
		return load()
	}
	var cache int
	if err := s.db.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cache); err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	var trigger string
	err = s.db.QueryRowContext(ctx, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'ticket_counts_insert'").Scan(&trigger)
	if err != nil {
		return fmt.Errorf("bulk load: read the counters' trigger: %w", err)
	}
	if err := s.execAll(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", cacheMiB<<10), "PRAGMA synchronous = OFF",
		"DROP TRIGGER ticket_counts_insert"); err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	defer func() {
		// Put back with a context of its own: an interrupted load still
		// leaves a desk with its trigger and true counters.
		back := context.WithoutCancel(ctx)
		err = errors.Join(err, s.inTx(back, func(tx *sql.Tx) error { return recountTickets(back, tx, trigger) }),
			s.execAll(back, "PRAGMA synchronous = FULL", fmt.Sprintf("PRAGMA cache_size = %d", cache)))
	}()
	return load()
}

// recountTickets puts the counters' insert trigger back and recomputes
// every counter from the tickets (SQLite: slot 0), in tx: a counter sums
// its keys' values (v: 1, or a resolution time, migration 00064).
func recountTickets(ctx context.Context, tx *sql.Tx, trigger string) error {
	for _, q := range []string{trigger, "DELETE FROM ticket_counts",
		`INSERT INTO ticket_counts (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot, n)
		SELECT kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, 0, SUM(v)
		FROM ticket_count_keys
		GROUP BY kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("bulk load: recount tickets: %w", err)
		}
	}
	return nil
}

func (s *Store) execAll(ctx context.Context, qs ...string) error {
	for _, q := range qs {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// DatabaseSize is the database's size on disk in bytes: SQLite's pages
// (the file after a checkpoint), PostgreSQL's pg_database_size.
func (s *Store) DatabaseSize(ctx context.Context) (int64, error) {
	q := "SELECT pg_database_size(current_database())"
	if s.dialect.Name() == "sqlite" {
		q = "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"
	}
	var n int64
	if err := s.rdb.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return 0, fmt.Errorf("database size: %w", err)
	}
	return n, nil
}
