package desk

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSLAPolicy_Matches_OrganizationAndVIP(t *testing.T) {
	acme := []string{"ACME Corp", "Globex"}
	tests := []struct {
		name    string
		orgs    []string
		vipOnly bool
		org     string
		vip     bool
		want    bool
	}{
		{"NoConditions", nil, false, "", false, true},
		{"NoConditionsVIP", nil, false, "Initech", true, true},
		{"OrgMatches", acme, false, "ACME Corp", false, true},
		{"OrgIgnoresCase", acme, false, "acme corp", false, true},
		{"OrgIgnoresSpaces", acme, false, " Globex ", false, true},
		{"OrgSecondInList", acme, false, "GLOBEX", true, true},
		{"OrgDiffers", acme, false, "Initech", false, false},
		{"OrgPrefixIsNotEnough", acme, false, "ACME", false, false},
		{"NoOrgAgainstOrgList", acme, false, "", true, false},
		{"VIPOnlyWithVIP", nil, true, "", true, true},
		{"VIPOnlyWithoutVIP", nil, true, "ACME Corp", false, false},
		{"OrgAndVIPBoth", acme, true, "acme corp", true, true},
		{"OrgAndVIPNotVIP", acme, true, "ACME Corp", false, false},
		{"OrgAndVIPWrongOrg", acme, true, "Initech", true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := &SLAPolicy{Active: true, Types: []TicketType{TypeIncident}, Organizations: tc.orgs, VIPOnly: tc.vipOnly}
			tk := &Ticket{Type: TypeIncident, Priority: P3, Requester: Person{ID: 1, Organization: tc.org, VIP: tc.vip}}
			if got := p.Matches(tk); got != tc.want {
				t.Errorf("Matches = %v, want %v", got, tc.want)
			}
			// The other conditions still apply alongside.
			tk.Type = TypeRequest
			if p.Matches(tk) {
				t.Errorf("matched a request against an incident-only policy")
			}
		})
	}
}

func TestMatchPolicy_VIPFirst(t *testing.T) {
	vip := &SLAPolicy{ID: 9, Name: "VIP", Position: 1, Active: true, VIPOnly: true}
	p3 := &SLAPolicy{ID: 3, Name: "P3", Position: 30, Active: true, Priorities: []Priority{P3}}
	policies := []*SLAPolicy{p3, vip}
	for _, tc := range []struct {
		vip  bool
		want string
	}{{true, "VIP"}, {false, "P3"}} {
		tk := &Ticket{Type: TypeIncident, Priority: P3, Requester: Person{VIP: tc.vip}}
		if got := MatchPolicy(policies, tk); got == nil || got.Name != tc.want {
			t.Errorf("VIP %v: matched %+v, want %s", tc.vip, got, tc.want)
		}
	}
}

func TestSLAPolicy_ValidateOrganizations(t *testing.T) {
	p := &SLAPolicy{Name: "Orgs", Calendar: "24x7", Response: time.Minute, Resolution: time.Hour,
		Organizations: []string{"  ACME Corp ", "Globex"}}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if p.Organizations[0] != "ACME Corp" {
		t.Errorf("organisation not trimmed: %q", p.Organizations[0])
	}
	for _, bad := range [][]string{{"  "}, {strings.Repeat("я", MaxNameLen+1)}, {"a\x00b"}} {
		p.Organizations = bad
		err := p.Validate()
		var e *Error
		if ErrorCode(err) != EINVALID || !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "organizations" {
			t.Errorf("organizations %q: %v", bad, err)
		}
	}
}
