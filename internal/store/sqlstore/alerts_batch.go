package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// DefaultAlertBatch bounds how many notifications share one transaction.
const DefaultAlertBatch = 256

// WithAlertBatch sets how many notifications RecordAlerts may commit
// together; 1 turns group commit off (for comparison in benchmarks).
func WithAlertBatch(n int) Option { return func(s *Store) { s.alerts.max = max(n, 1) } }

// alertBatcher is a group commit for RecordAlerts. A caller that finds no
// transaction running becomes the leader: it takes every notification
// queued so far (its own first), runs them in one transaction (alertTxn),
// commits, and hands each caller its result. Callers that arrive while it
// runs queue up; when it is done, the leader hands leadership to the first
// of them, which takes the whole queue. No goroutine outlives a call, and
// no caller returns before its work is committed (or has failed).
type alertBatcher struct {
	max     int // 0: DefaultAlertBatch
	mu      sync.Mutex
	leading bool
	queue   []*alertJob
}

type alertJob struct {
	ctx   context.Context
	batch desk.AlertBatch
	steps []desk.AlertStep
	err   error
	wake  chan bool // true: lead the next batch; false: done
}

func (b *alertBatcher) submit(ctx context.Context, s *Store, batch desk.AlertBatch) ([]desk.AlertStep, error) {
	j := &alertJob{ctx: ctx, batch: batch, wake: make(chan bool, 1)}
	b.mu.Lock()
	if !b.leading {
		b.leading = true
		b.mu.Unlock()
		b.lead(s, j)
		return j.steps, j.err
	}
	b.queue = append(b.queue, j)
	b.mu.Unlock()
	if <-j.wake {
		b.lead(s, j)
	}
	return j.steps, j.err
}

// lead runs first and the queue in one transaction, then passes the lead on.
func (b *alertBatcher) lead(s *Store, first *alertJob) {
	b.mu.Lock()
	limit := b.max
	if limit == 0 {
		limit = DefaultAlertBatch
	}
	n := min(len(b.queue), limit-1)
	jobs := append([]*alertJob{first}, b.queue[:n]...)
	b.queue = b.queue[n:]
	b.mu.Unlock()

	s.runAlertJobs(jobs)
	for _, j := range jobs[1:] {
		j.wake <- false
	}

	b.mu.Lock()
	if len(b.queue) == 0 {
		b.leading = false
		b.mu.Unlock()
		return
	}
	next := b.queue[0]
	b.queue = b.queue[1:]
	b.mu.Unlock()
	next.wake <- true
}

// runAlertJobs runs the jobs in one transaction and sets their results.
// A job refused by the desk's rules (rate limit, a deleted integration)
// fails alone; any other failure fails the whole batch, and a failed
// commit fails every job: none of their work is durable.
func (s *Store) runAlertJobs(jobs []*alertJob) {
	// The leader's context runs the transaction; a follower's cancellation
	// must not roll back everybody else's work.
	ctx := context.WithoutCancel(jobs[0].ctx)
	stmts, err := s.prepareAlertStmts(ctx)
	if err == nil {
		err = s.inTx(ctx, func(tx *sql.Tx) error {
			t := &alertTxn{s: s, tx: tx, stmts: stmts, integrations: map[int64]*alertIntegration{},
				groups: map[alertGroupKey]*alertGroupState{}}
			if err := t.lockAll(ctx, jobs); err != nil {
				return err
			}
			for _, j := range jobs {
				if j.err = j.ctx.Err(); j.err != nil {
					continue
				}
				j.steps, j.err = t.apply(ctx, j.batch)
				if _, verdict := errors.AsType[*desk.Error](j.err); j.err != nil && !verdict {
					return j.err
				}
			}
			return t.flush(ctx)
		})
	}
	if err != nil {
		for _, j := range jobs {
			j.steps, j.err = nil, fmt.Errorf("record alerts: %w", err)
		}
	}
}
