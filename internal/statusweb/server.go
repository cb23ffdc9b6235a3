package statusweb

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tierdesk/tierdesk/internal/clientip"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/jobs"
	"github.com/tierdesk/tierdesk/internal/statuspage"
)

// Options configure the server.
type Options struct {
	Name    string        // the page's name; default "Tierdesk"
	BaseURL string        // the desk's public address
	Poll    time.Duration // how often other instances' changes are looked for; default 2 s
	Proxies clientip.Resolver
}

// Server serves /status from its snapshot.
type Server struct {
	st      statuspage.Store
	svc     *statuspage.Service
	clock   desk.Clock
	log     *slog.Logger
	tmpl    *template.Template
	cats    map[string]catalogue
	name    string
	baseURL string
	poll    time.Duration
	proxies clientip.Resolver

	snap  atomic.Pointer[snapshot]
	nudge chan struct{}
	loop  jobs.Periodic
	mux   *http.ServeMux
}

// New returns a server over st; svc takes subscriptions. Call Refresh (or
// Start) before serving.
func New(st statuspage.Store, svc *statuspage.Service, clock desk.Clock, log *slog.Logger, o Options) (*Server, error) {
	tmpl, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	cats, err := loadCatalogues()
	if err != nil {
		return nil, err
	}
	if o.Name == "" {
		o.Name = "Tierdesk"
	}
	if o.Poll <= 0 {
		o.Poll = 2 * time.Second
	}
	srv := &Server{st: st, svc: svc, clock: clock, log: log, tmpl: tmpl, cats: cats, name: o.Name,
		baseURL: strings.TrimRight(o.BaseURL, "/"), poll: o.Poll, proxies: o.Proxies, nudge: make(chan struct{}, 1)}
	srv.routes()
	return srv, nil
}

// Changed asks for a rebuild soon (the service calls it after a change on
// this instance).
func (srv *Server) Changed() {
	select {
	case srv.nudge <- struct{}{}:
	default:
	}
}

// Refresh rebuilds the snapshot if the store's version moved (or always,
// with force).
func (srv *Server) Refresh(ctx context.Context, force bool) error {
	v, err := srv.st.StatusVersion(ctx)
	if err != nil {
		return err
	}
	if cur := srv.snap.Load(); cur != nil && cur.version == v && !force {
		return nil
	}
	st, err := srv.load(ctx)
	if err != nil {
		return err
	}
	sn, err := srv.build(st, v)
	if err != nil {
		return err
	}
	srv.snap.Store(sn)
	return nil
}

// Start refreshes now, then on every nudge and every poll interval (and
// once a minute regardless, for the uptime bars and maintenance states).
func (srv *Server) Start(ctx context.Context) error {
	if err := srv.Refresh(ctx, true); err != nil {
		return err
	}
	last := srv.clock.Now()
	srv.loop.Start(ctx, srv.poll, func(ctx context.Context) {
		select {
		case <-srv.nudge:
		default:
		}
		force := srv.clock.Now().Sub(last) >= time.Minute
		if force {
			last = srv.clock.Now()
		}
		if err := srv.Refresh(ctx, force); err != nil && ctx.Err() == nil {
			srv.log.Warn("status page refresh", "err", err)
		}
	})
	go srv.listen(ctx)
	return nil
}

// listen refreshes at once on nudges from this instance.
func (srv *Server) listen(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-srv.nudge:
			if err := srv.Refresh(ctx, false); err != nil && ctx.Err() == nil {
				srv.log.Warn("status page refresh", "err", err)
			}
		}
	}
}

// Stop ends the polling.
func (srv *Server) Stop() { srv.loop.Stop() }

// ServeHTTP serves /status and below; the page itself, the path a crowd
// takes during an outage, without the mux's matching.
func (srv *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/status" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		srv.page(w, r)
		return
	}
	srv.mux.ServeHTTP(w, r)
}

// lang picks the visitor's language from Accept-Language: the listed
// language (en or ru, any region) with the highest q, English by default.
// It allocates nothing: the header is read in place.
func lang(r *http.Request) string {
	best, bestQ := "en", -1.0
	var hdr string
	if v := r.Header["Accept-Language"]; len(v) > 0 {
		hdr = v[0]
	}
	for hdr != "" {
		var part string
		part, hdr, _ = strings.Cut(hdr, ",")
		tag, q := strings.TrimSpace(part), 1.0
		if t, params, ok := strings.Cut(tag, ";"); ok {
			tag = strings.TrimSpace(t)
			if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
				q = parseQ(v)
			}
		}
		base, _, _ := strings.Cut(tag, "-")
		var l string
		switch {
		case strings.EqualFold(base, "ru"):
			l = "ru"
		case strings.EqualFold(base, "en"):
			l = "en"
		}
		if l != "" && q > bestQ {
			best, bestQ = l, q
		}
	}
	return best
}

func parseQ(s string) float64 {
	var q float64
	var frac float64 = 1
	seenDot := false
	for _, c := range s {
		switch {
		case c == '.':
			seenDot = true
		case c >= '0' && c <= '9' && !seenDot:
			q = q*10 + float64(c-'0')
		case c >= '0' && c <= '9':
			frac /= 10
			q += float64(c-'0') * frac
		default:
			return 0
		}
	}
	return q
}
