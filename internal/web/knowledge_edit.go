package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/knowledge"
)

// The article editor: both translations, category, services, keywords,
// audience, owner, review date and the state, in one form. Saving an edit
// names the version it was made from; when someone saved a newer one
// meanwhile the form comes back (409) with the input kept, saying so and
// showing what they changed, as a ticket's stale form does.

type kbEditView struct {
	A          *knowledge.Article // nil for a new article
	Langs      []string
	Categories []*desk.Category
	Services   []*desk.Service
	Owners     []*desk.User
	Audiences  []knowledge.Audience
	States     []knowledge.State // the states the form may choose
	Stale      *kbStale
}

// kbStale is what a stale edit shows: the version edited, the one stored
// now, and the changes between them.
type kbStale struct {
	From, To int
	Changes  []kbDiffLine
}

func (s *server) kbNew(rq *request) error {
	if err := s.kbRequireWriter(rq); err != nil {
		return err
	}
	form := url.Values{"audience": {string(knowledge.Internal)}, "state": {string(knowledge.Draft)},
		"owner_id": {strconv.FormatInt(rq.user.ID, 10)}}
	return s.kbRenderEdit(rq, http.StatusOK, nil, form, nil, nil)
}

func (s *server) kbEdit(rq *request) error {
	if err := s.kbRequireWriter(rq); err != nil {
		return err
	}
	a, err := s.opts.Knowledge.Article(rq.ctx, kbID(rq))
	if err != nil {
		return err
	}
	return s.kbRenderEdit(rq, http.StatusOK, a, kbForm(a, rq.loc), nil, nil)
}

// kbRequireWriter refuses the editor to those who may not write.
func (s *server) kbRequireWriter(rq *request) error {
	if !s.opts.Knowledge.CanWrite(rq.ctx) {
		return desk.Errorf(desk.EFORBIDDEN, "only administrators and knowledge editors may write articles")
	}
	return nil
}

// kbForm is the editor filled from an article.
func kbForm(a *knowledge.Article, loc *time.Location) url.Values {
	f := url.Values{"audience": {string(a.Audience)}, "state": {string(a.State)}, "key": {a.Key},
		"keywords": {strings.Join(a.Keywords, ", ")}, "version": {strconv.Itoa(a.Version)}}
	for _, t := range a.Translations {
		f.Set("title_"+t.Lang, t.Title)
		f.Set("body_"+t.Lang, t.Body)
	}
	if a.Category != nil {
		f.Set("category_id", strconv.FormatInt(a.Category.ID, 10))
	}
	for _, svc := range a.Services {
		f.Add("service_ids", strconv.FormatInt(svc.ID, 10))
	}
	if a.Owner != nil {
		f.Set("owner_id", strconv.FormatInt(a.Owner.ID, 10))
	}
	if a.ReviewAt != nil {
		f.Set("review_at", a.ReviewAt.In(loc).Format(time.DateOnly))
	}
	return f
}

func (s *server) kbRenderEdit(rq *request, status int, a *knowledge.Article, form url.Values, errs map[string]string, stale *kbStale) error {
	v := kbEditView{A: a, Langs: knowledge.Languages, Audiences: knowledge.Audiences, Stale: stale}
	var err error
	if v.Categories, err = s.desk.Categories(rq.ctx); err != nil {
		return err
	}
	if v.Services, err = s.desk.Services(rq.ctx); err != nil {
		return err
	}
	page, err := s.desk.ListUsers(rq.ctx, desk.UserFilter{Roles: []desk.Role{desk.RoleAgent, desk.RoleManager, desk.RoleAdmin},
		Limit: desk.MaxPageSize})
	if err != nil {
		return err
	}
	for _, u := range page.Users {
		if u.Active {
			v.Owners = append(v.Owners, u)
		}
	}
	v.States = []knowledge.State{knowledge.Draft, knowledge.Published}
	if a != nil {
		v.States = []knowledge.State{a.State}
		for _, to := range knowledge.States {
			if knowledge.CanMove(a.State, to) {
				v.States = append(v.States, to)
			}
		}
	}
	return rq.renderForm(status, "kb_edit", v, form, errs)
}

// kbPosted reads the editor into the knowledge service's input; fields the
// form itself finds wrong (a date, a number) go into errs.
func kbPosted(rq *request, errs map[string]string) (knowledge.Input, knowledge.State) {
	f := func(name string) string { return rq.r.PostFormValue(name) }
	in := knowledge.Input{Key: f("key"), Audience: knowledge.Audience(f("audience")), Note: f("note")}
	in.IfVersion, _ = strconv.Atoi(f("version"))
	for _, l := range knowledge.Languages {
		title, body := f("title_"+l), f("body_"+l)
		if strings.TrimSpace(title) != "" || strings.TrimSpace(body) != "" {
			in.Translations = append(in.Translations, knowledge.Translation{Lang: l, Title: title, Body: body})
		}
	}
	for _, k := range strings.Split(f("keywords"), ",") {
		in.Keywords = append(in.Keywords, k)
	}
	in.CategoryID, _ = strconv.ParseInt(f("category_id"), 10, 64)
	in.OwnerID, _ = strconv.ParseInt(f("owner_id"), 10, 64)
	for _, raw := range rq.r.PostForm["service_ids"] {
		if id, err := strconv.ParseInt(raw, 10, 64); err == nil {
			in.ServiceIDs = append(in.ServiceIDs, id)
		}
	}
	if d := strings.TrimSpace(f("review_at")); d != "" {
		t, err := time.ParseInLocation(time.DateOnly, d, rq.loc)
		if err != nil {
			errs["review_at"] = rq.lang.T("kb.err.date")
		} else {
			in.ReviewAt = &t
		}
	}
	return in, knowledge.State(f("state"))
}

// kbCreate stores a new article (a draft, published at once when the
// form says so).
func (s *server) kbCreate(rq *request) error {
	if err := s.kbRequireWriter(rq); err != nil {
		return err
	}
	errs := map[string]string{}
	in, state := kbPosted(rq, errs)
	if len(errs) > 0 {
		return s.kbRenderEdit(rq, http.StatusUnprocessableEntity, nil, rq.r.PostForm, errs, nil)
	}
	kb := s.opts.Knowledge
	a, err := kb.Create(rq.ctx, in)
	if err == nil && state == knowledge.Published {
		a, err = kb.SetState(rq.ctx, a.ID, knowledge.Published, a.Version, "")
	}
	if err != nil {
		return s.kbRefused(rq, nil, in, err)
	}
	return rq.redirect("/kb/" + strconv.FormatInt(a.ID, 10) + "?done=kb_saved")
}

// kbSave stores an edit as a new version, then the state change the form
// asks for as the next one.
func (s *server) kbSave(rq *request) error {
	if err := s.kbRequireWriter(rq); err != nil {
		return err
	}
	kb := s.opts.Knowledge
	cur, err := kb.Article(rq.ctx, kbID(rq))
	if err != nil {
		return err
	}
	errs := map[string]string{}
	in, state := kbPosted(rq, errs)
	if len(errs) > 0 {
		return s.kbRenderEdit(rq, http.StatusUnprocessableEntity, cur, rq.r.PostForm, errs, nil)
	}
	a, err := kb.Update(rq.ctx, cur.ID, in)
	if err == nil && state != "" && state != a.State {
		a, err = kb.SetState(rq.ctx, a.ID, state, a.Version, "")
	}
	if err != nil {
		return s.kbRefused(rq, cur, in, err)
	}
	return rq.redirect("/kb/" + strconv.FormatInt(a.ID, 10) + "?done=kb_saved")
}

// kbRefused shows the editor again with what the service refused: field
// errors by form field, a stale version with the changes made since, a
// refused state change as the form's error.
func (s *server) kbRefused(rq *request, cur *knowledge.Article, in knowledge.Input, err error) error {
	form := rq.r.PostForm
	switch desk.ErrorCode(err) {
	case desk.EINVALID:
		errs := kbFieldErrors(rq, in, err)
		if errs == nil {
			return err
		}
		return s.kbRenderEdit(rq, http.StatusUnprocessableEntity, cur, form, errs, nil)
	case desk.ECONFLICT:
		return s.kbRenderEdit(rq, http.StatusConflict, cur, form, map[string]string{"": rq.errorText(err)}, nil)
	case desk.ESTALE:
		if cur == nil {
			return err
		}
		now, nerr := s.opts.Knowledge.Article(rq.ctx, cur.ID)
		if nerr != nil {
			return nerr
		}
		st := &kbStale{From: in.IfVersion, To: now.Version}
		if diff, derr := s.opts.Knowledge.Diff(rq.ctx, cur.ID, in.IfVersion, now.Version); derr == nil {
			st.Changes = kbDiffLines(rq, diff, true)
		}
		form.Set("version", strconv.Itoa(now.Version)) // saving again overwrites, knowingly
		return s.kbRenderEdit(rq, http.StatusConflict, now, form, nil, st)
	}
	return err
}

// kbFieldErrors places the service's field errors on the editor's fields
// (translations[i].title is title_<lang of the i-th translation>).
func kbFieldErrors(rq *request, in knowledge.Input, err error) map[string]string {
	var de *desk.Error
	if !errors.As(err, &de) || len(de.Fields) == 0 {
		return nil
	}
	in.Normalize() // the service numbered the translations in this order
	out := map[string]string{}
	for _, fe := range de.Fields {
		name := fe.Field
		if rest, ok := strings.CutPrefix(name, "translations["); ok {
			idx, field, _ := strings.Cut(rest, "].")
			i, _ := strconv.Atoi(idx)
			if i < len(in.Translations) {
				name = field + "_" + in.Translations[i].Lang
			}
		} else if name == "translations" {
			name = "title_en"
		} else if strings.HasPrefix(name, "keywords") {
			name = "keywords"
		} else if name == "services" {
			name = "service_ids"
		}
		if _, dup := out[name]; !dup {
			out[name] = rq.fieldText(fe)
		}
	}
	if _, ok := out["title_en"]; ok && len(in.Translations) == 0 {
		out["title_en"] = rq.lang.T("kb.err.translation")
	}
	return out
}
