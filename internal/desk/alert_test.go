package desk_test

import (
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func alerts(key string, statuses ...string) desk.AlertNotice {
	n := desk.AlertNotice{DedupKey: key}
	for i, s := range statuses {
		n.Alerts = append(n.Alerts, desk.Alert{Fingerprint: string(rune('a' + i)), Status: desk.AlertStatus(s), Summary: "s"})
	}
	return n
}

// TestFoldAlert follows one key through FoldAlert alone: the group state a
// store would keep between notifications, and what each one asks for.
func TestFoldAlert(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	window := 10 * time.Minute
	if st := desk.FoldAlert(nil, alerts("k", "resolved"), window, now); st.Stored || st.Action != desk.AlertIgnored {
		t.Fatalf("a resolve of an unknown key: %+v", st)
	}
	st := desk.FoldAlert(nil, alerts("k", "firing", "firing"), window, now)
	if !st.Stored || st.Action != desk.AlertOpened || st.Group.Generation != 1 || st.Group.Received != 2 || st.Repeats != 0 {
		t.Fatalf("first: %+v", st)
	}
	g := st.Group
	// Still being opened (no ticket yet): repeats count, but there is no
	// timeline to write on.
	st = desk.FoldAlert(&g, alerts("k", "firing"), window, now)
	if st.Action != desk.AlertAttached || st.Repeats != 1 || st.RepeatEvent != nil {
		t.Fatalf("repeat before the incident exists: %+v", st)
	}
	g = st.Group
	g.TicketID, g.TicketState = 7, desk.StateNew
	st = desk.FoldAlert(&g, alerts("k", "firing", "firing"), window, now)
	if st.Repeats != 2 || st.RepeatEvent == nil || st.Group.Repeats != 3 || st.RepeatEvent.Changes[0].New != "3" {
		t.Fatalf("repeat on the incident: %+v", st)
	}
	g = st.Group
	// One of two resolves: nothing to tell yet; then the other.
	st = desk.FoldAlert(&g, alerts("k", "resolved"), window, now)
	if st.Action != desk.AlertAttached || st.Group.Status != desk.AlertFiring {
		t.Fatalf("one alert resolved: %+v", st)
	}
	g = st.Group
	st = desk.FoldAlert(&g, desk.AlertNotice{DedupKey: "k", Alerts: []desk.Alert{{Fingerprint: "b", Status: desk.AlertResolved}}}, window, now)
	if st.Action != desk.AlertCleared || st.Group.ResolvedAt == nil {
		t.Fatalf("all resolved: %+v", st)
	}
	g = st.Group
	// The incident was resolved; firing again within the window reopens
	// it, after the window opens the next generation.
	resolvedAt := now
	g.TicketState, g.TicketResolvedAt = desk.StateResolved, &resolvedAt
	if st = desk.FoldAlert(&g, alerts("k", "firing"), window, now.Add(window)); st.Action != desk.AlertReopened || st.Group.TicketID != 7 {
		t.Fatalf("within the window: %+v", st)
	}
	st = desk.FoldAlert(&g, alerts("k", "firing"), window, now.Add(window+time.Second))
	if st.Action != desk.AlertOpened || st.Group.Generation != 2 || st.Group.TicketID != 0 || st.Group.Received != 1 || st.Group.RepeatEventID != 0 {
		t.Fatalf("after the window: %+v", st)
	}
	// A closed incident never reopens.
	g.TicketState = desk.StateClosed
	if st = desk.FoldAlert(&g, alerts("k", "firing"), window, now); st.Action != desk.AlertOpened {
		t.Fatalf("after close: %+v", st)
	}
}

// TestFoldAlert_ResolvingRepeats: the notification that resolves a group
// (Alertmanager sends the whole group: the alert resolving now and the
// one resolved before, a repeat) counts its repeats on the timeline entry
// like any other.
func TestFoldAlert_ResolvingRepeats(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	st := desk.FoldAlert(nil, alerts("k", "firing", "firing"), time.Hour, now)
	g := st.Group
	g.TicketID, g.TicketState = 7, desk.StateNew
	st = desk.FoldAlert(&g, alerts("k", "resolved", "firing"), time.Hour, now)
	g = st.Group
	st = desk.FoldAlert(&g, alerts("k", "resolved", "resolved"), time.Hour, now)
	if st.Action != desk.AlertCleared || st.Repeats != 1 || st.Group.Repeats != 2 {
		t.Fatalf("resolving notice: %+v", st)
	}
	if st.RepeatEvent == nil || st.RepeatEvent.Changes[0].New != "2" || st.RepeatEvent.Changes[1].New != "6" {
		t.Fatalf("repeat entry after the resolving notice: %+v, want 2 repeats of 6 alerts", st.RepeatEvent)
	}
}

func TestRateWindow(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	start, count, ok := desk.RateWindow(time.Time{}, 0, 10, 4, t0)
	if !ok || !start.Equal(t0) || count != 4 {
		t.Fatalf("first: %v %d %v", start, count, ok)
	}
	if _, c, ok := desk.RateWindow(start, count, 10, 6, t0.Add(59*time.Second)); !ok || c != 10 {
		t.Fatalf("up to the limit: %d %v", c, ok)
	}
	if s, c, ok := desk.RateWindow(start, 10, 10, 1, t0.Add(59*time.Second)); ok || c != 10 || !s.Equal(start) {
		t.Fatalf("over the limit: %v %d %v", s, c, ok)
	}
	if s, c, ok := desk.RateWindow(start, 10, 10, 1, t0.Add(time.Minute)); !ok || c != 1 || !s.Equal(t0.Add(time.Minute)) {
		t.Fatalf("next minute: %v %d %v", s, c, ok)
	}
	if _, _, ok := desk.RateWindow(start, 1e6, 0, 1, t0); !ok {
		t.Fatal("no limit refused")
	}
}

func TestAlertRule_Matches(t *testing.T) {
	a := desk.Alert{Severity: "critical", Labels: map[string]string{"service": "postgres", "env": "prod"}}
	for _, tc := range []struct {
		rule desk.AlertRule
		want bool
	}{
		{desk.AlertRule{}, true},
		{desk.AlertRule{Severities: []string{"warning"}}, false},
		{desk.AlertRule{Severities: []string{"warning", "critical"}}, true},
		{desk.AlertRule{Matchers: []desk.LabelMatcher{{Label: "service", Op: "=", Value: "postgres"}}}, true},
		{desk.AlertRule{Matchers: []desk.LabelMatcher{{Label: "service", Op: "=~", Value: "post"}}}, false}, // anchored
		{desk.AlertRule{Matchers: []desk.LabelMatcher{{Label: "service", Op: "=~", Value: "post.*|mysql"}}}, true},
		{desk.AlertRule{Matchers: []desk.LabelMatcher{{Label: "env", Op: "!~", Value: "prod|stage"}}}, false},
		{desk.AlertRule{Matchers: []desk.LabelMatcher{{Label: "team", Op: "!=", Value: "dba"}}}, true}, // missing is ""
		{desk.AlertRule{Matchers: []desk.LabelMatcher{{Label: "team", Op: "=", Value: ""}}}, true},
		{desk.AlertRule{Matchers: []desk.LabelMatcher{{Label: "service", Op: "=", Value: "postgres"}, {Label: "env", Op: "=", Value: "test"}}}, false},
	} {
		if got := tc.rule.Matches(a); got != tc.want {
			t.Errorf("%+v matches = %v, want %v", tc.rule, got, tc.want)
		}
	}
}
