package web

import (
	"testing"

	"github.com/tierdesk/tierdesk/internal/triagedesk"
)

// TestSuggestedPriority_NeedsBoth: a priority is suggested only when both
// the impact and the urgency are; with one of them the form shows none
// (the desk is not even asked for its matrix: a server without one would
// fail here if it were).
func TestSuggestedPriority_NeedsBoth(t *testing.T) {
	s := &server{}
	field := func(name, value string) assistField {
		return assistField{FieldSuggestion: triagedesk.FieldSuggestion{Field: name, Value: value}}
	}
	for name, fields := range map[string][]assistField{
		"none":         {field("category", "Printers")},
		"impact only":  {field("impact", "low"), field("category", "Printers")},
		"urgency only": {field("urgency", "high")},
	} {
		p, err := s.suggestedPriority(nil, fields)
		if err != nil || p != "" {
			t.Errorf("%s: priority %q, %v; want none", name, p, err)
		}
	}
}
