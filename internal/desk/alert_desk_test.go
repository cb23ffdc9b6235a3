package desk_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// alertDesk is a desk on one backend with an admin, a moved clock and one
// integration authenticated by its token.
type alertDesk struct {
	store *sqlstore.Store
	d     *desk.Desk
	clock *testdb.Clock
	admin context.Context
	token string
	ig    *desk.Integration
}

func newAlertDesk(t *testing.T, open func(testing.TB, ...sqlstore.Option) *sqlstore.Store, st *desk.IntegrationSettings) *alertDesk {
	t.Helper()
	clock := testdb.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	store := open(t, sqlstore.WithClock(clock))
	d := desk.New(store, clock, desk.DefaultConfig)
	u, _, err := d.Bootstrap(context.Background(), desk.UserInput{Email: "admin@example.com", Name: "Ada", Role: desk.RoleAdmin}, false)
	if err != nil {
		t.Fatal(err)
	}
	a := &alertDesk{store: store, d: d, clock: clock, admin: desk.WithActor(context.Background(), u)}
	ig, token, err := d.CreateIntegration(a.admin, desk.IntegrationInput{Kind: desk.KindGeneric, Name: "monitoring", Settings: st})
	if err != nil {
		t.Fatal(err)
	}
	a.token, a.ig = token, ig
	return a
}

func (a *alertDesk) receive(t *testing.T, notices ...desk.AlertNotice) *desk.AlertReceipt {
	t.Helper()
	ig, err := a.d.AuthenticateIntegration(context.Background(), a.token)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := a.d.ReceiveAlerts(context.Background(), ig, notices)
	if err != nil {
		t.Fatal(err)
	}
	return rc
}

func alertNotice(key string, status desk.AlertStatus, severity string, labels map[string]string) desk.AlertNotice {
	return desk.AlertNotice{DedupKey: key, Alerts: []desk.Alert{{Status: status, Summary: "Alert " + key,
		Severity: severity, Labels: labels}}}
}

func (a *alertDesk) tickets(t *testing.T) []*desk.Ticket {
	t.Helper()
	page, err := a.d.ListTickets(a.admin, desk.TicketFilter{Limit: desk.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	return page.Tickets
}

// TestReceiveAlerts_ConcurrentDedup: eight senders post 40 alerts each over
// five keys at once; exactly five incidents open, on both databases.
func TestReceiveAlerts_ConcurrentDedup(t *testing.T) {
	for _, b := range testdb.Backends {
		t.Run(b.Name, func(t *testing.T) {
			a := newAlertDesk(t, b.Open, nil)
			const senders, each, keys = 8, 40, 5
			var wg sync.WaitGroup
			errs := make(chan error, senders)
			for s := range senders {
				wg.Go(func() {
					ig, err := a.d.AuthenticateIntegration(context.Background(), a.token)
					if err != nil {
						errs <- err
						return
					}
					for i := range each {
						n := alertNotice(fmt.Sprintf("k%d", (s+i)%keys), desk.AlertFiring, "warning", nil)
						if _, err := a.d.ReceiveAlerts(context.Background(), ig, []desk.AlertNotice{n}); err != nil {
							errs <- err
							return
						}
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			tickets := a.tickets(t)
			if len(tickets) != keys {
				t.Fatalf("%d incidents, want %d", len(tickets), keys)
			}
			for _, tk := range tickets {
				if tk.Channel != desk.ChannelMonitoring || tk.Type != desk.TypeIncident || tk.Requester.Email != desk.IntegrationEmail(a.ig.ID) {
					t.Errorf("incident %s: channel %s type %s requester %s", tk.Number, tk.Channel, tk.Type, tk.Requester.Email)
				}
			}
			ig, err := a.d.Integration(a.admin, a.ig.ID)
			if err != nil {
				t.Fatal(err)
			}
			if s := ig.Stats; s.IncidentsOpened != keys || s.AlertsReceived != senders*each || s.AlertsDeduplicated != senders*each-keys {
				t.Errorf("stats %+v", s)
			}
		})
	}
}

// TestReceiveAlerts_FlapWindow moves the clock to the edge of the window.
func TestReceiveAlerts_FlapWindow(t *testing.T) {
	st := desk.DefaultIntegrationSettings()
	st.Default.AutoResolve = true
	st.FlapWindow = 10 * time.Minute
	a := newAlertDesk(t, testdb.SQLite, &st)
	fire := func() *desk.AlertReceipt { return a.receive(t, alertNotice("wan", desk.AlertFiring, "critical", nil)) }
	first := fire().Outcomes[0]
	a.clock.Advance(time.Minute)
	if o := a.receive(t, alertNotice("wan", desk.AlertResolved, "", nil)).Outcomes[0]; o.Action != desk.AlertCleared {
		t.Fatalf("resolve: %+v", o)
	}
	// Resolved, not closed: the usual reopen window runs first.
	pending, _, err := a.store.Timers(context.Background(), first.TicketID)
	if err != nil {
		t.Fatal(err)
	}
	closeAt := a.clock.Now().Add(desk.DefaultConfig.ReopenWindow)
	if !slices.ContainsFunc(pending, func(tm desk.Timer) bool { return tm.Kind == desk.TimerAutoClose && tm.DueAt.Equal(closeAt) }) {
		t.Errorf("pending timers %+v: want the auto-close at %v", pending, closeAt)
	}
	a.clock.Advance(10 * time.Minute) // exactly at the end of the window: still flapping
	if o := fire().Outcomes[0]; o.Action != desk.AlertReopened || o.TicketID != first.TicketID {
		t.Fatalf("at the window's end: %+v, want %d reopened", o, first.TicketID)
	}
	a.receive(t, alertNotice("wan", desk.AlertResolved, "", nil))
	a.clock.Advance(10*time.Minute + time.Second)
	o := fire().Outcomes[0]
	if o.Action != desk.AlertOpened || o.TicketID == first.TicketID {
		t.Fatalf("after the window: %+v, want a new incident", o)
	}
	// The old incident closes after the usual reopen window, not before.
	old, err := a.d.Ticket(a.admin, fmt.Sprint(first.TicketID))
	if err != nil {
		t.Fatal(err)
	}
	if old.State != desk.StateResolved || old.ReopenCount != 1 {
		t.Errorf("old incident %s %s reopened %d times", old.Number, old.State, old.ReopenCount)
	}
}

// TestReceiveAlerts_MappingRules: the first matching rule wins; the default
// applies otherwise; impact and urgency come from the severity unless the
// rule names them.
func TestReceiveAlerts_MappingRules(t *testing.T) {
	a := newAlertDesk(t, testdb.SQLite, nil)
	g3, err := a.d.CreateGroup(a.admin, desk.GroupInput{Name: "DBA", Line: desk.Line3})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := a.d.CreateService(a.admin, desk.ServiceInput{Name: "Billing"})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := a.d.CreateCategory(a.admin, desk.CategoryInput{Name: "Monitoring"})
	if err != nil {
		t.Fatal(err)
	}
	rules := []desk.AlertRule{
		{Name: "databases", Matchers: []desk.LabelMatcher{{Label: "service", Op: desk.MatchRegexp, Value: "postgres|mysql"},
			{Label: "env", Op: desk.MatchNotEqual, Value: "test"}},
			ServiceID: svc.ID, GroupID: g3.ID, Impact: desk.LevelHigh, Urgency: desk.LevelLow},
		{Name: "warnings", Severities: []string{"warning"}, Impact: desk.LevelLow, Urgency: desk.LevelLow},
		{Name: "never reached", Severities: []string{"warning"}, Impact: desk.LevelHigh},
	}
	def := desk.AlertRule{CategoryID: cat.ID}
	if _, err := a.d.UpdateIntegration(a.admin, a.ig.ID, desk.IntegrationPatch{Rules: &rules, Default: &def}); err != nil {
		t.Fatal(err)
	}
	rc := a.receive(t,
		alertNotice("db", desk.AlertFiring, "critical", map[string]string{"service": "postgres", "env": "prod"}),
		alertNotice("disk", desk.AlertFiring, "warning", map[string]string{"service": "postgres", "env": "test"}),
		alertNotice("other", desk.AlertFiring, "critical", nil))
	want := []struct {
		priority desk.Priority
		group    string
		service  string
		category string
	}{{desk.P3, "DBA", "Billing", ""}, {desk.P4, "Service Desk", "", ""}, {desk.P1, "Service Desk", "", "Monitoring"}}
	for i, o := range rc.Outcomes {
		tk, err := a.d.Ticket(a.admin, o.TicketNumber)
		if err != nil {
			t.Fatal(err)
		}
		w := want[i]
		if tk.Priority != w.priority || tk.Group.Name != w.group || refName(tk.Service) != w.service || refName(tk.Category) != w.category {
			t.Errorf("%s: %s in %s, service %q, category %q; want %+v", o.DedupKey, tk.Priority, tk.Group.Name,
				refName(tk.Service), refName(tk.Category), w)
		}
	}
}

func refName(r *desk.Ref) string {
	if r == nil {
		return ""
	}
	return r.Name
}

func TestIntegrations_Authorisation(t *testing.T) {
	a := newAlertDesk(t, testdb.SQLite, nil)
	agent, _, err := a.d.Bootstrap(context.Background(), desk.UserInput{Email: "agent@example.com", Name: "Al", Role: desk.RoleAgent}, false)
	if err != nil {
		t.Fatal(err)
	}
	as := desk.WithActor(context.Background(), agent)
	_, _, err = a.d.CreateIntegration(as, desk.IntegrationInput{Kind: desk.KindGeneric, Name: "x"})
	wantCode(t, err, desk.EFORBIDDEN)
	_, err = a.d.Integration(as, a.ig.ID)
	wantCode(t, err, desk.EFORBIDDEN)
	_, _, err = a.d.RotateIntegrationToken(as, a.ig.ID)
	wantCode(t, err, desk.EFORBIDDEN)
	wantCode(t, a.d.DeleteIntegration(as, a.ig.ID), desk.EFORBIDDEN)
	// An integration the desk did not authenticate is refused.
	_, err = a.d.ReceiveAlerts(context.Background(), a.ig, []desk.AlertNotice{alertNotice("k", desk.AlertFiring, "", nil)})
	wantCode(t, err, desk.EUNAUTHENTICATED)
	_, err = a.d.AuthenticateIntegration(context.Background(), "tdi_nope")
	wantCode(t, err, desk.EUNAUTHENTICATED)
}

// TestReceiveAlerts_NoMailToTheIntegration: an alert incident's requester
// is the integration's .invalid address; opening and auto-resolving the
// incident queues nothing for it (it would only sit in the outbox as a
// failure), while the rest of the notifications are unaffected.
func TestReceiveAlerts_NoMailToTheIntegration(t *testing.T) {
	st := desk.DefaultIntegrationSettings()
	st.Default.AutoResolve = true
	a := newAlertDesk(t, testdb.SQLite, &st)
	opened := a.receive(t, alertNotice("disk", desk.AlertFiring, "critical", nil)).Outcomes[0]
	a.clock.Advance(time.Minute)
	a.receive(t, alertNotice("disk", desk.AlertResolved, "", nil))
	tk, err := a.d.Ticket(a.admin, fmt.Sprint(opened.TicketID))
	if err != nil {
		t.Fatal(err)
	}
	if tk.State != desk.StateResolved {
		t.Fatalf("incident %s is %s, want resolved", tk.Number, tk.State)
	}
	msgs, err := a.store.Outbox(context.Background(), tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.UserID == tk.Requester.ID {
			t.Errorf("%s queued for the integration's address %s", m.Kind, tk.Requester.Email)
		}
	}
}
