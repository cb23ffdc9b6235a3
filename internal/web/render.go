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
	"sync"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Templates: templates/layout.html and templates/partials/*.html are the
// shared base; every other templates/*.html file is one page, named after
// the file, which defines "title" and "content" (and may define "head").
// Each page is parsed on its own copy of the base, once per language (and
// zone), on first use, with the template functions bound to that language.
//
//go:embed templates
var templateFS embed.FS

type pageTemplate struct {
	tmpl *template.Template
}

// pageSet is the pages of one language and zone. Nothing is parsed until
// a page is first asked for: the base (layout and partials, with the
// functions of the language and zone) then, and each page on its own first
// use. Parsing every page of both languages at start took ~260 ms of CPU
// and ~14 MB of heap (each page holds its own copy of the partials' parse
// trees, which html/template's Clone copies), most of it for pages an
// instance never serves; see docs/benchmarks.md (footprint, session 8).
// The map of pages is filled at construction and only read afterwards,
// so a page already parsed costs no lock.
type pageSet struct {
	s     *server
	l     *lang
	loc   *time.Location
	once  sync.Once
	base  *template.Template
	err   error
	pages map[string]*lazyPage // every page name, parsed or not
}

type lazyPage struct {
	once sync.Once
	t    *pageTemplate
	err  error
}

// pageNames lists the pages (templates/*.html but the layout).
func pageNames() ([]string, error) {
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range files {
		if name := strings.TrimSuffix(path.Base(p), ".html"); name != "layout" {
			out = append(out, name)
		}
	}
	return out, nil
}

// newPageSet returns the unparsed pages of a language and zone.
func (s *server) newPageSet(l *lang, loc *time.Location) *pageSet {
	set := &pageSet{s: s, l: l, loc: loc, pages: make(map[string]*lazyPage, len(s.pageNames))}
	for _, name := range s.pageNames {
		set.pages[name] = &lazyPage{}
	}
	return set
}

// newSitePages returns the pages of every language in the site's zone.
func (s *server) newSitePages() (map[string]*pageSet, error) {
	var err error
	if s.pageNames, err = pageNames(); err != nil {
		return nil, err
	}
	out := map[string]*pageSet{}
	for code, l := range s.cat.langs {
		out[code] = s.newPageSet(l, s.opts.Location)
	}
	return out, nil
}

// page returns the named page, parsing it (and the base) on first use.
func (set *pageSet) page(name string) (*pageTemplate, error) {
	p, ok := set.pages[name]
	if !ok {
		return nil, fmt.Errorf("no page template %q", name)
	}
	p.once.Do(func() {
		set.once.Do(func() { set.base, set.err = set.s.parseBase(set.l, set.loc) })
		if set.err != nil {
			p.err = set.err
			return
		}
		p.t, p.err = parsePage(set.base, name)
	})
	return p.t, p.err
}

// parseAll parses every page of the set (the tests' check that every
// template parses, and what walks them all).
func (set *pageSet) parseAll() (map[string]*pageTemplate, error) {
	out := map[string]*pageTemplate{}
	for name := range set.pages {
		t, err := set.page(name)
		if err != nil {
			return nil, err
		}
		out[name] = t
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
