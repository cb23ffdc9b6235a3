// Package pager runs paging in the background, on any number of instances
// sharing the database: the Engine advances pages through their escalation
// steps (desk.Desk.AdvancePage) and the Worker delivers each page message
// to its contact method — e-mail by queuing it in the outbox (internal/notify
// sends it), generic webhooks as signed JSON, Slack/Mattermost incoming
// webhooks as their payload.
//
// Both claim their rows from the database with leases, like the SLA runner
// (internal/jobs): one UPDATE ... RETURNING over the due rows (FOR UPDATE
// SKIP LOCKED on PostgreSQL), and every write after a claim is conditional
// on the claim still holding. So with several instances each step and each
// message is handled once, and a killed instance's claims are retaken when
// their lease ends: no page is lost. A webhook that answered but whose
// instance died before recording it is sent again (at least once: receivers
// can deduplicate on the delivery id).
package pager

import (
	"context"
	"log/slog"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/jobs"
)

// Defaults of Config.
const (
	DefaultPollInterval = time.Second
	DefaultLease        = time.Minute
	DefaultBatch        = 100
	DefaultMaxAttempts  = 6
	DefaultBackoff      = 30 * time.Second
	DefaultTimeout      = 10 * time.Second
)

// Config tunes the Engine and the Worker; zero fields take the defaults.
type Config struct {
	PollInterval time.Duration
	Lease        time.Duration // must exceed Timeout
	Batch        int
	MaxAttempts  int           // deliveries failing this often fail for good
	Backoff      time.Duration // before the 2nd attempt; doubles after each failure
	Timeout      time.Duration // per webhook request
}

func (c Config) withDefaults() Config {
	if c.PollInterval <= 0 {
		c.PollInterval = DefaultPollInterval
	}
	if c.Lease <= 0 {
		c.Lease = DefaultLease
	}
	if c.Batch <= 0 {
		c.Batch = DefaultBatch
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = DefaultMaxAttempts
	}
	if c.Backoff <= 0 {
		c.Backoff = DefaultBackoff
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	return c
}

// Advancer runs a claimed page's step (desk.Desk implements it).
type Advancer interface {
	AdvancePage(ctx context.Context, p *desk.Page) error
}

// Engine advances due pages.
type Engine struct {
	store desk.PagingStore
	desk  Advancer
	clock desk.Clock
	cfg   Config
	log   *slog.Logger
	loop  jobs.Periodic
}

// NewEngine returns an Engine claiming from store and advancing through d.
func NewEngine(store desk.PagingStore, d Advancer, clock desk.Clock, cfg Config, log *slog.Logger) *Engine {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Engine{store: store, desk: d, clock: clock, cfg: cfg.withDefaults(), log: log}
}

// Result counts what one sweep did.
type Result struct {
	Claimed int
	Done    int // handled by this instance
	Skipped int // handled by another instance meanwhile
	Failed  int // left claimed; retried when the lease ends
}

// maxRounds bounds the claim rounds of one sweep.
const maxRounds = 100

// RunDue claims and advances every page due at now. Only a failing claim
// query is returned; single failures are logged and counted.
func (e *Engine) RunDue(ctx context.Context, now time.Time) (Result, error) {
	var res Result
	for range maxRounds {
		pages, err := e.store.ClaimPages(ctx, now, e.cfg.Lease, e.cfg.Batch)
		if err != nil {
			return res, err
		}
		res.Claimed += len(pages)
		for _, p := range pages {
			err := e.desk.AdvancePage(context.WithoutCancel(ctx), p)
			count(&res, err)
			if desk.ErrorCode(err) != "" && desk.ErrorCode(err) != desk.ECONFLICT {
				e.log.Error("page step failed", "page", p.ID, "ticket", p.TicketID, "attempts", p.Attempts, "err", err)
			}
		}
		if len(pages) == 0 || ctx.Err() != nil {
			return res, ctx.Err()
		}
	}
	return res, nil
}

func count(res *Result, err error) {
	switch desk.ErrorCode(err) {
	case "":
		res.Done++
	case desk.ECONFLICT:
		res.Skipped++
	default:
		res.Failed++
	}
}

// Start sweeps every poll interval until ctx ends or Stop is called.
func (e *Engine) Start(ctx context.Context) {
	e.loop.Start(ctx, e.cfg.PollInterval, func(ctx context.Context) {
		if res, err := e.RunDue(ctx, e.clock.Now()); err != nil && ctx.Err() == nil {
			e.log.Error("page sweep failed", "err", err)
		} else if res.Claimed > 0 {
			e.log.Info("page sweep", "claimed", res.Claimed, "done", res.Done, "skipped", res.Skipped, "failed", res.Failed)
		}
	})
}

// Stop ends the loop and waits for the sweep in progress.
func (e *Engine) Stop() { e.loop.Stop() }
