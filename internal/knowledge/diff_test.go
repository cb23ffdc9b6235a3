package knowledge

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDiffLines(t *testing.T) {
	a := strings.Split("one\ntwo\nthree\nfour", "\n")
	b := strings.Split("one\n2\nthree\nfour\nfive", "\n")
	want := []DiffLine{{Same, "one"}, {Del, "two"}, {Add, "2"}, {Same, "three"}, {Same, "four"}, {Add, "five"}}
	if d := cmp.Diff(want, DiffLines(a, b)); d != "" {
		t.Errorf("diff (-want +got):\n%s", d)
	}
	if added, removed := DiffStats(DiffLines(a, b)); added != 2 || removed != 1 {
		t.Errorf("stats = +%d -%d, want +2 -1", added, removed)
	}
}

func TestDiffLines_KeepsLongestCommonPart(t *testing.T) {
	a := []string{"a", "b", "c", "d", "e"}
	b := []string{"x", "b", "c", "y", "e", "z"}
	var kept []string
	for _, l := range DiffLines(a, b) {
		if l.Op == Same {
			kept = append(kept, l.Text)
		}
	}
	if d := cmp.Diff([]string{"b", "c", "e"}, kept); d != "" {
		t.Errorf("kept lines (-want +got):\n%s", d)
	}
	if Changed(DiffLines(a, a)) {
		t.Error("a text differs from itself")
	}
}

func TestDiffLines_HugeFallsBackWhole(t *testing.T) {
	var a, b []string
	for i := range 3000 {
		a = append(a, "a"+strings.Repeat("x", i%7))
		b = append(b, "b"+strings.Repeat("y", i%5))
	}
	added, removed := DiffStats(DiffLines(a, b))
	if added != 3000 || removed != 3000 {
		t.Errorf("stats = +%d -%d, want every line replaced", added, removed)
	}
}

func TestContentLines_ShowFieldsAndBodies(t *testing.T) {
	c := Content{State: Draft, Audience: Public, Keywords: []string{"vpn", "wifi"},
		Translations: []Translation{{Lang: "en", Title: "VPN", Body: "line 1\r\nline 2"}}}
	lines := c.Lines()
	joined := strings.Join(lines, "\n")
	for _, want := range []string{"state: draft", "audience: public", "keywords: vpn, wifi", "[en] VPN", "line 1\nline 2"} {
		if !strings.Contains(joined, want) {
			t.Errorf("lines lack %q:\n%s", want, joined)
		}
	}
}
