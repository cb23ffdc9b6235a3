package jobs_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/jobs"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// fixture is a desk and a runner on one real database, with a group on
// each line (line 1's with a manager), an agent on line 1 and a requester.
type fixture struct {
	t          *testing.T
	clock      *testdb.Clock
	store      *sqlstore.Store
	second     func() *sqlstore.Store // another instance on the same database
	d          *desk.Desk
	r          *jobs.Runner
	admin, l1  context.Context
	sam        context.Context
	manager    *desk.User
	agent      *desk.User
	g1, g2, g3 *desk.Group
}

// start is Monday 2026-03-02 09:00 UTC.
var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func newFixture(t *testing.T, open testdb.Opener) *fixture {
	t.Helper()
	f := &fixture{t: t, clock: testdb.NewClock(start)}
	f.store, f.second = open(t, sqlstore.WithClock(f.clock))
	f.d = desk.New(f.store, f.clock, desk.DefaultConfig)
	f.r = jobs.New(f.store, f.d, f.clock, jobs.Config{}, nil)
	admin, _, err := f.d.Bootstrap(context.Background(), desk.UserInput{Email: "admin@example.com", Name: "Admin", Role: desk.RoleAdmin}, false)
	must(t, err)
	f.admin = desk.WithActor(context.Background(), admin)
	f.manager, err = f.d.CreateUser(f.admin, desk.UserInput{Email: "boss@example.com", Name: "Boss", Role: desk.RoleManager})
	must(t, err)
	groups, err := f.d.Groups(f.admin)
	must(t, err)
	f.g1 = groups[0]
	_, err = f.d.UpdateGroup(f.admin, f.g1.ID, desk.GroupPatch{ManagerID: &f.manager.ID})
	must(t, err)
	f.g2 = f.group("Network", desk.Line2)
	f.group("Network B", desk.Line2) // a higher id: not the escalation target
	f.g3 = f.group("Core", desk.Line3)
	f.agent, err = f.d.CreateUser(f.admin, desk.UserInput{Email: "lena@example.com", Name: "Lena", Role: desk.RoleAgent})
	must(t, err)
	must(t, f.d.SetGroupMember(f.admin, f.g1.ID, f.agent.ID, true))
	f.agent, err = f.d.User(f.admin, f.agent.ID)
	must(t, err)
	f.l1 = desk.WithActor(context.Background(), f.agent)
	sam, _, err := f.d.Bootstrap(context.Background(), desk.UserInput{Email: "sam@example.com", Name: "Sam", Role: desk.RoleRequester}, false)
	must(t, err)
	f.sam = desk.WithActor(context.Background(), sam)
	return f
}

func (f *fixture) group(name string, line desk.Line) *desk.Group {
	f.t.Helper()
	g, err := f.d.CreateGroup(f.admin, desk.GroupInput{Name: name, Line: line})
	must(f.t, err)
	return g
}

// incident registers an incident for sam (high × high = P1, 24x7: response
// 15 min, resolution 4 h) and, with work, takes it into progress at once,
// which meets the response clock.
func (f *fixture) incident(impact, urgency desk.Level, work bool) *desk.Ticket {
	f.t.Helper()
	tk, _, err := f.d.CreateTicket(f.l1, desk.NewTicket{Type: desk.TypeIncident, Title: "Payments down", Channel: desk.ChannelPhone,
		Requester: desk.PersonInput{Email: "sam@example.com"}, Impact: impact, Urgency: urgency}, "")
	must(f.t, err)
	if work {
		tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateAssigned, AssigneeID: f.agent.ID})
		tk = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateInProgress})
	}
	return tk
}

func (f *fixture) move(ctx context.Context, tk *desk.Ticket, in desk.TransitionInput) *desk.Ticket {
	f.t.Helper()
	got, err := f.d.Transition(ctx, tk.Number, in)
	must(f.t, err)
	return got
}

// edit changes the ticket's title, as people do between sweeps.
func (f *fixture) edit(tk *desk.Ticket) {
	f.t.Helper()
	title := "Payments down " + f.clock.Now().Format(time.TimeOnly)
	_, err := f.d.UpdateTicket(f.l1, tk.Number, desk.TicketPatch{Title: &title})
	must(f.t, err)
}

// sweep runs the runner at the clock's time.
func (f *fixture) sweep() jobs.SweepResult {
	f.t.Helper()
	res, err := f.r.RunDue(context.Background(), f.clock.Now())
	must(f.t, err)
	if res.Failed != 0 {
		f.t.Fatalf("sweep failed on %d timers", res.Failed)
	}
	return res
}

// thresholds lists the ticket's SLA events as "clock percent".
func (f *fixture) thresholds(tk *desk.Ticket) []string {
	f.t.Helper()
	var out []string
	for _, e := range f.events(tk) {
		if e.Kind == desk.EventSLAWarning || e.Kind == desk.EventSLABreached {
			if e.Actor != nil || e.Public {
				f.t.Errorf("%s event should be internal and by the system: %+v", e.Kind, e)
			}
			out = append(out, e.Changes[0].New+" "+e.Changes[1].New)
		}
	}
	return out
}

func (f *fixture) events(tk *desk.Ticket) []*desk.Event {
	f.t.Helper()
	page, err := f.store.ListEvents(context.Background(), tk.ID, desk.EventFilter{Limit: desk.MaxPageSize})
	must(f.t, err)
	return page.Events
}

// outbox lists the ticket's SLA messages (warnings, breaches, pages; not
// the requester and staff notices of ticket changes) as "kind user:ID" or
// "kind group:ID".
func (f *fixture) outbox(tk *desk.Ticket) []string {
	f.t.Helper()
	msgs, err := f.store.Outbox(context.Background(), tk.ID)
	must(f.t, err)
	var out []string
	for _, m := range msgs {
		if m.Kind != desk.OutboxSLAWarning && m.Kind != desk.OutboxSLABreached && m.Kind != desk.OutboxPage {
			continue
		}
		if m.UserID != 0 {
			out = append(out, string(m.Kind)+" user:"+strconv.FormatInt(m.UserID, 10))
		} else {
			out = append(out, string(m.Kind)+" group:"+strconv.FormatInt(m.GroupID, 10))
		}
	}
	return out
}

func (f *fixture) pending(tk *desk.Ticket) []desk.Timer {
	f.t.Helper()
	p, _, err := f.store.Timers(context.Background(), tk.ID)
	must(f.t, err)
	return p
}

func (f *fixture) ticket(tk *desk.Ticket) *desk.Ticket {
	f.t.Helper()
	got, err := f.store.GetTicket(context.Background(), tk.ID)
	must(f.t, err)
	return got
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func user(id int64) string  { return "user:" + strconv.FormatInt(id, 10) }
func group(id int64) string { return "group:" + strconv.FormatInt(id, 10) }
