package statusweb

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// cacheFor is how long browsers and proxies may keep the page: the
// snapshot changes at most every poll, and a few seconds shield the
// server from a crowd refreshing during an outage.
const cacheFor = "public, max-age=15, stale-while-revalidate=30"

func (srv *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /status", srv.page)
	m.HandleFunc("GET /status/{$}", srv.page)
	m.HandleFunc("GET /status/incidents/{id}", srv.incidentLink)
	m.HandleFunc("GET /status/maintenance/{id}", srv.incidentLink)
	m.HandleFunc("GET /status/api/v2/summary.json", srv.static(func(s *snapshot) []byte { return s.summary }, "application/json"))
	m.HandleFunc("GET /status/api/v2/components.json", srv.static(func(s *snapshot) []byte { return s.components }, "application/json"))
	m.HandleFunc("GET /status/api/v2/incidents.json", srv.static(func(s *snapshot) []byte { return s.incidents }, "application/json"))
	m.HandleFunc("GET /status/history.atom", srv.static(func(s *snapshot) []byte { return s.atom }, "application/atom+xml; charset=utf-8"))
	m.HandleFunc("GET /status/badge.svg", srv.badgeSVG)
	cop := http.NewCrossOriginProtection()
	m.Handle("POST /status/subscribe", cop.Handler(http.HandlerFunc(srv.subscribe)))
	m.HandleFunc("GET /status/confirm/{token}", srv.linkPage("confirm.title", "confirm.button", "/status/confirm/"))
	m.Handle("POST /status/confirm/{token}", cop.Handler(http.HandlerFunc(srv.confirm)))
	m.HandleFunc("GET /status/unsubscribe/{token}", srv.linkPage("unsubscribe.title", "unsubscribe.button", "/status/unsubscribe/"))
	// One-click unsubscribe (RFC 8058): mail providers POST from anywhere;
	// the token is the credential.
	m.HandleFunc("POST /status/unsubscribe/{token}", srv.unsubscribe)
	srv.mux = m
}

// current returns the snapshot; a server that never refreshed answers 503.
func (srv *Server) current(w http.ResponseWriter) *snapshot {
	sn := srv.snap.Load()
	if sn == nil {
		http.Error(w, "status page starting", http.StatusServiceUnavailable)
	}
	return sn
}

func (srv *Server) headers(w http.ResponseWriter, sn *snapshot, ctype string) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", cacheFor)
	h.Set("ETag", sn.etag)
	h.Set("X-Content-Type-Options", "nosniff")
}

// pageCSP is the page's Content-Security-Policy.
const pageCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'"

// page serves the pre-rendered page of the visitor's language: its
// headers are copied in as prepared (shared value slices), and a visitor
// holding its ETag gets 304 without a body.
func (srv *Server) page(w http.ResponseWriter, r *http.Request) {
	sn := srv.current(w)
	if sn == nil {
		return
	}
	a := sn.pages[lang(r)]
	h := w.Header()
	for k, v := range a.header {
		h[k] = v
	}
	if inm := r.Header["If-None-Match"]; len(inm) > 0 && etagMatch(inm[0], a.etag) {
		delete(h, "Content-Length")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(a.body)
	}
}

// etagMatch reports whether an If-None-Match list names etag (weakly, as
// RFC 9110 compares for GET), or is "*".
func etagMatch(list, etag string) bool {
	for list != "" {
		var tag string
		tag, list, _ = strings.Cut(list, ",")
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == etag || tag == "*" {
			return true
		}
	}
	return false
}

func (srv *Server) static(pick func(*snapshot) []byte, ctype string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sn := srv.current(w)
		if sn == nil {
			return
		}
		srv.headers(w, sn, ctype)
		w.Header().Set("Access-Control-Allow-Origin", "*")
		if r.Header.Get("If-None-Match") == sn.etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write(pick(sn))
	}
}

func (srv *Server) badgeSVG(w http.ResponseWriter, r *http.Request) {
	sn := srv.current(w)
	if sn == nil {
		return
	}
	srv.headers(w, sn, "image/svg+xml")
	w.Header().Set("Vary", "Accept-Language")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Write(sn.badge[lang(r)])
}

func (srv *Server) incidentLink(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		http.NotFound(w, r)
		return
	}
	prefix := "#i"
	if r.URL.Path[len("/status/"):][0] == 'm' {
		prefix = "#m"
	}
	http.Redirect(w, r, "/status"+prefix+strconv.FormatInt(id, 10), http.StatusFound)
}

// render writes the page (or the link page) with a message, uncached.
func (srv *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, v view) {
	var b bytes.Buffer
	if err := srv.tmpl.ExecuteTemplate(&b, name, v); err != nil {
		srv.log.Error("status page", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

func (srv *Server) subscribe(w http.ResponseWriter, r *http.Request) {
	sn := srv.current(w)
	if sn == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	var comps []int64
	for _, s := range r.PostForm["component"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			http.Error(w, "bad component", http.StatusBadRequest)
			return
		}
		comps = append(comps, id)
	}
	l := lang(r)
	_, err := srv.svc.Subscribe(r.Context(), srv.proxies.Client(r), r.PostFormValue("email"), l, comps)
	msg, status := "subscribe.sent", http.StatusOK
	switch desk.ErrorCode(err) {
	case "":
	case desk.ELIMIT:
		msg, status = "subscribe.limited", http.StatusTooManyRequests
		w.Header().Set("Retry-After", "3600")
	case desk.EINVALID:
		msg, status = "subscribe.invalid", http.StatusUnprocessableEntity
	default:
		srv.log.Error("subscribe", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	srv.render(w, r, status, "page.html", srv.view(sn.state, l, msg, status != http.StatusOK))
}

func (srv *Server) linkPage(heading, button, action string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sn := srv.current(w)
		if sn == nil {
			return
		}
		v := srv.view(sn.state, lang(r), "", false)
		v.Heading, v.Button, v.Action = heading, button, action+r.PathValue("token")
		srv.render(w, r, http.StatusOK, "link.html", v)
	}
}

func (srv *Server) confirm(w http.ResponseWriter, r *http.Request) {
	srv.tokenAction(w, r, "confirm.title", "confirm.done", func() error {
		_, err := srv.svc.Confirm(r.Context(), r.PathValue("token"))
		return err
	})
}

func (srv *Server) unsubscribe(w http.ResponseWriter, r *http.Request) {
	srv.tokenAction(w, r, "unsubscribe.title", "unsubscribe.done", func() error {
		return srv.svc.Unsubscribe(r.Context(), r.PathValue("token"))
	})
}

func (srv *Server) tokenAction(w http.ResponseWriter, r *http.Request, heading, done string, fn func() error) {
	sn := srv.current(w)
	if sn == nil {
		return
	}
	v := srv.view(sn.state, lang(r), done, false)
	v.Heading = heading
	status := http.StatusOK
	if err := fn(); desk.ErrorCode(err) == desk.ENOTFOUND {
		v.Message, v.Error, status = "unknown_link", true, http.StatusNotFound
	} else if err != nil {
		srv.log.Error("status link", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	srv.render(w, r, status, "link.html", v)
}
