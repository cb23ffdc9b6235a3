package testdb

import "github.com/tierdesk/tierdesk/internal/testclock"

// Clock is testclock.Clock, kept under this name for the many tests that
// open a store and a clock together.
type Clock = testclock.Clock

// NewClock returns a clock standing at t.
var NewClock = testclock.New
