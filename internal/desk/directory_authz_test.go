package desk_test

import (
	"context"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// authzCall is one desk call the admin pages or the API make, reduced to
// its error.
type authzCall struct {
	name string
	do   func(ctx context.Context) error
}

func errOf[T any](_ T, err error) error { return err }

// directoryReads are the reads behind the admin pages: users, groups,
// members, categories, services, the matrix, SLA policies and calendars.
func directoryReads(f *fixture) map[string]authzCall {
	other := f.agentL1.ID
	calls := []authzCall{
		{"ListUsers", func(c context.Context) error { return errOf(f.d.ListUsers(c, desk.UserFilter{Limit: 10})) }},
		{"ListUsers by role", func(c context.Context) error {
			return errOf(f.d.ListUsers(c, desk.UserFilter{Roles: []desk.Role{desk.RoleAdmin}, Limit: 10}))
		}},
		{"User of another", func(c context.Context) error { return errOf(f.d.User(c, other)) }},
		{"LookupRequesters", func(c context.Context) error {
			return errOf(f.d.LookupRequesters(c, desk.RequesterLookup{Query: "lena"}))
		}},
		{"Groups", func(c context.Context) error { return errOf(f.d.Groups(c)) }},
		{"Group", func(c context.Context) error { return errOf(f.d.Group(c, f.g2.ID)) }},
		{"GroupMembers", func(c context.Context) error { return errOf(f.d.GroupMembers(c, f.g2.ID)) }},
		{"Categories", func(c context.Context) error { return errOf(f.d.Categories(c)) }},
		{"Services", func(c context.Context) error { return errOf(f.d.Services(c)) }},
		{"Matrix", func(c context.Context) error { return errOf(f.d.Matrix(c)) }},
		{"SLAPolicies", func(c context.Context) error { return errOf(f.d.SLAPolicies(c)) }},
		{"Calendars", func(c context.Context) error { return errOf(f.d.Calendars(c)) }},
		{"EscalationPolicies", func(c context.Context) error { return errOf(f.d.EscalationPolicies(c)) }},
		{"Schedules", func(c context.Context) error { return errOf(f.d.Schedules(c)) }},
	}
	out := map[string]authzCall{}
	for _, c := range calls {
		out[c.name] = c
	}
	return out
}

// TestDirectoryReads_WhoMayRead: requesters never list users, groups,
// members, SLA policies or calendars, and see no other user; they read
// what the portal offers (categories, services, the matrix). Staff read it
// all; nobody anonymous or deactivated reads anything.
func TestDirectoryReads_WhoMayRead(t *testing.T) {
	f := newFixture(t)
	reads := directoryReads(f)
	portal := map[string]bool{"Categories": true, "Services": true, "Matrix": true}
	inactive := *f.agentL1
	inactive.Active = false
	for name, call := range reads {
		t.Run(name, func(t *testing.T) {
			want := desk.EFORBIDDEN
			switch {
			case portal[name]:
				want = ""
			case name == "User of another":
				want = desk.ENOTFOUND // as if there were no such user
			}
			if got := desk.ErrorCode(call.do(f.sam)); got != want {
				t.Errorf("requester: %q, want %q", got, want)
			}
			for who, ctx := range map[string]context.Context{"agent": f.l1, "manager": f.manager, "admin": f.admin} {
				if err := call.do(ctx); err != nil {
					t.Errorf("%s: %v", who, err)
				}
			}
			for who, ctx := range map[string]context.Context{"anonymous": context.Background(),
				"deactivated": desk.WithActor(context.Background(), &inactive)} {
				if got := desk.ErrorCode(call.do(ctx)); got != desk.EUNAUTHENTICATED {
					t.Errorf("%s: %q, want unauthenticated", who, got)
				}
			}
		})
	}
	if u, err := f.d.User(f.sam, f.samUser.ID); err != nil || u.ID != f.samUser.ID {
		t.Errorf("a requester reads themselves: %v %v", u, err)
	}
}

// TestAdminOnly_Refused: what only administrators may read or do, refused
// to agents and managers (and requesters) in the desk itself, whatever page
// or endpoint asks.
func TestAdminOnly_Refused(t *testing.T) {
	f := newFixture(t)
	other := f.agentL2.ID
	name, role := "X", desk.RoleAdmin
	calls := []authzCall{
		{"RequireAdmin", desk.RequireAdmin},
		{"Tokens of another", func(c context.Context) error { return errOf(f.d.Tokens(c, other)) }},
		{"UserPreferences of another", func(c context.Context) error { return errOf(f.d.UserPreferences(c, other)) }},
		{"ContactMethods of another", func(c context.Context) error { return errOf(f.d.ContactMethods(c, other)) }},
		{"Integrations", func(c context.Context) error { return errOf(f.d.Integrations(c)) }},
		{"FailedPageDeliveries", func(c context.Context) error {
			_, _, err := f.d.FailedPageDeliveries(c, "", 10)
			return err
		}},
		{"CreateUser", func(c context.Context) error {
			return errOf(f.d.CreateUser(c, desk.UserInput{Email: "x@example.com", Name: "X", Role: desk.RoleAdmin}))
		}},
		{"UpdateUser (promote oneself)", func(c context.Context) error {
			return errOf(f.d.UpdateUser(c, desk.ActorFrom(c).ID, desk.UserPatch{Role: &role}))
		}},
		{"SetPassword of another", func(c context.Context) error { return f.d.SetPassword(c, other, "a stolen long password") }},
		{"SetGroupMember", func(c context.Context) error { return f.d.SetGroupMember(c, f.g3.ID, desk.ActorFrom(c).ID, true) }},
		{"CreateGroup", func(c context.Context) error {
			return errOf(f.d.CreateGroup(c, desk.GroupInput{Name: "X", Line: desk.Line2}))
		}},
		{"UpdateGroup", func(c context.Context) error { return errOf(f.d.UpdateGroup(c, f.g2.ID, desk.GroupPatch{Name: &name})) }},
		{"CreateCategory", func(c context.Context) error { return errOf(f.d.CreateCategory(c, desk.CategoryInput{Name: "X"})) }},
		{"CreateService", func(c context.Context) error { return errOf(f.d.CreateService(c, desk.ServiceInput{Name: "X"})) }},
		{"SetMatrix", func(c context.Context) error { return f.d.SetMatrix(c, desk.DefaultMatrix) }},
	}
	for _, call := range calls {
		t.Run(call.name, func(t *testing.T) {
			for who, ctx := range map[string]context.Context{"requester": f.sam, "agent": f.l1, "manager": f.manager} {
				if got := desk.ErrorCode(call.do(ctx)); got != desk.EFORBIDDEN {
					t.Errorf("%s: %q, want forbidden", who, got)
				}
			}
		})
	}
	if err := desk.RequireAdmin(f.admin); err != nil {
		t.Errorf("RequireAdmin refuses an administrator: %v", err)
	}
	if got := desk.ErrorCode(desk.RequireAdmin(context.Background())); got != desk.EUNAUTHENTICATED {
		t.Errorf("RequireAdmin, anonymous: %q", got)
	}
	if u := f.reload(desk.ActorFrom(f.l1).ID); u.Role != desk.RoleAgent || len(u.Groups) != 1 {
		t.Errorf("a refused call changed the agent: %+v", u)
	}
}
