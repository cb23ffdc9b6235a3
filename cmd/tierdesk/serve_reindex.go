package main

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/tierdesk/tierdesk/internal/jobs"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// startReindex rewrites, in the background, the search documents that a
// change of the text analysis left to redo (migration 00018), while the
// desk serves; progress is logged at most every ten seconds. The returned
// function stops it and waits; a stopped reindex resumes at the next start.
func startReindex(ctx context.Context, db *sqlstore.Store, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var logged time.Time
		err := db.ReindexSearch(ctx, func(p sqlstore.ReindexProgress) {
			if time.Since(logged) >= 10*time.Second || p.Done == p.Total {
				logged = time.Now()
				log.Info("search reindex", "done", p.Done, "total", p.Total)
			}
		})
		if err != nil && !errors.Is(err, context.Canceled) {
			log.Error("search reindex", "err", err)
		}
	}()
	return func() { cancel(); wg.Wait() }
}

// searchMergeEvery is how often the job runner merges the search index's
// segments, and searchMergeBudget how long one run may take at most (its
// steps are short writes of their own; the next run goes on).
const (
	searchMergeEvery  = time.Minute
	searchMergeBudget = 5 * time.Second
)

// startSearchMerge keeps the search index merged while the desk serves:
// ordinary writes leave SQLite's full-text index one small segment a
// transaction, which every search then reads (sqlstore.MergeSearchIndex).
// It logs the runs that merged something. The returned function stops it
// and waits.
func startSearchMerge(ctx context.Context, db *sqlstore.Store, log *slog.Logger) (stop func()) {
	var loop jobs.Periodic
	loop.Start(ctx, searchMergeEvery, func(ctx context.Context) {
		m, err := db.MergeSearchIndex(ctx, searchMergeBudget)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("merge search index", "err", err)
		case m.Steps > 0:
			log.Info("search index merged", "steps", m.Steps, "segments_before", m.Before, "segments_after", m.After,
				"done", m.Done, "ms", m.Elapsed.Milliseconds(), "longest_step_ms", m.Longest.Milliseconds())
		}
	})
	return loop.Stop
}
