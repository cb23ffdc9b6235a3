package postgres

import (
	"context"
	"database/sql"
)

// NewestByRange is newestByRange with ranges of 1 << shift ids.
func NewestByRange(ctx context.Context, db *sql.DB, shift uint, q string, rate float64, maxID, below int64, n int) ([]int64, bool, error) {
	return dialect{ranges: newIDRanges(shift)}.newestByRange(ctx, db, q, rate, maxID, below, n)
}
