package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/sso"
)

// Single sign-on: "Sign in with <provider>" (OpenID Connect, the
// authorisation code flow with PKCE) and the directory's password form
// (LDAP). The OpenID state is kept in a cookie of its own for the trip to
// the provider; the sso package checks it against the callback's and takes
// it from the database once.

const ssoStateCookie = "tierdesk_sso_state"

func init() {
	registerArea("sso_login", func(s *server) {
		s.get("/sso/oidc/start", public, s.oidcStart)
		s.get("/sso/oidc/callback", public, s.oidcCallback)
		s.post("/sso/ldap", public, s.ldapSignIn)
	})
}

func (s *server) oidcStart(rq *request) error {
	if s.opts.OIDC == nil {
		return rq.errorPage(http.StatusNotFound)
	}
	next := localPath(rq.r.URL.Query().Get("next"), "/")
	authURL, state, err := s.opts.OIDC.Begin(rq.ctx, next, s.clientAddr(rq.r))
	if err != nil {
		return s.ssoRefused(rq, next, err, nil)
	}
	s.setCookie(rq, ssoStateCookie, state, int(sso.LoginTTL.Seconds()))
	return rq.redirect(authURL)
}

func (s *server) oidcCallback(rq *request) error {
	if s.opts.OIDC == nil {
		return rq.errorPage(http.StatusNotFound)
	}
	browserState := ""
	if c, err := rq.r.Cookie(ssoStateCookie); err == nil {
		browserState = c.Value
	}
	s.clearCookie(rq, ssoStateCookie)
	token, _, next, err := s.opts.OIDC.Finish(rq.ctx, browserState, rq.r.URL.Query())
	if err != nil {
		return s.ssoRefused(rq, "/", err, nil)
	}
	return s.startSession(rq, token, localPath(next, "/"))
}

func (s *server) ldapSignIn(rq *request) error {
	if s.opts.LDAP == nil {
		return rq.errorPage(http.StatusNotFound)
	}
	next := localPath(rq.r.PostFormValue("next"), "/")
	user := rq.r.PostFormValue("ldap_user")
	token, _, err := s.opts.LDAP.SignIn(rq.ctx, user, rq.r.PostFormValue("ldap_password"), s.clientAddr(rq.r))
	if err != nil {
		return s.ssoRefused(rq, next, err, url.Values{"ldap_user": {user}})
	}
	return s.startSession(rq, token, next)
}

// ssoRefused shows the sign-in page again with why single sign-on was
// refused; internal errors stay internal.
func (s *server) ssoRefused(rq *request, next string, err error, form url.Values) error {
	v := s.loginView(next)
	status := sso.Status(err)
	var te *desk.ThrottleError
	switch reason := sso.ReasonOf(err); {
	case errors.As(err, &te):
		status, v.SSOError = http.StatusTooManyRequests, rq.lang.N("login.throttled", int(te.RetryAfter.Minutes()))
	case reason != "":
		v.SSOError = rq.lang.T("sso.refused." + string(reason))
		if status == http.StatusTooManyRequests { // a sign-in under way expires within LoginTTL
			rq.w.Header().Set("Retry-After", strconv.Itoa(int(sso.LoginTTL.Seconds())))
		}
	default:
		return err
	}
	s.log.Info("single sign-on refused", "reason", sso.ReasonOf(err), "err", err)
	return rq.renderForm(status, "login", v, form, nil)
}
