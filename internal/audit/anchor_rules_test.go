package audit_test

import (
	"testing"

	"github.com/tierdesk/tierdesk/internal/audit"
)

// TestVerifier_AnchorAtTheEnd: the commonest check of all — an anchor
// exported at the head, the log verified before anything more is written —
// holds: an anchor on the last entry is reached, not "truncated".
func TestVerifier_AnchorAtTheEnd(t *testing.T) {
	es := chain(10)
	v := audit.NewVerifier(map[int64][]byte{10: es[9].Hash})
	for i := range es {
		v.Add(&es[i])
	}
	if b := v.End(10, es[9].Hash); b != nil {
		t.Fatalf("an intact chain anchored at its last entry: %v", b)
	}
}
