package textan

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxClauses bounds a query: clauses after the first MaxClauses are
// ignored, so no typed text can make one search arbitrarily expensive.
const MaxClauses = 16

// minPrefix is the shortest prefix that is searched as a prefix (in
// runes); a shorter one ("a*") is searched as a word.
const minPrefix = 2

// Clause is one part of a query: a term, a phrase (terms next to each other
// in this order) or, when Prefix is set, terms whose last one may be the
// start of a longer term.
type Clause struct {
	Terms  []string
	Prefix bool
	Not    bool // the clause excludes what it matches
}

// Query is a parsed search: every positive clause must match and no
// excluded one may.
type Query struct {
	Clauses []Clause
}

// MatchesNothing reports whether the query has no positive clause: a query
// made only of punctuation, stop words or exclusions finds no ticket,
// instead of every ticket.
func (q Query) MatchesNothing() bool {
	for _, c := range q.Clauses {
		if !c.Not {
			return false
		}
	}
	return true
}

// Positive returns the query's clauses that must match.
func (q Query) Positive() []Clause { return q.filter(false) }

// Negative returns the query's excluded clauses.
func (q Query) Negative() []Clause { return q.filter(true) }

func (q Query) filter(not bool) []Clause {
	var out []Clause
	for _, c := range q.Clauses {
		if c.Not == not {
			out = append(out, c)
		}
	}
	return out
}

// String renders the query back in its own syntax from its terms, for logs
// and tests.
func (q Query) String() string {
	parts := make([]string, len(q.Clauses))
	for i, c := range q.Clauses {
		s := strings.Join(c.Terms, " ")
		if len(c.Terms) > 1 {
			s = `"` + s + `"`
		}
		if c.Prefix {
			s += "*"
		}
		if c.Not {
			s = "-" + s
		}
		parts[i] = s
	}
	return strings.Join(parts, " ")
}

// ParseQuery reads a search as typed: words, "phrases", -word or -"phrase"
// to exclude, and word* for a prefix. Anything else is read as words, and
// punctuation that makes no word is dropped; it never fails. A word that
// analyses to several terms (wi-fi) is searched as a phrase of them.
func ParseQuery(text string) Query {
	var q Query
	seen := map[string]bool{}
	add := func(c Clause) {
		if len(c.Terms) == 0 || len(q.Clauses) >= MaxClauses {
			return
		}
		key := q1(c)
		if !seen[key] {
			seen[key] = true
			q.Clauses = append(q.Clauses, c)
		}
	}
	rest := text
	for rest != "" {
		rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
		not := false
		if strings.HasPrefix(rest, "-") {
			not = true
			rest = rest[1:]
		}
		var piece string
		if strings.HasPrefix(rest, `"`) {
			piece, rest = cutPhrase(rest[1:])
			add(Clause{Terms: Terms(piece), Not: not})
			continue
		}
		end := strings.IndexFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || r == '"' })
		if end < 0 {
			end = len(rest)
		}
		piece, rest = rest[:end], rest[end:]
		add(wordClause(piece, not))
	}
	return q
}

// cutPhrase returns the text up to the closing quote (or the end) and the
// rest after it.
func cutPhrase(s string) (phrase, rest string) {
	if i := strings.IndexByte(s, '"'); i >= 0 {
		return s[:i], s[i+1:]
	}
	return s, ""
}

// wordClause analyses one typed word; a trailing '*' asks for a prefix.
func wordClause(word string, not bool) Clause {
	prefix := false
	if strings.HasSuffix(word, "*") {
		word = strings.TrimRight(word, "*")
		prefix = true
	}
	toks := Analyze(word)
	var c Clause
	c.Not = not
	for i, t := range toks {
		last := i == len(toks)-1
		if last && prefix && t.Kind == Word && utf8.RuneCountInString(t.Text) >= minPrefix {
			c.Terms = append(c.Terms, t.Term)
			c.Prefix = true
			continue
		}
		if !t.Stop {
			c.Terms = append(c.Terms, t.Term)
		}
	}
	return c
}

// q1 is a clause's identity for removing repeats.
func q1(c Clause) string {
	var b strings.Builder
	if c.Not {
		b.WriteByte('-')
	}
	if c.Prefix {
		b.WriteByte('*')
	}
	b.WriteString(strings.Join(c.Terms, "\x00"))
	return b.String()
}
