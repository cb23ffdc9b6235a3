package desk

import (
	"slices"
	"time"
)

// SLAKind names one of a ticket's turnaround clocks.
type SLAKind string

const (
	// SLAResponse runs from registration to the first response; it never
	// pauses.
	SLAResponse SLAKind = "response"
	// SLAResolution runs from registration to resolution, paused while the
	// ticket waits on hold for a pausing reason and while it is resolved.
	SLAResolution SLAKind = "resolution"
	// SLANextUpdate runs from the last public update by staff; it bounds how
	// long a requester may go without news.
	SLANextUpdate SLAKind = "next_update"
)

// ClockState is where a clock stands.
type ClockState string

const (
	ClockRunning  ClockState = "running"
	ClockPaused   ClockState = "paused"
	ClockMet      ClockState = "met"
	ClockBreached ClockState = "breached"
)

// Interval is a span of time [From, To); a zero To is open-ended.
type Interval struct {
	From time.Time
	To   time.Time
}

// SLAClock is one clock as a person reads it. Times are working time on the
// policy's calendar.
type SLAClock struct {
	Kind      SLAKind
	Target    time.Duration
	Deadline  *time.Time // when it breaches (or breached); nil while paused with time left, or met
	Elapsed   time.Duration
	Remaining time.Duration // negative once breached: how late it is
	PausedFor time.Duration // working time excluded by pauses so far
	State     ClockState
	// PercentUsed is Elapsed / Target in percent (over 100 once breached).
	PercentUsed float64
}

// ClockInput is everything a clock's value depends on. Elapsed time is
// recomputed from the start, the pauses and the stop every time, never
// carried from an earlier target: so a change of priority or policy applies
// its new target to all the working time elapsed so far, and time spent
// paused stays excluded.
type ClockInput struct {
	Kind     SLAKind
	Calendar *Calendar
	Target   time.Duration
	Start    time.Time
	Stop     *time.Time // when the clock stopped for good (first response, resolution)
	Pauses   []Interval // sorted, non-overlapping; an open one pauses until further notice
	Now      time.Time
}

// EvaluateClock computes a clock at in.Now.
func EvaluateClock(in ClockInput) SLAClock {
	end := in.Now
	if in.Stop != nil && in.Stop.Before(end) {
		end = *in.Stop
	}
	runs := runningSpans(in.Start, in.Stop, in.Pauses)
	var elapsed time.Duration
	for _, r := range runs {
		elapsed += in.Calendar.WorkingTime(r.From, clip(r.To, end))
	}
	c := SLAClock{
		Kind: in.Kind, Target: in.Target, Elapsed: elapsed, Remaining: in.Target - elapsed,
		PausedFor: in.Calendar.WorkingTime(in.Start, end) - elapsed,
		Deadline:  deadline(in.Calendar, runs, in.Target),
	}
	if in.Target > 0 {
		c.PercentUsed = float64(elapsed) * 100 / float64(in.Target)
	}
	switch {
	case in.Stop != nil && !in.Stop.After(in.Now):
		c.State = ClockMet
		if elapsed > in.Target {
			c.State = ClockBreached
		} else {
			c.Deadline = nil
		}
	case c.Deadline != nil && !in.Now.Before(*c.Deadline):
		c.State = ClockBreached
	case pausedAt(in.Pauses, in.Now):
		c.State = ClockPaused
	default:
		c.State = ClockRunning
	}
	return c
}

// clip returns to, or end when to is open or later than end.
func clip(to, end time.Time) time.Time {
	if to.IsZero() || to.After(end) {
		return end
	}
	return to
}

// runningSpans is [start, stop) minus the pauses; the last span is open
// (zero To) when neither a stop nor an open pause ends it.
func runningSpans(start time.Time, stop *time.Time, pauses []Interval) []Interval {
	var out []Interval
	from := start
	for _, p := range pauses {
		if !p.To.IsZero() && !p.To.After(from) {
			continue
		}
		if stop != nil && !p.From.Before(*stop) {
			break
		}
		if p.From.After(from) {
			out = append(out, Interval{From: from, To: p.From})
		}
		if p.To.IsZero() {
			return out
		}
		from = p.To
	}
	last := Interval{From: from}
	if stop != nil {
		if !stop.After(from) {
			return out
		}
		last.To = *stop
	}
	return append(out, last)
}

// deadline is the instant at which the running spans accumulate target of
// working time, or nil when they end before that.
func deadline(cal *Calendar, runs []Interval, target time.Duration) *time.Time {
	left := target
	for _, r := range runs {
		if r.To.IsZero() {
			d := cal.Add(r.From, left)
			return &d
		}
		w := cal.WorkingTime(r.From, r.To)
		if w >= left {
			d := cal.Add(r.From, left)
			return &d
		}
		left -= w
	}
	return nil
}

func pausedAt(pauses []Interval, t time.Time) bool {
	for _, p := range pauses {
		if !t.Before(p.From) && (p.To.IsZero() || t.Before(p.To)) {
			return true
		}
	}
	return false
}

// ResolutionPauses replays a ticket's history (oldest first) and returns the
// spans in which its resolution clock stands still: on hold for one of the
// pausing reasons, and resolved (a reopen resumes the clock where it stood).
func ResolutionPauses(events []*Event, pauseOn []HoldReason) []Interval {
	var (
		out    []Interval
		state  State
		reason HoldReason
		open   *Interval
	)
	for _, e := range events {
		for _, ch := range e.Changes {
			switch ch.Field {
			case "state":
				state = State(ch.New)
			case "hold_reason":
				reason = HoldReason(ch.New)
			}
		}
		if state != StateOnHold {
			reason = ""
		}
		paused := state == StateResolved || state.IsFinal() ||
			(state == StateOnHold && slices.Contains(pauseOn, reason))
		switch {
		case paused && open == nil:
			open = &Interval{From: e.At}
		case !paused && open != nil:
			open.To = e.At
			out = append(out, *open)
			open = nil
		}
	}
	if open != nil {
		out = append(out, *open)
	}
	return out
}
