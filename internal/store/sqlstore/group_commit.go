package sqlstore

import "sync"

// groupCommit runs the work of concurrent callers in shared transactions.
// A caller that finds no batch running becomes the leader: it takes every
// job queued so far (its own first, up to a limit), runs them with run,
// and hands each caller its result. Callers that arrive meanwhile queue
// up; when it is done, the leader hands leadership to the first of them,
// which takes the whole queue. No goroutine outlives a call, and no caller
// returns before its batch has run: run must have committed (or failed)
// every job it was given.
type groupCommit[J any] struct {
	mu      sync.Mutex
	leading bool
	queue   []waiting[J]
}

type waiting[J any] struct {
	job  J
	wake chan bool // true: lead the next batch; false: done
}

// do runs job in a batch of at most limit jobs and returns when run has
// set its result.
func (b *groupCommit[J]) do(job J, limit int, run func([]J)) {
	w := waiting[J]{job: job, wake: make(chan bool, 1)}
	b.mu.Lock()
	if !b.leading {
		b.leading = true
		b.mu.Unlock()
		b.lead(w, limit, run)
		return
	}
	b.queue = append(b.queue, w)
	b.mu.Unlock()
	if <-w.wake {
		b.lead(w, limit, run)
	}
}

// lead runs first and the queue in one batch, then passes the lead on.
func (b *groupCommit[J]) lead(first waiting[J], limit int, run func([]J)) {
	b.mu.Lock()
	n := min(len(b.queue), max(limit, 1)-1)
	batch := append([]waiting[J]{first}, b.queue[:n]...)
	b.queue = b.queue[n:]
	b.mu.Unlock()

	jobs := make([]J, len(batch))
	for i, w := range batch {
		jobs[i] = w.job
	}
	run(jobs)
	for _, w := range batch[1:] {
		w.wake <- false
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
