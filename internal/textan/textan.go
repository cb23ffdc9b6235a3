// Package textan is the desk's one text analysis: everything that searches
// or compares text (ticket search, similar tickets, the triage classifier)
// turns text into terms here, so that a word means the same thing
// everywhere.
//
// Text is normalised (NFKC, case folding, ё→е, apostrophes inside words
// dropped), cut into tokens, stop words (English and Russian) are marked,
// and each word is stemmed by its script: Cyrillic words by the Russian
// Snowball stemmer, Latin words by the English one, so mixed text such as
// "не работает VPN на ноутбуке" works. Ticket references (INC-000123),
// e-mail addresses and dotted numbers (10.0.0.1) stay whole, one token
// each. The package does no I/O.
package textan

import (
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/russian"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Kind says what a token is.
type Kind uint8

// Token kinds.
const (
	Word   Kind = iota // letters and digits
	Ref                // a ticket or record reference: letters, '-', digits (INC-000123)
	Email              // an e-mail address, kept whole
	Number             // digits with dots between them (1.5, 10.0.0.1), kept whole
)

// Script is the writing system of a word, which picks its stemmer.
type Script uint8

// Scripts.
const (
	Other    Script = iota // digits, mixed scripts or another alphabet: not stemmed
	Latin                  // English stemmer
	Cyrillic               // Russian stemmer
)

// Token is one unit of analysed text.
type Token struct {
	Text   string // the normalised surface form
	Term   string // what is indexed and compared: the stem of a word, or Text
	Kind   Kind
	Script Script
	Stop   bool // a stop word: kept in Analyze's output, left out of Terms
}

// Normalize applies the analysis' normalisation to text: NFKC, case
// folding and ё→е.
func Normalize(text string) string {
	s := norm.NFKC.String(text)
	s = cases.Fold().String(s)
	return strings.ReplaceAll(s, "ё", "е")
}

// Analyze cuts text into tokens, stop words included (marked Stop).
func Analyze(text string) []Token {
	var out []Token
	for _, chunk := range chunks(Normalize(text)) {
		out = appendChunk(out, chunk)
	}
	return out
}

// Terms returns the terms of text's tokens other than stop words, in order
// and with repeats: what an index stores and a query looks for.
func Terms(text string) []string {
	toks := Analyze(text)
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		if !t.Stop {
			out = append(out, t.Term)
		}
	}
	return out
}

// Stem returns the term of one normalised word: its Russian stem when it is
// Cyrillic, its English stem when Latin, else the word itself.
func Stem(word string) string {
	switch scriptOf(word) {
	case Cyrillic:
		return russian.Stem(word, true)
	case Latin:
		return english.Stem(word, true)
	}
	return word
}

// IsStopWord reports whether a normalised word is an English or Russian
// stop word.
func IsStopWord(word string) bool {
	if keptWords[word] {
		return false
	}
	return english.IsStopWord(word) || russian.IsStopWord(word)
}

// keptWords are on the Snowball stop lists but say something on a service
// desk ("the server is down", "power off").
var keptWords = map[string]bool{"down": true, "off": true}

// isWordRune reports whether r belongs inside a word.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// isJoiner reports whether r may join word runs into a ticket reference,
// an e-mail address or a dotted number; whether it does is decided by
// the chunk's shape.
func isJoiner(r rune) bool {
	switch r {
	case '-', '@', '.', '_', '+', '\'', '’':
		return true
	}
	return false
}

// chunks splits s into runs of word runes and joiners; joiners at either
// end of a run are dropped.
func chunks(s string) []string {
	fields := strings.FieldsFunc(s, func(r rune) bool { return !isWordRune(r) && !isJoiner(r) })
	out := fields[:0]
	for _, f := range fields {
		f = strings.TrimFunc(f, isJoiner)
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

// appendChunk appends the tokens of one chunk: the whole chunk when it is a
// reference, an e-mail address or a dotted number, else its words.
func appendChunk(out []Token, chunk string) []Token {
	switch {
	case isEmail(chunk):
		return append(out, Token{Text: chunk, Term: chunk, Kind: Email})
	case isRef(chunk):
		return append(out, Token{Text: chunk, Term: chunk, Kind: Ref})
	case isDotted(chunk):
		return append(out, Token{Text: chunk, Term: chunk, Kind: Number})
	}
	chunk = dropApostrophes(chunk)
	for _, w := range strings.FieldsFunc(chunk, func(r rune) bool { return !isWordRune(r) }) {
		out = append(out, wordToken(w))
	}
	return out
}

// wordToken analyses one word, from the memo when it was seen before.
func wordToken(w string) Token {
	if t, ok := memo.Load(w); ok {
		return t.(Token)
	}
	t := analyseWord(w)
	if memoSize.Add(1) <= memoMax {
		memo.Store(strings.Clone(w), t)
	}
	return t
}

// The memo of analysed words: stemming is most of indexing a text's CPU
// (a bulk load of generated tickets spent 40 % of its time there), and a
// desk's vocabulary is small. Words beyond memoMax are analysed each time,
// so the memo stays bounded (a few MB) whatever it is fed.
var (
	memo     sync.Map // string → Token
	memoSize atomic.Int64
)

const memoMax = 50000

// analyseWord analyses one word.
func analyseWord(w string) Token {
	sc := scriptOf(w)
	t := Token{Text: w, Term: w, Kind: Word, Script: sc, Stop: IsStopWord(w)}
	switch sc {
	case Cyrillic:
		t.Term = russian.Stem(w, true)
	case Latin:
		t.Term = english.Stem(w, true)
	}
	if t.Term == "" {
		t.Term = w
	}
	return t
}

// scriptOf is Cyrillic or Latin when every letter of w is of that script
// and w has no digit; otherwise Other.
func scriptOf(w string) Script {
	sc := Other
	for _, r := range w {
		var this Script
		switch {
		case unicode.IsMark(r):
			continue
		case unicode.Is(unicode.Cyrillic, r):
			this = Cyrillic
		case unicode.Is(unicode.Latin, r):
			this = Latin
		default:
			return Other
		}
		if sc != Other && sc != this {
			return Other
		}
		sc = this
	}
	return sc
}

// dropApostrophes removes apostrophes between letters ("don't" → "dont",
// "printer's" → "printers") and turns the others into spaces.
func dropApostrophes(s string) string {
	if !strings.ContainsAny(s, "'’") {
		return s
	}
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if r != '\'' && r != '’' {
			b.WriteRune(r)
			continue
		}
		if i == 0 || i == len(rs)-1 || !unicode.IsLetter(rs[i-1]) || !unicode.IsLetter(rs[i+1]) {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// Distinct returns terms without repeats, in the order first seen.
func Distinct(terms []string) []string {
	seen := make(map[string]bool, len(terms))
	out := terms[:0:0]
	for _, t := range terms {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// IDF is the weight of a term found in df of n documents: rare terms say
// more about a text than common ones. df < 1 counts as 1.
func IDF(n, df int) float64 {
	return math.Log(1 + float64(n)/float64(max(df, 1)))
}

// LengthNorm is the factor a similarity score is multiplied by for the
// compared text's length in characters: 1 up to about 16 terms (~110
// characters), then falling with the square root, since a long text
// shares words with everything.
func LengthNorm(chars int) float64 {
	return 4 / math.Sqrt(max(float64(chars)/7, 16))
}
