package metrics_test

import (
	"context"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/jobs"
	"github.com/tierdesk/tierdesk/internal/metrics"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// TestMetrics_SLAAndOutbox lets an unanswered P1 incident run past its
// response and resolution targets under the job runner, then delivers and
// fails outbox messages, and reads the counters and the scrape-time
// figures as Prometheus would.
func TestMetrics_SLAAndOutbox(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		clock := testdb.NewClock(start)
		store, _ := open(t, sqlstore.WithClock(clock))
		m := metrics.New(metrics.Sources{Ops: store, Pools: store, Clock: clock}, nil)
		d := desk.New(m.Store(store), clock, desk.DefaultConfig)
		r := jobs.New(store, d, clock, jobs.Config{}, nil)
		l1 := agent(t, d)
		tk, _, err := d.CreateTicket(l1, desk.NewTicket{Type: desk.TypeIncident, Title: "Payments down",
			Channel: desk.ChannelPhone, Requester: desk.PersonInput{Email: "sam@example.com"},
			Impact: desk.LevelHigh, Urgency: desk.LevelHigh}, "")
		must(t, err)
		if tk.Priority != desk.P1 {
			t.Fatalf("priority %s, want P1", tk.Priority)
		}

		// The response target (15 min) passes unanswered; the runner sees
		// each threshold as it comes (75 % at 11¼ min, 90 %, 100 %).
		clock.Set(start.Add(12 * time.Minute))
		expect(t, m, "tierdesk_job_runner_lag_seconds", "", 45) // due at 11:15, unhandled
		expect(t, m, "tierdesk_timers_due", "", 1)
		for _, at := range []time.Duration{12, 14, 16} {
			clock.Set(start.Add(at * time.Minute))
			_, err = r.RunDue(context.Background(), clock.Now())
			must(t, err)
		}
		expect(t, m, "tierdesk_job_runner_lag_seconds", "", 0)
		expect(t, m, "tierdesk_timers_due", "", 0)
		expect(t, m, "tierdesk_sla_warnings_total", `clock="response",priority="P1"`, 2)
		expect(t, m, "tierdesk_sla_breaches_total", `clock="response",priority="P1"`, 1)

		clock.Set(start.Add(5 * time.Hour)) // resolution target 4 h passed: escalated
		_, err = r.RunDue(context.Background(), clock.Now())
		must(t, err)
		expect(t, m, "tierdesk_sla_breaches_total", `clock="resolution",priority="P1"`, 1)
		expect(t, m, "tierdesk_escalations_total", `kind="functional"`, 1)
		expect(t, m, "tierdesk_open_tickets", `line="2",priority="P1"`, 1)

		queued := value(t, m, "tierdesk_outbox_messages", `kind="sla_breached",state="queued"`)
		if queued < 2 {
			t.Fatalf("queued breach messages: %v, want at least 2", queued)
		}
		obs := m.Store(store)
		ds, err := obs.ClaimOutbox(context.Background(), clock.Now(), time.Minute, 500)
		must(t, err)
		var breaches []desk.Delivery
		for _, dl := range ds {
			if dl.Kind == desk.OutboxSLABreached {
				breaches = append(breaches, dl)
			}
		}
		must(t, obs.OutboxSent(context.Background(), breaches[0], "<m1@example.com>", clock.Now()))
		must(t, obs.OutboxRetry(context.Background(), breaches[1], "550 no such user", nil, clock.Now()))
		expect(t, m, "tierdesk_outbox_sent_total", `kind="sla_breached"`, 1)
		expect(t, m, "tierdesk_outbox_failed_total", `final="true",kind="sla_breached"`, 1)
		expect(t, m, "tierdesk_outbox_messages", `kind="sla_breached",state="failed"`, 1)
		if left, ok := lookup(t, m, "tierdesk_outbox_messages", `kind="sla_breached",state="queued"`); left != queued-2 || ok != (queued > 2) {
			t.Errorf("queued breach messages after two deliveries: %v (present %v), want %v", left, ok, queued-2)
		}
	})
}

func agent(t *testing.T, d *desk.Desk) context.Context {
	t.Helper()
	admin, _, err := d.Bootstrap(context.Background(), desk.UserInput{Email: "admin@example.com", Name: "Admin", Role: desk.RoleAdmin}, false)
	must(t, err)
	actx := desk.WithActor(context.Background(), admin)
	groups, err := d.Groups(actx)
	must(t, err)
	_, err = d.CreateGroup(actx, desk.GroupInput{Name: "Network", Line: desk.Line2})
	must(t, err)
	u, err := d.CreateUser(actx, desk.UserInput{Email: "lena@example.com", Name: "Lena", Role: desk.RoleAgent})
	must(t, err)
	must(t, d.SetGroupMember(actx, groups[0].ID, u.ID, true))
	u, err = d.User(actx, u.ID)
	must(t, err)
	return desk.WithActor(context.Background(), u)
}

// value reads one series that must be present (labels as Prometheus prints them, sorted) from
// the registry's text exposition.
func value(t *testing.T, m *metrics.Metrics, name, labels string) float64 {
	t.Helper()
	v, ok := lookup(t, m, name, labels)
	if !ok {
		t.Fatalf("no %s{%s} in the scrape", name, labels)
	}
	return v
}

// lookup reads one series; absent is false.
func lookup(t *testing.T, m *metrics.Metrics, name, labels string) (float64, bool) {
	t.Helper()
	families, err := m.Registry().Gather()
	must(t, err)
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, mt := range f.GetMetric() {
			var got []string
			for _, l := range mt.GetLabel() {
				got = append(got, l.GetName()+`="`+l.GetValue()+`"`)
			}
			if strings.Join(got, ",") != labels {
				continue
			}
			switch {
			case mt.Counter != nil:
				return mt.GetCounter().GetValue(), true
			case mt.Gauge != nil:
				return mt.GetGauge().GetValue(), true
			}
		}
	}
	return 0, false
}

// histogram reads one unlabelled histogram.
func histogram(t *testing.T, m *metrics.Metrics, name string) *dto.Histogram {
	t.Helper()
	families, err := m.Registry().Gather()
	must(t, err)
	for _, f := range families {
		if f.GetName() == name && len(f.GetMetric()) == 1 {
			return f.GetMetric()[0].GetHistogram()
		}
	}
	t.Fatalf("no histogram %s in the scrape", name)
	return nil
}

func expect(t *testing.T, m *metrics.Metrics, name, labels string, want float64) {
	t.Helper()
	if got := value(t, m, name, labels); got != want {
		t.Errorf("%s{%s} = %v, want %v", name, labels, got, want)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
