package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func init() {
	registerArea("auth", func(s *server) {
		s.get("/{$}", public, s.home)
		s.get("/login", public, s.loginPage)
		s.post("/login", public, s.login)
		s.post("/logout", signedIn, s.logout)
		s.post("/language", public, s.setLanguage)
	})
}

// home sends each visitor to their start page.
func (s *server) home(rq *request) error {
	switch {
	case rq.user == nil:
		return rq.redirect("/login")
	case rq.user.Role.IsStaff():
		return rq.redirect(s.staffHome)
	}
	return rq.redirect("/my")
}

// loginView is the sign-in page: the password form, and the single
// sign-on providers configured (their names; "" when none).
type loginView struct {
	Next       string
	OIDC, LDAP string
	SSOError   string // why a single sign-on was refused, in the user's language
}

func (s *server) loginView(next string) loginView {
	v := loginView{Next: next}
	if s.opts.OIDC != nil {
		v.OIDC = s.opts.OIDC.Name()
	}
	if s.opts.LDAP != nil {
		v.LDAP = s.opts.LDAP.Name()
	}
	return v
}

func (s *server) loginPage(rq *request) error {
	next := localPath(rq.r.URL.Query().Get("next"), "/")
	if rq.user != nil {
		return rq.redirect(next)
	}
	return rq.ok("login", s.loginView(next))
}

// login checks the credentials, ends any session the browser had (the
// session id changes at sign-in) and starts a new one.
func (s *server) login(rq *request) error {
	form := url.Values{"email": {rq.r.PostFormValue("email")}}
	next := localPath(rq.r.PostFormValue("next"), "/")
	token, _, err := s.desk.SignIn(rq.ctx, rq.r.PostFormValue("email"), rq.r.PostFormValue("password"), s.clientAddr(rq.r))
	var te *desk.ThrottleError
	var de *desk.Error
	switch {
	case errors.As(err, &te):
		return rq.renderForm(http.StatusTooManyRequests, "login", s.loginView(next), form,
			map[string]string{"password": rq.lang.N("login.throttled", int(te.RetryAfter.Minutes()))})
	case desk.ErrorCode(err) == desk.EUNAUTHENTICATED:
		return rq.renderForm(http.StatusUnauthorized, "login", s.loginView(next), form,
			map[string]string{"password": rq.lang.T("login.wrong")})
	case errors.As(err, &de) && de.Rule == desk.RulePasswordsOff:
		return rq.renderForm(http.StatusForbidden, "login", s.loginView(next), form,
			map[string]string{"password": rq.lang.T("login.passwords_off")})
	case err != nil:
		return err
	}
	return s.startSession(rq, token, next)
}

// startSession ends any session the browser had (the session id changes at
// sign-in), keeps the new one in the cookie and goes on to next.
func (s *server) startSession(rq *request, token, next string) error {
	if rq.token != "" {
		if err := s.desk.SignOut(rq.ctx, rq.token); err != nil {
			return err
		}
	}
	s.setCookie(rq, sessionCookie, token, int(desk.SessionMaxAge.Seconds()))
	return rq.redirect(next)
}

func (s *server) logout(rq *request) error {
	if err := s.desk.SignOut(rq.ctx, rq.token); err != nil {
		return err
	}
	s.clearCookie(rq, sessionCookie)
	return rq.redirect("/login")
}

// setLanguage remembers the language chosen with the switch in the footer:
// in a cookie, and for a signed-in user as their preference (which their
// e-mail notifications follow too).
func (s *server) setLanguage(rq *request) error {
	code := rq.r.PostFormValue("lang")
	if _, ok := s.cat.langs[code]; !ok {
		return rq.errorPage(http.StatusUnprocessableEntity)
	}
	s.setCookie(rq, langCookie, code, 365*24*3600)
	if rq.user != nil {
		if _, err := s.desk.SetUserPreferences(rq.ctx, rq.user.ID, desk.PreferencesPatch{Language: &code}); err != nil {
			return err
		}
	}
	return rq.redirect(localPath(rq.r.PostFormValue("back"), "/"))
}

// clientAddr is the caller's IP address, for sign-in throttling: the
// direct peer, or behind a trusted proxy the client it names.
func (s *server) clientAddr(r *http.Request) string { return s.opts.Proxies.Client(r) }
