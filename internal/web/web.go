package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/clientip"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/diagnosis"
	"github.com/tierdesk/tierdesk/internal/evidence"
	"github.com/tierdesk/tierdesk/internal/httplog"
	"github.com/tierdesk/tierdesk/internal/knowledge"
	"github.com/tierdesk/tierdesk/internal/major"
	"github.com/tierdesk/tierdesk/internal/problem"
	"github.com/tierdesk/tierdesk/internal/sso"
	"github.com/tierdesk/tierdesk/internal/statuspage"
	"github.com/tierdesk/tierdesk/internal/triagedesk"
)

// Options tunes the web adapter.
type Options struct {
	// SecureCookies marks cookies Secure even when the request did not come
	// over TLS (for a TLS-terminating proxy in front). Requests over TLS
	// always get Secure cookies.
	SecureCookies bool
	// Location is the time zone dates are shown (and typed times read) in
	// for users who chose none. Default: the desk's default time zone
	// (desk.Config.TimeZone), else UTC.
	Location *time.Location
	// MaxFormBytes bounds request bodies of forms. Default 1 MiB.
	MaxFormBytes int64
	// Proxies are the reverse proxies trusted to name the client in
	// X-Forwarded-For, for the sign-in throttle and the access log. The
	// zero value trusts none.
	Proxies clientip.Resolver
	// Knowledge is the knowledge base behind /kb, the articles on the
	// agent's ticket page and the portal's suggestions; nil: none of them.
	Knowledge *knowledge.Service
	// Diagnosis is line 1's checklists behind the ticket page's diagnosis
	// panel and Administration → Diagnosis checklists; nil: none of them.
	Diagnosis *diagnosis.Service
	// Majors and StatusPage are the major incidents behind /major (and the
	// ticket page's Declare button) and the status page's administration
	// behind /admin/status; nil: none of them.
	Majors     *major.Service
	StatusPage *statuspage.Service
	// SSO is single sign-on: its mapping rules and settings on
	// /admin/sso; OIDC and LDAP, when set, are offered on the sign-in
	// page. nil: none of them.
	SSO  *sso.Service
	OIDC *sso.OIDC
	LDAP *sso.LDAP
	// Triage is automatic triage behind /admin/triage; nil: none.
	Triage *triagedesk.Service
	// Audit is the audit log behind Administration → Audit log; nil: no
	// such page.
	Audit *audit.Service
	// Problems is problem management behind /problems and the problem
	// panel of the agent's ticket page; nil: none of them.
	Problems *problem.Service
	// Evidence is the evidence of security cases behind
	// /tickets/{ref}/evidence and /evidence/{id}; nil: none.
	Evidence *evidence.Service
}

// server holds the dependencies of every handler.
type server struct {
	desk   *desk.Desk
	log    *slog.Logger
	opts   Options
	mux    *http.ServeMux
	cat    *catalogue
	pages  map[string]*pageSet // language → its pages in Location, parsed on first use
	assets *assets
	// staffHome is where a signed-in member of staff lands; an area may
	// change it from its register function (the console does).
	staffHome string
	nav       []navItem
	zoned     zonedPages // page templates of zones other than Location
	pageNames []string   // every page template's name
}

// New returns the HTTP handler of the web UI over d. It serves every path
// it registers (see routes.go); mount it at / next to the API.
func New(d *desk.Desk, log *slog.Logger, opts Options) (http.Handler, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opts.Location == nil {
		opts.Location = time.UTC
		if loc := zoneOf(d.Config().TimeZone); loc != nil {
			opts.Location = loc
		}
	}
	if opts.MaxFormBytes <= 0 {
		opts.MaxFormBytes = 1 << 20
	}
	cat, err := loadCatalogue()
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	a, err := loadAssets()
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	s := &server{desk: d, log: log, opts: opts, mux: http.NewServeMux(), cat: cat, assets: a, staffHome: "/agent"}
	if s.pages, err = s.newSitePages(); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	s.routes()
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.plainError(w, http.StatusForbidden)
	}))
	return s.logRequests(s.recoverPanics(securityHeaders(cop.Handler(s.mux)))), nil
}

// securityHeaders sets the headers every response carries. The policy
// allows scripts and styles from this origin only: no inline script, no
// inline style, nothing from another host.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// logRequests writes one access-log record per request (httplog.Access).
func (s *server) logRequests(next http.Handler) http.Handler {
	return httplog.Access(s.log, "web request", s.opts.Proxies, next)
}

// recoverPanics turns a handler panic into a logged 500 page.
func (s *server) recoverPanics(next http.Handler) http.Handler {
	return httplog.Recover(s.log, "web handler panic",
		func(w http.ResponseWriter, _ *http.Request) { s.plainError(w, http.StatusInternalServerError) }, next)
}
