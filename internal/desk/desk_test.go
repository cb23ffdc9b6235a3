package desk_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// fixture is a desk on a real SQLite file with three lines of staff.
type fixture struct {
	t                *testing.T
	d                *desk.Desk
	clock            *testdb.Clock
	admin, manager   context.Context
	l1, l2, l3, l3b  context.Context
	sam, kim         context.Context // requesters
	samUser          *desk.User
	g1, g2, g3, g2b  *desk.Group
	agentL1, agentL2 *desk.User
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureOn(t, testdb.SQLite)
}

// newFixtureOn builds the fixture on a store that open returns
// (testdb.SQLite, testdb.Postgres).
func newFixtureOn(t *testing.T, open func(testing.TB, ...sqlstore.Option) *sqlstore.Store) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{t: t, clock: testdb.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))}
	f.d = desk.New(open(t, sqlstore.WithClock(f.clock)), f.clock, desk.DefaultConfig)
	f.admin = f.user(desk.RoleAdmin, "admin@example.com")
	mgr := f.mustUser(f.admin, desk.RoleManager, "boss@example.com")
	f.manager = desk.WithActor(ctx, f.reload(mgr.ID))
	groups, err := f.d.Groups(f.admin)
	if err != nil || len(groups) != 1 || !groups[0].Default {
		t.Fatalf("fresh install should have one default group: %v %v", groups, err)
	}
	f.g1 = groups[0]
	f.g2 = f.group("Network", desk.Line2, 0)
	f.g2b = f.group("Desktop", desk.Line2, 0)
	f.g3 = f.group("Core", desk.Line3, mgr.ID)
	f.agentL1, f.l1 = f.agent("lena@example.com", f.g1)
	f.agentL2, f.l2 = f.agent("nick@example.com", f.g2)
	_, f.l3 = f.agent("ines@example.com", f.g3)
	_, f.l3b = f.agent("otto@example.com", f.g3)
	f.sam = f.user(desk.RoleRequester, "sam@example.com")
	f.samUser = desk.ActorFrom(f.sam)
	f.kim = f.user(desk.RoleRequester, "kim@example.com")
	return f
}

func (f *fixture) mustUser(admin context.Context, role desk.Role, email string) *desk.User {
	f.t.Helper()
	u, err := f.d.CreateUser(admin, desk.UserInput{Email: email, Name: email[:4], Role: role})
	if err != nil {
		f.t.Fatal(err)
	}
	return u
}

// user creates a user through the bootstrap path and returns its context.
func (f *fixture) user(role desk.Role, email string) context.Context {
	f.t.Helper()
	u, _, err := f.d.Bootstrap(context.Background(), desk.UserInput{Email: email, Name: email[:4], Role: role}, false)
	if err != nil {
		f.t.Fatal(err)
	}
	return desk.WithActor(context.Background(), u)
}

func (f *fixture) reload(id int64) *desk.User {
	f.t.Helper()
	u, err := f.d.User(f.admin, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return u
}

func (f *fixture) group(name string, line desk.Line, manager int64) *desk.Group {
	f.t.Helper()
	g, err := f.d.CreateGroup(f.admin, desk.GroupInput{Name: name, Line: line, ManagerID: manager})
	if err != nil {
		f.t.Fatal(err)
	}
	return g
}

func (f *fixture) agent(email string, g *desk.Group) (*desk.User, context.Context) {
	f.t.Helper()
	u := f.mustUser(f.admin, desk.RoleAgent, email)
	if err := f.d.SetGroupMember(f.admin, g.ID, u.ID, true); err != nil {
		f.t.Fatal(err)
	}
	u = f.reload(u.ID)
	return u, desk.WithActor(context.Background(), u)
}

// incident registers an incident for sam through line 1.
func (f *fixture) incident(title string) *desk.Ticket {
	f.t.Helper()
	tk, _, err := f.d.CreateTicket(f.l1, desk.NewTicket{Type: desk.TypeIncident, Title: title, Channel: desk.ChannelPhone,
		Requester: desk.PersonInput{Email: "sam@example.com"}, Impact: desk.LevelHigh, Urgency: desk.LevelHigh}, "")
	if err != nil {
		f.t.Fatal(err)
	}
	return tk
}

func (f *fixture) move(ctx context.Context, tk *desk.Ticket, in desk.TransitionInput) *desk.Ticket {
	f.t.Helper()
	got, err := f.d.Transition(ctx, tk.Number, in)
	if err != nil {
		f.t.Fatalf("move %s to %s: %v", tk.Number, in.To, err)
	}
	return got
}

func wantCode(t *testing.T, err error, code string) *desk.Error {
	t.Helper()
	var e *desk.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
	return e
}
