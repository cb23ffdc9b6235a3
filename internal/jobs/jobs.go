// Package jobs runs the desk's background work: SLA warnings and breaches,
// automatic escalation and auto-closing of resolved tickets, all driven by
// durable timers kept in the database (desk.Timer).
//
// Every ticket change rewrites the ticket's pending timers in its own
// transaction, so the database always holds the next instants that matter;
// a sweep claims the timers that are due through an index on due_at (its
// cost follows the number of due timers, not of open tickets) and hands
// each to desk.Desk.FireTimer, which re-evaluates the clock and stores the
// event, the outbox messages, any escalation and the timer's done-marking
// in one transaction. The done-marking is conditional (WHERE done_at IS
// NULL): of two instances racing on one timer, one commits and the other
// rolls back, so every warning, breach and escalation happens exactly once.
// A claim is a lease (claimed_until): an instance killed mid-way leaves the
// timer claimed, and once the lease expires the next sweep takes it again.
// Meanwhile no timer rewrite deletes it (the threshold's instant came while
// a runner watched: its effect is owed), and when it is retried it fires
// even if a higher threshold has fired since, so a kill never loses one.
//
// Why not River (github.com/riverqueue/river): it would fit the queue, but
// its SQLite driver is young (one connection; scheduled jobs ran up to ~4 s
// late in an earlier check here, against a 5 s budget for acting on a
// breach), and the effect of a job and its completion must commit in the
// ticket's own transaction, together with the timer rewrite that every
// ticket change does; River's job rows live in its own tables and its
// completion in its own transaction. Our claims are one UPDATE ... RETURNING
// (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite has a single writer).
package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Defaults of Config.
const (
	DefaultPollInterval = time.Second
	DefaultLease        = time.Minute
	DefaultBatch        = 500
)

// Config tunes a Runner; zero fields take the defaults.
type Config struct {
	PollInterval time.Duration // between sweeps
	Lease        time.Duration // how long a claim holds before another instance may retry
	Batch        int           // timers claimed per query; a sweep claims until none are due
}

// Firer handles one claimed timer (desk.Desk implements it).
type Firer interface {
	FireTimer(ctx context.Context, tm desk.Timer) error
}

// Runner sweeps due timers.
type Runner struct {
	store desk.TimerStore
	desk  Firer
	clock desk.Clock
	cfg   Config
	log   *slog.Logger

	loop Periodic
}

// New returns a Runner claiming from store and firing through d.
func New(store desk.TimerStore, d Firer, clock desk.Clock, cfg Config, log *slog.Logger) *Runner {
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	if cfg.Lease <= 0 {
		cfg.Lease = DefaultLease
	}
	if cfg.Batch <= 0 {
		cfg.Batch = DefaultBatch
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Runner{store: store, desk: d, clock: clock, cfg: cfg, log: log}
}

// SweepResult counts what one sweep did.
type SweepResult struct {
	Claimed int // timers claimed
	Fired   int // handled (fired or rescheduled) by this runner
	Skipped int // already handled by another runner
	Failed  int // left claimed; retried when the lease expires
}

// maxRounds bounds the claim rounds of one sweep: handling a timer may
// schedule another that is already due (a warning passed while the runner
// was down is followed by the breach), which the next round picks up.
const maxRounds = 100

// RunDue claims every timer due at now and handles each. Errors on single
// timers are logged and counted: the timer stays claimed and comes back
// after its lease. Only a failing claim query is returned.
func (r *Runner) RunDue(ctx context.Context, now time.Time) (SweepResult, error) {
	var res SweepResult
	for range maxRounds {
		timers, err := r.store.ClaimTimers(ctx, now, r.cfg.Lease, r.cfg.Batch)
		if err != nil {
			return res, err
		}
		res.Claimed += len(timers)
		for _, tm := range timers {
			if ctx.Err() != nil {
				return res, ctx.Err() // the rest stay claimed until their lease ends
			}
			// A timer begun is finished, even when ctx ends meanwhile: its
			// transaction is short, and a graceful stop should not waste it.
			r.handle(context.WithoutCancel(ctx), tm, &res)
		}
		if len(timers) == 0 || ctx.Err() != nil {
			return res, ctx.Err()
		}
	}
	return res, nil
}

func (r *Runner) handle(ctx context.Context, tm desk.Timer, res *SweepResult) {
	err := r.desk.FireTimer(ctx, tm)
	switch desk.ErrorCode(err) {
	case "":
		res.Fired++
	case desk.ECONFLICT:
		res.Skipped++
	default:
		res.Failed++
		r.log.Error("sla timer failed", "timer", tm.ID, "ticket", tm.TicketID, "kind", tm.Kind,
			"percent", tm.Percent, "attempts", tm.Attempts, "err", err)
	}
}

// Start runs a sweep every poll interval until ctx ends or Stop is called.
func (r *Runner) Start(ctx context.Context) {
	r.loop.Start(ctx, r.cfg.PollInterval, r.sweep)
}

// Stop ends the loop and waits for the sweep in progress to finish.
func (r *Runner) Stop() { r.loop.Stop() }

func (r *Runner) sweep(ctx context.Context) {
	if res, err := r.RunDue(ctx, r.clock.Now()); err != nil && ctx.Err() == nil {
		r.log.Error("sla sweep failed", "err", err)
	} else if res.Claimed > 0 {
		r.log.Info("sla sweep", "claimed", res.Claimed, "fired", res.Fired, "skipped", res.Skipped, "failed", res.Failed)
	}
}
