package pager_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/jobs"
	"github.com/tierdesk/tierdesk/internal/pager"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// start is Monday 2026-03-02 09:00 UTC.
var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// fixture is a desk with a line-3 group "Core" of three agents (Ann, Bob,
// Cid), a schedule "Core week" that has Bob on call from 2026-03-01, the
// SLA runner, the paging engine and the delivery worker, on one database.
type fixture struct {
	t             testing.TB
	clock         *testdb.Clock
	store         *sqlstore.Store
	second        func() *sqlstore.Store
	d             *desk.Desk
	r             *jobs.Runner
	e             *pager.Engine
	w             *pager.Worker
	admin, l1     context.Context
	ann, bob, cid *desk.User
	core          *desk.Group
	week          int64 // schedule id
}

var cfg = desk.Config{PublicURL: "https://desk.example.com", PageSecret: []byte("test paging key")}

func newFixture(t testing.TB, open testdb.Opener) *fixture {
	t.Helper()
	f := &fixture{t: t, clock: testdb.NewClock(start)}
	f.store, f.second = open(t, sqlstore.WithClock(f.clock))
	f.d = desk.New(f.store, f.clock, cfg)
	f.r = jobs.New(f.store, f.d, f.clock, jobs.Config{}, nil)
	f.e = pager.NewEngine(f.store, f.d, f.clock, pager.Config{}, nil)
	f.w = pager.NewWorker(f.store, f.clock, pager.Config{}, http.DefaultClient, nil)
	admin, _, err := f.d.Bootstrap(context.Background(), desk.UserInput{Email: "admin@example.com", Name: "Admin", Role: desk.RoleAdmin}, false)
	must(t, err)
	f.admin = desk.WithActor(context.Background(), admin)
	f.core, err = f.d.CreateGroup(f.admin, desk.GroupInput{Name: "Core", Line: desk.Line3})
	must(t, err)
	f.ann, f.bob, f.cid = f.agent("ann", f.core.ID), f.agent("bob", f.core.ID), f.agent("cid", f.core.ID)
	groups, err := f.d.Groups(f.admin)
	must(t, err)
	l1 := f.agent("lena", groups[0].ID)
	f.l1 = desk.WithActor(context.Background(), l1)
	f.week = f.schedule("Core week", f.bob.ID, "2026-03-01")
	return f
}

func (f *fixture) agent(name string, groupID int64) *desk.User {
	f.t.Helper()
	u, err := f.d.CreateUser(f.admin, desk.UserInput{Email: name + "@example.com", Name: strings.ToUpper(name[:1]) + name[1:], Role: desk.RoleAgent})
	must(f.t, err)
	must(f.t, f.d.SetGroupMember(f.admin, groupID, u.ID, true))
	u, err = f.d.User(f.admin, u.ID)
	must(f.t, err)
	return u
}

// schedule stores a weekly rotation of one user from date (09:00 UTC).
func (f *fixture) schedule(name string, userID int64, date string) int64 {
	f.t.Helper()
	st := &desk.StoredSchedule{Doc: desk.ScheduleDoc{Name: name, Zone: "UTC", Layers: []desk.LayerDoc{{
		Participants: []int64{userID}, StartDate: date, HandOff: "09:00", Length: "7d"}}}}
	must(f.t, f.d.SaveSchedule(f.admin, st))
	return st.ID
}

func (f *fixture) policy(repeat int, steps ...desk.EscalationStep) {
	f.t.Helper()
	must(f.t, f.d.PutEscalationPolicy(f.admin, &desk.EscalationPolicy{GroupID: f.core.ID, Name: "Core on-call",
		Repeat: repeat, Active: true, Steps: steps}))
}

// incident registers a P1 incident straight into Core.
func (f *fixture) incident(title string) *desk.Ticket {
	f.t.Helper()
	tk, _, err := f.d.CreateTicket(f.l1, desk.NewTicket{Type: desk.TypeIncident, Title: title, Channel: desk.ChannelMonitoring,
		Requester: desk.PersonInput{Email: "mon@example.com", Name: "Monitoring"}, Impact: desk.LevelHigh, Urgency: desk.LevelHigh,
		GroupID: f.core.ID}, "")
	must(f.t, err)
	return tk
}

// sweep runs the SLA runner, the paging engine and the delivery worker
// once at the clock's time.
func (f *fixture) sweep() {
	f.t.Helper()
	now := f.clock.Now()
	if res, err := f.r.RunDue(context.Background(), now); err != nil || res.Failed != 0 {
		f.t.Fatalf("timers: %+v %v", res, err)
	}
	if res, err := f.e.RunDue(context.Background(), now); err != nil || res.Failed != 0 {
		f.t.Fatalf("pages: %+v %v", res, err)
	}
	if _, err := f.w.RunDue(context.Background(), now); err != nil {
		f.t.Fatalf("deliveries: %v", err)
	}
}

// paged lists the ticket's paging timeline entries as "kind: reason".
func (f *fixture) paged(tk *desk.Ticket) []string {
	f.t.Helper()
	page, err := f.store.ListEvents(context.Background(), tk.ID, desk.EventFilter{Limit: desk.MaxPageSize})
	must(f.t, err)
	var out []string
	for _, e := range page.Events {
		switch e.Kind {
		case desk.EventPageStarted, desk.EventPaged, desk.EventPageAcknowledged, desk.EventPageResolved, desk.EventPageExhausted:
			out = append(out, string(e.Kind)+": "+e.Reason)
		}
	}
	return out
}

// mails lists the users e-mailed a page about the ticket, in order.
func (f *fixture) mails(tk *desk.Ticket) []int64 {
	f.t.Helper()
	msgs, err := f.store.Outbox(context.Background(), tk.ID)
	must(f.t, err)
	var out []int64
	for _, m := range msgs {
		if m.Kind == desk.OutboxOnCallPage {
			out = append(out, m.UserID)
		}
	}
	return out
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}
