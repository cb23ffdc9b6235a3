package problem

import (
	"testing"
	"time"
)

// TestNextBatch: a batch that took longer than the hold shrinks the next
// one in proportion, at once; a fast one grows it by at most half again;
// the size stays between 1 and the most configured.
func TestNextBatch(t *testing.T) {
	ms := time.Millisecond
	for _, c := range []struct {
		size       int
		took, hold time.Duration
		most, want int
	}{
		{10, 100 * ms, 50 * ms, 20, 5},    // twice the hold: half the size
		{10, 400 * ms, 50 * ms, 20, 1},    // far over: one at a time
		{1, 200 * ms, 50 * ms, 20, 1},     // never below one
		{10, 5 * ms, 50 * ms, 20, 16},     // fast: half again, not ten times
		{16, 5 * ms, 50 * ms, 20, 20},     // up to the most
		{4, 50 * ms, 50 * ms, 20, 4},      // on the hold: stays
		{4, 0, 50 * ms, 20, 7},            // not timed: grows
		{20, 60 * ms, 50 * ms, 20, 16},    // a little over: a little smaller
		{firstBatch(20), 0, 0, 20, 5},     // the first is a quarter of the most
		{firstBatch(2), 0, 50 * ms, 2, 2}, // and at least one
	} {
		got := c.size
		if c.hold > 0 || c.took > 0 {
			got = nextBatch(c.size, c.took, c.hold, c.most)
		}
		if got != c.want {
			t.Errorf("nextBatch(%d, %v, %v, %d) = %d, want %d", c.size, c.took, c.hold, c.most, got, c.want)
		}
	}
}
