package api

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestAPI_SSORules: administrators list, add, replace and delete mapping
// rules and change the settings; bad rules are 422 field by field; other
// roles are 403; every answer matches the OpenAPI document.
func TestAPI_SSORules(t *testing.T) {
	e := newEnv(t)
	for _, c := range []*client{e.agent, e.mgr, e.alice} {
		c.get("/api/v1/sso/rules").want(t, http.StatusForbidden)
		c.do("POST", "/api/v1/sso/rules", map[string]any{"claim": "groups", "value": "x", "role": "admin"}).want(t, http.StatusForbidden)
		c.do("PUT", "/api/v1/sso/settings", map[string]any{"staff_passwords_off": true}).want(t, http.StatusForbidden)
	}
	e.anon.get("/api/v1/sso/rules").want(t, http.StatusUnauthorized)
	created := decode[ssoRuleJSON](t, e.admin.do("POST", "/api/v1/sso/rules",
		map[string]any{"claim": "groups", "value": "helpdesk", "role": "agent", "group_id": e.sd.ID}).want(t, http.StatusCreated))
	if created.Role != "agent" || created.GroupID != e.sd.ID || created.GroupName != e.sd.Name {
		t.Errorf("created %+v", created)
	}
	for _, bad := range []map[string]any{
		{"claim": "", "value": "x", "role": "agent"},
		{"claim": "groups", "value": "x", "role": "boss"},
		{"claim": "groups", "value": "x"},
		{"claim": "groups", "value": "x", "group_id": 999},
	} {
		r := e.admin.do("POST", "/api/v1/sso/rules", bad).want(t, http.StatusUnprocessableEntity)
		if !strings.Contains(string(r.body), `"field"`) {
			t.Errorf("%v: no field error: %s", bad, r.body)
		}
	}
	path := "/api/v1/sso/rules/" + strconv.FormatInt(created.ID, 10)
	put := decode[ssoRuleJSON](t, e.admin.do("PUT", path, map[string]any{"claim": "roles", "value": "boss", "role": "manager"}).want(t, http.StatusOK))
	if put.Claim != "roles" || put.GroupID != 0 {
		t.Errorf("replaced %+v", put)
	}
	list := decode[struct{ Rules []ssoRuleJSON }](t, e.admin.get("/api/v1/sso/rules").want(t, http.StatusOK))
	if len(list.Rules) != 1 || list.Rules[0].Value != "boss" {
		t.Errorf("list %+v", list)
	}
	e.admin.do("DELETE", path, nil).want(t, http.StatusNoContent)
	e.admin.do("DELETE", path, nil).want(t, http.StatusNotFound)
	e.admin.do("PUT", "/api/v1/sso/rules/999", map[string]any{"claim": "a", "value": "b", "role": "agent"}).want(t, http.StatusNotFound)
	set := decode[ssoSettingsJSON](t, e.admin.do("PUT", "/api/v1/sso/settings", map[string]any{"staff_passwords_off": true}).want(t, http.StatusOK))
	if got := decode[ssoSettingsJSON](t, e.admin.get("/api/v1/sso/settings").want(t, http.StatusOK)); !set.StaffPasswordsOff || !got.StaffPasswordsOff {
		t.Errorf("settings %+v %+v", set, got)
	}
}
