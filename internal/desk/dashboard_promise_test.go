package desk

import (
	"testing"
	"time"
)

// TestNewPromise: shares of the incidents due, the mean of the resolved,
// and nothing where nothing is due or resolved yet.
func TestNewPromise(t *testing.T) {
	p := NewPromise(PromiseCounts{Within1h: 2, Due1h: 5, Within3h: 3, Due3h: 4, Resolved: 2, ResolveTime: 50 * time.Hour})
	if p.Within1h == nil || *p.Within1h != 40 || p.Within3h == nil || *p.Within3h != 75 {
		t.Errorf("shares %v %v, want 40 and 75", p.Within1h, p.Within3h)
	}
	if p.MeanResolve == nil || *p.MeanResolve != 25*time.Hour || p.MeanWithinResolveTarget {
		t.Errorf("mean %v within %v, want 25h over the 24h target", p.MeanResolve, p.MeanWithinResolveTarget)
	}
	empty := NewPromise(PromiseCounts{})
	if empty.Within1h != nil || empty.Within3h != nil || empty.MeanResolve != nil {
		t.Errorf("an empty desk has figures: %+v", empty)
	}
}
