package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/testclock"
)

// mixDesk drives a desk the way a service desk lives: tickets registered
// in every group and priority, some restricted; taken, moved between
// groups, escalated, reprioritised, put on hold, resolved, reopened,
// closed and cancelled; SLA timers fired as the clock moves, so clocks are
// met and breached.
type mixDesk struct {
	*fixture
	d     *desk.Desk
	clock *testclock.Clock
	admin context.Context
	r     *rand.Rand
	done  map[string]int // successful actions by name
	// strict: every action must succeed (the actor alone changes its
	// tickets and reads them fresh), so a lost lock or deadlock fails.
	strict bool
}

func newMixDesk(t *testing.T, open Opener, seed uint64) *mixDesk {
	f := newFixture(t, open)
	m := &mixDesk{fixture: f, clock: testclock.New(base), r: rand.New(rand.NewPCG(seed, 9)), done: map[string]int{}}
	m.d = desk.New(f.s, m.clock, desk.DefaultConfig)
	admin := f.user(t, "admin@example.com", "Ada Admin", desk.RoleAdmin)
	m.admin = desk.WithActor(context.Background(), admin)
	for _, g := range []*desk.Group{f.desk, f.net, f.dba} {
		must(t, m.d.SetGroupMember(m.admin, g.ID, f.agent.ID, true))
	}
	return m
}

// step moves the clock, fires the due SLA timers and does a few things.
func (m *mixDesk) step(t *testing.T, creates, actions int) {
	m.clock.Advance(time.Duration(m.r.Int64N(int64(40*time.Hour))) + time.Minute)
	m.fireTimers(t)
	groups := []*desk.Group{m.desk, m.net, m.dba}
	for i := range creates {
		in := desk.NewTicket{Type: desk.TicketTypes[m.r.IntN(2)], Title: fmt.Sprintf("mix %d", i),
			Description: "mixed", Requester: desk.PersonInput{Email: "anna@example.com"}, Channel: desk.ChannelPortal,
			Impact: desk.Levels[m.r.IntN(3)], Urgency: desk.Levels[m.r.IntN(3)], GroupID: groups[m.r.IntN(3)].ID,
			Restricted: m.r.IntN(5) == 0}
		if m.r.IntN(3) == 0 {
			in.AssigneeID = m.agent.ID
		}
		if _, _, err := m.d.CreateTicket(m.admin, in, ""); err != nil {
			t.Fatalf("create: %v", err)
		}
		m.done["create"]++
	}
	var live []*desk.Ticket // neither closed nor cancelled
	for _, tk := range AllTickets(t, m.s) {
		if tk.State != desk.StateClosed && tk.State != desk.StateCanceled {
			live = append(live, tk)
		}
	}
	for range min(actions, len(live)) {
		m.act(t, live[m.r.IntN(len(live))])
	}
}

func (m *mixDesk) fireTimers(t *testing.T) {
	for {
		timers, err := m.s.ClaimTimers(context.Background(), m.clock.Now(), time.Minute, 100)
		must(t, err)
		if len(timers) == 0 {
			return
		}
		for _, tm := range timers {
			// ECONFLICT: the ticket's change replaced the timer (as the job runner, take it as done).
			if err := m.d.FireTimer(context.Background(), tm); err != nil && desk.ErrorCode(err) != desk.ECONFLICT {
				t.Fatal(err)
			}
			m.done["timer"]++
		}
	}
}

// act does one thing to tk that its state allows. Unless strict, the desk
// may refuse when tk changed earlier in the step; the test counts that but
// does not fail on it.
func (m *mixDesk) act(t *testing.T, tk *desk.Ticket) {
	ref := tk.Number
	tr := func(in desk.TransitionInput) error { _, err := m.d.Transition(m.admin, ref, in); return err }
	upd := func(p desk.TicketPatch) error { _, err := m.d.UpdateTicket(m.admin, ref, p); return err }
	var name string
	var err error
	lvl := desk.Levels[m.r.IntN(3)]
	switch k := m.r.IntN(4); {
	case tk.State == desk.StateOnHold:
		name, err = "resume", tr(desk.TransitionInput{To: desk.StateInProgress, AssigneeID: m.agent.ID})
	case tk.State == desk.StateResolved && k < 2:
		name, err = "reopen", tr(desk.TransitionInput{To: desk.StateInProgress, Reason: "still broken"})
	case tk.State == desk.StateResolved:
		name, err = "close", tr(desk.TransitionInput{To: desk.StateClosed})
	case k == 0 && tk.State != desk.StateNew:
		name, err = "reprioritise", upd(desk.TicketPatch{Impact: &lvl, Reason: "re-assessed"})
	case k == 0:
		name, err = "cancel", tr(desk.TransitionInput{To: desk.StateCanceled, Reason: "duplicate"})
	case k == 1 && tk.Group.Line == desk.Line3:
		name, err = "move", upd(desk.TicketPatch{GroupID: &m.desk.ID, Reason: "back to the desk"})
	case k == 1:
		name = "escalate"
		_, err = m.d.Escalate(m.admin, ref, desk.EscalationInput{Kind: "functional", GroupID: m.higher(tk.Group.Line),
			Reason: "needs the next line"})
	case tk.State == desk.StateNew:
		name, err = "assign", tr(desk.TransitionInput{To: desk.StateAssigned, AssigneeID: m.agent.ID})
	case tk.State == desk.StateAssigned:
		name, err = "work", tr(desk.TransitionInput{To: desk.StateInProgress, AssigneeID: m.agent.ID})
	case k == 2:
		name, err = "hold", tr(desk.TransitionInput{To: desk.StateOnHold, HoldReason: desk.HoldReasons[m.r.IntN(4)]})
	default:
		name, err = "resolve", tr(desk.TransitionInput{To: desk.StateResolved, ResolutionCode: desk.ResolutionCodes[0],
			ResolutionNotes: "done"})
	}
	if err != nil && m.strict {
		t.Errorf("%s of %s (%s): %v", name, ref, tk.State, err)
	}
	if err != nil {
		m.done["refused"]++
		return
	}
	m.done[name]++
}

func (m *mixDesk) higher(l desk.Line) int64 {
	if l == desk.Line1 {
		return m.net.ID
	}
	return m.dba.ID
}

// testDashboardMix: after every few steps of a living desk, the counters
// give the dashboard a straightforward recomputation from the tickets
// gives, in every scope and for periods starting in two time zones.
func testDashboardMix(t *testing.T, open Opener) {
	m := newMixDesk(t, open, 1)
	moscow := time.FixedZone("MSK", 3*60*60)
	scopes := []desk.DashboardScope{
		{Visibility: all},
		{GroupIDs: []int64{m.net.ID, m.dba.ID}, Visibility: desk.Visibility{RestrictedGroups: []int64{m.net.ID}}},
		{Visibility: desk.Visibility{RestrictedGroups: []int64{m.desk.ID}}},
	}
	for i := range 48 { // about 40 days
		m.step(t, 3, 10)
		if i == 30 { // the Database group moves to line 2: its tickets' line with it, in one UPDATE
			l2 := desk.Line2
			if _, err := m.d.UpdateGroup(m.admin, m.dba.ID, desk.GroupPatch{Line: &l2}); err != nil {
				t.Fatal(err)
			}
			m.dba.Line = l2
		}
		if i%4 != 3 {
			continue
		}
		tickets := AllTickets(t, m.s)
		now := m.clock.Now().Truncate(time.Microsecond) // as the desk counts
		for _, scope := range scopes {
			for _, loc := range []*time.Location{nil, moscow} {
				CheckDashboard(t, m.s, tickets, scope, desk.PeriodStarts(now, loc), now, now.Add(desk.DefaultBreachWindow))
			}
		}
	}
	for _, name := range []string{"create", "assign", "work", "hold", "resolve", "cancel", "move", "escalate", "resume",
		"reopen", "close", "timer"} {
		if m.done[name] == 0 {
			t.Errorf("the mix never did %q: %v", name, m.done)
		}
	}
	tickets := AllTickets(t, m.s)
	want := WantDashboardCounts(tickets, scopes[0], desk.PeriodStarts(m.clock.Now(), nil), m.clock.Now())
	if o := want.Outcomes[2]; o.ResponseMet == 0 || o.ResponseMissed == 0 || o.ResolutionMet == 0 || o.ResolutionMissed == 0 {
		t.Errorf("the mix should meet and breach both clocks within 30 days: %+v", o)
	}
	t.Logf("actions: %v; open by age %v", m.done, want.Ages)
}

// testDashboardConcurrent: writers working at once (on PostgreSQL each in
// its own transaction on its own connection, sharing counter rows) leave
// counters that agree with the tickets: no update is lost, none counted
// twice.
func testDashboardConcurrent(t *testing.T, open Opener) {
	m := newMixDesk(t, open, 2)
	const writers, rounds = 8, 12
	var wg sync.WaitGroup
	dones := make([]map[string]int, writers)
	for w := range writers {
		wg.Go(func() {
			mw := *m
			mw.r, mw.done, mw.strict = rand.New(rand.NewPCG(uint64(w), 3)), map[string]int{}, true
			dones[w] = mw.done
			mw.work(t, rounds)
		})
	}
	wg.Wait()
	m.fireTimers(t)
	total := map[string]int{}
	for _, d := range dones {
		for k, n := range d {
			total[k] += n
		}
	}
	if total["create"] != writers*rounds || total["resolve"] == 0 || total["escalate"] == 0 {
		t.Fatalf("the writers did too little: %v", total)
	}
	now := m.clock.Now().Truncate(time.Microsecond)
	CheckDashboard(t, m.s, AllTickets(t, m.s), desk.DashboardScope{Visibility: all}, desk.PeriodStarts(now, nil), now,
		now.Add(desk.DefaultBreachWindow))
}

// work creates a ticket a round and acts on its own tickets, moving the
// clock now and then.
func (m *mixDesk) work(t *testing.T, rounds int) {
	var mine []string
	for i := range rounds {
		in := desk.NewTicket{Type: desk.TypeIncident, Title: fmt.Sprintf("concurrent %d", i), Description: "at once",
			Requester: desk.PersonInput{Email: "anna@example.com"}, Channel: desk.ChannelPortal,
			Impact: desk.Levels[m.r.IntN(3)], Urgency: desk.Levels[m.r.IntN(3)], GroupID: m.desk.ID}
		tk, _, err := m.d.CreateTicket(m.admin, in, "")
		if err != nil {
			t.Errorf("create: %v", err)
			return
		}
		m.done["create"]++
		mine = append(mine, tk.Number)
		for range 3 {
			tk, err := m.d.Ticket(m.admin, mine[m.r.IntN(len(mine))])
			if err != nil {
				t.Errorf("read: %v", err)
				return
			}
			if tk.State != desk.StateClosed && tk.State != desk.StateCanceled {
				m.act(t, tk)
			}
		}
		m.clock.Advance(time.Duration(m.r.IntN(20)) * time.Minute)
	}
}
