package web

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Cookie names. The session cookie holds a random token whose SHA-256 is
// the database key (desk.SessionUser); the pre-session cookie gives the
// sign-in form a CSRF token before there is a session.
const (
	sessionCookie = "tierdesk_session"
	preCookie     = "tierdesk_pre"
	langCookie    = "tierdesk_lang"
)

// loadSession reads the session cookie and, when it is live, puts its user
// into the request context as the desk actor.
func (s *server) loadSession(rq *request) error {
	c, err := rq.r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		rq.csrf = s.preSessionCSRF(rq)
		return nil
	}
	u, _, err := s.desk.SessionUser(rq.ctx, c.Value)
	switch desk.ErrorCode(err) {
	case "":
	case desk.EUNAUTHENTICATED: // expired or signed out elsewhere
		s.clearCookie(rq, sessionCookie)
		rq.csrf = s.preSessionCSRF(rq)
		return nil
	default:
		return err
	}
	rq.user, rq.token = u, c.Value
	rq.ctx = desk.WithActor(rq.ctx, u)
	rq.csrf = csrfToken(c.Value)
	return nil
}

// csrfToken is the synchronizer token of a session: derived from the
// secret session token, so it is tied to the session, needs no storage and
// cannot be computed by a page that cannot read the HttpOnly cookie.
func csrfToken(secret string) string {
	h := sha256.Sum256([]byte("tierdesk csrf\x00" + secret))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// preSessionCSRF returns the CSRF token of an anonymous visitor, setting
// the pre-session cookie it derives from on first sight.
func (s *server) preSessionCSRF(rq *request) string {
	if c, err := rq.r.Cookie(preCookie); err == nil && len(c.Value) >= 32 {
		return csrfToken(c.Value)
	}
	v := randomToken()
	s.setCookie(rq, preCookie, v, 0)
	return csrfToken(v)
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand panics on a broken source)
	return base64.RawURLEncoding.EncodeToString(b)
}

// checkCSRF refuses a form whose csrf field is not the token of the
// session (or pre-session) it comes with.
func (s *server) checkCSRF(h handlerFunc) handlerFunc {
	return func(rq *request) error {
		got := rq.r.PostFormValue("csrf")
		if rq.csrf == "" || subtle.ConstantTimeCompare([]byte(got), []byte(rq.csrf)) != 1 {
			return rq.errorPage(http.StatusForbidden)
		}
		return h(rq)
	}
}

// setCookie sets an HttpOnly, SameSite=Lax cookie for the whole site,
// Secure over TLS or when configured; maxAge 0 makes a browser-session
// cookie.
func (s *server) setCookie(rq *request, name, value string, maxAge int) {
	http.SetCookie(rq.w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: s.opts.SecureCookies || rq.r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

func (s *server) clearCookie(rq *request, name string) { s.setCookie(rq, name, "", -1) }
