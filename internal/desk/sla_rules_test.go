package desk_test

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// alwaysOpen is a calendar of every hour of every day, in UTC.
func alwaysOpen(t *testing.T) *desk.Calendar {
	t.Helper()
	var spec desk.CalendarSpec
	spec.Name, spec.Location = "always", time.UTC
	for d := time.Sunday; d <= time.Saturday; d++ {
		spec.Week[d] = []desk.WorkInterval{{Start: desk.HM(0, 0), End: desk.HM(24, 0)}}
	}
	cal, err := desk.NewCalendar(spec)
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

// TestEvaluateClock_NoTarget: a clock with no target (0) reports 0 % used,
// not the NaN or infinity of a division by zero, which the API's JSON
// cannot encode.
func TestEvaluateClock_NoTarget(t *testing.T) {
	cal := alwaysOpen(t)
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, now := range []time.Time{start, start.Add(time.Hour)} {
		c := desk.EvaluateClock(desk.ClockInput{Kind: desk.SLAResponse, Calendar: cal, Start: start, Now: now})
		if math.IsNaN(c.PercentUsed) || math.IsInf(c.PercentUsed, 0) || c.PercentUsed != 0 {
			t.Errorf("at %s: %v %% used of no target, want 0", now.Sub(start), c.PercentUsed)
		}
		if _, err := json.Marshal(c.PercentUsed); err != nil {
			t.Errorf("at %s: %v", now.Sub(start), err)
		}
	}
}

// TestEvaluateClock_StoppedExactlyAtTheTarget: a clock stopped exactly when
// its target ran out was met, not breached.
func TestEvaluateClock_StoppedExactlyAtTheTarget(t *testing.T) {
	cal := alwaysOpen(t)
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	stop := start.Add(15 * time.Minute)
	c := desk.EvaluateClock(desk.ClockInput{Kind: desk.SLAResponse, Calendar: cal, Target: 15 * time.Minute,
		Start: start, Stop: &stop, Now: stop.Add(time.Hour)})
	if c.State != desk.ClockMet {
		t.Errorf("stopped at 15 of 15 minutes: %s, want met", c.State)
	}
}

// TestEvaluateClock_PausedWhenTheTargetRanOut: a clock paused exactly when
// its target ran out keeps that moment as its deadline, not the end of the
// pause.
func TestEvaluateClock_PausedWhenTheTargetRanOut(t *testing.T) {
	cal := alwaysOpen(t)
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	out := start.Add(15 * time.Minute)
	c := desk.EvaluateClock(desk.ClockInput{Kind: desk.SLAResolution, Calendar: cal, Target: 15 * time.Minute,
		Start: start, Pauses: []desk.Interval{{From: out, To: start.Add(time.Hour)}}, Now: start.Add(2 * time.Hour)})
	if c.Deadline == nil || !c.Deadline.Equal(out) {
		t.Errorf("deadline %v, want %s, when the 15 minutes ran out", c.Deadline, out.Format("15:04"))
	}
}
