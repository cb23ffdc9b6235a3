package storetest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/knowledge"
)

// testKBSearchRanking checks the store's ranking against the rule worked
// out in Go from each article's index terms: every query term present,
// score = Σ weight × idf, best first, ties newest first, only what the
// reader may see; for one term (whose idf is the same for every hit) the
// weight's order. Articles of varied length repeat a few words so that
// weights differ and tie.
func testKBSearchRanking(t *testing.T, open Opener) {
	k := newKBFixture(t, open)
	rng := rand.New(rand.NewPCG(12, 24))
	words := []string{"printer", "toner", "network", "printer", "laptop", "network", "printer", "battery"}
	var all []*knowledge.Article
	for i := range 40 {
		var title, body []string
		for range 1 + rng.IntN(3) {
			title = append(title, words[rng.IntN(len(words))])
		}
		for range 2 + rng.IntN(12) {
			body = append(body, words[rng.IntN(len(words))])
		}
		aud := knowledge.Public
		if i%5 == 0 {
			aud = knowledge.Internal
		}
		all = append(all, k.article(t, knowledge.Input{Translations: en(strings.Join(title, " "), strings.Join(body, " ")+fmt.Sprintf(" case %d", i)),
			Audience: aud}, i%7 != 0))
	}
	staff, req := k.as(t, k.agent), k.as(t, k.req1)
	for _, q := range []string{"printer", "battery", "printer network", "toner laptop network", "printer zzz"} {
		for _, who := range []struct {
			name   string
			public bool
		}{{"staff", false}, {"requester", true}} {
			c := staff
			if who.public {
				c = req
			}
			hits, err := k.kn.Search(c, knowledge.Query{Text: q, Lang: "en", Limit: 10})
			must(t, err)
			var got []int64
			for _, h := range hits {
				got = append(got, h.Article.ID)
			}
			diff(t, fmt.Sprintf("search %q as %s", q, who.name), rankInGo(all, knowledge.QueryTerms(q), who.public, 10), got)
		}
	}
}

// rankInGo is the ranking rule over the articles (draft ones left out,
// like internal ones for a requester).
func rankInGo(all []*knowledge.Article, terms []string, public bool, limit int) []int64 {
	df := map[string]int{}
	index := map[int64]map[string]int{}
	for _, a := range all {
		index[a.ID] = knowledge.IndexTerms(&a.Content)
		for term := range index[a.ID] {
			df[term]++
		}
	}
	type scored struct {
		id    int64
		score int64
	}
	var out []scored
	for _, a := range all {
		if a.State != knowledge.Published && public || public && a.Audience != knowledge.Public {
			continue
		}
		var score int64
		ok := true
		for _, term := range terms {
			w, has := index[a.ID][term]
			ok = ok && has
			if len(terms) == 1 {
				score = int64(w)
			} else {
				score += int64(w) * knowledge.IDFWeight(len(all), df[term])
			}
		}
		if ok {
			out = append(out, scored{a.ID, score})
		}
	}
	slices.SortFunc(out, func(x, y scored) int {
		if x.score != y.score {
			return int(y.score - x.score)
		}
		return int(y.id - x.id)
	})
	var ids []int64
	for i := 0; i < len(out) && i < limit; i++ {
		ids = append(ids, out[i].id)
	}
	return ids
}
