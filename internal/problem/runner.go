package problem

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/jobs"
)

// Defaults of RunnerConfig.
const (
	DefaultBatch = 20
	// DefaultHold is the time a batch aims to hold the desk's writer: half
	// the 100 ms the desk promises, so that a batch twice as slow as the
	// one before still keeps it.
	DefaultHold  = 50 * time.Millisecond
	DefaultLease = 30 * time.Second
	DefaultPoll  = time.Second
)

// RunnerConfig tunes a Runner; zero fields take the defaults.
type RunnerConfig struct {
	Batch int           // incidents per transaction, at most
	Hold  time.Duration // what a batch's transaction aims to take (see nextBatch)
	Lease time.Duration // how long a claim holds before another instance may go on
	Poll  time.Duration // between looks for work
}

// Runner carries out broadcasts in the background, on any number of
// instances: a broadcast is claimed with a lease, and each batch commits
// its incidents' entries (and their notifications, through the outbox)
// together with the broadcast's progress, so every incident is written
// exactly once even when an instance dies between batches.
type Runner struct {
	s    *Service
	cfg  RunnerConfig
	log  *slog.Logger
	loop jobs.Periodic
	// Pause, when set, is called between batches (tests kill the process
	// there).
	Pause func()
}

// NewRunner returns a runner over s.
func NewRunner(s *Service, cfg RunnerConfig, log *slog.Logger) *Runner {
	if cfg.Batch <= 0 {
		cfg.Batch = DefaultBatch
	}
	if cfg.Lease <= 0 {
		cfg.Lease = DefaultLease
	}
	if cfg.Hold <= 0 {
		cfg.Hold = DefaultHold
	}
	if cfg.Poll <= 0 {
		cfg.Poll = DefaultPoll
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Runner{s: s, cfg: cfg, log: log}
}

// Start looks for work every poll interval until ctx ends or Stop.
func (r *Runner) Start(ctx context.Context) {
	r.loop.Start(ctx, r.cfg.Poll, func(ctx context.Context) {
		if _, err := r.RunDue(ctx); err != nil && ctx.Err() == nil {
			r.log.Error("problem broadcast failed", "err", err)
		}
	})
}

// Stop ends the loop and waits for the batch in progress.
func (r *Runner) Stop() { r.loop.Stop() }

// RunDue carries out every claimable broadcast and returns how many it
// finished.
func (r *Runner) RunDue(ctx context.Context) (int, error) {
	finished := 0
	for ctx.Err() == nil {
		b, err := r.s.store.ClaimBroadcast(ctx, r.s.clock.Now(), r.cfg.Lease)
		if err != nil || b == nil {
			return finished, err
		}
		done, err := r.run(ctx, b)
		if err != nil {
			return finished, fmt.Errorf("broadcast %d of %s: %w", b.ID, b.Number, err)
		}
		if done {
			finished++
			r.log.Info("problem broadcast finished", "problem", b.Number, "kind", b.Kind, "incidents", b.Done,
				"skipped", b.Skipped, "batches", b.Batches, "max_tx_ms", b.MaxTx.Milliseconds())
		}
	}
	return finished, ctx.Err()
}

// run does b's batches until none is left; done is false when another
// instance took it over.
func (r *Runner) run(ctx context.Context, b *Broadcast) (done bool, err error) {
	sys := desk.AsSystem(context.WithoutCancel(ctx))
	by, err := r.s.desk.User(sys, b.ByID)
	if err != nil {
		return false, err
	}
	size := firstBatch(r.cfg.Batch)
	for attempt := 0; ; {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		ids, err := r.s.store.BroadcastTargets(sys, b, size)
		if err != nil {
			return false, err
		}
		writes, skipped, err := r.prepare(sys, b, by, ids)
		if err != nil {
			return false, err
		}
		next, last := b.After, len(ids) < size
		if len(ids) > 0 {
			next = ids[len(ids)-1]
		}
		err = r.s.store.ApplyBroadcastBatch(sys, b, writes, next, skipped, last, r.s.clock.Now().Add(r.cfg.Lease))
		switch desk.ErrorCode(err) {
		case "":
			attempt, size = 0, nextBatch(size, b.LastTx, r.cfg.Hold, r.cfg.Batch)
		case desk.ESTALE: // a ticket changed since it was read: read again
			if attempt++; attempt < 5 {
				continue
			}
			return false, err
		case desk.ECONFLICT: // another instance went on with it
			return false, nil
		default:
			return false, err
		}
		for _, w := range writes {
			r.s.desk.AfterWrite(sys, w.Ticket, by)
		}
		if last {
			return true, nil
		}
		if r.Pause != nil {
			r.Pause()
		}
	}
}

// firstBatch is the size of a broadcast's first batch: a quarter of the
// most, as nothing is known yet of how long one takes.
func firstBatch(most int) int { return max(1, most/4) }

// nextBatch sizes the next batch from the last one's transaction, which
// took took for size incidents, so that it takes about hold: the desk's
// writer is never held long for the other writers waiting on it, on a
// quiet machine or a loaded one. It grows by at most half again (one
// fast batch proves little), shrinks at once as far as the last one
// overran, and stays within 1 and most.
func nextBatch(size int, took, hold time.Duration, most int) int {
	n := size + size/2 + 1
	if took > 0 {
		n = min(n, int(int64(size)*int64(hold)/int64(took)))
	}
	return max(1, min(n, most))
}

// prepare builds the writes of one batch; incidents that may no longer
// take the entry (closed or resolved meanwhile) are skipped. The fix
// resolves an incident in every open state, new and assigned included.
func (r *Runner) prepare(ctx context.Context, b *Broadcast, by *desk.User, ids []int64) ([]desk.TicketWrite, int, error) {
	var writes []desk.TicketWrite
	skipped := 0
	why := []string{"problem", b.Number}
	for _, id := range ids {
		_, t, err := r.s.desk.TicketForWrite(ctx, strconv.FormatInt(id, 10))
		if err != nil {
			return nil, 0, err
		}
		var w desk.TicketWrite
		switch b.Kind {
		case BroadcastResolve:
			w, err = r.s.desk.PrepareResolveByFix(ctx, t, by, desk.TransitionInput{To: desk.StateResolved,
				ResolutionCode: b.ResolutionCode, ResolutionNotes: b.Body, Because: desk.ReasonProblemResolved, BecauseParams: why})
		default:
			w, err = r.s.desk.Prepare(ctx, t, by, desk.SystemNote{Body: b.Body, Code: desk.ReasonWorkaround, Params: why, Public: b.Public})
		}
		switch desk.ErrorCode(err) {
		case "":
			writes = append(writes, w)
		case desk.ECONFLICT:
			skipped++
		default:
			return nil, 0, fmt.Errorf("ticket %d: %w", id, err)
		}
	}
	return writes, skipped, nil
}
