package api

import (
	"math"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// slaJSON is a ticket's turnaround promise and where each clock stands;
// durations are whole seconds of working time on the policy's calendar.
type slaJSON struct {
	Policy   *desk.Ref      `json:"policy"`
	Calendar *string        `json:"calendar"`
	Clocks   []slaClockJSON `json:"clocks"`
}

type slaClockJSON struct {
	Kind        desk.SLAKind    `json:"kind"`
	State       desk.ClockState `json:"state"`
	Target      int64           `json:"target_seconds"`
	Elapsed     int64           `json:"elapsed_seconds"`
	Remaining   int64           `json:"remaining_seconds"`
	PausedFor   int64           `json:"paused_seconds"`
	PercentUsed float64         `json:"percent_used"`
	Deadline    *string         `json:"deadline"`
}

func slaView(sla *desk.TicketSLA) *slaJSON {
	out := &slaJSON{Policy: sla.Policy, Clocks: []slaClockJSON{}}
	if sla.Policy != nil {
		out.Calendar = &sla.Calendar
	}
	for _, c := range sla.Clocks {
		out.Clocks = append(out.Clocks, slaClockJSON{
			Kind: c.Kind, State: c.State, Target: int64(c.Target.Seconds()), Elapsed: int64(c.Elapsed.Seconds()),
			Remaining: int64(c.Remaining.Seconds()), PausedFor: int64(c.PausedFor.Seconds()),
			PercentUsed: math.Round(c.PercentUsed*10) / 10, Deadline: optTime(c.Deadline),
		})
	}
	return out
}
