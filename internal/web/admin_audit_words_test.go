package web

import (
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/audit"
)

// TestTemplates_AuditKindsWorded checks that every kind of audit entry the
// desk writes, and its family, is worded in both languages (the audit page
// would show the raw key otherwise).
func TestTemplates_AuditKindsWorded(t *testing.T) {
	s := testServer(t)
	var keys []string
	for _, k := range audit.Kinds {
		keys = append(keys, "audit.kind."+k)
	}
	for _, f := range audit.Families() {
		keys = append(keys, "audit.family."+strings.TrimSuffix(f, "."))
	}
	for _, k := range keys {
		for code, l := range s.cat.langs {
			if !l.Has(k) {
				t.Errorf("%s lacks %q", code, k)
			}
		}
	}
}
