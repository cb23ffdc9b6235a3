package postgres

import (
	"strings"
	"testing"
)

// TestSpan_Cost: the ranges read are of the size whose read costs least,
// not always the smallest: a word in 2.8 % of a 1M desk whose newest 2,001
// matches lie in the newest ~89,000 ids is read from 3 ranges of 65,536 ids
// (23 of 4,096 cost the GIN index about 3-4 times more), while 300 matches
// of a word in 3 % (12,000 ids) are read from 4 ranges of 4,096 (one of
// 65,536 would hold a third more rows for no fewer markers' cost).
func TestSpan_Cost(t *testing.T) {
	r := newIDRanges(defaultRangeShift)
	for _, c := range []struct {
		need, rate float64
		prefix     string
		markers    int
		lo         int64
	}{
		{89000, 0.028, "'~b", 3, 13 << 16},
		{12000, 0.03, "'~a", 4, 241 << 12},
		{2000000, 0.5, "", 0, 0}, // every id: nothing narrowed
	} {
		m, lo := r.span(1000030, c.need, c.rate)
		got := 0
		if m != "" {
			got = strings.Count(m, "|") + 1
		}
		if got != c.markers || lo != c.lo || !strings.HasPrefix(strings.TrimPrefix(m, "("), c.prefix) {
			t.Errorf("need %v rate %v: %s (lo %d), want %d markers %s… from %d", c.need, c.rate, m, lo, c.markers, c.prefix, c.lo)
		}
	}
}
