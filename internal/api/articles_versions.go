package api

import (
	"net/http"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/knowledge"
)

type versionJSON struct {
	Number  int          `json:"number"`
	Author  desk.Ref     `json:"author"`
	At      string       `json:"at"`
	Note    string       `json:"note"`
	Content *articleJSON `json:"content,omitempty"`
}

func versionView(v *knowledge.Version, withContent bool) versionJSON {
	out := versionJSON{Number: v.Number, Author: v.Author, At: rfc3339(v.At), Note: v.Note}
	if withContent {
		a := articleView(&knowledge.Article{ID: v.ArticleID, Content: v.Content, Version: v.Number, CreatedAt: v.At, UpdatedAt: v.At}, true)
		out.Content = &a
	}
	return out
}

func (s *server) listArticleVersions(w http.ResponseWriter, r *http.Request) error {
	id, err := s.articleID(r)
	if err != nil {
		return err
	}
	vs, err := s.opts.Knowledge.Versions(r.Context(), id)
	if err != nil {
		return err
	}
	out := make([]versionJSON, len(vs))
	for i, v := range vs {
		out[i] = versionView(v, false)
	}
	writeJSON(w, http.StatusOK, map[string]any{"versions": out})
	return nil
}

func (s *server) getArticleVersion(w http.ResponseWriter, r *http.Request) error {
	id, err := s.articleID(r)
	if err != nil {
		return err
	}
	n, err := pathID(r, "number", "version")
	if err != nil {
		return err
	}
	v, err := s.opts.Knowledge.Version(r.Context(), id, int(n))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, versionView(v, true))
	return nil
}

// diffArticle answers the line diff between two versions (from, to).
func (s *server) diffArticle(w http.ResponseWriter, r *http.Request) error {
	id, err := s.articleID(r)
	if err != nil {
		return err
	}
	q := newQuery(r, "from", "to")
	from, to := q.id("from", nil), q.id("to", nil)
	if from == nil {
		q.fail("from", desk.RuleRequired, nil, "is required: a version number")
	}
	if to == nil {
		q.fail("to", desk.RuleRequired, nil, "is required: a version number")
	}
	if err := q.err(); err != nil {
		return err
	}
	d, err := s.opts.Knowledge.Diff(r.Context(), id, int(*from), int(*to))
	if err != nil {
		return err
	}
	added, removed := knowledge.DiffStats(d)
	writeJSON(w, http.StatusOK, map[string]any{"from": *from, "to": *to, "added": added, "removed": removed, "lines": d})
	return nil
}

// putKnowledgeEditor grants the knowledge_editor permission (admins).
func (s *server) putKnowledgeEditor(w http.ResponseWriter, r *http.Request) error {
	return s.setKnowledgeEditor(w, r, true)
}

func (s *server) deleteKnowledgeEditor(w http.ResponseWriter, r *http.Request) error {
	return s.setKnowledgeEditor(w, r, false)
}

func (s *server) setKnowledgeEditor(w http.ResponseWriter, r *http.Request, on bool) error {
	if err := s.requireKnowledge(); err != nil {
		return err
	}
	id, err := pathID(r, "user_id", "user")
	if err != nil {
		return err
	}
	if err := s.opts.Knowledge.SetEditor(r.Context(), id, on); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) listKnowledgeEditors(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireKnowledge(); err != nil {
		return err
	}
	us, err := s.opts.Knowledge.Editors(r.Context())
	if err != nil {
		return err
	}
	out := make([]map[string]any, len(us))
	for i, u := range us {
		out[i] = map[string]any{"id": u.ID, "name": u.Name, "email": u.Email, "role": u.Role}
	}
	writeJSON(w, http.StatusOK, map[string]any{"editors": out})
	return nil
}

// knowledgeReport answers GET /api/v1/reports/knowledge.
func (s *server) knowledgeReport(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireKnowledge(); err != nil {
		return err
	}
	q := newQuery(r, "from", "to", "lang")
	from, to := q.day("from"), q.day("to")
	if err := q.err(); err != nil {
		return err
	}
	rep, err := s.opts.Knowledge.Report(r.Context(), from, to)
	if err != nil {
		return err
	}
	lang := q.str("lang")
	arts := make([]map[string]any, len(rep.Articles))
	for i, u := range rep.Articles {
		arts[i] = map[string]any{"id": u.ID, "title": u.Title(lang), "solved_by": u.SolvedBy, "relevant": u.Relevant,
			"shown": u.Shown, "deflections": u.Deflections}
	}
	uncovered := rep.Uncovered
	if uncovered == nil {
		uncovered = []desk.Ref{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"from": rfc3339(rep.From), "to": rfc3339(rep.To), "articles": arts,
		"links":       map[string]int{"solved_by": rep.SolvedBy, "relevant": rep.Relevant, "shown": rep.Shown},
		"deflections": rep.Deflections, "tickets_created": rep.TicketsCreated, "reuse_rate": rep.ReuseRate,
		"published_articles": rep.Published, "categories_without_articles": uncovered,
		"definitions": map[string]string{"reuse_rate": "(tickets linked solved_by in the period + deflections) / (tickets created in the period + deflections)"}})
	return nil
}
