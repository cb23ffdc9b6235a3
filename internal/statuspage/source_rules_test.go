package statuspage

import (
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
