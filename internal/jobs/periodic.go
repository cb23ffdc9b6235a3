package jobs

import (
	"context"
	"sync"
	"time"
)

// Periodic owns one background goroutine that calls a sweep every interval
// (and once at start) until its context ends or Stop is called. Both the SLA
// runner and the outbox worker are driven by one.
type Periodic struct {
	mu     sync.Mutex
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Start runs sweep now and then every interval; a second Start while running
// does nothing.
func (p *Periodic) Start(ctx context.Context, interval time.Duration, sweep func(context.Context)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cancel != nil {
		return
	}
	ctx, p.cancel = context.WithCancel(ctx)
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			sweep(ctx)
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
}

// Stop ends the loop and waits for the sweep in progress to finish.
func (p *Periodic) Stop() {
	p.mu.Lock()
	cancel := p.cancel
	p.cancel = nil
	p.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	p.wg.Wait()
}
