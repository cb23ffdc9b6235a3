package knowledge

import (
	"context"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Query is a search over articles.
type Query struct {
	Text string
	// Lang is the reader's language: the translation whose title and
	// snippet a hit shows when the article has it.
	Lang string
	// Any ranks articles holding any of the words (suggestions from a
	// ticket's or a report's text); else every word must be there.
	Any        bool
	States     []State // staff only; requesters always get published
	Audiences  []Audience
	CategoryID int64
	Limit      int // 0: 20; at most 100
}

// Hit is one article found, with its title and a snippet of its body
// highlighted in the translation shown.
type Hit struct {
	Article *Article
	Lang    string
	Title   []Fragment
	Snippet []Fragment
}

// MaxQueryLen bounds a search's text.
const MaxQueryLen = 10_000

// Search ranks the articles the actor may read that match the query's
// words (Russian and English stems), best first.
func (s *Service) Search(ctx context.Context, q Query) ([]Hit, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if len(q.Text) > MaxQueryLen {
		return nil, desk.Refusef(desk.EINVALID, desk.RuleTooLong, desk.Params{"max": "10000"}, "the search text is longer than %d characters", MaxQueryLen)
	}
	terms := QueryTerms(q.Text)
	if len(terms) == 0 {
		return nil, nil
	}
	sq := StoreQuery{Terms: terms, Any: q.Any, States: q.States, Audiences: q.Audiences, CategoryID: q.CategoryID, Limit: q.Limit}
	if !u.Role.IsStaff() {
		sq.States, sq.Audiences = []State{Published}, []Audience{Public}
	}
	switch {
	case sq.Limit <= 0:
		sq.Limit = 20
	case sq.Limit > 100:
		sq.Limit = 100
	}
	scored, err := s.store.SearchArticles(ctx, sq)
	if err != nil || len(scored) == 0 {
		return nil, err
	}
	return s.hits(ctx, u, scored, terms, q.Lang)
}

// hits loads the scored articles in score order and cuts their snippets.
func (s *Service) hits(ctx context.Context, u *desk.User, scored []Scored, terms []string, lang string) ([]Hit, error) {
	ids := make([]int64, len(scored))
	for i, sc := range scored {
		ids[i] = sc.ID
	}
	page, err := s.store.ListArticles(ctx, Filter{IDs: ids, Limit: len(ids)})
	if err != nil {
		return nil, err
	}
	byID := map[int64]*Article{}
	for _, a := range page.Articles {
		byID[a.ID] = a
	}
	out := make([]Hit, 0, len(scored))
	m := newMatcher(terms)
	for _, sc := range scored {
		a := byID[sc.ID]
		if a == nil || !Visible(u, a) {
			continue
		}
		out = append(out, m.hit(a, lang))
	}
	return out, nil
}

// hit shows an article in the reader's translation when it matches the
// search, else in the first that does, else in the reader's (or the
// first): its highlighted title and snippet.
func (m *matcher) hit(a *Article, lang string) Hit {
	pref := a.Translation(lang)
	first := Hit{Article: a, Lang: pref.Lang, Title: m.highlight(pref.Title), Snippet: m.snippet(pref.Body)}
	if anyHit(first.Title) || anyHit(first.Snippet) {
		return first
	}
	for _, t := range a.Translations {
		if t.Lang == pref.Lang {
			continue
		}
		h := Hit{Article: a, Lang: t.Lang, Title: m.highlight(t.Title), Snippet: m.snippet(t.Body)}
		if anyHit(h.Title) || anyHit(h.Snippet) {
			return h
		}
	}
	return first
}

// SuggestFor returns published articles matching a ticket's text and
// category, for the agent's ticket page: public and internal ones for
// staff.
func (s *Service) SuggestFor(ctx context.Context, t *desk.Ticket, lang string, limit int) ([]Hit, error) {
	text := strings.Join([]string{t.Title, t.Title, t.Description, t.Symptoms}, "\n")
	if t.Category != nil {
		text += "\n" + t.Category.Name
	}
	if len(text) > MaxQueryLen {
		text = text[:MaxQueryLen]
		text = strings.ToValidUTF8(text, "")
	}
	return s.Search(ctx, Query{Text: text, Lang: lang, Any: true, States: []State{Published}, Limit: limit})
}
