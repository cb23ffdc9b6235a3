package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/sso"
)

// Administration: single sign-on — which providers this server offers, the
// setting that turns staff passwords off, and the rules that map claims
// (or directory groups) to roles and groups. The sso service decides who
// may change them (administrators).

func init() {
	registerArea("admin_sso", func(s *server) {
		if s.opts.SSO == nil {
			return
		}
		s.get("/admin/sso", staffOnly, s.adminSSO)
		s.post("/admin/sso/settings", staffOnly, s.adminSSOSettings)
		s.post("/admin/sso/rules", staffOnly, s.adminSSOCreateRule)
		s.post("/admin/sso/rules/{id}", staffOnly, s.adminSSOSaveRule)
		s.post("/admin/sso/rules/{id}/delete", staffOnly, s.adminSSODeleteRule)
		s.addNav(navItem{Path: "/admin/sso", Key: "nav.admin_sso", Who: staffOnly, Order: 59, Admin: true})
	})
}

// adminSSOView is the page: providers, settings, rules, and the groups and
// roles a rule may give. Editing is the id of the rule whose form came
// back with errors (0: the new rule's).
type adminSSOView struct {
	OIDC, LDAP string
	Settings   sso.Settings
	Rules      []*sso.Rule
	Groups     []*desk.Group
	Roles      []desk.Role
	Editing    int64
}

func (s *server) ssoView(rq *request) (*adminSSOView, error) {
	rules, err := s.opts.SSO.Rules(rq.ctx)
	if err != nil {
		return nil, err
	}
	set, err := s.opts.SSO.Settings(rq.ctx)
	if err != nil {
		return nil, err
	}
	groups, err := s.desk.Groups(rq.ctx)
	if err != nil {
		return nil, err
	}
	lv := s.loginView("/")
	return &adminSSOView{OIDC: lv.OIDC, LDAP: lv.LDAP, Settings: set, Rules: rules, Groups: groups, Roles: desk.Roles}, nil
}

func (s *server) adminSSO(rq *request) error {
	v, err := s.ssoView(rq)
	if err != nil {
		return err
	}
	return rq.ok("admin_sso", v)
}

func (s *server) adminSSOSettings(rq *request) error {
	set := sso.Settings{StaffPasswordsOff: rq.r.PostFormValue("staff_passwords_off") == "on"}
	if _, err := s.opts.SSO.SetSettings(rq.ctx, set); err != nil {
		return err
	}
	return rq.redirect("/admin/sso?done=sso_saved")
}

// ruleInput reads a rule's form.
func ruleInput(rq *request, errs map[string]string) sso.RuleInput {
	return sso.RuleInput{Claim: rq.r.PostFormValue("claim"), Value: rq.r.PostFormValue("value"),
		Role: desk.Role(rq.r.PostFormValue("role")), GroupID: formInt(rq, "group", errs)}
}

func (s *server) adminSSOCreateRule(rq *request) error {
	errs := map[string]string{}
	in := ruleInput(rq, errs)
	if len(errs) == 0 {
		if _, err := s.opts.SSO.CreateRule(rq.ctx, in); err != nil {
			return s.ssoRuleFailed(rq, 0, err)
		}
		return rq.redirect("/admin/sso?done=sso_saved")
	}
	return s.ssoRuleForm(rq, 0, errs)
}

func (s *server) adminSSOSaveRule(rq *request) error {
	id, err := strconv.ParseInt(rq.r.PathValue("id"), 10, 64)
	if err != nil {
		return rq.errorPage(http.StatusNotFound)
	}
	errs := map[string]string{}
	in := ruleInput(rq, errs)
	if len(errs) == 0 {
		if _, err := s.opts.SSO.UpdateRule(rq.ctx, id, in); err != nil {
			return s.ssoRuleFailed(rq, id, err)
		}
		return rq.redirect("/admin/sso?done=sso_saved")
	}
	return s.ssoRuleForm(rq, id, errs)
}

func (s *server) adminSSODeleteRule(rq *request) error {
	id, err := strconv.ParseInt(rq.r.PathValue("id"), 10, 64)
	if err != nil {
		return rq.errorPage(http.StatusNotFound)
	}
	if err := s.opts.SSO.DeleteRule(rq.ctx, id); err != nil {
		return err
	}
	return rq.redirect("/admin/sso?done=sso_deleted")
}

// ssoRuleFailed shows a refused rule's form again with its field errors;
// other errors are the error page's.
func (s *server) ssoRuleFailed(rq *request, id int64, err error) error {
	errs := fieldErrors(rq, err)
	if errs == nil {
		return err
	}
	return s.ssoRuleForm(rq, id, errs)
}

func (s *server) ssoRuleForm(rq *request, id int64, errs map[string]string) error {
	v, err := s.ssoView(rq)
	if err != nil {
		return err
	}
	v.Editing = id
	form := url.Values{}
	for _, k := range []string{"claim", "value", "role", "group"} {
		form.Set(k, rq.r.PostFormValue(k))
	}
	return rq.renderForm(http.StatusUnprocessableEntity, "admin_sso", v, form, errs)
}
