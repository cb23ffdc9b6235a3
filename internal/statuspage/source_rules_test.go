package statuspage

import (
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// TestNewSource_NeedsBoth: a source needs a major incident and its parent
// ticket; either missing is refused as invalid (never a panic, never a
// source for major incident 0), and a plain parent makes a source.
func TestNewSource_NeedsBoth(t *testing.T) {
	for _, p := range []Publishable{{MajorID: 7}, {Parent: &desk.Ticket{Type: desk.TypeIncident}}, {MajorID: -1, Parent: &desk.Ticket{}}} {
		if s, err := NewSource(p); desk.ErrorCode(err) != desk.EINVALID {
			t.Errorf("NewSource(%+v) = %+v, %v; want invalid", p, s, err)
		}
	}
	s, err := NewSource(Publishable{MajorID: 7, Parent: &desk.Ticket{Type: desk.TypeIncident}})
	if err != nil || s.MajorID() != 7 {
		t.Errorf("a plain parent: %+v, %v", s, err)
	}
}

// TestCheckAddress_LongestAddress: an address of 254 characters, the most
// SMTP carries (RFC 5321's path of 256 less its angle brackets), is taken
// for a subscription; one of 255 is refused.
func TestCheckAddress_LongestAddress(t *testing.T) {
	domain := strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 57) + ".com" // 189
	longest := strings.Repeat("a", 64) + "@" + domain
	if len(longest) != 254 {
		t.Fatalf("the test's address has %d characters", len(longest))
	}
	if got, err := CheckAddress(longest); err != nil || got != longest {
		t.Errorf("a 254-character address: %q, %v", got, err)
	}
	if _, err := CheckAddress("e" + longest); desk.ErrorCode(err) != desk.EINVALID {
		t.Errorf("a 255-character address: %v, want invalid", err)
	}
}
