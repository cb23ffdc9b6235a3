package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/jobs"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/triagedesk"
)

// triagePoll is how often the job runner looks whether the triage model
// is due for retraining (its period passed, or someone asked), and how
// long an instance uses a model or threshold before it reads them again.
const triagePoll = 30 * time.Second

// startTriage makes the desk apply the triage model's confident
// suggestions to tickets from e-mail, alerts and the portal, and retrains
// the model on schedule and on demand (one instance at a time, under the
// database's lease) until stop.
func startTriage(ctx context.Context, db *sqlstore.Store, d *desk.Desk, log *slog.Logger) (*triagedesk.Service, func()) {
	svc := triagedesk.New(db, d, desk.SystemClock{}, triagedesk.Options{Check: triagePoll})
	d.SetAutoTriager(svc)
	log = log.With("component", "triage")
	var loop jobs.Periodic
	loop.Start(ctx, triagePoll, func(ctx context.Context) {
		start := time.Now()
		ok, err := svc.Sweep(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("retrain triage model", "err", err)
		case ok:
			log.Info("triage model retrained", "seconds", time.Since(start).Seconds())
		}
	})
	return svc, loop.Stop
}
