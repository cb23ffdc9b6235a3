package api

import (
	"fmt"
	"net/http"
	"testing"
)

// TestSecurityAuthz_AlertRuleMarksSecurity: an alert rule with security
// opens its incidents as security cases in the security group, which the
// administrator and line 1 do not see and the security group does; the
// rule is refused with a group that is not a security group, and on a
// desk with no security group at all.
func TestSecurityAuthz_AlertRuleMarksSecurity(t *testing.T) {
	plain := newEnv(t)
	p := problemOf(t, plain.admin.do("POST", "/api/v1/integrations", map[string]any{"kind": "alertmanager", "name": "ids",
		"default_rule": map[string]any{"security": true}}).want(t, http.StatusUnprocessableEntity))
	if len(p.Errors) != 1 || p.Errors[0].Field != "default.security" {
		t.Errorf("a security rule with no security group: %+v", p)
	}

	e := newSecEnv(t)
	p = problemOf(t, e.admin.do("POST", "/api/v1/integrations", map[string]any{"kind": "alertmanager", "name": "ids",
		"default_rule": map[string]any{"security": true, "group_id": e.net.ID}}).want(t, http.StatusUnprocessableEntity))
	if len(p.Errors) != 1 || p.Errors[0].Field != "default.group_id" {
		t.Errorf("a security rule routing to Network: %+v", p)
	}
	ig := e.integration("alertmanager", "ids", map[string]any{"default_rule": map[string]any{"security": true, "auto_resolve": true}})
	first := decode[alertReceiptJSON](t, ig.post(t, recorded(t, "009-firing-CertExpiry.json")).want(t, http.StatusAccepted))
	if len(first.Incidents) != 1 || first.Incidents[0].TicketID == nil {
		t.Fatalf("firing: %+v", first)
	}
	url := fmt.Sprintf("/api/v1/tickets/%d", *first.Incidents[0].TicketID)
	for name, c := range map[string]*client{"admin": e.admin, "line 1": e.agent} {
		if r := c.get(url); r.status != http.StatusNotFound {
			t.Errorf("%s reads the alert's security case: %d", name, r.status)
		}
	}
	tk := decode[ticketJSON](t, e.sec.get(url).want(t, http.StatusOK))
	if !tk.Security || tk.Group.ID != e.secGroup.ID {
		t.Errorf("the alert's incident: security %v in %+v, want a security case of the security group", tk.Security, tk.Group)
	}
	resolved := decode[alertReceiptJSON](t, ig.post(t, recorded(t, "011-resolved-CertExpiry.json")).want(t, http.StatusAccepted))
	if o := resolved.Incidents[0]; o.Action != "resolved" {
		t.Errorf("the resolved alert: %+v", o)
	}
}
