package metrics_test

import (
	"context"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/jobs"
	"github.com/tierdesk/tierdesk/internal/metrics"
	"github.com/tierdesk/tierdesk/internal/pager"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestMetrics_Pages pages line 3's on-call agent for a P1 incident and
// lets her acknowledge 90 seconds later: the pages started, acknowledged
// and active and the time to acknowledge come from the database.
func TestMetrics_Pages(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		clock := testdb.NewClock(start)
		store, _ := open(t, sqlstore.WithClock(clock))
		m := metrics.New(metrics.Sources{Ops: store, Clock: clock}, nil)
		d := desk.New(m.Store(store), clock, desk.Config{PublicURL: "https://desk.example.com", PageSecret: []byte("k")})
		r := jobs.New(store, d, clock, jobs.Config{}, nil)
		e := pager.NewEngine(store, d, clock, pager.Config{}, nil)
		l1 := agent(t, d)
		admin := desk.AsSystem(context.Background())
		core, err := d.CreateGroup(admin, desk.GroupInput{Name: "Core", Line: desk.Line3})
		must(t, err)
		ann, err := d.CreateUser(admin, desk.UserInput{Email: "ann@example.com", Name: "Ann", Role: desk.RoleAgent})
		must(t, err)
		must(t, d.SetGroupMember(admin, core.ID, ann.ID, true))
		ann, err = d.User(admin, ann.ID)
		must(t, err)
		must(t, d.PutEscalationPolicy(admin, &desk.EscalationPolicy{GroupID: core.ID, Name: "Core on-call", Active: true,
			Steps: []desk.EscalationStep{{UserIDs: []int64{ann.ID}, Delay: 30 * time.Minute}}}))
		tk, _, err := d.CreateTicket(l1, desk.NewTicket{Type: desk.TypeIncident, Title: "Core router down",
			Channel: desk.ChannelMonitoring, Requester: desk.PersonInput{Email: "mon@example.com"},
			Impact: desk.LevelHigh, Urgency: desk.LevelHigh, GroupID: core.ID}, "")
		must(t, err)
		for range 2 {
			_, err = r.RunDue(context.Background(), clock.Now())
			must(t, err)
			_, err = e.RunDue(context.Background(), clock.Now())
			must(t, err)
		}
		expect(t, m, "tierdesk_pages_started_total", "", 1)
		expect(t, m, "tierdesk_pages_active", "", 1)
		clock.Advance(90 * time.Second)
		_, err = d.AcknowledgePage(desk.WithActor(context.Background(), ann), tk.Number)
		must(t, err)
		expect(t, m, "tierdesk_pages_acknowledged_total", "", 1)
		expect(t, m, "tierdesk_pages_active", "", 0)
		h := histogram(t, m, "tierdesk_page_acknowledge_seconds")
		if h.GetSampleCount() != 1 || h.GetSampleSum() < 90 || h.GetSampleSum() > 91 {
			t.Errorf("time to acknowledge: %d pages, %v s in all; want 1 page, 90 s", h.GetSampleCount(), h.GetSampleSum())
		}
		for _, b := range h.GetBucket() {
			if want := b.GetUpperBound() >= 120; (b.GetCumulativeCount() == 1) != want {
				t.Errorf("bucket le=%v holds %d", b.GetUpperBound(), b.GetCumulativeCount())
			}
		}
	})
}
