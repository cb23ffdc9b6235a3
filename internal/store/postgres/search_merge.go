package postgres

import (
	"context"
	"database/sql"
)

// SearchIndexSegments implements sqlstore.Dialect: a GIN index has no
// segments to merge (the entries its pending list gathers between vacuums
// are merged by autovacuum, and after bulk loads by Analyze).
func (dialect) SearchIndexSegments(context.Context, *sql.DB) (int, error) { return 0, nil }

// MergeSearchIndex implements sqlstore.Dialect: nothing to merge.
func (dialect) MergeSearchIndex(context.Context, *sql.DB, int) (bool, error) { return false, nil }
