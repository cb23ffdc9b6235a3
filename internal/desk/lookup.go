package desk

import (
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Requester lookup ("as you type"): line 1 finds the caller by any word of
// their name, e-mail address, phone number or organisation. Each user's
// lookup terms (LookupTerms) are kept by the store beside the user under
// an index, and a query's words (LookupWords) must each begin one of the
// user's terms: "ann pet" finds Anna Petrova, "acme" everyone at ACME
// Corp, "sam.sel" sam.seller@example.com, and a phone number matches by
// any run of four or more of its digits ("4567" finds +7 495 123-45-67),
// whatever spaces, dashes or brackets either side is typed with. Words are
// compared lower-cased, with ё read as е.

// MaxLookupTerm is the longest term kept; longer words are cut, and so are
// the query's words, so a long query still matches.
const MaxLookupTerm = 64

// MaxLookupWords is how many words of a query count; the rest are ignored.
const MaxLookupWords = 5

// MaxLookupResults is the most matches one lookup returns.
const MaxLookupResults = 50

// minPhoneRun is the shortest run of a phone number's digits that is a term
// of its own (besides the whole number).
const minPhoneRun = 4

// RequesterLookup is one lookup.
type RequesterLookup struct {
	Query string
	Limit int // 1..MaxLookupResults; 0 means 10
}

// UserLookup is what the store is asked: users whose terms begin with each
// of Words (already normalised by LookupWords), active ones only, the
// first Limit in the order of their first matching term, then id.
type UserLookup struct {
	Words []string
	Limit int
}

// RequesterMatches is the answer of a lookup.
type RequesterMatches struct {
	Users []*User
	More  bool // there are more matches than Limit: the caller should type more
}

// LookupRequesters finds the people a caller may be, for staff registering
// a ticket on their behalf. Requesters never look up other users.
func (s *Desk) LookupRequesters(ctx context.Context, q RequesterLookup) (*RequesterMatches, error) {
	if _, err := requireStaff(ctx); err != nil {
		return nil, err
	}
	if q.Limit == 0 {
		q.Limit = 10
	}
	var v validation
	v.text("q", q.Query, 200, false)
	if q.Limit < 1 || q.Limit > MaxLookupResults {
		v.add("limit", RuleOutOfRange, Params{"min": 1, "max": MaxLookupResults}, "must be between 1 and %d", MaxLookupResults)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	words := LookupWords(q.Query)
	if len(words) == 0 {
		return &RequesterMatches{}, nil
	}
	users, err := s.store.LookupUsers(ctx, UserLookup{Words: words, Limit: q.Limit + 1})
	if err != nil {
		return nil, err
	}
	m := &RequesterMatches{Users: users}
	if len(users) > q.Limit {
		m.Users, m.More = users[:q.Limit], true
	}
	return m, nil
}

// normalizeLookup lower-cases s and reads ё as е.
func normalizeLookup(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), "ё", "е")
}

// LookupTerms are the words a user is found by (see the top of this file).
func LookupTerms(u *User) []string {
	var terms []string
	add := func(t string) {
		t = cutTerm(t)
		if t != "" && !slices.Contains(terms, t) {
			terms = append(terms, t)
		}
	}
	for _, text := range []string{u.Name, u.Organization} {
		for _, w := range strings.Fields(normalizeLookup(text)) {
			add(strings.TrimFunc(w, notWordRune))
			for _, piece := range strings.FieldsFunc(w, notWordRune) {
				add(piece)
			}
		}
	}
	email := normalizeLookup(strings.TrimSpace(u.Email))
	add(email)
	local, domain, _ := strings.Cut(email, "@")
	add(local)
	add(domain)
	for _, piece := range strings.FieldsFunc(email, notWordRune) {
		add(piece)
	}
	if d := digits(u.Phone); d != "" {
		add(d)
		for i := 1; len(d)-i >= minPhoneRun; i++ {
			add(d[i:])
		}
	}
	return terms
}

// LookupWords are the words of a query, each to begin one of a user's
// terms. A query of digits and phone punctuation only is one number.
func LookupWords(q string) []string {
	q = normalizeLookup(q)
	if isPhoneLike(q) {
		if d := digits(q); d != "" {
			return []string{cutTerm(d)}
		}
	}
	var words []string
	for _, w := range strings.Fields(q) {
		w = cutTerm(strings.TrimFunc(w, func(r rune) bool { return notWordRune(r) && r != '@' && r != '.' }))
		w = strings.TrimLeft(w, "@.")
		if w != "" && !slices.Contains(words, w) {
			words = append(words, w)
		}
		if len(words) == MaxLookupWords {
			break
		}
	}
	return words
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isPhoneLike reports whether s holds digits and nothing but phone
// punctuation and spaces.
func isPhoneLike(s string) bool {
	seen := false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			seen = true
		case strings.ContainsRune("+-() .", r), unicode.IsSpace(r):
		default:
			return false
		}
	}
	return seen
}

// cutTerm keeps at most MaxLookupTerm characters of t.
func cutTerm(t string) string {
	if utf8.RuneCountInString(t) <= MaxLookupTerm {
		return t
	}
	return string([]rune(t)[:MaxLookupTerm])
}
