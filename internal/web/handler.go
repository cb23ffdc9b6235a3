package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// request is one HTTP request as handlers see it: the signed-in user (nil
// when anonymous), the context carrying them as the desk actor, the
// language of the response and the session's CSRF token.
type request struct {
	s     *server
	w     http.ResponseWriter
	r     *http.Request
	ctx   context.Context
	user  *desk.User
	token string // the session token; "" when anonymous
	lang  *lang
	loc   *time.Location // the zone times are shown and typed in
	csrf  string
}

// handlerFunc is the shape of every page: it writes a response itself
// (render, redirect) and returns any failure, which handle renders as an
// error page in one place.
type handlerFunc func(rq *request) error

// handle loads the session, enforces who may come in and renders errors.
func (s *server) handle(who access, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := s.opts.MaxFormBytes
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			limit = s.uploadLimit()
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		rq := &request{s: s, w: w, r: r, ctx: r.Context()}
		if err := s.loadSession(rq); err != nil {
			s.log.Error("web session", "err", err)
			s.plainError(w, http.StatusInternalServerError)
			return
		}
		rq.lang, rq.loc = s.negotiate(rq)
		switch {
		case who >= signedIn && rq.user == nil:
			rq.toLogin()
			return
		case who == staffOnly && !rq.user.Role.IsStaff():
			rq.fail(desk.Errorf(desk.ENOTFOUND, "no such page"))
			return
		}
		if err := h(rq); err != nil {
			rq.fail(err)
		}
	})
}

// toLogin sends an anonymous visitor to the sign-in page, coming back here
// afterwards (GET requests only: a form cannot be replayed).
func (rq *request) toLogin() {
	next := "/"
	if rq.r.Method == http.MethodGet {
		next = rq.r.URL.RequestURI()
	}
	http.Redirect(rq.w, rq.r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
}

// redirect answers a successful form with 303 See Other, so that reloading
// the next page does not post the form again.
func (rq *request) redirect(path string) error {
	http.Redirect(rq.w, rq.r, path, http.StatusSeeOther)
	return nil
}

// localPath accepts only paths on this site (no scheme, no host, no //).
// Browsers drop tabs and newlines from a Location and read \ as /, so a
// path with a control character or a backslash anywhere is refused too
// ("/\t/evil" would be "//evil", another host).
func localPath(p, fallback string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") ||
		strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return fallback
	}
	return p
}

// deskStatus is the status of the error page of each desk error code
// shown to users; other codes are internal errors.
var deskStatus = map[string]int{
	desk.EINVALID: http.StatusUnprocessableEntity, desk.ENOTFOUND: http.StatusNotFound,
	desk.ECONFLICT: http.StatusConflict, desk.ESTALE: http.StatusConflict,
	desk.EFORBIDDEN: http.StatusForbidden,
}

// fail renders err as an error page: desk codes map to statuses here and
// nowhere else. Internal errors are logged and never shown.
func (rq *request) fail(err error) {
	code := desk.ErrorCode(err)
	if code == desk.EUNAUTHENTICATED {
		rq.toLogin()
		return
	}
	var mbe *http.MaxBytesError
	status := deskStatus[code]
	switch {
	case errors.As(err, &mbe):
		status = http.StatusRequestEntityTooLarge
	case status == 0:
		rq.s.log.Error("web handler", "method", rq.r.Method, "path", rq.r.URL.Path, "err", err)
		status = http.StatusInternalServerError
	}
	detail := ""
	if status != http.StatusInternalServerError && status != http.StatusNotFound {
		detail = rq.errorText(err)
	}
	rq.errorPageDetail(status, detail)
}

func (rq *request) errorPage(status int) error {
	rq.errorPageDetail(status, "")
	return nil
}

// errorPageDetail renders the error page; detail is the desk's own
// explanation (shown under the translated title), or "".
func (rq *request) errorPageDetail(status int, detail string) {
	err := rq.render(status, "error", errorView{Status: status, Detail: detail})
	if err != nil {
		rq.s.log.Error("render error page", "err", err)
		rq.s.plainError(rq.w, status)
	}
}

type errorView struct {
	Status int
	Detail string
}

// plainError is the last resort when no page can be rendered.
func (s *server) plainError(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	w.Write([]byte(http.StatusText(status) + "\n"))
}
