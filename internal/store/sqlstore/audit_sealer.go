package sqlstore

import (
	"context"
	"log/slog"
	"time"
)

// sealDelay is how long the sealer waits after a write nudged it, so that a
// burst of writes is chained in one transaction instead of one each.
const sealDelay = 50 * time.Millisecond

// RunAuditSealer chains pending audit entries until ctx ends: at once (a
// crashed instance's last entries), soon after a write of this instance
// leaves one, and every interval for other instances' and tools' writes.
// It records an anchor when the last is older than anchorEvery, and logs
// it, so that the system log keeps a copy outside the database. On SQLite,
// where entries are chained as they are written, only anchors are made.
func (s *Store) RunAuditSealer(ctx context.Context, every, anchorEvery time.Duration, log *slog.Logger) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if _, err := s.SealAudit(ctx); err != nil && ctx.Err() == nil {
			log.Error("audit: seal", "err", err)
		}
		if a, err := s.AnchorAudit(ctx, anchorEvery); err != nil && ctx.Err() == nil {
			log.Error("audit: anchor", "err", err)
		} else if a != nil && time.Since(a.At) < time.Second {
			log.Info("audit anchor", "seq", a.Seq, "hash", a.Hash, "at", a.At)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-s.auditLog.ch():
			select {
			case <-ctx.Done():
				return
			case <-time.After(sealDelay):
			}
		}
	}
}
