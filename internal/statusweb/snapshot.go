// Package statusweb serves the public status page (/status): the HTML page
// in English or Russian, the Statuspage-compatible JSON, the Atom feed and
// the badge, all from an in-memory snapshot rebuilt when the page changes
// (at once on this instance, and by polling the store's version on the
// others), so that a busy desk never slows the page down. It also takes
// subscriptions, confirmations and one-click unsubscriptions.
package statusweb

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/statuspage"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed i18n/*.json
var catalogueFS embed.FS

// Languages are the page's languages, the first the default.
var Languages = []string{"en", "ru"}

// catalogue is one language's strings.
type catalogue map[string]string

func loadCatalogues() (map[string]catalogue, error) {
	out := map[string]catalogue{}
	for _, l := range Languages {
		b, err := catalogueFS.ReadFile("i18n/" + l + ".json")
		if err != nil {
			return nil, err
		}
		var c catalogue
		if err := json.Unmarshal(b, &c); err != nil {
			return nil, fmt.Errorf("catalogue %s: %w", l, err)
		}
		out[l] = c
	}
	return out, nil
}

// snapshot is the page as served until the next change.
type snapshot struct {
	version    int64
	state      *statuspage.State
	summary    []byte
	components []byte
	incidents  []byte
	atom       []byte
	html       map[string][]byte
	badge      map[string][]byte
	etag       string
	// pages are the page's answers per language, headers ready: the
	// served path only looks them up (no allocation, no work).
	pages map[string]*answer
}

// answer is one representation of the page: its body, its ETag (per
// language: the representations differ) and its response headers, whose
// value slices are shared by every response and never changed.
type answer struct {
	body   []byte
	etag   string
	header http.Header
}

// pageHeader is the page's response headers for one language.
func pageHeader(lang, etag string, size int) http.Header {
	return http.Header{
		"Content-Type":            {"text/html; charset=utf-8"},
		"Content-Length":          {strconv.Itoa(size)},
		"Cache-Control":           {cacheFor},
		"Etag":                    {etag},
		"X-Content-Type-Options":  {"nosniff"},
		"Vary":                    {"Accept-Language"},
		"Content-Language":        {lang},
		"Content-Security-Policy": {pageCSP},
	}
}

// view is what the page template reads.
type view struct {
	Lang, PageName string
	Indicator      statuspage.Impact
	Open, Past     []statuspage.Incident
	Upcoming       []statuspage.Maintenance
	Groups         []groupView
	Components     []statuspage.Component
	Now            time.Time
	Message        string
	Error          bool
	Heading        string
	Action, Button string
	cat            catalogue
}

type groupView struct {
	Name       string
	Components []componentView
}

type componentView struct {
	statuspage.Component
	Days   []string
	Uptime string
}

// T returns the catalogue string of key.
func (v view) T(key string) string {
	if s, ok := v.cat[key]; ok {
		return s
	}
	return key
}

var ruMonths = []string{"янв.", "февр.", "марта", "апр.", "мая", "июня", "июля", "авг.", "сент.", "окт.", "нояб.", "дек."}

// Date writes an instant in the page's language, in UTC (a public page
// does not know its reader's zone).
func (v view) Date(t time.Time) string {
	t = t.UTC()
	if v.Lang == "ru" {
		return fmt.Sprintf("%d %s %d, %s UTC", t.Day(), ruMonths[t.Month()-1], t.Year(), t.Format("15:04"))
	}
	return t.Format("Jan 2, 2006, 15:04 UTC")
}

var funcs = template.FuncMap{"iso": func(t time.Time) string { return t.UTC().Format(time.RFC3339) }}

func parseTemplates() (*template.Template, error) {
	return template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html")
}

// build renders every representation of st.
func (srv *Server) build(st *statuspage.State, version int64) (*snapshot, error) {
	sn := &snapshot{version: version, state: st, summary: st.Summary(), components: st.ComponentsJSON(),
		incidents: st.IncidentsJSON(), atom: st.Atom(), html: map[string][]byte{}, badge: map[string][]byte{}}
	ind := statuspage.Indicator(st.Components, st.Incidents)
	for _, l := range Languages {
		v := srv.view(st, l, "", false)
		var b bytes.Buffer
		if err := srv.tmpl.ExecuteTemplate(&b, "page.html", v); err != nil {
			return nil, fmt.Errorf("render status page (%s): %w", l, err)
		}
		sn.html[l] = b.Bytes()
		sn.badge[l] = statuspage.Badge(v.T("badge"), v.T("indicator."+string(ind)), ind)
	}
	sum := sha256.Sum256(sn.summary)
	sn.etag = `"` + strconv.FormatInt(version, 10) + "-" + hex.EncodeToString(sum[:6]) + `"`
	sn.pages = map[string]*answer{}
	for _, l := range Languages {
		etag := sn.etag[:len(sn.etag)-1] + "-" + l + `"`
		sn.pages[l] = &answer{body: sn.html[l], etag: etag, header: pageHeader(l, etag, len(sn.html[l]))}
	}
	return sn, nil
}

// view builds the page's view of st in lang.
func (srv *Server) view(st *statuspage.State, lang, msg string, isErr bool) view {
	v := view{Lang: lang, PageName: st.Page.Name, Indicator: statuspage.Indicator(st.Components, st.Incidents), Open: st.Open(),
		Upcoming: st.Upcoming(), Components: st.Components, Now: st.Now, Message: msg, Error: isErr, cat: srv.cats[lang]}
	cutoff := st.Now.AddDate(0, 0, -14)
	for _, in := range st.Incidents {
		if !in.Status.Open() && in.UpdatedAt.After(cutoff) {
			v.Past = append(v.Past, in)
		}
	}
	for _, c := range st.Components {
		if len(v.Groups) == 0 || v.Groups[len(v.Groups)-1].Name != c.Group {
			v.Groups = append(v.Groups, groupView{Name: c.Group})
		}
		days, pct := statuspage.History(c.CreatedAt, st.Changes[c.ID], st.Now)
		cv := componentView{Component: c}
		for _, d := range days {
			switch {
			case !d.Known:
				cv.Days = append(cv.Days, "unknown")
			default:
				cv.Days = append(cv.Days, string(d.Worst))
			}
		}
		p := strconv.FormatFloat(pct, 'f', 2, 64)
		if lang == "ru" {
			p = strings.Replace(p, ".", ",", 1)
		}
		cv.Uptime = strings.Replace(v.T("uptime"), "{pct}", p, 1)
		g := &v.Groups[len(v.Groups)-1]
		g.Components = append(g.Components, cv)
	}
	return v
}

// load reads the page's state from the store.
func (srv *Server) load(ctx context.Context) (*statuspage.State, error) {
	now := srv.clock.Now()
	comps, err := srv.st.Components(ctx, false)
	if err != nil {
		return nil, err
	}
	changes, err := srv.st.Changes(ctx, now.AddDate(0, 0, -statuspage.UptimeDays-1))
	if err != nil {
		return nil, err
	}
	incs, err := srv.st.Incidents(ctx, statuspage.MaxListed)
	if err != nil {
		return nil, err
	}
	maint, err := srv.st.Maintenances(ctx)
	if err != nil {
		return nil, err
	}
	updated := now
	return &statuspage.State{Page: statuspage.Page{ID: "tierdesk", Name: srv.name, URL: srv.baseURL + "/status", TimeZone: "Etc/UTC",
		UpdatedAt: updated}, Components: comps, Changes: changes, Incidents: incs, Maintenances: maint, Now: now}, nil
}
