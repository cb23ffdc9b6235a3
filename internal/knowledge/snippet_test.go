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
	if len(text) > snippetScan {
		text = text[:snippetScan]
		for len(text) > 0 && !isRuneStart(text[len(text)-1]) {
			text = text[:len(text)-1]
		}
	}
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

// TestSnippet_Chunks: the plain text converted a chunk at a time gives the
// snippet of the text converted whole, with a word, a Markdown link or a
// two-byte letter cut by a chunk's end, and a hit past what a snippet
// reads.
func TestSnippet_Chunks(t *testing.T) {
	terms := QueryTerms("printers принтеры")
	var bodies []string
	for pad := snippetChunk - 40; pad <= snippetChunk+8; pad++ {
		bodies = append(bodies,
			strings.Repeat("x", pad)+" the printer jams",
			strings.Repeat("word ", pad/5)+strings.Repeat("y", pad%5)+" [printer](https://example.com/a_b*c) tail words",
			strings.Repeat("ж", pad/2)+" **принтер** не печатает",
			"Printer first. "+strings.Repeat("длинное слово ", pad/14)+strings.Repeat("z", pad%7))
	}
	long := strings.Repeat("lorem ipsum ", snippetScan/12+10)
	bodies = append(bodies, long+" printer", strings.Repeat("q", 3*snippetChunk)+" printer "+long,
		strings.Repeat("ы", snippetScan/2+5)+" printer")
	for i, body := range bodies {
		if diff := cmp.Diff(referenceSnippet(body, terms), Snippet(body, terms)); diff != "" {
			t.Fatalf("body %d (%d bytes) (-whole text +chunks):\n%s", i, len(body), diff)
		}
	}
}

// TestPlainText: Markdown marks dropped, white space collapsed, link
// targets left out.
func TestPlainText(t *testing.T) {
	got := PlainText("# Title\n\n> quoted **bold** `code` ~~x~~ | a | b |\n![img](x.png) [link](https://e.com/(a)) ёж\t\n")
	if want := "Title quoted bold code x a b img link) ёж"; got != want {
		t.Errorf("PlainText = %q, want %q", got, want)
	}
}
