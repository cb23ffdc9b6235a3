package api

import (
	"net/http"

	"github.com/tierdesk/tierdesk/internal/knowledge"
)

type articleLinkJSON struct {
	Kind    knowledge.LinkKind `json:"kind"`
	At      string             `json:"created_at"`
	Article articleJSON        `json:"article"`
}

func (s *server) listTicketArticles(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireKnowledge(); err != nil {
		return err
	}
	ls, err := s.opts.Knowledge.TicketArticles(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	out := make([]articleLinkJSON, len(ls))
	for i, l := range ls {
		out[i] = articleLinkJSON{Kind: l.Kind, At: rfc3339(l.At), Article: articleView(l.Article, false)}
	}
	writeJSON(w, http.StatusOK, map[string]any{"articles": out})
	return nil
}

// linkTicketArticle links an article to the ticket (or changes the kind).
func (s *server) linkTicketArticle(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireKnowledge(); err != nil {
		return err
	}
	var b struct {
		ArticleID int64              `json:"article_id"`
		Kind      knowledge.LinkKind `json:"kind"`
	}
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	l, err := s.opts.Knowledge.Link(r.Context(), r.PathValue("id"), b.ArticleID, b.Kind)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, articleLinkJSON{Kind: l.Kind, At: rfc3339(l.At), Article: articleView(l.Article, false)})
	return nil
}

func (s *server) unlinkTicketArticle(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "article_id", "article")
	if err != nil {
		return err
	}
	if err := s.requireKnowledge(); err != nil {
		return err
	}
	if err := s.opts.Knowledge.Unlink(r.Context(), r.PathValue("id"), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// sendTicketArticle posts a published public article to the ticket's
// requester as a public comment: 201 with the comment event.
func (s *server) sendTicketArticle(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "article_id", "article")
	if err != nil {
		return err
	}
	if err := s.requireKnowledge(); err != nil {
		return err
	}
	var b struct {
		Lang string `json:"lang"`
	}
	if r.ContentLength != 0 {
		if err := s.decodeJSON(w, r, &b); err != nil {
			return err
		}
	}
	ev, err := s.opts.Knowledge.SendToRequester(r.Context(), r.PathValue("id"), id, b.Lang)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"event_id": ev.ID, "body": ev.Body, "at": rfc3339(ev.At)})
	return nil
}

// draftFromTicket turns the resolved ticket's resolution into a draft
// article linked to it.
func (s *server) draftFromTicket(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireKnowledge(); err != nil {
		return err
	}
	a, err := s.opts.Knowledge.DraftFromTicket(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	s.writeArticle(w, http.StatusCreated, a)
	return nil
}

// deflectArticle records that the article answered the caller's question
// (the portal's "this solved it"): no ticket is created.
func (s *server) deflectArticle(w http.ResponseWriter, r *http.Request) error {
	id, err := s.articleID(r)
	if err != nil {
		return err
	}
	var b struct {
		Query string `json:"query"`
	}
	if r.ContentLength != 0 {
		if err := s.decodeJSON(w, r, &b); err != nil {
			return err
		}
	}
	if err := s.opts.Knowledge.Deflect(r.Context(), id, b.Query); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
