package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Templates: templates/layout.html and templates/partials/*.html are the
// shared base; every other templates/*.html file is one page, named after
// the file, which defines "title" and "content" (and may define "head").
// Each page is parsed on its own copy of the base, once per language, with
// the template functions bound to that language.
//
//go:embed templates
var templateFS embed.FS

type pageTemplate struct {
	tmpl *template.Template
}

func (s *server) loadTemplates() (map[string]map[string]*pageTemplate, error) {
	return s.loadTemplatesIn(s.opts.Location)
}

// loadTemplatesIn parses every page of every language with dates shown in loc.
func (s *server) loadTemplatesIn(loc *time.Location) (map[string]map[string]*pageTemplate, error) {
	pages, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]*pageTemplate{}
	for code, l := range s.cat.langs {
		base, err := s.parseBase(l, loc)
		if err != nil {
			return nil, err
		}
		out[code] = map[string]*pageTemplate{}
		for _, p := range pages {
			name := strings.TrimSuffix(path.Base(p), ".html")
			if name == "layout" {
				continue
			}
			if out[code][name], err = parsePage(base, name); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// parseBase parses the layout and the partials with the functions of one
// language and zone. The result is only ever cloned, never executed (an
// executed html/template cannot be cloned).
func (s *server) parseBase(l *lang, loc *time.Location) (*template.Template, error) {
	return template.New("layout.html").Funcs(s.funcs(l, loc)).
		ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html")
}

// parsePage parses templates/<name>.html on a copy of base.
func parsePage(base *template.Template, name string) (*pageTemplate, error) {
	c, err := base.Clone()
	if err != nil {
		return nil, err
	}
	t, err := c.ParseFS(templateFS, "templates/"+name+".html")
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	return &pageTemplate{tmpl: t}, nil
}

// view is what every page template gets: the page's own data in Data, the
// signed-in user, the CSRF token for forms, and form state (input kept and
// errors by field) when a form comes back with errors.
type view struct {
	Page   string
	Lang   string
	User   *desk.User
	CSRF   string
	Path   string
	Data   any
	Form   url.Values
	Errors map[string]string // field → translated message
	Flash  string            // a catalogue key shown once at the top
	Nav    []navItem
	Admin  bool // the viewer may change the configuration (desk.RequireAdmin)
}

// MainNav is the navigation's links in the bar itself.
func (v view) MainNav() []navItem { return v.navPart(false) }

// AdminNav is the links under the Administration menu: every page under
// /admin/. Grouped there so the bar stays one line at 1280 px in both
// languages however many configuration pages the desk grows.
func (v view) AdminNav() []navItem { return v.navPart(true) }

func (v view) navPart(admin bool) []navItem {
	var out []navItem
	for _, n := range v.Nav {
		if strings.HasPrefix(n.Path, "/admin/") == admin {
			out = append(out, n)
		}
	}
	return out
}

// InAdmin reports whether the page is one of the Administration menu's.
func (v view) InAdmin() bool { return strings.HasPrefix(v.Path, "/admin/") }

// Staff reports whether the viewer is service-desk staff.
func (v view) Staff() bool { return v.User != nil && v.User.Role.IsStaff() }

// render writes the page with status.
func (rq *request) render(status int, page string, data any) error {
	return rq.renderForm(status, page, data, nil, nil)
}

// renderForm renders a page with a form's input and errors.
func (rq *request) renderForm(status int, page string, data any, form url.Values, errs map[string]string) error {
	t, err := rq.s.page(rq.lang, rq.loc, page)
	if err != nil {
		return err
	}
	if form == nil {
		form = url.Values{}
	}
	v := view{Page: page, Lang: rq.lang.code, User: rq.user, CSRF: rq.csrf, Path: rq.r.URL.Path, Data: data,
		Form: form, Errors: errs, Flash: rq.flash(), Nav: rq.s.navFor(rq.user),
		Admin: rq.user != nil && desk.RequireAdmin(rq.ctx) == nil}
	var buf bytes.Buffer
	if err := t.tmpl.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	h := rq.w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Language", rq.lang.code)
	rq.w.WriteHeader(status)
	_, err = rq.w.Write(buf.Bytes())
	return err
}

// flash returns the catalogue key named by the "done" query parameter, a
// one-line confirmation after a redirect, when it is a known flash key.
func (rq *request) flash() string {
	k := rq.r.URL.Query().Get("done")
	if k == "" || !rq.lang.Has("flash."+k) {
		return ""
	}
	return "flash." + k
}

// json writes v as JSON, for the little scripts of a page.
func (rq *request) json(status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	h := rq.w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	rq.w.WriteHeader(status)
	_, err = rq.w.Write(b)
	return err
}

// ok renders a page with status 200.
func (rq *request) ok(page string, data any) error { return rq.render(http.StatusOK, page, data) }
