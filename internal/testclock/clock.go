// Package testclock is a desk.Clock for tests that moves only when told
// to. It imports nothing of the project, so that any test helper
// (testdb, storetest) can use it without an import cycle.
package testclock

import (
	"sync"
	"time"
)

// Clock is a desk.Clock for tests that only moves when told to, so that
// nothing sleeps for real minutes. Safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// New returns a clock standing at t.
func New(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}
