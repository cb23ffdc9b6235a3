package desk

import (
	"testing"
	"time"
)

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

func tp(s string) *time.Time { t := utc(s); return &t }

// officeHours is Monday to Friday 09:00-18:00 UTC.
func officeHours(t *testing.T) *Calendar {
	t.Helper()
	var spec CalendarSpec
	spec.Name, spec.Location = "office", time.UTC
	for d := time.Monday; d <= time.Friday; d++ {
		spec.Week[d] = []WorkInterval{{Start: HM(9, 0), End: HM(18, 0)}}
	}
	c, err := NewCalendar(spec)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestEvaluateClock(t *testing.T) {
	office := officeHours(t)
	// 2026-03-06 is a Friday.
	tests := []struct {
		name string
		in   ClockInput
		want SLAClock
	}{
		{
			name: "RunningOn24x7",
			in:   ClockInput{Calendar: Calendar24x7, Target: 4 * time.Hour, Start: utc("2026-03-06 10:00"), Now: utc("2026-03-06 13:00")},
			want: SLAClock{Target: 4 * time.Hour, Deadline: tp("2026-03-06 14:00"), Elapsed: 3 * time.Hour, Remaining: time.Hour,
				State: ClockRunning, PercentUsed: 75},
		},
		{
			name: "FridayEveningOverTheWeekend",
			in:   ClockInput{Calendar: office, Target: 3 * time.Hour, Start: utc("2026-03-06 19:00"), Now: utc("2026-03-09 10:00")},
			want: SLAClock{Target: 3 * time.Hour, Deadline: tp("2026-03-09 12:00"), Elapsed: time.Hour, Remaining: 2 * time.Hour,
				State: ClockRunning, PercentUsed: 100.0 / 3},
		},
		{
			name: "MetBeforeTheTarget",
			in: ClockInput{Calendar: office, Target: time.Hour, Start: utc("2026-03-06 09:00"), Stop: tp("2026-03-06 09:30"),
				Now: utc("2026-03-06 17:00")},
			want: SLAClock{Target: time.Hour, Elapsed: 30 * time.Minute, Remaining: 30 * time.Minute, State: ClockMet, PercentUsed: 50},
		},
		{
			name: "StoppedLateIsBreached",
			in: ClockInput{Calendar: office, Target: time.Hour, Start: utc("2026-03-06 09:00"), Stop: tp("2026-03-06 11:00"),
				Now: utc("2026-03-06 17:00")},
			want: SLAClock{Target: time.Hour, Deadline: tp("2026-03-06 10:00"), Elapsed: 2 * time.Hour, Remaining: -time.Hour,
				State: ClockBreached, PercentUsed: 200},
		},
		{
			name: "BreachedWhileRunning",
			in:   ClockInput{Calendar: Calendar24x7, Target: 15 * time.Minute, Start: utc("2026-03-06 02:00"), Now: utc("2026-03-06 02:20")},
			want: SLAClock{Target: 15 * time.Minute, Deadline: tp("2026-03-06 02:15"), Elapsed: 20 * time.Minute,
				Remaining: -5 * time.Minute, State: ClockBreached, PercentUsed: 400.0 / 3},
		},
		{
			name: "PausedHasNoDeadline",
			in: ClockInput{Calendar: office, Target: 8 * time.Hour, Start: utc("2026-03-06 09:00"),
				Pauses: []Interval{{From: utc("2026-03-06 11:00")}}, Now: utc("2026-03-09 15:00")},
			want: SLAClock{Target: 8 * time.Hour, Elapsed: 2 * time.Hour, Remaining: 6 * time.Hour, PausedFor: 13 * time.Hour,
				State: ClockPaused, PercentUsed: 25},
		},
		{
			name: "ResumedAfterAPause",
			in: ClockInput{Calendar: office, Target: 8 * time.Hour, Start: utc("2026-03-06 09:00"),
				Pauses: []Interval{{From: utc("2026-03-06 11:00"), To: utc("2026-03-09 14:00")}}, Now: utc("2026-03-09 15:00")},
			want: SLAClock{Target: 8 * time.Hour, Deadline: tp("2026-03-10 11:00"), Elapsed: 3 * time.Hour, Remaining: 5 * time.Hour,
				PausedFor: 12 * time.Hour, State: ClockRunning, PercentUsed: 37.5},
		},
		{
			name: "BreachBeforeAPauseStaysABreach",
			in: ClockInput{Calendar: Calendar24x7, Target: time.Hour, Start: utc("2026-03-06 09:00"),
				Pauses: []Interval{{From: utc("2026-03-06 11:00")}}, Now: utc("2026-03-06 12:00")},
			want: SLAClock{Target: time.Hour, Deadline: tp("2026-03-06 10:00"), Elapsed: 2 * time.Hour, Remaining: -time.Hour,
				PausedFor: time.Hour, State: ClockBreached, PercentUsed: 200},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := EvaluateClock(tt.in)
			checkClock(t, got, tt.want)
		})
	}
}

func checkClock(t *testing.T, got, want SLAClock) {
	t.Helper()
	same := func(a, b *time.Time) bool { return (a == nil) == (b == nil) && (a == nil || a.Equal(*b)) }
	if got.Target != want.Target || got.Elapsed != want.Elapsed || got.Remaining != want.Remaining ||
		got.PausedFor != want.PausedFor || got.State != want.State || !same(got.Deadline, want.Deadline) ||
		got.PercentUsed-want.PercentUsed > 1e-9 || want.PercentUsed-got.PercentUsed > 1e-9 {
		t.Fatalf("got  %+v (deadline %v)\nwant %+v (deadline %v)", got, got.Deadline, want, want.Deadline)
	}
}

// TestEvaluateClock_PriorityChangeKeepsPausedTime is the bug that GLPI users
// report: after a priority change the time a ticket waited for the requester
// is counted again. Here the elapsed working time is recomputed from the
// history, so the new, shorter target applies to the time actually worked.
func TestEvaluateClock_PriorityChangeKeepsPausedTime(t *testing.T) {
	office := officeHours(t)
	events := []*Event{
		{At: utc("2026-03-02 09:00"), Changes: []Change{{Field: "state", New: "new"}}},
		{At: utc("2026-03-02 10:00"), Changes: []Change{{Field: "state", Old: "new", New: "assigned"}}},
		{At: utc("2026-03-02 11:00"), Changes: []Change{{Field: "state", Old: "assigned", New: "in_progress"}}},
		{At: utc("2026-03-02 12:00"), Changes: []Change{{Field: "state", Old: "in_progress", New: "on_hold"},
			{Field: "hold_reason", New: "awaiting_requester"}}},
		// The requester answers two business days later.
		{At: utc("2026-03-04 12:00"), Changes: []Change{{Field: "state", Old: "on_hold", New: "in_progress"},
			{Field: "hold_reason", Old: "awaiting_requester"}}},
		// Priority goes from P3 (24 h) to P2 (8 h) an hour later.
		{At: utc("2026-03-04 13:00"), Changes: []Change{{Field: "priority", Old: "P3", New: "P2"}}},
	}
	pauses := ResolutionPauses(events, []HoldReason{HoldAwaitingRequester})
	if len(pauses) != 1 || !pauses[0].From.Equal(utc("2026-03-02 12:00")) || !pauses[0].To.Equal(utc("2026-03-04 12:00")) {
		t.Fatalf("pauses = %+v", pauses)
	}
	now := utc("2026-03-04 14:00")
	before := EvaluateClock(ClockInput{Calendar: office, Target: 24 * time.Hour, Start: utc("2026-03-02 09:00"), Pauses: pauses, Now: now})
	after := EvaluateClock(ClockInput{Calendar: office, Target: 8 * time.Hour, Start: utc("2026-03-02 09:00"), Pauses: pauses, Now: now})
	// Worked: 09:00-12:00 on Monday, 12:00-14:00 on Wednesday = 5 h; 18 h paused.
	if before.Elapsed != 5*time.Hour || after.Elapsed != 5*time.Hour || after.PausedFor != 18*time.Hour {
		t.Fatalf("elapsed %v / %v, paused %v; want 5h, 5h, 18h", before.Elapsed, after.Elapsed, after.PausedFor)
	}
	if after.State != ClockRunning || after.Remaining != 3*time.Hour || !after.Deadline.Equal(utc("2026-03-04 17:00")) {
		t.Fatalf("after the priority change: %+v deadline %v", after, after.Deadline)
	}
}

func TestResolutionPauses(t *testing.T) {
	ev := func(at string, ch ...Change) *Event { return &Event{At: utc(at), Changes: ch} }
	st := func(old, new string) Change { return Change{Field: "state", Old: old, New: new} }
	events := []*Event{
		ev("2026-03-02 09:00", st("", "new")),
		ev("2026-03-02 09:10", st("new", "assigned")),
		ev("2026-03-02 09:20", st("assigned", "in_progress")),
		// Waiting for a vendor does not pause when only awaiting_requester does.
		ev("2026-03-02 10:00", st("in_progress", "on_hold"), Change{Field: "hold_reason", New: "awaiting_vendor"}),
		ev("2026-03-02 11:00", st("on_hold", "in_progress"), Change{Field: "hold_reason", Old: "awaiting_vendor"}),
		ev("2026-03-02 12:00", st("in_progress", "resolved")),
		ev("2026-03-03 08:00", st("resolved", "in_progress")), // reopened
		ev("2026-03-03 09:00", Change{Field: "title", Old: "a", New: "b"}),
		ev("2026-03-03 10:00", st("in_progress", "resolved")),
		ev("2026-03-03 11:00", st("resolved", "closed")),
	}
	got := ResolutionPauses(events, []HoldReason{HoldAwaitingRequester})
	want := []Interval{{From: utc("2026-03-02 12:00"), To: utc("2026-03-03 08:00")}, {From: utc("2026-03-03 10:00")}}
	if len(got) != len(want) {
		t.Fatalf("pauses = %+v, want %+v", got, want)
	}
	for i := range want {
		if !got[i].From.Equal(want[i].From) || !got[i].To.Equal(want[i].To) {
			t.Fatalf("pause %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	withVendor := ResolutionPauses(events, []HoldReason{HoldAwaitingRequester, HoldAwaitingVendor})
	if len(withVendor) != 3 || !withVendor[0].From.Equal(utc("2026-03-02 10:00")) {
		t.Fatalf("with vendor pausing: %+v", withVendor)
	}
}

func TestRunningSpans(t *testing.T) {
	stop := utc("2026-03-02 15:00")
	got := runningSpans(utc("2026-03-02 09:00"), &stop, []Interval{
		{From: utc("2026-03-01 00:00"), To: utc("2026-03-02 08:00")}, // before the start
		{From: utc("2026-03-02 10:00"), To: utc("2026-03-02 11:00")},
		{From: utc("2026-03-02 16:00")}, // after the stop
	})
	want := []Interval{{utc("2026-03-02 09:00"), utc("2026-03-02 10:00")}, {utc("2026-03-02 11:00"), stop}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("spans = %+v, want %+v", got, want)
	}
}
