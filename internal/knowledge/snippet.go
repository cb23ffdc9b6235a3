package knowledge

import (
	"html"
	"iter"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

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
	text := plainText(body, snippetScan)
	if len(text) > snippetScan {
		text = text[:snippetScan]
		for len(text) > 0 && !isRuneStart(text[len(text)-1]) {
			text = text[:len(text)-1]
		}
	}
	ws, more := m.window(text)
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

// window finds the words of text up to the end of the snippet around the
// first hit (judging no word after it: most of a long body needs no
// stemming); more reports that words follow.
func (m *matcher) window(text string) (ws []word, more bool) {
	first := -1
	for w := range wordSpans(text) {
		if first >= 0 && len(ws) >= max(first-snippetBefore, 0)+snippetWords {
			return ws, true
		}
		w.hit = m.match(text[w.start:w.end])
		if w.hit && first < 0 {
			first = len(ws)
		}
		ws = append(ws, w)
	}
	return ws, false
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
	for _, tok := range textan.Analyze(w) {
		if slices.Contains(terms, tok.Term) {
			return true
		}
		if root := agentRoot(tok); root != "" && slices.Contains(terms, root) {
			return true
		}
	}
	return false
}

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
func PlainText(md string) string { return plainText(md, 0) }

// plainText is PlainText stopping once it has limit bytes (0: none): a
// snippet reads no further, and a long body is not converted whole for
// each hit of each search.
func plainText(md string, limit int) string {
	var b strings.Builder
	if limit > 0 {
		b.Grow(min(len(md), limit+utf8.UTFMax))
	} else {
		b.Grow(len(md))
	}
	space, lineStart, skipURL := false, true, false
	for i, r := range md {
		if limit > 0 && b.Len() >= limit {
			break
		}
		switch {
		case r == ']' && i+1 < len(md) && md[i+1] == '(':
			skipURL = true
			continue
		case skipURL:
			skipURL = r != ')'
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			lineStart = lineStart || r == '\n'
			continue
		case lineStart && (r == '#' || r == '>'):
			continue
		case strings.ContainsRune("*_`|~[]", r), r == '!' && i+1 < len(md) && md[i+1] == '[':
			continue
		}
		lineStart = false
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

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
