// Package api is the JSON REST adapter of Tierdesk: it serves /api/v1 over
// the desk application layer. It owns HTTP concerns only — routing, bearer
// authentication, decoding and validating the shape of request bodies and
// query strings, the JSON representation of domain values, ETags, and the
// mapping of desk errors to RFC 9457 problem responses. Every rule about
// tickets, and every authorisation decision, is the desk's.
package api

import (
	"log/slog"
	"net/http"

	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/clientip"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/diagnosis"
	"github.com/tierdesk/tierdesk/internal/evidence"
	"github.com/tierdesk/tierdesk/internal/httplog"
	"github.com/tierdesk/tierdesk/internal/knowledge"
	"github.com/tierdesk/tierdesk/internal/major"
	prb "github.com/tierdesk/tierdesk/internal/problem"
	"github.com/tierdesk/tierdesk/internal/sso"
	"github.com/tierdesk/tierdesk/internal/statuspage"
	"github.com/tierdesk/tierdesk/internal/triagedesk"
)

// Options tunes the adapter.
type Options struct {
	// MaxBodyBytes bounds request bodies; larger ones get 413. Default 1 MiB.
	MaxBodyBytes int64
	// MaxAlertBodyBytes bounds the bodies of alert notifications, which
	// carry a whole Alertmanager group (tens of thousands of alerts in an
	// outage). Default 32 MiB, and never below MaxBodyBytes.
	MaxAlertBodyBytes int64
	// PublicURL is the server's address as senders reach it (scheme and
	// host, no trailing slash), for the webhook URL of integrations;
	// empty: the address each request came to.
	PublicURL string
	// Proxies are the reverse proxies trusted to name the client in
	// X-Forwarded-For, for the access log. The zero value trusts none.
	Proxies clientip.Resolver
	// Major and StatusPage serve the major-incident and status-page
	// endpoints; nil answers them 404.
	Major      *major.Service
	StatusPage *statuspage.Service
	// Knowledge is the knowledge base served under /api/v1/articles; nil:
	// those paths answer 404.
	Knowledge *knowledge.Service
	// Problems is problem management under /api/v1/problems; nil: those
	// paths answer 404.
	Problems *prb.Service
	// Diagnosis is line 1's diagnosis checklists under /api/v1/checklists
	// and /api/v1/tickets/{id}/diagnosis; nil: those paths answer 404.
	Diagnosis *diagnosis.Service
	// Triage serves /api/v1/triage and the triage report; nil: 404.
	Triage *triagedesk.Service
	// SSO is single sign-on's mapping rules and settings under
	// /api/v1/sso; nil: those paths answer 404.
	SSO *sso.Service
	// Audit is the audit log served under /api/v1/audit; nil: 404.
	Audit *audit.Service
	// Evidence is the evidence of security cases under /api/v1/evidence
	// and /api/v1/tickets/{id}/evidence; nil: 404.
	Evidence *evidence.Service
}

// Body limits when Options leaves them zero.
const (
	DefaultMaxBodyBytes      = 1 << 20
	DefaultMaxAlertBodyBytes = 32 << 20
)

// server holds the dependencies of every handler.
type server struct {
	desk *desk.Desk
	log  *slog.Logger
	opts Options
	mux  *http.ServeMux
}

// New returns the HTTP handler of the REST API, including /healthz and
// /readyz, over d. A nil log discards log records.
func New(d *desk.Desk, log *slog.Logger, opts Options) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.MaxAlertBodyBytes <= 0 {
		opts.MaxAlertBodyBytes = DefaultMaxAlertBodyBytes
	}
	opts.MaxAlertBodyBytes = max(opts.MaxAlertBodyBytes, opts.MaxBodyBytes)
	s := &server{desk: d, log: log, opts: opts, mux: http.NewServeMux()}
	s.routes()
	return s.logRequests(s.recoverPanics(http.HandlerFunc(s.dispatch)))
}

// handlerFunc is the shape of every endpoint: it writes a success response
// itself and returns any failure, which serve renders in one place.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (s *server) serve(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// dispatch routes through the mux, but answers unknown paths and wrong
// methods with problem documents instead of the mux's plain text.
func (s *server) dispatch(w http.ResponseWriter, r *http.Request) {
	if _, pattern := s.mux.Handler(r); pattern != "" {
		if err := checkQuerySeparators(r.URL.RawQuery); err != nil {
			s.writeError(w, r, err)
			return
		}
		s.mux.ServeHTTP(w, r)
		return
	}
	rec := &headerRecorder{header: http.Header{}}
	s.mux.ServeHTTP(rec, r)
	if rec.status == http.StatusMethodNotAllowed {
		allow := rec.header.Get("Allow")
		w.Header().Set("Allow", allow)
		s.writeError(w, r, httpError(http.StatusMethodNotAllowed, "method %s is not allowed here; allowed: %s", r.Method, allow))
		return
	}
	s.writeError(w, r, httpError(http.StatusNotFound, "no such resource: %s", r.URL.Path))
}

// headerRecorder captures the status and headers of the mux's fallback
// handlers and throws their text away.
type headerRecorder struct {
	header http.Header
	status int
}

func (h *headerRecorder) Header() http.Header         { return h.header }
func (h *headerRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (h *headerRecorder) WriteHeader(status int)      { h.status = status }

// logRequests writes one access-log record per request (httplog.Access).
func (s *server) logRequests(next http.Handler) http.Handler {
	return httplog.Access(s.log, "http request", s.opts.Proxies, next)
}

// recoverPanics turns a handler panic into a logged 500 problem.
func (s *server) recoverPanics(next http.Handler) http.Handler {
	return httplog.Recover(s.log, "http handler panic",
		func(w http.ResponseWriter, r *http.Request) { s.writeError(w, r, errPanic) }, next)
}
