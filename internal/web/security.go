package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Security cases (issue 14; desk/security.go): line 1 marks a ticket (and
// leaves its sight, so the answer is a page of its own), an administrator
// grants themselves access with a reason.
func init() {
	registerArea("security", func(s *server) {
		s.post("/tickets/{ref}/security", staffOnly, s.ticketMarkSecurity)
		s.get("/security/marked/{ref}", staffOnly, s.securityMarked)
		s.get("/security/access", staffOnly, s.securityAccessPage)
		s.post("/security/access", staffOnly, s.securityAccess)
	})
}

func (s *server) ticketMarkSecurity(rq *request) error {
	version, _ := formVersion(rq)
	t, err := s.desk.MarkSecurity(rq.ctx, rq.ref(), desk.SecurityInput{Reason: rq.r.PostFormValue("reason"), IfVersion: version})
	if err != nil {
		return s.ticketAction(rq, "security", func(int) error { return err }) // the form again, with why
	}
	if s.desk.CanSee(rq.ctx, t) {
		return rq.redirect("/tickets/" + url.PathEscape(t.Number) + "?done=security")
	}
	return rq.redirect("/security/marked/" + url.PathEscape(t.Number))
}

type securityMarkedView struct{ Number string }

// securityMarked tells the marker that the case has left their sight.
func (s *server) securityMarked(rq *request) error {
	number := strings.ToUpper(strings.TrimSpace(rq.r.PathValue("ref")))
	if _, n, err := desk.ParseTicketRef(number); err != nil || n == "" {
		return s.notFound(rq)
	}
	return rq.render(http.StatusOK, "security_marked", securityMarkedView{Number: number})
}

func (s *server) securityAccessPage(rq *request) error {
	if err := desk.RequireAdmin(rq.ctx); err != nil {
		return err
	}
	form := url.Values{"ticket": {rq.r.URL.Query().Get("ticket")}}
	return rq.renderForm(http.StatusOK, "security_access", nil, form, nil)
}

func (s *server) securityAccess(rq *request) error {
	f := rq.r.PostForm
	t, err := s.desk.GrantSecurityAccess(rq.ctx, f.Get("ticket"), desk.SecurityInput{Reason: f.Get("reason")})
	if fe := fieldErrors(rq, err); fe != nil {
		return rq.renderForm(http.StatusUnprocessableEntity, "security_access", nil, f, fe)
	}
	if c := desk.ErrorCode(err); c == desk.ECONFLICT || c == desk.ENOTFOUND {
		return rq.renderForm(http.StatusUnprocessableEntity, "security_access", nil, f, map[string]string{"": rq.errorText(err)})
	}
	if err != nil {
		return err
	}
	return rq.redirect("/tickets/" + url.PathEscape(t.Number))
}
