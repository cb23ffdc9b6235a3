package desk_test

import (
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func TestAggregateDashboard(t *testing.T) {
	var d desk.Dashboard
	from := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	desk.AggregateDashboard(&d, &desk.DashboardCounts{
		Open: []desk.OpenCount{
			{State: desk.StateNew, Priority: desk.P1, Line: desk.Line1, N: 5, Unassigned: 5},
			{State: desk.StateInProgress, Priority: desk.P3, Line: desk.Line2, N: 5},
			{State: desk.StateOnHold, Priority: desk.P3, Line: desk.Line3, N: 1},
		},
		Breached: map[desk.Line]int{desk.Line1: 2, desk.Line3: 1},
		Ages:     []int{5, 0, 1, 0, 5},
		Outcomes: []desk.OutcomeCount{{From: from, Tickets: 10, ResponseMet: 6, ResponseMissed: 2, ResolutionMet: 1}},
	}, []desk.RatingCount{{From: from, Ratings: 4, ScoreSum: 14}})
	want := desk.Dashboard{
		OpenByPriority: []desk.Count{{Key: "P1", N: 5}, {Key: "P2", N: 0}, {Key: "P3", N: 6}, {Key: "P4", N: 0}},
		OpenByState:    []desk.Count{{Key: "new", N: 5}, {Key: "assigned", N: 0}, {Key: "in_progress", N: 5}, {Key: "on_hold", N: 1}},
		Backlog:        []desk.Count{{Key: "lt_1d", N: 5}, {Key: "1d_3d", N: 0}, {Key: "3d_7d", N: 1}, {Key: "7d_30d", N: 0}, {Key: "gt_30d", N: 5}},
		Lines: []desk.LineLoad{{Line: desk.Line1, Open: 5, Unassigned: 5, Breached: 2}, {Line: desk.Line2, Open: 5},
			{Line: desk.Line3, Open: 1, Breached: 1}},
		Attainment: []desk.Attainment{{Period: "today", From: from, Tickets: 10,
			Response: desk.SLAStats{Met: 6, Missed: 2, Pending: 2}, Resolution: desk.SLAStats{Met: 1, Pending: 9}}},
		Satisfaction: []desk.Satisfaction{{Period: "today", From: from, Ratings: 4, Sum: 14}},
	}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("dashboard (-want +got):\n%s", diff)
	}
	if a := d.Satisfaction[0].Average(); a == nil || *a != 3.5 {
		t.Errorf("average %v, want 3.5", a)
	}
	if a := (desk.Satisfaction{}).Average(); a != nil {
		t.Errorf("average of nothing = %v, want none", *a)
	}
}

func TestPeriodStarts(t *testing.T) {
	moscow, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no time-zone database under CI: %v", err)
		}
		t.Skip("no time-zone database (install tzdata):", err)
	}
	now := time.Date(2026, 3, 2, 22, 30, 0, 0, time.UTC) // 01:30 on 3 March in Moscow
	got := desk.PeriodStarts(now, moscow)
	want := []time.Time{time.Date(2026, 3, 2, 21, 0, 0, 0, time.UTC), now.Add(-7 * 24 * time.Hour), now.Add(-30 * 24 * time.Hour)}
	for i := range want {
		if !got[i].Equal(want[i]) {
			t.Errorf("period %d starts %v, want %v", i, got[i], want[i])
		}
	}
	if utc := desk.PeriodStarts(now, nil); !utc[0].Equal(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("today in UTC starts %v", utc[0])
	}
}
