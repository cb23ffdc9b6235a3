package major_test

import (
	"context"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/major"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestService_ResolveFromOutsideTheGroup: the commander of a major
// incident is often on line 3 and not in the group of the incident it was
// declared on, which nobody has taken yet; resolving it, and its children
// waiting unassigned in the same group, must work for them and for any
// line-3 agent, each ticket resolved once with the resolver as actor and
// no assignee forced on it; a requester may not.
func TestService_ResolveFromOutsideTheGroup(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		core, err := f.d.CreateGroup(f.admin, desk.GroupInput{Name: "Core Infrastructure", Line: desk.Line3})
		f.must(err)
		inCore := func(email, name string) (*desk.User, context.Context) {
			u, err := f.d.CreateUser(f.admin, desk.UserInput{Email: email, Name: name, Role: desk.RoleAgent, Groups: []int64{core.ID}})
			f.must(err)
			u, err = f.d.User(f.admin, u.ID)
			f.must(err)
			return u, desk.WithActor(context.Background(), u)
		}
		cora, coraC := inCore("cora@example.com", "Cora Commander")
		_, lineC := inCore("leo@example.com", "Leo Line3")
		for _, resolver := range []struct {
			name string
			ctx  context.Context
		}{{"the commander", coraC}, {"a line-3 agent", lineC}} {
			t.Run(resolver.name, func(t *testing.T) {
				parent := f.incident(10, desk.LevelHigh, false)
				kid := f.incident(11, desk.LevelMedium, false)
				for _, tk := range []*desk.Ticket{parent, kid} {
					if tk.Assignee != nil || tk.State != desk.StateNew {
						t.Fatalf("%s starts %s with %v, want new and unassigned", tk.Number, tk.State, tk.Assignee)
					}
				}
				m, err := f.svc.Declare(coraC, parent.Number, major.DeclareInput{CommanderID: cora.ID, Children: []string{kid.Number}})
				f.must(err)
				before := len(f.outbox(desk.OutboxResolved))
				res, err := f.svc.Resolve(resolver.ctx, m.ID, major.ResolveInput{Code: "solved", Notes: "The relay was replaced.", Children: true})
				if err != nil {
					t.Fatalf("resolve by %s outside the parent's group: %v", resolver.name, err)
				}
				if len(res.Resolved) != 2 || len(res.Skipped) != 0 {
					t.Errorf("resolved %v, skipped %v; want both", res.Resolved, res.Skipped)
				}
				for _, tk := range []*desk.Ticket{parent, kid} {
					got, err := f.d.Ticket(f.admin, tk.Number)
					f.must(err)
					if got.State != desk.StateResolved || got.ResolutionCode != "solved" || got.Assignee != nil || got.FirstResponseAt == nil {
						t.Errorf("%s: %s %q assignee %v first response %v; want resolved, solved, nobody forced, a first response",
							tk.Number, got.State, got.ResolutionCode, got.Assignee, got.FirstResponseAt)
					}
				}
				if n := len(f.outbox(desk.OutboxResolved)) - before; n != 2 {
					t.Errorf("%d resolution notices, want one per ticket (2)", n)
				}
			})
		}
		// A member of the group resolving becomes the assignee of an
		// unassigned ticket; one in progress keeps its own.
		parent := f.incident(20, desk.LevelHigh, false)
		kid := f.incident(21, desk.LevelMedium, false)
		_, err = f.d.Transition(f.olgaC, kid.Number, desk.TransitionInput{To: desk.StateInProgress})
		f.must(err)
		m, err := f.svc.Declare(coraC, parent.Number, major.DeclareInput{CommanderID: cora.ID, Children: []string{kid.Number}})
		f.must(err)
		if _, err := f.svc.Resolve(f.ivanC, m.ID, major.ResolveInput{Code: "solved", Notes: "Fixed.", Children: true}); err != nil {
			t.Fatal(err)
		}
		for number, want := range map[string]string{parent.Number: "Ivan Responder", kid.Number: "Olga Commander"} {
			got, err := f.d.Ticket(f.admin, number)
			f.must(err)
			if got.State != desk.StateResolved || got.Assignee == nil || got.Assignee.Name != want {
				t.Errorf("%s: %s, assignee %v; want resolved with %s", number, got.State, got.Assignee, want)
			}
		}
		parent = f.incident(22, desk.LevelHigh, false)
		m, err = f.svc.Declare(coraC, parent.Number, major.DeclareInput{CommanderID: cora.ID})
		f.must(err)
		req, err := f.st.GetUserByEmail(context.Background(), "user22@example.com")
		f.must(err)
		if _, err := f.svc.Resolve(desk.WithActor(context.Background(), req), m.ID, major.ResolveInput{Code: "solved", Notes: "x"}); desk.ErrorCode(err) != desk.EFORBIDDEN {
			t.Errorf("a requester resolves a major incident: %v, want forbidden", err)
		}
	})
}
