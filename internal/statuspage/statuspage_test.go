package statuspage

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

var now = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

// TestHistory counts a major outage fully and a partial one at 30 %, day by
// day, from the recorded changes, and leaves days before the component
// existed out.
func TestHistory(t *testing.T) {
	created := now.AddDate(0, 0, -10)
	changes := []Change{
		{At: now.Add(-3 * time.Hour), Status: Operational},    // recorded out of order
		{At: now.Add(-6 * time.Hour), Status: MajorOutage},    // 06:00–09:00 down
		{At: now.Add(-26 * time.Hour), Status: PartialOutage}, // yesterday 10:00 → today 06:00
		{At: created, Status: Operational},
	}
	days, pct := History(created, changes, now)
	if len(days) != UptimeDays {
		t.Fatalf("%d days", len(days))
	}
	today, yesterday := days[UptimeDays-1], days[UptimeDays-2]
	if today.Worst != MajorOutage || yesterday.Worst != PartialOutage {
		t.Errorf("worst today %s, yesterday %s", today.Worst, yesterday.Worst)
	}
	// Today: 12 h so far; 6 h partial (1.8 h down) + 3 h major = 4.8 h down.
	if want := 1 - 4.8/12; math.Abs(today.Uptime-want) > 1e-9 {
		t.Errorf("today %.4f, want %.4f", today.Uptime, want)
	}
	// Yesterday: 14 h partial = 4.2 h down of 24.
	if want := 1 - 4.2/24; math.Abs(yesterday.Uptime-want) > 1e-9 {
		t.Errorf("yesterday %.4f, want %.4f", yesterday.Uptime, want)
	}
	if days[0].Known || !days[UptimeDays-10].Known {
		t.Errorf("known days: first %v, creation day %v", days[0].Known, days[UptimeDays-10].Known)
	}
	total := 10 * 24.0 // from created (12:00 ten days ago) to now
	if want := (total - 4.8 - 4.2) * 100 / total; math.Abs(pct-want) > 1e-6 {
		t.Errorf("uptime %.4f %%, want %.4f", pct, want)
	}
}

// TestIndicator takes the worst of components and open incidents.
func TestIndicator(t *testing.T) {
	for _, tc := range []struct {
		comps []ComponentStatus
		inc   []Incident
		want  Impact
	}{
		{[]ComponentStatus{Operational, UnderMaintenance}, nil, ImpactNone},
		{[]ComponentStatus{DegradedPerformance}, nil, ImpactMinor},
		{[]ComponentStatus{PartialOutage, DegradedPerformance}, nil, ImpactMajor},
		{[]ComponentStatus{MajorOutage}, nil, ImpactCritical},
		{nil, []Incident{{Status: Investigating, Impact: ImpactMajor}}, ImpactMajor},
		{nil, []Incident{{Status: Resolved, Impact: ImpactCritical}}, ImpactNone},
	} {
		var comps []Component
		for _, s := range tc.comps {
			comps = append(comps, Component{Status: s})
		}
		if got := Indicator(comps, tc.inc); got != tc.want {
			t.Errorf("%v %v: %s, want %s", tc.comps, tc.inc, got, tc.want)
		}
	}
}

// TestSource refuses restricted and security tickets.
func TestSource(t *testing.T) {
	for _, tc := range []struct {
		t  desk.Ticket
		ok bool
	}{
		{desk.Ticket{Type: desk.TypeIncident}, true},
		{desk.Ticket{Type: desk.TypeIncident, Restricted: true}, false},
		{desk.Ticket{Type: "security"}, false},
		{desk.Ticket{Type: desk.TypeIncident, Security: true}, false}, // the flag alone (issue 14)
	} {
		src, err := NewSource(Publishable{MajorID: 7, Parent: &tc.t})
		if (err == nil) != tc.ok || (tc.ok && src.MajorID() != 7) {
			t.Errorf("%+v: %v", tc.t, err)
		}
	}
	if _, err := NewSource(Publishable{MajorID: 7, Parent: &desk.Ticket{}, Restricted: true}); err == nil {
		t.Error("a source said restricted is published")
	}
}

// TestSubscriberWants and TestCheckAddress.
func TestSubscriberWants(t *testing.T) {
	at := now
	s := Subscriber{ConfirmedAt: &at, ComponentIDs: []int64{2}}
	if !s.Wants([]int64{1, 2}) || s.Wants([]int64{3}) || !s.Wants(nil) {
		t.Error("component filter")
	}
	s.ConfirmedAt = nil
	if s.Wants(nil) {
		t.Error("an unconfirmed subscriber wants notices")
	}
	for in, ok := range map[string]bool{"a@example.com": true, "A@Example.COM": true, "a@b": false, "x": false, "a b@example.com": false, "<a@example.com>": false} {
		got, err := CheckAddress(in)
		if (err == nil) != ok || (ok && got != strings.ToLower(in)) {
			t.Errorf("%q: %q %v", in, got, err)
		}
	}
}

// TestSummaryShape renders the Statuspage documents: groups as components
// with their members, deleted components gone from incidents.
func TestSummaryShape(t *testing.T) {
	st := &State{Page: Page{ID: "p", Name: "Example", URL: "https://x/status"}, Now: now,
		Components: []Component{{ID: 1, Name: "Mail", Group: "Communication", Status: MajorOutage, CreatedAt: now}, {ID: 2, Name: "Web", Status: Operational, CreatedAt: now}},
		Incidents:  []Incident{{ID: 5, Name: "Mail down", Status: Identified, Impact: ImpactCritical, ComponentIDs: []int64{1, 99}, Updates: []IncidentUpdate{{ID: 8, Status: Identified, Body: "Found", At: now}}}}}
	s := string(st.Summary())
	for _, want := range []string{`"indicator":"critical"`, `"group":true`, `"components":["c1"]`, `"incident_updates":[{"id":"u8"`, `"affected_components":[{"code":"c1"`} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %s:\n%s", want, s)
		}
	}
	if strings.Contains(s, "c99") {
		t.Error("a deleted component is named")
	}
	if a := string(st.Atom()); !strings.Contains(a, "<title>Mail down</title>") || !strings.Contains(a, "Found") {
		t.Errorf("atom:\n%s", a)
	}
}
