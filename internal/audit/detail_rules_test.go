package audit_test

import (
	"testing"

	"github.com/tierdesk/tierdesk/internal/audit"
)

// TestDetail_DanglingKey: a key without a value (a caller's slip) is left
// out; writing the audit entry of a change must never panic on it.
func TestDetail_DanglingKey(t *testing.T) {
	if got, want := audit.Detail("a", 1, "dangling"), `{"a":1}`; got != want {
		t.Fatalf("Detail = %s, want %s", got, want)
	}
}

// TestDetail_EmptyIDs: an empty list of ids is left out like an empty
// list of names (no "ids":[] in every entry that touched none).
func TestDetail_EmptyIDs(t *testing.T) {
	if got, want := audit.Detail("ids", []int64{}, "n", 1), `{"n":1}`; got != want {
		t.Fatalf("Detail = %s, want %s", got, want)
	}
}
