package knowledge

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// referenceSnippet is Snippet judging every word of the text, as it did
// before it stopped at the end of its window.
func referenceSnippet(body string, terms []string) []Fragment {
	text := PlainText(body)
	ws := newMatcher(terms).words(text)
	if len(ws) == 0 {
		return nil
	}
	first := slices.IndexFunc(ws, func(w word) bool { return w.hit })
	from := max(0, first-snippetBefore)
	to := min(len(ws), from+snippetWords)
	start, end := ws[from].start, ws[to-1].end
	if from == 0 {
		start = 0
	}
	if to == len(ws) {
		end = len(text)
	}
	frags := fragments(text, ws[from:to], start, end)
	if from > 0 {
		frags = append([]Fragment{{Text: "… "}}, frags...)
	}
	if to < len(ws) {
		frags = append(frags, Fragment{Text: " …"})
	}
	return frags
}

// TestSnippet_Window: the snippet read up to its window's end is the one
// read from the whole text, wherever the first hit is (or none), with
// the text ending inside the window or after it.
func TestSnippet_Window(t *testing.T) {
	filler := func(n int) string { return strings.Repeat("lorem ipsum dolor ", n) }
	terms := QueryTerms("printers")
	for name, body := range map[string]string{
		"hit first":         "Printer offline. " + filler(40),
		"hit in the middle": filler(20) + "the **printer** jams " + filler(20),
		"hit near the end":  filler(30) + "printer",
		"no hit":            filler(40),
		"short":             "A printer.",
		"exactly a window":  "printer " + strings.TrimSpace(filler(9)),
		"empty":             "",
	} {
		if diff := cmp.Diff(referenceSnippet(body, terms), Snippet(body, terms)); diff != "" {
			t.Errorf("%s (-whole text +window):\n%s", name, diff)
		}
	}
}
