package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/knowledge"
)

// The knowledge base's pages (/kb): the list with its search, an article,
// its editor, its versions and the diff between two. Staff read every
// article; requesters read published public ones (the knowledge service
// decides); administrators and knowledge editors write. Registered only
// when the server has a knowledge base (Options.Knowledge).
func init() {
	registerArea("knowledge", func(s *server) {
		if s.opts.Knowledge == nil {
			return
		}
		s.get("/kb", signedIn, s.kbList)
		s.get("/kb/{id}", signedIn, s.kbArticle)
		s.get("/kb/new", staffOnly, s.kbNew)
		s.post("/kb", staffOnly, s.kbCreate)
		s.get("/kb/{id}/edit", staffOnly, s.kbEdit)
		s.post("/kb/{id}", staffOnly, s.kbSave)
		s.post("/kb/{id}/state", staffOnly, s.kbState)
		s.get("/kb/{id}/versions", staffOnly, s.kbVersions)
		s.get("/kb/{id}/versions/{n}", staffOnly, s.kbVersion)
		s.get("/kb/{id}/diff", staffOnly, s.kbDiff)
		s.post("/admin/users/{id}/knowledge-editor", staffOnly, s.kbSetEditor)
		s.addNav(navItem{Path: "/kb", Key: "nav.kb", Who: signedIn, Order: 32})
	})
}

// kbPageSize is how many articles one list page shows.
const kbPageSize = 50

// kbRow is an article as a list shows it, in the reader's language when
// the article has it: its title, and for a search the highlighted title
// and snippet.
type kbRow struct {
	A       *knowledge.Article
	Lang    string
	Title   template.HTML // escaped, hits in <mark>
	Snippet template.HTML
}

type kbListView struct {
	Q         string
	State     string
	Audience  string
	Searched  bool
	Rows      []kbRow
	Next      string // cursor of the next page (list, not search)
	CanWrite  bool
	States    []knowledge.State
	Audiences []knowledge.Audience
}

// kbList lists the articles the reader may read, newest first, or with q
// the ranked matches of a search with highlighted snippets.
func (s *server) kbList(rq *request) error {
	kb := s.opts.Knowledge
	q := rq.r.URL.Query()
	v := kbListView{Q: strings.TrimSpace(q.Get("q")), State: q.Get("state"), Audience: q.Get("audience"),
		CanWrite: kb.CanWrite(rq.ctx), States: knowledge.States, Audiences: knowledge.Audiences}
	var states []knowledge.State
	var auds []knowledge.Audience
	if slices.Contains(knowledge.States, knowledge.State(v.State)) {
		states = []knowledge.State{knowledge.State(v.State)}
	} else {
		v.State = ""
	}
	if slices.Contains(knowledge.Audiences, knowledge.Audience(v.Audience)) {
		auds = []knowledge.Audience{knowledge.Audience(v.Audience)}
	} else {
		v.Audience = ""
	}
	if v.Q != "" {
		v.Searched = true
		hits, err := kb.Search(rq.ctx, knowledge.Query{Text: v.Q, Lang: rq.lang.code, States: states, Audiences: auds, Limit: kbPageSize})
		if err != nil {
			return err
		}
		v.Rows = kbHitRows(hits)
		return rq.ok("kb_list", v)
	}
	page, err := kb.List(rq.ctx, knowledge.Filter{States: states, Audiences: auds, Cursor: q.Get("after"), Limit: kbPageSize})
	if err != nil {
		return err
	}
	for _, a := range page.Articles {
		v.Rows = append(v.Rows, kbArticleRow(a, rq.lang.code))
	}
	v.Next = page.Next
	return rq.ok("kb_list", v)
}

// kbHitRows are search hits as list rows.
func kbHitRows(hits []knowledge.Hit) []kbRow {
	out := make([]kbRow, 0, len(hits))
	for _, h := range hits {
		out = append(out, kbRow{A: h.Article, Lang: h.Lang, Title: template.HTML(knowledge.FragmentsHTML(h.Title)),
			Snippet: template.HTML(knowledge.FragmentsHTML(h.Snippet))})
	}
	return out
}

// kbArticleRow is an article as a list row, without a snippet.
func kbArticleRow(a *knowledge.Article, lang string) kbRow {
	tr := a.Translation(lang)
	return kbRow{A: a, Lang: tr.Lang, Title: template.HTML(template.HTMLEscapeString(tr.Title))}
}

// kbNextPath is the list's next page, keeping the filters.
func (v kbListView) NextPath() string {
	q := url.Values{"after": {v.Next}}
	if v.State != "" {
		q.Set("state", v.State)
	}
	if v.Audience != "" {
		q.Set("audience", v.Audience)
	}
	return "/kb?" + q.Encode()
}

type kbArticleView struct {
	A        *knowledge.Article
	Tr       knowledge.Translation
	Body     template.HTML // sanitised HTML of the shown translation
	Other    []string      // the article's other translations
	CanWrite bool
	Moves    []knowledge.State // state changes a writer may make
	Result   string            // "stale" when a state change came back stale
}

// kbArticle shows one article in the reader's language (or ?lang=),
// rendered from Markdown and sanitised.
func (s *server) kbArticle(rq *request) error {
	a, err := s.opts.Knowledge.Article(rq.ctx, kbID(rq))
	if err != nil {
		return err
	}
	return rq.ok("kb_article", s.kbArticleData(rq, a))
}

func (s *server) kbArticleData(rq *request, a *knowledge.Article) kbArticleView {
	lang := rq.r.URL.Query().Get("lang")
	if !a.Has(lang) {
		lang = rq.lang.code
	}
	v := kbArticleView{A: a, Tr: a.Translation(lang), CanWrite: s.opts.Knowledge.CanWrite(rq.ctx)}
	v.Body = template.HTML(knowledge.Render(v.Tr.Body))
	for _, t := range a.Translations {
		if t.Lang != v.Tr.Lang {
			v.Other = append(v.Other, t.Lang)
		}
	}
	for _, to := range knowledge.States {
		if v.CanWrite && knowledge.CanMove(a.State, to) {
			v.Moves = append(v.Moves, to)
		}
	}
	return v
}

// kbState publishes, retires or takes an article back to draft; a stale
// version shows the article as it is now with a message.
func (s *server) kbState(rq *request) error {
	id := kbID(rq)
	ver, _ := strconv.Atoi(rq.r.PostFormValue("version"))
	to := knowledge.State(rq.r.PostFormValue("to"))
	_, err := s.opts.Knowledge.SetState(rq.ctx, id, to, ver, "")
	if err == nil {
		return rq.redirect("/kb/" + strconv.FormatInt(id, 10) + "?done=kb_" + string(to))
	}
	code := desk.ErrorCode(err)
	if code != desk.ESTALE && code != desk.ECONFLICT {
		return err
	}
	a, aerr := s.opts.Knowledge.Article(rq.ctx, id)
	if aerr != nil {
		return aerr
	}
	v := s.kbArticleData(rq, a)
	errs := map[string]string{"": rq.errorText(err)}
	if code == desk.ESTALE {
		v.Result = "stale"
		errs[""] = rq.lang.T("kb.stale.state", ver, a.Version)
	}
	return rq.renderForm(http.StatusConflict, "kb_article", v, nil, errs)
}

// kbSetEditor grants or withdraws knowledge_editor (administrators; the
// knowledge service decides).
func (s *server) kbSetEditor(rq *request) error {
	id := userID(rq)
	on := rq.r.PostFormValue("on") == "1"
	if err := s.opts.Knowledge.SetEditor(rq.ctx, id, on); err != nil {
		return err
	}
	done := "kb_editor_revoked"
	if on {
		done = "kb_editor_granted"
	}
	return rq.redirect("/admin/users/" + strconv.FormatInt(id, 10) + "?done=" + done)
}

// kbEditorOf reports whether the user holds knowledge_editor, for the
// admin user page; false without a knowledge base.
func (s *server) kbEditorOf(rq *request, u *desk.User) (shown, on bool, err error) {
	if s.opts.Knowledge == nil || !u.Role.IsStaff() {
		return false, false, nil
	}
	eds, err := s.opts.Knowledge.Editors(rq.ctx)
	if err != nil {
		return false, false, err
	}
	return true, slices.ContainsFunc(eds, func(e *desk.User) bool { return e.ID == u.ID }), nil
}

func kbID(rq *request) int64 {
	id, _ := strconv.ParseInt(rq.r.PathValue("id"), 10, 64)
	return id // 0 names no article: the service answers not found
}
