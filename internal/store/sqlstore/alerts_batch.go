package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// DefaultAlertBatch bounds how many notifications share one transaction.
const DefaultAlertBatch = 256

// WithAlertBatch sets how many notifications RecordAlerts may commit
// together; 1 turns group commit off (for comparison in benchmarks).
func WithAlertBatch(n int) Option { return func(s *Store) { s.alerts.max = max(n, 1) } }

// alertBatcher is the group commit of RecordAlerts (groupCommit): the
// notifications of concurrent calls share one transaction.
type alertBatcher struct {
	max int // 0: DefaultAlertBatch
	gc  groupCommit[*alertJob]
}

type alertJob struct {
	ctx   context.Context
	batch desk.AlertBatch
	steps []desk.AlertStep
	err   error
}

func (b *alertBatcher) submit(ctx context.Context, s *Store, batch desk.AlertBatch) ([]desk.AlertStep, error) {
	j := &alertJob{ctx: ctx, batch: batch}
	limit := b.max
	if limit == 0 {
		limit = DefaultAlertBatch
	}
	b.gc.do(j, limit, s.runAlertJobs)
	return j.steps, j.err
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
