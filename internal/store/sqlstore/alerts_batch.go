package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// alertBatchMax bounds how many notifications share one transaction.
const alertBatchMax = 256

// alertBatcher is a group commit for RecordAlerts. A caller that finds no
// transaction running becomes the leader: it takes every notification
// queued so far (its own first), runs them in one transaction, each in a
// savepoint of its own so that one failure undoes only its own work,
// commits, and hands each caller its result. Callers that arrive while it
// runs queue up; when it is done, the leader hands leadership to the first
// of them, which takes the whole queue. No goroutine outlives a call, and
// no caller returns before its work is committed (or has failed).
type alertBatcher struct {
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
	n := min(len(b.queue), alertBatchMax-1)
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
// A failed commit fails every job: none of their work is durable.
func (s *Store) runAlertJobs(jobs []*alertJob) {
	// The leader's context runs the transaction; a follower's cancellation
	// must not roll back everybody else's work.
	ctx := context.WithoutCancel(jobs[0].ctx)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, j := range jobs {
			if err := j.ctx.Err(); err != nil {
				j.err = err
				continue
			}
			var fatal error
			j.steps, j.err, fatal = s.alertJob(ctx, tx, j.batch)
			if fatal != nil {
				return fatal
			}
		}
		return nil
	})
	if err != nil {
		for _, j := range jobs {
			j.steps, j.err = nil, fmt.Errorf("record alerts: %w", err)
		}
	}
}

// alertJob runs one notification inside a savepoint of the batch: its
// failure (err) undoes its own work only; fatal means the transaction
// itself is unusable and the whole batch must fail.
func (s *Store) alertJob(ctx context.Context, tx *sql.Tx, b desk.AlertBatch) (steps []desk.AlertStep, err, fatal error) {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT alert_job"); err != nil {
		return nil, nil, fmt.Errorf("savepoint: %w", err)
	}
	steps, refused, err := s.recordAlerts(ctx, tx, b)
	if err != nil {
		if _, rbErr := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT alert_job"); rbErr != nil {
			return nil, nil, errors.Join(err, fmt.Errorf("rollback to savepoint: %w", rbErr))
		}
	}
	if _, rlErr := tx.ExecContext(ctx, "RELEASE SAVEPOINT alert_job"); rlErr != nil {
		return nil, nil, fmt.Errorf("release savepoint: %w", rlErr)
	}
	if err != nil {
		return nil, err, nil
	}
	return steps, refused, nil
}
