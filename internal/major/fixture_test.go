package major_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/major"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

var start = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)

// fixture is a desk on a real database with an operations group (its
// commander Olga and responder Ivan), a requester per child, a service
// and a second instance of the major-incident service on the same database.
type fixture struct {
	t            *testing.T
	clock        *testdb.Clock
	st           *sqlstore.Store
	d            *desk.Desk
	svc, other   *major.Service
	admin, olgaC context.Context
	ivanC        context.Context
	olga, ivan   *desk.User
	ops          *desk.Group
	mail         *desk.Service
}

func newFixture(t *testing.T, open testdb.Opener) *fixture {
	t.Helper()
	f := &fixture{t: t, clock: testdb.NewClock(start)}
	st, another := open(t, sqlstore.WithClock(f.clock))
	f.st = st
	f.d = desk.New(st, f.clock, desk.DefaultConfig)
	f.svc = major.New(f.d, st, st, f.clock, major.DefaultConfig)
	st2 := another()
	f.other = major.New(desk.New(st2, f.clock, desk.DefaultConfig), st2, st2, f.clock, major.DefaultConfig)
	u, _, err := f.d.Bootstrap(context.Background(), desk.UserInput{Email: "admin@example.com", Name: "Admin", Role: desk.RoleAdmin}, false)
	f.must(err)
	f.admin = desk.WithActor(context.Background(), u)
	f.ops, err = f.d.CreateGroup(f.admin, desk.GroupInput{Name: "Operations", Line: desk.Line2})
	f.must(err)
	f.olga, f.olgaC = f.agent("olga@example.com", "Olga Commander")
	f.ivan, f.ivanC = f.agent("ivan@example.com", "Ivan Responder")
	f.mail, err = f.d.CreateService(f.admin, desk.ServiceInput{Name: "E-mail", OwnerGroupID: f.ops.ID})
	f.must(err)
	return f
}

func (f *fixture) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) agent(email, name string) (*desk.User, context.Context) {
	f.t.Helper()
	u, err := f.d.CreateUser(f.admin, desk.UserInput{Email: email, Name: name, Role: desk.RoleAgent, Groups: []int64{f.ops.ID}})
	f.must(err)
	u, err = f.d.User(f.admin, u.ID)
	f.must(err)
	return u, desk.WithActor(context.Background(), u)
}

// incident registers an incident on the e-mail service from requester n.
func (f *fixture) incident(n int, impact desk.Level, restricted bool) *desk.Ticket {
	f.t.Helper()
	tk, _, err := f.d.CreateTicket(f.olgaC, desk.NewTicket{Type: desk.TypeIncident, Title: fmt.Sprintf("Mail down for user %d", n),
		Channel: desk.ChannelPhone, Requester: desk.PersonInput{Email: fmt.Sprintf("user%d@example.com", n), Name: fmt.Sprintf("User %d", n)},
		Impact: impact, Urgency: impact, ServiceID: f.mail.ID, GroupID: f.ops.ID, Restricted: restricted}, "")
	f.must(err)
	return tk
}

// outbox returns the queued messages of kind.
func (f *fixture) outbox(kind desk.OutboxKind) []desk.OutboxMessage {
	f.t.Helper()
	all, err := f.st.Outbox(context.Background(), 0)
	f.must(err)
	var out []desk.OutboxMessage
	for _, m := range all {
		if m.Kind == kind {
			out = append(out, m)
		}
	}
	return out
}
