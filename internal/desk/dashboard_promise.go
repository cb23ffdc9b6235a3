package desk

import (
	"context"
	"time"
)

// The support policy's promise, as the dashboard shows it: over the
// incidents of the last 30 days, the share of first responses within 1 h
// and within 3 h, and the mean time to resolve against 24 h. Times are
// wall-clock (the promise holds at any time of day), from registration.

// PromiseWindow is how far back the promise figures look.
const PromiseWindow = 30 * 24 * time.Hour

// The promise's targets.
const (
	PromiseFastResponse = time.Hour
	PromiseResponse     = 3 * time.Hour
	PromiseResolution   = 24 * time.Hour
)

// PromiseCounts are the store's counts over the incidents registered
// from From until now (response) and resolved from From until now
// (resolution).
type PromiseCounts struct {
	From time.Time
	// Within1h and Within3h count first responses within 1 h and 3 h;
	// Due1h and Due3h the incidents that had a first response or have
	// waited longer than 1 h (3 h) without one: the ones the target
	// applies to by now.
	Within1h, Due1h, Within3h, Due3h int
	// Resolved counts the incidents resolved from From until now, and
	// ResolveTime sums their times from registration to resolution.
	Resolved    int
	ResolveTime time.Duration
}

// PromiseStore counts the promise figures of scope (staff's dashboard
// scope), exact to the microsecond.
type PromiseStore interface {
	PromiseCounts(ctx context.Context, scope DashboardScope, from, now time.Time) (PromiseCounts, error)
}

// Promise is the dashboard's promise figures.
type Promise struct {
	From                    time.Time
	Within1h, Within3h      *float64 // percent; nil when no incident is due yet
	Due1h, Due3h            int
	Resolved                int
	MeanResolve             *time.Duration // nil when none was resolved
	ResolveTarget           time.Duration
	MeanWithinResolveTarget bool
}

// NewPromise computes the shares and the mean from the counts.
func NewPromise(c PromiseCounts) Promise {
	p := Promise{From: c.From, Due1h: c.Due1h, Due3h: c.Due3h, Resolved: c.Resolved, ResolveTarget: PromiseResolution}
	p.Within1h, p.Within3h = percent(c.Within1h, c.Due1h), percent(c.Within3h, c.Due3h)
	if c.Resolved > 0 {
		m := c.ResolveTime / time.Duration(c.Resolved)
		p.MeanResolve = &m
		p.MeanWithinResolveTarget = m <= PromiseResolution
	}
	return p
}

func percent(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	v := 100 * float64(n) / float64(of)
	return &v
}

func (s *Desk) promise(ctx context.Context, scope DashboardScope, now time.Time) (Promise, error) {
	c, err := s.store.PromiseCounts(ctx, scope, now.Add(-PromiseWindow), now)
	if err != nil {
		return Promise{}, err
	}
	return NewPromise(c), nil
}
