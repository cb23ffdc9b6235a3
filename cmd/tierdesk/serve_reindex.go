package main

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

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
