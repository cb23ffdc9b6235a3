package knowledge

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// plainReader reduces Markdown to plain text (see PlainText) as far as
// asked, keeping its place: a snippet converts only the start of a body
// up to the end of its window, not the whole of it for every hit.
type plainReader struct {
	md                        string
	i                         int // next byte of md to read
	b                         strings.Builder
	space, lineStart, skipURL bool
}

func newPlainReader(md string) *plainReader { return &plainReader{md: md, lineStart: true} }

// done reports whether all of md has been read.
func (r *plainReader) done() bool { return r.i >= len(r.md) }

// fill converts md until the text has at least n bytes (n <= 0: all of
// it). Builder.String does not copy, and the text only grows, so strings
// taken before stay valid.
func (r *plainReader) fill(n int) string {
	for r.i < len(r.md) && (n <= 0 || r.b.Len() < n) {
		c, size := rune(r.md[r.i]), 1
		if c >= 0x80 {
			c, size = utf8.DecodeRuneInString(r.md[r.i:])
		}
		r.add(c)
		r.i += size
	}
	return r.b.String()
}

// add takes the rune at r.i.
func (r *plainReader) add(c rune) {
	md, i := r.md, r.i
	switch {
	case c == ']' && i+1 < len(md) && md[i+1] == '(':
		r.skipURL = true
		return
	case r.skipURL:
		r.skipURL = c != ')'
		return
	case isSpace(c):
		r.space = r.b.Len() > 0
		r.lineStart = r.lineStart || c == '\n'
		return
	case r.lineStart && (c == '#' || c == '>'):
		return
	case isMark(c), c == '!' && i+1 < len(md) && md[i+1] == '[':
		return
	}
	r.lineStart = false
	if r.space {
		r.b.WriteByte(' ')
		r.space = false
	}
	if c < 0x80 {
		r.b.WriteByte(byte(c))
	} else {
		r.b.WriteRune(c)
	}
}

// isMark reports the inline Markdown marks PlainText drops.
func isMark(c rune) bool {
	switch c {
	case '*', '_', '`', '|', '~', '[', ']':
		return true
	}
	return false
}

func isSpace(c rune) bool {
	if c < 0x80 {
		return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
	}
	return unicode.IsSpace(c)
}
