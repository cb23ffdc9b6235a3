package knowledge

import (
	"math"
	"strings"

	"github.com/tierdesk/tierdesk/internal/textan"
)

// Field weights of a term: a word in a title says more about the article
// than one in its keywords, and those more than one in the body. Weights
// are integers so that both databases add them up to the same scores.
const (
	weightTitle   = 6
	weightKeyword = 4
	weightBody    = 2
	// maxWeight caps one term's weight in one article, so that repeating
	// a word a hundred times does not buy the top of every search.
	maxWeight = 60
	// MaxQueryTerms bounds the terms a search looks for; the portal's
	// suggestions read a whole paragraph and keep its rarest terms.
	MaxQueryTerms = 12
)

// IndexTerms returns the search terms of an article's content with their
// weights: the textan terms (Russian and English stems) of its titles,
// keywords and bodies, and for an English agent noun such as "printer" or
// "router" the stem of its verb too ("print", "rout"), at half weight, so
// that a search for "printing" finds the printer article.
func IndexTerms(c *Content) map[string]int {
	w := map[string]int{}
	add := func(text string, weight int) {
		for _, tok := range textan.Analyze(text) {
			if tok.Stop {
				continue
			}
			w[tok.Term] += weight
			if root := agentRoot(tok); root != "" && root != tok.Term {
				w[root] += weight / 2
			}
		}
	}
	for _, t := range c.Translations {
		add(t.Title, weightTitle)
		add(t.Body, weightBody)
	}
	for _, k := range c.Keywords {
		add(k, weightKeyword)
	}
	for term, v := range w {
		w[term] = min(v, maxWeight)
	}
	return w
}

// agentRoot is the verb stem of an English "-er" noun's term ("printer" →
// "print"), else "". The English Snowball stemmer keeps such nouns apart
// from their verbs, which is right for ranking but not for finding.
func agentRoot(tok textan.Token) string {
	if tok.Kind != textan.Word || tok.Script != textan.Latin || len(tok.Term) < 6 || !strings.HasSuffix(tok.Term, "er") {
		return ""
	}
	return textan.Stem(tok.Term[:len(tok.Term)-2])
}

// QueryTerms returns the distinct terms of a search's text (stop words
// left out), at most MaxQueryTerms of them, first ones first.
func QueryTerms(text string) []string {
	terms := textan.Distinct(textan.Terms(text))
	if len(terms) > MaxQueryTerms {
		terms = terms[:MaxQueryTerms]
	}
	return terms
}

// IDFWeight is a term's inverse document frequency among n articles when
// df of them hold it, scaled to an integer (thousandths).
func IDFWeight(n, df int) int64 {
	if df <= 0 {
		return 0
	}
	return int64(math.Round(1000 * math.Log(1+(float64(n)-float64(df)+0.5)/(float64(df)+0.5))))
}
