package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// fixture is a small desk: the seeded Service Desk group plus two more
// lines, requesters, an agent, a category tree and a service.
type fixture struct {
	s                  desk.Store
	desk, net, dba     *desk.Group
	req1, req2, agent  *desk.User
	hardware, printers *desk.Category
	mail               *desk.Service
}

func newFixture(t *testing.T, open Opener) *fixture {
	t.Helper()
	s := open(t)
	f := &fixture{s: s}
	var err error
	f.desk, err = s.DefaultGroup(ctx(t))
	must(t, err)
	f.net = f.group(t, "Network", desk.Line2)
	f.dba = f.group(t, "Database", desk.Line3)
	f.req1 = f.user(t, "anna@example.com", "Anna Petrova", desk.RoleRequester)
	f.req2 = f.user(t, "boris@example.com", "Boris Ivanov", desk.RoleRequester)
	f.agent = f.user(t, "agent@example.com", "Vera Agent", desk.RoleAgent)
	f.hardware = &desk.Category{Name: "Hardware", Group: &desk.Ref{ID: f.desk.ID}}
	must(t, s.CreateCategory(ctx(t), f.hardware))
	f.printers = &desk.Category{Name: "Printers", ParentID: f.hardware.ID}
	must(t, s.CreateCategory(ctx(t), f.printers))
	f.mail = &desk.Service{Name: "E-mail", Description: "Corporate mail", OwnerGroup: &desk.Ref{ID: f.net.ID}}
	must(t, s.CreateService(ctx(t), f.mail))
	return f
}

func (f *fixture) group(t *testing.T, name string, line desk.Line) *desk.Group {
	t.Helper()
	g := &desk.Group{Name: name, Line: line, Active: true}
	must(t, f.s.CreateGroup(ctx(t), g))
	return g
}

func (f *fixture) user(t *testing.T, email, name string, role desk.Role) *desk.User {
	t.Helper()
	u := &desk.User{Email: email, Name: name, Phone: "+7 900 000-00-00", Role: role, Active: true}
	must(t, f.s.CreateUser(ctx(t), u))
	return u
}

// ticket returns a new, unsaved incident in the Service Desk queue from
// req1, created at base plus minutes.
func (f *fixture) ticket(title string, minutes int) *desk.Ticket {
	at := base.Add(time.Duration(minutes) * time.Minute)
	return &desk.Ticket{
		Type: desk.TypeIncident, Title: title, Description: "Description of " + title,
		State: desk.StateNew, Impact: desk.LevelMedium, Urgency: desk.LevelMedium, Priority: desk.P3,
		Group:      desk.GroupRef{ID: f.desk.ID},
		Requester:  desk.Person{ID: f.req1.ID},
		Channel:    desk.ChannelPortal,
		ReportedAt: at, CreatedAt: at, UpdatedAt: at,
		CreatedBy: f.agent.ID,
	}
}

// create stores t with a created event and fails the test on error.
func (f *fixture) create(t *testing.T, tk *desk.Ticket) *desk.Ticket {
	t.Helper()
	ev := []desk.Event{{At: tk.CreatedAt, Actor: &desk.Ref{ID: f.agent.ID}, Kind: desk.EventCreated, Public: true}}
	if _, err := f.s.CreateTicket(ctx(t), tk, ev, nil); err != nil {
		t.Fatalf("create %q: %v", tk.Title, err)
	}
	return tk
}

// person is how a user appears as a ticket's requester.
func person(u *desk.User) desk.Person {
	return u.Person()
}

func groupRef(g *desk.Group) desk.GroupRef {
	return desk.GroupRef{ID: g.ID, Name: g.Name, Line: g.Line}
}

func number(typ desk.TicketType, n int) string { return fmt.Sprintf("%s-%06d", typ.NumberPrefix(), n) }
