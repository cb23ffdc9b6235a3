package storetest

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func newIntegration(t *testing.T, s desk.Store, name string, token string) *desk.Integration {
	t.Helper()
	ig := &desk.Integration{Kind: desk.KindAlertmanager, Name: name, Settings: desk.DefaultIntegrationSettings(),
		CreatedAt: base, TokenRotatedAt: base}
	must(t, s.CreateIntegration(ctx(t), ig, desk.HashToken(token)))
	return ig
}

// diffIntegration compares integrations but not the mark of an
// authenticated one, which only the desk sets.
func diffIntegration(t *testing.T, what string, want, got *desk.Integration) {
	t.Helper()
	if d := cmp.Diff(want, got, append(cmpOpts, cmpopts.IgnoreUnexported(desk.Integration{}))...); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, d)
	}
}

func testIntegrations(t *testing.T, open Opener) {
	s := open(t)
	ig := newIntegration(t, s, "prod alertmanager", "tdi_one")
	if ig.ID == 0 {
		t.Fatal("CreateIntegration assigned no id")
	}
	wantField(t, "same name", s.CreateIntegration(ctx(t), &desk.Integration{Kind: desk.KindGeneric,
		Name: "prod alertmanager", CreatedAt: base, TokenRotatedAt: base}, desk.HashToken("tdi_two")), desk.EINVALID, "name")

	got, err := s.IntegrationByTokenHash(ctx(t), desk.HashToken("tdi_one"))
	must(t, err)
	diffIntegration(t, "by token", ig, got)
	_, err = s.IntegrationByTokenHash(ctx(t), desk.HashToken("tdi_other"))
	wantCode(t, "unknown token", err, desk.ENOTFOUND)

	ig.Name = "renamed"
	ig.Settings.Rules = []desk.AlertRule{{Name: "db", Matchers: []desk.LabelMatcher{{Label: "service", Op: "=~", Value: "postgres|mysql"}},
		Impact: desk.LevelHigh, AutoResolve: true}}
	ig.Settings.FlapWindow = 5 * time.Minute
	must(t, s.UpdateIntegration(ctx(t), ig))
	got, err = s.GetIntegration(ctx(t), ig.ID)
	must(t, err)
	diffIntegration(t, "updated", ig, got)

	rotated := base.Add(time.Hour)
	must(t, s.SetIntegrationToken(ctx(t), ig.ID, desk.HashToken("tdi_new"), rotated))
	_, err = s.IntegrationByTokenHash(ctx(t), desk.HashToken("tdi_one"))
	wantCode(t, "old token after rotation", err, desk.ENOTFOUND)
	got, err = s.IntegrationByTokenHash(ctx(t), desk.HashToken("tdi_new"))
	must(t, err)
	if !got.TokenRotatedAt.Equal(rotated) {
		t.Errorf("token rotated at %v, want %v", got.TokenRotatedAt, rotated)
	}

	other := newIntegration(t, s, "grafana", "tdi_g")
	list, err := s.ListIntegrations(ctx(t))
	must(t, err)
	if len(list) != 2 || list[0].ID != ig.ID || list[1].ID != other.ID {
		t.Errorf("ListIntegrations = %v, want both by id", list)
	}
	_, err = s.RecordAlerts(ctx(t), desk.AlertBatch{IntegrationID: other.ID, At: base,
		Notices: []desk.AlertNotice{firing("k", "a")}})
	must(t, err)
	must(t, s.DeleteIntegration(ctx(t), other.ID))
	_, err = s.GetIntegration(ctx(t), other.ID)
	wantCode(t, "deleted", err, desk.ENOTFOUND)
	wantCode(t, "delete again", s.DeleteIntegration(ctx(t), other.ID), desk.ENOTFOUND)
	wantCode(t, "rotate missing", s.SetIntegrationToken(ctx(t), other.ID, []byte("x"), base), desk.ENOTFOUND)
}

func firing(key, fingerprint string) desk.AlertNotice {
	return desk.AlertNotice{DedupKey: key, Alerts: []desk.Alert{{Fingerprint: fingerprint, Status: desk.AlertFiring,
		Summary: "Disk full", Labels: map[string]string{"alertname": "DiskFull"}}}}
}

func resolved(key, fingerprint string) desk.AlertNotice {
	n := firing(key, fingerprint)
	n.Alerts[0].Status = desk.AlertResolved
	return n
}

// testAlerts follows one dedup key through the store: opened, linked,
// repeated (one timeline entry rewritten in place), resolved; and the
// rate limit's overflow.
func testAlerts(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s := f.s
	ig := newIntegration(t, s, "am", "tdi_a")
	record := func(at time.Time, limit int, notices ...desk.AlertNotice) ([]desk.AlertStep, error) {
		return s.RecordAlerts(ctx(t), desk.AlertBatch{IntegrationID: ig.ID, At: at, RateLimit: limit,
			FlapWindow: time.Hour, Notices: notices})
	}
	steps, err := record(base, 0, firing("g1", "a"))
	must(t, err)
	if len(steps) != 1 || steps[0].Action != desk.AlertOpened || steps[0].Group.ID == 0 || steps[0].Group.Generation != 1 {
		t.Fatalf("first alert: %+v, want opened generation 1 with an id", steps)
	}
	g := steps[0].Group
	tk := f.create(t, f.ticket("Disk full", 0))
	must(t, s.LinkAlertIncident(ctx(t), g.ID, 1, tk.ID))
	must(t, s.LinkAlertIncident(ctx(t), g.ID, 1, tk.ID)) // linked already: counts nothing more

	for i := 1; i <= 3; i++ {
		steps, err = record(base.Add(time.Duration(i)*time.Second), 0, firing("g1", "a"))
		must(t, err)
		st := steps[0]
		if st.Action != desk.AlertAttached || st.Repeats != 1 || st.Group.TicketID != tk.ID || st.Group.TicketNumber != tk.Number {
			t.Fatalf("repeat %d: %+v", i, st)
		}
	}
	page, err := s.ListEvents(ctx(t), tk.ID, desk.EventFilter{})
	must(t, err)
	var repeats []*desk.Event
	for _, e := range page.Events {
		if e.Kind == desk.EventAlertRepeated {
			repeats = append(repeats, e)
		}
	}
	if len(repeats) != 1 {
		t.Fatalf("%d alert_repeated events after 3 repeats, want 1 rewritten in place", len(repeats))
	}
	diff(t, "repeat changes", []desk.Change{{Field: "alert_repeats", New: "3"}, {Field: "alerts_received", New: "4"}},
		repeats[0].Changes)

	steps, err = record(base.Add(time.Minute), 0, resolved("g1", "a"))
	must(t, err)
	if st := steps[0]; st.Action != desk.AlertCleared || st.Group.Status != desk.AlertResolved || st.Group.ResolvedAt == nil {
		t.Errorf("resolve: %+v, want cleared", st)
	}
	groups, err := s.AlertGroups(ctx(t), tk.ID)
	must(t, err)
	if len(groups) != 1 || groups[0].Received != 5 || groups[0].Repeats != 3 || groups[0].Members["a"] != desk.AlertResolved {
		t.Errorf("AlertGroups = %+v, want the one group: 5 received, 3 repeats, a resolved", groups)
	}

	// A resolve of a key never seen stores nothing.
	steps, err = record(base.Add(time.Minute), 0, resolved("unknown", "x"))
	must(t, err)
	if steps[0].Action != desk.AlertIgnored || steps[0].Stored {
		t.Errorf("resolve of unknown key: %+v", steps[0])
	}

	// Two alerts in a minute allowed. A notification larger than that is
	// taken whole in an empty window (refused, it would be refused for
	// ever), and fills it: one more overflows, nothing stored.
	later := base.Add(time.Hour)
	_, err = record(later, 2, firing("g2", "b"), firing("g2", "c"), firing("g3", "d"))
	must(t, err)
	_, err = record(later.Add(time.Second), 2, firing("g2", "b"))
	wantCode(t, "window full", err, desk.ELIMIT)
	_, err = record(later.Add(time.Minute), 2, firing("g2", "b"), firing("g2", "c")) // the next window
	must(t, err)
	_, err = record(later.Add(time.Second+time.Minute), 2, firing("g2", "b"))
	wantCode(t, "window full again", err, desk.ELIMIT)

	got, err := s.GetIntegration(ctx(t), ig.ID)
	must(t, err)
	last := later.Add(time.Second + time.Minute)
	diff(t, "counters", desk.IntegrationStats{AlertsReceived: 13, AlertsDeduplicated: 5, AlertsOverflow: 2,
		IncidentsOpened: 1, LastAlertAt: &last}, got.Stats)

	// A group of several alerts keeps the labels of those firing, and its
	// incident one table entry, rewritten as they resolve.
	two := desk.AlertNotice{DedupKey: "g4", Alerts: []desk.Alert{
		{Fingerprint: "x", Status: desk.AlertFiring, Labels: map[string]string{"instance": "db1"}},
		{Fingerprint: "y", Status: desk.AlertFiring, Labels: map[string]string{"instance": "db2"}}}}
	at := later.Add(time.Hour)
	steps, err = record(at, 0, two)
	must(t, err)
	tk4 := f.create(t, f.ticket("Databases down", 0))
	must(t, s.LinkAlertIncident(ctx(t), steps[0].Group.ID, 1, tk4.ID))
	two.Alerts[0].Status = desk.AlertResolved
	steps, err = record(at.Add(time.Second), 0, two)
	must(t, err)
	two.Alerts[1].Labels = map[string]string{"instance": "db2", "role": "replica"}
	steps, err = record(at.Add(2*time.Second), 0, two)
	must(t, err)
	groups, err = s.AlertGroups(ctx(t), tk4.ID)
	must(t, err)
	if len(groups) != 1 || groups[0].SummaryEventID == 0 || groups[0].SummaryEventID != steps[0].Group.SummaryEventID {
		t.Fatalf("AlertGroups = %+v, want the group with its table entry", groups)
	}
	diff(t, "labels of the firing alerts", map[string]map[string]string{"y": {"instance": "db2", "role": "replica"}}, groups[0].Labels)
	page, err = s.ListEvents(ctx(t), tk4.ID, desk.EventFilter{})
	must(t, err)
	var tables []*desk.Event
	for _, e := range page.Events {
		if e.Kind == desk.EventAlertFiring {
			tables = append(tables, e)
		}
	}
	if len(tables) != 1 || !strings.Contains(tables[0].Body, "1 of 2 alerts firing") {
		t.Errorf("alert_firing entries %+v, want one saying 1 of 2 alerts firing", tables)
	}
}

// testAlertsConcurrent posts notifications of five keys from eight
// goroutines: exactly one group per key, every alert counted once.
func testAlertsConcurrent(t *testing.T, open Opener) {
	s := open(t)
	ig := newIntegration(t, s, "storm", "tdi_s")
	const workers, each, keys = 8, 25, 5
	var wg sync.WaitGroup
	var mu sync.Mutex
	opened := map[string]int{}
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				key := fmt.Sprintf("key-%d", (w+i)%keys)
				steps, err := s.RecordAlerts(ctx(t), desk.AlertBatch{IntegrationID: ig.ID, At: base,
					Notices: []desk.AlertNotice{firing(key, "fp")}})
				if err != nil {
					errs <- err
					return
				}
				if steps[0].Action == desk.AlertOpened {
					mu.Lock()
					opened[key]++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(opened) != keys {
		t.Errorf("keys opened: %v, want each of %d once", opened, keys)
	}
	for k, n := range opened {
		if n != 1 {
			t.Errorf("key %s opened %d times", k, n)
		}
	}
	got, err := s.GetIntegration(ctx(t), ig.ID)
	must(t, err)
	if got.Stats.AlertsReceived != workers*each || got.Stats.AlertsDeduplicated != workers*each-keys {
		t.Errorf("counters %+v, want %d received, %d deduplicated", got.Stats, workers*each, workers*each-keys)
	}
}
