package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// A desk built by ordinary writes gives FTS5 one small segment (b-tree) per
// transaction that writes a search document; FTS5's automerge folds four
// segments of a level into one of the next, so the index settles at up to
// three or four segments a level, each of which every term of a search
// looks up and reads (measured in docs/benchmarks.md, issue 13: a 1M-ticket
// index written ticket by ticket had 20–30 segments). The job runner merges
// them in the background with FTS5's 'merge' command, which migration 00073
// makes fold any level holding two segments or more (usermerge 2), so the
// index keeps about one segment a level. Each step is one short write
// transaction of at most mergePages pages, so the desk's writes wait little.

// SearchIndexSegments implements sqlstore.Dialect: the number of segments
// of ticket_search, read from its structure record.
func (dialect) SearchIndexSegments(ctx context.Context, db *sql.DB) (int, error) {
	var b []byte
	err := db.QueryRowContext(ctx, "SELECT block FROM ticket_search_data WHERE id = 10").Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read search index structure: %w", err)
	}
	levels, err := ftsLevels(b)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, l := range levels {
		n += l
	}
	return n, nil
}

// MergeSearchIndex implements sqlstore.Dialect: one 'merge' step of at most
// pages leaf pages. FTS5 says whether it merged anything only through the
// connection's count of changes (the command itself counts one).
func (dialect) MergeSearchIndex(ctx context.Context, db *sql.DB, pages int) (bool, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return false, fmt.Errorf("merge search index: %w", err)
	}
	defer conn.Close()
	var before, after int64
	if err := conn.QueryRowContext(ctx, "SELECT total_changes()").Scan(&before); err != nil {
		return false, fmt.Errorf("merge search index: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "INSERT INTO ticket_search (ticket_search, rank) VALUES ('merge', $1)", pages); err != nil {
		return false, fmt.Errorf("merge search index: %w", err)
	}
	if err := conn.QueryRowContext(ctx, "SELECT total_changes()").Scan(&after); err != nil {
		return false, fmt.Errorf("merge search index: %w", err)
	}
	return after-before >= 2, nil
}

// ftsLevels decodes an FTS5 structure record (fts5_index.c,
// fts5StructureDecode) into the number of segments of each level: a 4-byte
// cookie, an optional version-2 marker (contentless_delete tables), then
// varints: levels, segments, write counter, and per level the segments
// being merged, the segment count and each segment's fields.
func ftsLevels(b []byte) ([]int, error) {
	if len(b) < 4 {
		return nil, errors.New("search index structure: record too short")
	}
	i, fields := 4, 3 // segment id, first and last page
	if len(b) >= 8 && string(b[4:8]) == "\xff\x00\x00\x01" {
		i, fields = 8, 8 // and two origins, tombstone pages, tombstones, entries
	}
	bad := false
	next := func() uint64 {
		v, n := ftsVarint(b[i:])
		if n == 0 {
			bad = true
		}
		i += n
		return v
	}
	nLevel := next()
	next() // segments
	next() // write counter
	if bad || nLevel > 64 {
		return nil, errors.New("search index structure: bad header")
	}
	levels := make([]int, nLevel)
	for l := range levels {
		next() // segments being merged
		nSeg := next()
		if bad || nSeg > uint64(len(b)) {
			return nil, errors.New("search index structure: bad level")
		}
		for range nSeg * uint64(fields) {
			next()
		}
		levels[l] = int(nSeg)
	}
	if bad {
		return nil, errors.New("search index structure: truncated")
	}
	return levels, nil
}

// ftsVarint decodes SQLite's big-endian varint (sqlite3Fts5GetVarint):
// seven bits a byte while the high bit is set, the ninth byte whole. It
// returns the value and its length, 0 when b ends first.
func ftsVarint(b []byte) (uint64, int) {
	var v uint64
	for i := range min(8, len(b)) {
		v = v<<7 | uint64(b[i]&0x7f)
		if b[i] < 0x80 {
			return v, i + 1
		}
	}
	if len(b) < 9 {
		return 0, 0
	}
	return v<<8 | uint64(b[8]), 9
}
