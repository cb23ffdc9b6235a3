package textan

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		in   string
		want []Clause
	}{
		{"принтеры не печатают", []Clause{{Terms: []string{"принтер"}}, {Terms: []string{"печата"}}}},
		{`"не работает VPN" ноутбук`, []Clause{{Terms: []string{"работа", "vpn"}}, {Terms: []string{"ноутбук"}}}},
		{"vpn -cisco", []Clause{{Terms: []string{"vpn"}}, {Terms: []string{"cisco"}, Not: true}}},
		{`vpn -"cisco anyconnect"`, []Clause{{Terms: []string{"vpn"}}, {Terms: []string{"cisco", "anyconnect"}, Not: true}}},
		{"принт* print*", []Clause{{Terms: []string{"принт"}, Prefix: true}, {Terms: []string{"print"}, Prefix: true}}},
		{"wi-fi", []Clause{{Terms: []string{"wi", "fi"}}}},
		{"a* x*", []Clause{{Terms: []string{"x"}}}},
		{"INC-000123 user@example.com", []Clause{{Terms: []string{"inc-000123"}}, {Terms: []string{"user@example.com"}}}},
		{"printer printers PRINTER", []Clause{{Terms: []string{"printer"}}}},
		{`unclosed "phrase there`, []Clause{{Terms: []string{"unclos"}}, {Terms: []string{"phrase"}}}},
		{"a-b-c (x) [y] {z} ^w", []Clause{{Terms: []string{"b", "c"}}, {Terms: []string{"x"}}, {Terms: []string{"y"}}, {Terms: []string{"z"}}, {Terms: []string{"w"}}}},
		{"vpn--cisco", []Clause{{Terms: []string{"vpn", "cisco"}}}},
	}
	for _, tt := range tests {
		got := ParseQuery(tt.in).Clauses
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseQuery(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

// TestParseQuery_PunctuationMatchesNothing: a query of punctuation alone
// must find no ticket (issue 16: it listed every visible ticket).
func TestParseQuery_PunctuationMatchesNothing(t *testing.T) {
	for _, in := range []string{`"`, `*`, `(`, `-`, `^`, `""`, `-"`, `"*"`, `- - -`, `()`, `***`, `...`, `the`, `"и на"`, `-vpn`, ``, "   "} {
		q := ParseQuery(in)
		if !q.MatchesNothing() {
			t.Errorf("ParseQuery(%q) = %q matches something; want nothing", in, q)
		}
	}
	if ParseQuery("-vpn printer").MatchesNothing() {
		t.Error(`"-vpn printer" matches nothing; want printer without vpn`)
	}
}

func TestParseQuery_Bounded(t *testing.T) {
	var words []string
	for i := 0; i < 100; i++ {
		words = append(words, "w"+strings.Repeat("x", i))
	}
	if n := len(ParseQuery(strings.Join(words, " ")).Clauses); n != MaxClauses {
		t.Errorf("100 words gave %d clauses, want %d", n, MaxClauses)
	}
	// A megabyte of text parses without trouble.
	big := strings.Repeat("принтер \"x -", 100000)
	if q := ParseQuery(big); q.MatchesNothing() {
		t.Error("a long query matches nothing")
	}
}
