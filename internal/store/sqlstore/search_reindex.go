package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
)

// reindexBatch is how many tickets one reindex transaction rewrites: short
// enough (tens of milliseconds) that the desk's writes wait little behind it.
const reindexBatch = 200

// ReindexProgress is where a reindex stands.
type ReindexProgress struct {
	Done, Total int64 // tickets rewritten by this run, tickets it had to rewrite
}

// ReindexSearch rewrites the search documents of the tickets not yet
// analysed by the current text analysis (after migration 00018, every
// ticket created before it), newest first, in short transactions of their
// own, so that the desk keeps working and recent tickets are found first.
// Tickets written meanwhile are indexed by their own writes. It returns
// when every ticket is indexed or ctx ends, and may be run again (or by
// several instances at once) at any time; progress is reported after each
// batch.
func (s *Store) ReindexSearch(ctx context.Context, progress func(ReindexProgress)) error {
	var p ReindexProgress
	below, err := s.reindexBelow(ctx)
	if err != nil || below <= 1 {
		return err
	}
	err = s.rdb.QueryRowContext(ctx, "SELECT COUNT(*) FROM tickets WHERE id < $1", below).Scan(&p.Total)
	if err != nil {
		return fmt.Errorf("reindex: count tickets: %w", err)
	}
	for below > 1 {
		if err := ctx.Err(); err != nil {
			return err
		}
		var n int
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			var err error
			n, below, err = s.reindexBatch(ctx, tx, below)
			return err
		})
		if err != nil {
			return fmt.Errorf("reindex: %w", err)
		}
		p.Done += int64(n)
		if progress != nil {
			progress(p)
		}
	}
	return nil
}

// reindexBelow returns the id under which tickets still wait for the
// reindex.
func (s *Store) reindexBelow(ctx context.Context) (int64, error) {
	var below int64
	err := s.rdb.QueryRowContext(ctx, "SELECT below FROM search_reindex").Scan(&below)
	if err != nil {
		return 0, fmt.Errorf("reindex: read progress: %w", err)
	}
	return below, nil
}

// reindexBatch rewrites the documents of the newest tickets under below
// and records the new bound; 1 means done.
func (s *Store) reindexBatch(ctx context.Context, tx *sql.Tx, below int64) (int, int64, error) {
	var cur int64
	if err := tx.QueryRowContext(ctx, "SELECT below FROM search_reindex"+s.dialect.ForUpdate()).Scan(&cur); err != nil {
		return 0, 0, err
	}
	below = min(below, cur) // another instance may be ahead
	rows, err := tx.QueryContext(ctx, "SELECT id FROM tickets WHERE id < $1 ORDER BY id DESC LIMIT $2", below, reindexBatch)
	if err != nil {
		return 0, 0, err
	}
	ids, err := ScanIDs(rows)
	if err != nil {
		return 0, 0, err
	}
	for _, id := range ids {
		if err := s.indexTicket(ctx, tx, id); err != nil {
			return 0, 0, err
		}
	}
	next := int64(1)
	if len(ids) == reindexBatch {
		next = ids[len(ids)-1]
	}
	_, err = tx.ExecContext(ctx, "UPDATE search_reindex SET below = $1 WHERE below > $1", next)
	return len(ids), next, err
}

// ScanIDs reads a column of ids and closes rows.
func ScanIDs(rows *sql.Rows) ([]int64, error) {
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
