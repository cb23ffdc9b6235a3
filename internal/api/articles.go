package api

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/knowledge"
)

type translationJSON struct {
	Lang     string `json:"lang"`
	Title    string `json:"title"`
	Body     string `json:"body"`
	BodyHTML string `json:"body_html,omitempty"`
}

type articleJSON struct {
	ID           int64              `json:"id"`
	Key          string             `json:"key,omitempty"`
	Translations []translationJSON  `json:"translations"`
	Category     *desk.Ref          `json:"category"`
	Services     []desk.Ref         `json:"services"`
	Keywords     []string           `json:"keywords"`
	Audience     knowledge.Audience `json:"audience"`
	State        knowledge.State    `json:"state"`
	Owner        *desk.Ref          `json:"owner"`
	ReviewAt     *string            `json:"review_at"`
	Version      int                `json:"version"`
	CreatedAt    string             `json:"created_at"`
	UpdatedAt    string             `json:"updated_at"`
}

// articleView is an article as JSON; withHTML adds each body rendered and
// sanitised.
func articleView(a *knowledge.Article, withHTML bool) articleJSON {
	v := articleJSON{ID: a.ID, Key: a.Key, Category: a.Category, Services: a.Services, Keywords: a.Keywords,
		Audience: a.Audience, State: a.State, Owner: a.Owner, Version: a.Version,
		CreatedAt: rfc3339(a.CreatedAt), UpdatedAt: rfc3339(a.UpdatedAt)}
	if v.Services == nil {
		v.Services = []desk.Ref{}
	}
	if v.Keywords == nil {
		v.Keywords = []string{}
	}
	if a.ReviewAt != nil {
		d := a.ReviewAt.UTC().Format(time.DateOnly)
		v.ReviewAt = &d
	}
	for _, t := range a.Translations {
		tj := translationJSON{Lang: t.Lang, Title: t.Title, Body: t.Body}
		if withHTML {
			tj.BodyHTML = knowledge.Render(t.Body)
		}
		v.Translations = append(v.Translations, tj)
	}
	return v
}

// articleBody is what a writer sends to create or replace an article.
type articleBody struct {
	Key          string                  `json:"key"`
	Translations []knowledge.Translation `json:"translations"`
	CategoryID   int64                   `json:"category_id"`
	ServiceIDs   []int64                 `json:"service_ids"`
	Keywords     []string                `json:"keywords"`
	Audience     knowledge.Audience      `json:"audience"`
	OwnerID      int64                   `json:"owner_id"`
	ReviewAt     string                  `json:"review_at"`
	Note         string                  `json:"note"`
}

func (b *articleBody) input() (knowledge.Input, error) {
	in := knowledge.Input{Key: b.Key, Translations: b.Translations, CategoryID: b.CategoryID, ServiceIDs: b.ServiceIDs,
		Keywords: b.Keywords, Audience: b.Audience, OwnerID: b.OwnerID, Note: b.Note}
	if b.ReviewAt != "" {
		t, err := time.Parse(time.DateOnly, b.ReviewAt)
		if err != nil {
			return in, fieldProblem("review_at", desk.RuleInvalidFmt, desk.Params{"format": "date"}, "must be a date such as 2027-01-31")
		}
		in.ReviewAt = &t
	}
	return in, nil
}

// decodeArticle reads an articleBody as the input of a create or an edit.
func (s *server) decodeArticle(w http.ResponseWriter, r *http.Request) (knowledge.Input, error) {
	var b articleBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return knowledge.Input{}, err
	}
	return b.input()
}

func (s *server) requireKnowledge() error {
	if s.opts.Knowledge == nil {
		return httpError(http.StatusNotFound, "this server has no knowledge base")
	}
	return nil
}

// listArticles lists articles, or with q searches them (ranked, with
// highlighted snippets as escaped HTML).
func (s *server) listArticles(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireKnowledge(); err != nil {
		return err
	}
	q := newQuery(r, "q", "state", "audience", "category_id", "lang", "limit", "cursor", "any")
	var states []knowledge.State
	for _, v := range q.list("state") {
		if !slices.Contains(knowledge.States, knowledge.State(v)) {
			q.fail("state", desk.RuleOneOf, desk.Params{"allowed": "draft, published, retired"}, "must be draft, published or retired")
		}
		states = append(states, knowledge.State(v))
	}
	var auds []knowledge.Audience
	for _, v := range q.list("audience") {
		if !slices.Contains(knowledge.Audiences, knowledge.Audience(v)) {
			q.fail("audience", desk.RuleOneOf, desk.Params{"allowed": "public, internal"}, "must be public or internal")
		}
		auds = append(auds, knowledge.Audience(v))
	}
	var cat int64
	if id := q.id("category_id", nil); id != nil {
		cat = *id
	}
	limit, anyWord := q.limit(), q.boolean("any")
	if err := q.err(); err != nil {
		return err
	}
	if text := q.str("q"); text != "" {
		hits, err := s.opts.Knowledge.Search(r.Context(), knowledge.Query{Text: text, Lang: q.str("lang"), Any: anyWord,
			States: states, Audiences: auds, CategoryID: cat, Limit: min(limit, 100)})
		if err != nil {
			return err
		}
		out := make([]map[string]any, 0, len(hits))
		for _, h := range hits {
			out = append(out, map[string]any{"article": articleView(h.Article, false), "lang": h.Lang,
				"title_html": knowledge.FragmentsHTML(h.Title), "snippet_html": knowledge.FragmentsHTML(h.Snippet)})
		}
		writeJSON(w, http.StatusOK, map[string]any{"hits": out})
		return nil
	}
	page, err := s.opts.Knowledge.List(r.Context(), knowledge.Filter{States: states, Audiences: auds, CategoryID: cat,
		Cursor: q.str("cursor"), Limit: limit})
	if err != nil {
		return err
	}
	items := make([]articleJSON, 0, len(page.Articles))
	for _, a := range page.Articles {
		items = append(items, articleView(a, false))
	}
	writeJSON(w, http.StatusOK, map[string]any{"articles": items, "next_cursor": page.Next})
	return nil
}

func (s *server) writeArticle(w http.ResponseWriter, status int, a *knowledge.Article) {
	setETag(w, a.Version)
	writeJSON(w, status, articleView(a, true))
}

func (s *server) getArticle(w http.ResponseWriter, r *http.Request) error {
	id, err := s.articleID(r)
	if err != nil {
		return err
	}
	a, err := s.opts.Knowledge.Article(r.Context(), id)
	if err != nil {
		return err
	}
	s.writeArticle(w, http.StatusOK, a)
	return nil
}

func (s *server) articleID(r *http.Request) (int64, error) {
	if err := s.requireKnowledge(); err != nil {
		return 0, err
	}
	return pathID(r, "id", "article")
}

func (s *server) createArticle(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireKnowledge(); err != nil {
		return err
	}
	in, err := s.decodeArticle(w, r)
	if err != nil {
		return err
	}
	a, err := s.opts.Knowledge.Create(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/articles/"+strconv.FormatInt(a.ID, 10))
	s.writeArticle(w, http.StatusCreated, a)
	return nil
}

// putArticle replaces an article's content as a new version; If-Match
// names the version edited (412 when another edit came first).
func (s *server) putArticle(w http.ResponseWriter, r *http.Request) error {
	id, err := s.articleID(r)
	if err != nil {
		return err
	}
	in, err := s.decodeArticle(w, r)
	if err != nil {
		return err
	}
	if in.IfVersion, err = s.articleIfVersion(r, id); err != nil {
		return err
	}
	a, err := s.opts.Knowledge.Update(r.Context(), id, in)
	if err != nil {
		return err
	}
	s.writeArticle(w, http.StatusOK, a)
	return nil
}

func (s *server) publishArticle(w http.ResponseWriter, r *http.Request) error {
	return s.moveArticle(w, r, knowledge.Published)
}

func (s *server) retireArticle(w http.ResponseWriter, r *http.Request) error {
	return s.moveArticle(w, r, knowledge.Retired)
}

func (s *server) draftArticle(w http.ResponseWriter, r *http.Request) error {
	return s.moveArticle(w, r, knowledge.Draft)
}

// moveArticle changes an article's state; the body may carry a note.
func (s *server) moveArticle(w http.ResponseWriter, r *http.Request, to knowledge.State) error {
	id, err := s.articleID(r)
	if err != nil {
		return err
	}
	var b struct {
		Note string `json:"note"`
	}
	if r.ContentLength != 0 {
		if err := s.decodeJSON(w, r, &b); err != nil {
			return err
		}
	}
	v, err := s.articleIfVersion(r, id)
	if err != nil {
		return err
	}
	a, err := s.opts.Knowledge.SetState(r.Context(), id, to, v, b.Note)
	if err != nil {
		return err
	}
	s.writeArticle(w, http.StatusOK, a)
	return nil
}

// articleIfVersion is If-Match as an article version (0: none); like
// ifVersion for tickets.
func (s *server) articleIfVersion(r *http.Request, id int64) (int, error) {
	return matchVersion(r, func() (int, string, error) {
		a, err := s.opts.Knowledge.Article(r.Context(), id)
		if err != nil {
			return 0, "", err
		}
		return a.Version, fmt.Sprintf("article %d", id), nil
	})
}
