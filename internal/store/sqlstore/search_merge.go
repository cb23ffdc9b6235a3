package sqlstore

import (
	"context"
	"fmt"
	"time"
)

// mergePages is how many pages of the search index one merge step
// rewrites: at most ~21 ms of CPU a step on the loaded 2-core machine,
// against ~38 ms at 200 pages, the same CPU in all (docs/benchmarks.md).
const mergePages = 50

// SearchMerge is what MergeSearchIndex did.
type SearchMerge struct {
	Steps            int           // steps that merged something
	Before, After    int           // the index's segments before and after
	Done             bool          // nothing is left to merge
	Elapsed, Longest time.Duration // the run, and its longest step
}

// MergeSearchIndex folds the search index's segments together in steps of
// a short write each, until nothing is left to merge or budget has passed
// (the next run goes on from there). A desk written ticket by ticket
// otherwise keeps an index of many small segments, which every search
// term reads one by one. On PostgreSQL it does nothing.
func (s *Store) MergeSearchIndex(ctx context.Context, budget time.Duration) (SearchMerge, error) {
	start := time.Now()
	var m SearchMerge
	var err error
	if m.Before, err = s.dialect.SearchIndexSegments(ctx, s.db); err != nil {
		return m, err
	}
	for time.Since(start) < budget {
		t := time.Now()
		merged, err := s.dialect.MergeSearchIndex(ctx, s.db, mergePages)
		if err != nil {
			return m, fmt.Errorf("merge search index: %w", err)
		}
		if !merged {
			m.Done = true
			break
		}
		m.Steps++
		m.Longest = max(m.Longest, time.Since(t))
	}
	if m.After, err = s.dialect.SearchIndexSegments(ctx, s.db); err != nil {
		return m, err
	}
	m.Elapsed = time.Since(start)
	return m, nil
}
