package sso

import (
	"slices"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Mapping is what the rules give one identity.
type Mapping struct {
	// Role is the most privileged role of the matching rules; requester
	// when none gives one.
	Role desk.Role
	// Groups are the support groups of the matching rules (none for a
	// requester: requesters join no support groups).
	Groups []int64
	// Managed are the groups any rule names: membership in them follows
	// the rules; other memberships, set by hand, are kept.
	Managed []int64
	// Matched tells whether any rule matched.
	Matched bool
}

// Map applies the rules to the claims. Claim names are compared exactly,
// values without regard to case (directory names ignore case).
func Map(rules []*Rule, claims Claims) Mapping {
	m := Mapping{Role: desk.RoleRequester}
	for _, r := range rules {
		if r.GroupID != 0 && !slices.Contains(m.Managed, r.GroupID) {
			m.Managed = append(m.Managed, r.GroupID)
		}
		if !matches(claims[r.Claim], r.Value) {
			continue
		}
		m.Matched = true
		if r.Role != "" && rank(r.Role) > rank(m.Role) {
			m.Role = r.Role
		}
		if r.GroupID != 0 && !slices.Contains(m.Groups, r.GroupID) {
			m.Groups = append(m.Groups, r.GroupID)
		}
	}
	if !m.Role.IsStaff() {
		m.Groups = nil
	}
	slices.Sort(m.Groups)
	slices.Sort(m.Managed)
	return m
}

func matches(values []string, want string) bool {
	return slices.ContainsFunc(values, func(v string) bool { return strings.EqualFold(v, want) })
}

// rank orders roles from least to most privileged (desk.Roles).
func rank(r desk.Role) int { return slices.Index(desk.Roles, r) }

// Memberships are the groups a user is in after a sign-in: their current
// groups that no rule manages, and the mapped ones. A requester is in none.
func (m Mapping) Memberships(current []desk.GroupRef) []int64 {
	if !m.Role.IsStaff() {
		return []int64{}
	}
	out := slices.Clone(m.Groups)
	for _, g := range current {
		if !slices.Contains(m.Managed, g.ID) && !slices.Contains(out, g.ID) {
			out = append(out, g.ID)
		}
	}
	slices.Sort(out)
	return out
}

// validateRule checks a rule's input; problems are EINVALID field errors.
func validateRule(in *RuleInput) error {
	in.Claim, in.Value = strings.TrimSpace(in.Claim), strings.TrimSpace(in.Value)
	var fields []desk.FieldError
	text := func(field, v string, max int) { fields = append(fields, desk.CheckText(field, v, max, true)...) }
	text("claim", in.Claim, MaxClaimLen)
	text("value", in.Value, MaxValueLen)
	if in.Role != "" && rank(in.Role) < 0 {
		allowed := make([]string, len(desk.Roles))
		for i, r := range desk.Roles {
			allowed[i] = string(r)
		}
		fields = append(fields, desk.Invalid("role", desk.RuleOneOf, desk.Params{"allowed": allowed},
			"must be one of %s", strings.Join(allowed, ", ")))
	}
	if in.GroupID < 0 {
		fields = append(fields, desk.Invalid("group_id", desk.RuleUnknown, nil, "no group %d", in.GroupID))
	}
	if in.Role == "" && in.GroupID == 0 {
		fields = append(fields, desk.Invalid("role", desk.RuleRequired, nil, "a rule gives a role, a group or both"))
	}
	if len(fields) > 0 {
		return desk.InvalidFields(fields...)
	}
	return nil
}
