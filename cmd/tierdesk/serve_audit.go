package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// The audit sealer's rhythm: how often it looks for entries other
// instances left pending, and how often it records an anchor.
const (
	auditSealEvery   = time.Second
	auditAnchorEvery = time.Hour
)

// startAuditSealer chains the audit log's pending entries in the
// background (PostgreSQL) and records anchors (both databases). The
// returned function stops it, waits, and chains what the last requests
// left, so that a graceful stop leaves nothing pending.
func startAuditSealer(ctx context.Context, db *sqlstore.Store, log *slog.Logger) (stop func()) {
	runCtx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		db.RunAuditSealer(runCtx, auditSealEvery, auditAnchorEvery, log)
	}()
	return func() {
		cancel()
		wg.Wait()
		sealCtx, done := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer done()
		if _, err := db.SealAudit(sealCtx); err != nil {
			log.Error("audit: seal at stop", "err", err)
		}
	}
}
