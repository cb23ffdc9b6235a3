package knowledge

import (
	"html"
	"iter"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/tierdesk/tierdesk/internal/textan"
)

// Fragment is a piece of a snippet; Hit marks a word the search matched.
type Fragment struct {
	Text string `json:"text"`
	Hit  bool   `json:"hit,omitempty"`
}

// Snippet sizes, in words.
const (
	snippetWords  = 28
	snippetBefore = 6
	// snippetScan bounds how much of a body is read for a snippet.
	snippetScan = 20_000
)

// word is one word of a text with its byte span.
type word struct {
	start, end int
	hit        bool
}

// Highlight cuts a short text (a title) into fragments, marking the words
// whose terms are among terms.
func Highlight(text string, terms []string) []Fragment {
	return newMatcher(terms).highlight(text)
}

func (m *matcher) highlight(text string) []Fragment {
	return fragments(text, m.words(text), 0, len(text))
}

// matcher tells which words match a search's terms, remembering each word
// it has judged: a text repeats its words, and analysing (stemming) a
// word is most of the cost of a search's snippets.
type matcher struct {
	terms []string
	memo  map[string]bool
}

func newMatcher(terms []string) *matcher { return &matcher{terms: terms, memo: map[string]bool{}} }

func (m *matcher) match(w string) bool {
	hit, ok := m.memo[w]
	if !ok {
		hit = matches(w, m.terms)
		m.memo[w] = hit
	}
	return hit
}

// Snippet is a window of about snippetWords words of an article body as
// plain text (Markdown marks removed), around its first word matching one
// of terms, with the matches marked; the body's start when none matches.
func Snippet(body string, terms []string) []Fragment {
	return newMatcher(terms).snippet(body)
}

func (m *matcher) snippet(body string) []Fragment {
	text, ws, more := m.window(newPlainReader(body))
	first := slices.IndexFunc(ws, func(w word) bool { return w.hit })
	from := max(0, first-snippetBefore)
	to := min(len(ws), from+snippetWords)
	if len(ws) == 0 {
		return nil
	}
	start, end := ws[from].start, ws[to-1].end
	if from == 0 {
		start = 0
	}
	if to == len(ws) && !more {
		end = len(text)
	}
	frags := fragments(text, ws[from:to], start, end)
	if from > 0 {
		frags = append([]Fragment{{Text: "… "}}, frags...)
	}
	if to < len(ws) || more {
		frags = append(frags, Fragment{Text: " …"})
	}
	return frags
}

// snippetChunk is how much plain text a snippet converts first; it
// doubles while the window is not full.
const snippetChunk = 1024

// window finds the words of a body's plain text (at most snippetScan
// bytes of it) up to the end of the snippet around the first hit,
// converting and judging no word after it: most of a long body needs
// neither. It returns the text converted, which holds every word found;
// more reports that words follow.
func (m *matcher) window(r *plainReader) (text string, ws []word, more bool) {
	first, from := -1, 0
	for need := snippetChunk; ; need *= 2 {
		var whole bool
		text, whole = scanText(r, need)
		base := from
		for w := range wordSpans(text[base:]) {
			w.start, w.end = w.start+base, w.end+base
			if first >= 0 && len(ws) >= max(first-snippetBefore, 0)+snippetWords {
				return text, ws, true
			}
			if !whole && w.end == len(text) {
				break // the word may go on: convert more
			}
			w.hit = m.match(text[w.start:w.end])
			if w.hit && first < 0 {
				first = len(ws)
			}
			ws = append(ws, w)
			from = w.end
		}
		if whole {
			return text, ws, false
		}
	}
}

// scanText converts r up to n bytes of text (at most snippetScan, cut at
// a character's start); whole reports that the text is all a snippet
// reads of the body.
func scanText(r *plainReader, n int) (text string, whole bool) {
	text = r.fill(min(n, snippetScan))
	if len(text) < snippetScan {
		return text, r.done()
	}
	text = text[:snippetScan]
	for len(text) > 0 && !isRuneStart(text[len(text)-1]) {
		text = text[:len(text)-1]
	}
	return text, true
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// words finds the words of text and marks those matching the terms.
func (m *matcher) words(text string) []word {
	var out []word
	for w := range wordSpans(text) {
		w.hit = m.match(text[w.start:w.end])
		out = append(out, w)
	}
	return out
}

// wordSpans yields the words of text (runs of letters and digits).
func wordSpans(text string) iter.Seq[word] {
	return func(yield func(word) bool) {
		start := -1
		for i, r := range text {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				if start < 0 {
					start = i
				}
				continue
			}
			if start >= 0 && !yield(word{start: start, end: i}) {
				return
			}
			start = -1
		}
		if start >= 0 {
			yield(word{start: start, end: len(text)})
		}
	}
}

// matches reports whether one word's term, or its verb stem, is a search
// term.
func matches(w string, terms []string) bool {
	for _, t := range wordTerms(w) {
		if slices.Contains(terms, t) {
			return true
		}
	}
	return false
}

// wordTerms returns the terms one word of a text matches a search by:
// its tokens' terms and verb stems. Analysing (normalising, stemming) is
// most of a snippet's cost, and the articles' words repeat from search
// to search, so the analyses are kept, up to maxCachedWords words (then
// forgotten all at once).
func wordTerms(w string) []string {
	cachedWords.Lock()
	terms, ok := cachedWords.m[w]
	cachedWords.Unlock()
	if ok {
		return terms
	}
	for _, tok := range textan.Analyze(w) {
		terms = append(terms, tok.Term)
		if root := agentRoot(tok); root != "" {
			terms = append(terms, root)
		}
	}
	if len(w) > maxCachedWordLen {
		return terms
	}
	cachedWords.Lock()
	if len(cachedWords.m) >= maxCachedWords {
		clear(cachedWords.m)
	}
	cachedWords.m[strings.Clone(w)] = terms // not a slice of a body kept alive
	cachedWords.Unlock()
	return terms
}

// maxCachedWords and maxCachedWordLen bound the words whose analysis is
// kept (a few MB at most).
const (
	maxCachedWords   = 1 << 16
	maxCachedWordLen = 64
)

var cachedWords = struct {
	sync.Mutex
	m map[string][]string
}{m: map[string][]string{}}

// anyHit reports whether a fragment is a hit.
func anyHit(frags []Fragment) bool {
	return slices.ContainsFunc(frags, func(f Fragment) bool { return f.Hit })
}

// fragments cuts text[start:end] into plain and hit fragments; ws are
// the words within it.
func fragments(text string, ws []word, start, end int) []Fragment {
	var out []Fragment
	pos := start
	for _, w := range ws {
		if !w.hit {
			continue
		}
		if w.start > pos {
			out = append(out, Fragment{Text: text[pos:w.start]})
		}
		out = append(out, Fragment{Text: text[w.start:w.end], Hit: true})
		pos = w.end
	}
	if end > pos {
		out = append(out, Fragment{Text: text[pos:end]})
	}
	return out
}

// PlainText is Markdown reduced to its words: emphasis, code and table
// marks, heading and quote marks at line starts and link targets dropped,
// white space collapsed.
func PlainText(md string) string { return newPlainReader(md).fill(0) }

// FragmentsHTML renders fragments as HTML: every text escaped, hits in
// <mark>.
func FragmentsHTML(frags []Fragment) string {
	var b strings.Builder
	for _, f := range frags {
		if f.Hit {
			b.WriteString("<mark>" + html.EscapeString(f.Text) + "</mark>")
		} else {
			b.WriteString(html.EscapeString(f.Text))
		}
	}
	return b.String()
}
