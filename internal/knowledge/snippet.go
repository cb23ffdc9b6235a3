package knowledge

import (
	"html"
	"slices"
	"strings"
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
	return fragments(text, words(text, terms), 0, len(text))
}

// Snippet is a window of about snippetWords words of an article body as
// plain text (Markdown marks removed), around its first word matching one
// of terms, with the matches marked; the body's start when none matches.
func Snippet(body string, terms []string) []Fragment {
	text := PlainText(body)
	if len(text) > snippetScan {
		text = text[:snippetScan]
		for len(text) > 0 && !isRuneStart(text[len(text)-1]) {
			text = text[:len(text)-1]
		}
	}
	ws := words(text, terms)
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

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// words finds the words of text and marks those matching terms.
func words(text string, terms []string) []word {
	var out []word
	start := -1
	flush := func(end int) {
		if start >= 0 {
			w := word{start: start, end: end}
			w.hit = matches(text[start:end], terms)
			out = append(out, w)
			start = -1
		}
	}
	for i, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(text))
	return out
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
func PlainText(md string) string {
	var b strings.Builder
	space, lineStart, skipURL := false, true, false
	for i, r := range md {
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
