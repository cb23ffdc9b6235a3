package api

import (
	"net/http"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/sso"
)

// Single sign-on's mapping rules and settings (administrators; the sso
// service decides). Without the service the paths answer 404.

type ssoRuleJSON struct {
	ID        int64  `json:"id"`
	Claim     string `json:"claim"`
	Value     string `json:"value"`
	Role      string `json:"role"`
	GroupID   int64  `json:"group_id"`
	GroupName string `json:"group_name"`
	CreatedAt string `json:"created_at"`
}

func ssoRuleView(r *sso.Rule) ssoRuleJSON {
	return ssoRuleJSON{ID: r.ID, Claim: r.Claim, Value: r.Value, Role: string(r.Role), GroupID: r.GroupID,
		GroupName: r.GroupName, CreatedAt: rfc3339(r.CreatedAt)}
}

type ssoRuleInputJSON struct {
	Claim   string `json:"claim"`
	Value   string `json:"value"`
	Role    string `json:"role"`
	GroupID int64  `json:"group_id"`
}

func (s *server) decodeSSORule(w http.ResponseWriter, r *http.Request) (sso.RuleInput, error) {
	var in ssoRuleInputJSON
	err := s.decodeJSON(w, r, &in)
	return sso.RuleInput{Claim: in.Claim, Value: in.Value, Role: desk.Role(in.Role), GroupID: in.GroupID}, err
}

type ssoSettingsJSON struct {
	StaffPasswordsOff bool `json:"staff_passwords_off"`
}

func (s *server) ssoService() (*sso.Service, error) {
	if s.opts.SSO == nil {
		return nil, desk.Errorf(desk.ENOTFOUND, "single sign-on is not served here")
	}
	return s.opts.SSO, nil
}

func (s *server) listSSORules(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.ssoService()
	if err != nil {
		return err
	}
	rules, err := svc.Rules(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"rules": views(rules, ssoRuleView)})
	return nil
}

func (s *server) createSSORule(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.ssoService()
	if err != nil {
		return err
	}
	in, err := s.decodeSSORule(w, r)
	if err != nil {
		return err
	}
	rule, err := svc.CreateRule(r.Context(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, ssoRuleView(rule))
	return nil
}

func (s *server) putSSORule(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.ssoService()
	if err != nil {
		return err
	}
	id, err := pathID(r, "id", "sign-on rule")
	if err != nil {
		return err
	}
	in, err := s.decodeSSORule(w, r)
	if err != nil {
		return err
	}
	rule, err := svc.UpdateRule(r.Context(), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ssoRuleView(rule))
	return nil
}

func (s *server) deleteSSORule(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.ssoService()
	if err != nil {
		return err
	}
	id, err := pathID(r, "id", "sign-on rule")
	if err != nil {
		return err
	}
	if err := svc.DeleteRule(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) getSSOSettings(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.ssoService()
	if err != nil {
		return err
	}
	set, err := svc.Settings(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ssoSettingsJSON{StaffPasswordsOff: set.StaffPasswordsOff})
	return nil
}

func (s *server) putSSOSettings(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.ssoService()
	if err != nil {
		return err
	}
	var in ssoSettingsJSON
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	set, err := svc.SetSettings(r.Context(), sso.Settings{StaffPasswordsOff: in.StaffPasswordsOff})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ssoSettingsJSON{StaffPasswordsOff: set.StaffPasswordsOff})
	return nil
}
