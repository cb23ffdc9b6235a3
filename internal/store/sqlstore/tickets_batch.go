package sqlstore

import (
	"context"
	"database/sql"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// DefaultCreateBatch bounds how many concurrent ticket creations share one
// transaction.
const DefaultCreateBatch = 32

// WithCreateBatch sets how many concurrent CreateTicket calls may commit
// together; 1 turns group commit off (for comparison in benchmarks).
func WithCreateBatch(n int) Option { return func(s *Store) { s.creates.max = max(n, 1) } }

// createBatcher is the group commit of CreateTicket. On SQLite, where one
// connection writes, a commit (its WAL frames and fsync) was a fifth of a
// created ticket's CPU and creations queued for the writer one
// transaction each; on PostgreSQL the per-type number counter's row lock
// serialised them until commit anyway. A batch pays one commit for all its
// tickets, and every caller still returns only after its ticket is
// durable.
type createBatcher struct {
	max int // 0: DefaultCreateBatch
	gc  groupCommit[*createJob]
}

func (b *createBatcher) limit() int {
	if b.max == 0 {
		return DefaultCreateBatch
	}
	return b.max
}

// createJob is one CreateTicket call and its result.
type createJob struct {
	ctx      context.Context
	t        *desk.Ticket
	events   []desk.Event
	key      *desk.IdempotencyKey
	timers   []desk.Timer
	created  *desk.Ticket // stored, with names filled
	replayed *desk.Ticket // the earlier ticket of the idempotency key
	err      error
}

// runCreates commits the jobs' tickets in one transaction, in order, so
// that numbers, the audit chain and idempotency claims come out as they
// would one by one. A job that fails rolls the batch back, and then every
// job runs again in a transaction of its own, so that one ticket's failure
// (an unknown group, a reused idempotency key) is its own and the others
// are created. A failed commit fails every job: none of their work is
// durable, and whether it was is not known to retry safely.
func (s *Store) runCreates(jobs []*createJob) {
	var live []*createJob
	for _, j := range jobs {
		if j.err = j.ctx.Err(); j.err == nil {
			live = append(live, j)
		}
	}
	if len(live) <= 1 {
		s.createAlone(live)
		return
	}
	var jobFailed bool
	err := s.inTx(context.WithoutCancel(live[0].ctx), func(tx *sql.Tx) error {
		jobFailed = false
		nums := newNumberBlock(live)
		for _, j := range live {
			if err := s.createOne(tx, nums, j); err != nil {
				jobFailed = true
				return err
			}
		}
		return nums.giveBack(context.WithoutCancel(live[0].ctx), tx)
	})
	switch {
	case err == nil:
	case jobFailed:
		s.createAlone(live)
	default:
		for _, j := range live {
			j.created, j.replayed, j.err = nil, nil, err
		}
	}
}

// createAlone runs each job in a transaction of its own.
func (s *Store) createAlone(jobs []*createJob) {
	for _, j := range jobs {
		j.err = s.inTx(j.ctx, func(tx *sql.Tx) error {
			nums := newNumberBlock([]*createJob{j})
			if err := s.createOne(tx, nums, j); err != nil {
				return err
			}
			return nums.giveBack(context.WithoutCancel(j.ctx), tx)
		})
	}
}
