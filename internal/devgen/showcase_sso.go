package devgen

import (
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/sso"
)

// Single sign-on records of the showcase: mapping rules giving a role, a
// group, and both (by an OpenID claim and by a directory group's DN).
func (b *showcase) sso() {
	if b.err != nil {
		return
	}
	svc := sso.New(b.d, b.st, desk.SystemClock{}, nil)
	admin := b.as("admin")
	for _, in := range []sso.RuleInput{
		{Claim: "groups", Value: "helpdesk", Role: desk.RoleAgent, GroupID: b.groups[1].ID},
		{Claim: "groups", Value: "cn=network,ou=groups,dc=showcase,dc=example", GroupID: b.groups[2].ID},
		{Claim: "roles", Value: "desk-admins", Role: desk.RoleAdmin},
	} {
		if b.err == nil {
			_, b.err = svc.CreateRule(admin, in)
		}
	}
	b.out.English = append(b.out.English, "groups", "helpdesk", "cn=network,ou=groups,dc=showcase,dc=example", "roles", "desk-admins")
}
