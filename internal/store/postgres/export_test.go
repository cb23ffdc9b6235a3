package postgres

import (
	"context"
	"database/sql"
)

// NewestByRange is newestByRange with ranges of 1 << shift ids.
func NewestByRange(ctx context.Context, db *sql.DB, shift uint, q string, rate float64, maxID, below int64, n int) ([]int64, bool, error) {
	return dialect{ranges: newIDRanges(shift)}.newestByRange(ctx, db, q, rate, maxID, below, n)
}

// NewestMatchIDs is the batched read with ranges of 1 << shift ids.
func NewestMatchIDs(ctx context.Context, db *sql.DB, shift uint, queries []string, dfs []int, total, n int) ([][]int64, error) {
	return dialect{ranges: newIDRanges(shift)}.NewestMatchIDs(ctx, db, queries, dfs, total, n)
}

// DocumentFrequency is the dialect's document frequency.
func DocumentFrequency(ctx context.Context, db *sql.DB, term string, limit int) (int, error) {
	return dialect{}.DocumentFrequency(ctx, db, term, limit)
}
