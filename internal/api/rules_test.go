package api

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// TestProblems_CarryRules: each field error of a refused request names the
// rule it breaks with the rule's values, next to the English message, and
// a refused transition names its rule and states (the responses are also
// checked against openapi.json, whose Rule enumeration lists desk.Rules).
func TestProblems_CarryRules(t *testing.T) {
	e := newEnv(t)
	email := map[string]any{"email": "a@example.com"}
	cases := []struct {
		name   string
		body   map[string]any
		field  string
		rule   desk.Rule
		params string // fmt of the params, "" when any
	}{
		{"missing title", map[string]any{"type": "incident", "requester": email}, "title", desk.RuleRequired, ""},
		{"title too long", map[string]any{"type": "incident", "title": strings.Repeat("я", desk.MaxTitleLen+1), "requester": email},
			"title", desk.RuleTooLong, fmt.Sprint(desk.Params{"max": desk.MaxTitleLen})},
		{"bad e-mail", map[string]any{"type": "incident", "title": "t", "requester": map[string]any{"email": "nope"}},
			"requester.email", desk.RuleInvalidEmail, ""},
		{"type not known", map[string]any{"type": "problem", "title": "t", "requester": email}, "type", desk.RuleOneOf,
			fmt.Sprint(desk.Params{"allowed": []string{"incident", "request"}})},
		{"unknown group", map[string]any{"type": "incident", "title": "t", "group_id": 999, "requester": email},
			"group_id", desk.RuleUnknown, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := problemOf(t, e.agent.do("POST", "/api/v1/tickets", tc.body, invalid).want(t, http.StatusUnprocessableEntity))
			var got *desk.FieldError
			for i := range p.Errors {
				if p.Errors[i].Field == tc.field {
					got = &p.Errors[i]
				}
			}
			if got == nil || got.Rule != tc.rule || got.Message == "" {
				t.Fatalf("errors %+v, want %s breaking %s with a message", p.Errors, tc.field, tc.rule)
			}
			if tc.params != "" && fmt.Sprint(got.Params) != tc.params {
				t.Errorf("params %v, want %s", got.Params, tc.params)
			}
		})
	}

	fresh := e.agent.createTicket(ticketIn("Fresh"))
	p := problemOf(t, e.agent.do("POST", ticketURL(fresh, "/transitions"), map[string]any{"to": "resolved"}).want(t, http.StatusConflict))
	if p.Rule != desk.RuleTransition || fmt.Sprint(p.Params) != fmt.Sprint(desk.Params{"from": "new", "to": "resolved"}) || p.Detail == "" {
		t.Errorf("refused transition: rule %q params %v detail %q", p.Rule, p.Params, p.Detail)
	}
}

// TestSpec_RulesEnumerated: openapi.json's Rule lists exactly desk.Rules.
func TestSpec_RulesEnumerated(t *testing.T) {
	var got []string
	for _, v := range spec.doc.Components.Schemas["Rule"].Value.Enum {
		got = append(got, fmt.Sprint(v))
	}
	var want []string
	for _, r := range desk.Rules {
		want = append(want, string(r))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("openapi.json Rule enum %v, desk.Rules %v", got, want)
	}
}

// TestSpec_ReasonCodesEnumerated: openapi.json's Event reason_code lists
// exactly desk.ReasonCodes.
func TestSpec_ReasonCodesEnumerated(t *testing.T) {
	var got, want []string
	for _, v := range spec.doc.Components.Schemas["Event"].Value.Properties["reason_code"].Value.Enum {
		got = append(got, fmt.Sprint(v))
	}
	for _, c := range desk.ReasonCodes() {
		want = append(want, string(c))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("openapi.json reason_code enum %v, desk.ReasonCodes %v", got, want)
	}
}
