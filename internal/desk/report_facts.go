package desk

import (
	"strconv"
	"time"
)

// ReportKey is t's value on the dimension; "(none)" for a missing
// category or service.
func ReportKey(t *Ticket, by ReportGroupBy) string {
	switch by {
	case GroupByPriority:
		return string(t.Priority)
	case GroupByType:
		return string(t.Type)
	case GroupByGroup:
		return t.Group.Name
	case GroupByLine:
		return strconv.Itoa(int(t.Group.Line))
	case GroupByCategory:
		return refKey(t.Category)
	case GroupByService:
		return refKey(t.Service)
	case GroupByChannel:
		return string(t.Channel)
	}
	return "all"
}

func refKey(r *Ref) string {
	if r == nil {
		return "(none)"
	}
	return r.Name
}

// ReportFactsOf derives what the report needs of ticket t from its history
// (oldest first; only events with changes or of kind escalated matter),
// under its SLA policy p (nil: none matched) and p's calendar, as the
// report sees it at now.
//
// Business times are working time on the policy's calendar (24x7 without
// a policy) between registration and the first response or resolution;
// on-hold pauses are not subtracted there (they are for the SLA outcome,
// which is the policy's resolution clock).
func ReportFactsOf(q ReportQuery, t *Ticket, events []*Event, p *SLAPolicy, cal *Calendar, now time.Time) TicketFacts {
	f := TicketFacts{
		Key:     ReportKey(t, q.GroupBy),
		InRange: !t.CreatedAt.Before(q.From) && t.CreatedAt.Before(q.To),
	}
	if f.OpenAtEnd = openAt(t, events, q.To, now); f.OpenAtEnd {
		end := q.To
		if now.Before(end) { // a range ending in the future ages to now
			end = now
		}
		f.Age = end.Sub(t.CreatedAt)
	}
	if !f.InRange {
		return f
	}
	if cal == nil || p == nil {
		cal = Calendar24x7
	}
	start := reportStart(t)
	resolved := resolvedAt(t)
	f.ResponseWall, f.ResponseBusiness = spans(cal, start, t.FirstResponseAt)
	f.ResolutionWall, f.ResolutionBusiness = spans(cal, start, resolved)
	f.ResponseGoal = goalOutcome(start, t.FirstResponseAt, HeadlineResponseGoal, now)
	if p != nil {
		f.HasPolicy = true
		resp := EvaluateClock(ClockInput{Kind: SLAResponse, Calendar: cal, Target: p.Response, Start: start,
			Stop: t.FirstResponseAt, Now: now})
		res := EvaluateClock(ClockInput{Kind: SLAResolution, Calendar: cal, Target: p.Resolution, Start: start,
			Stop: resolved, Pauses: ResolutionPauses(events, p.PauseOn), Now: now})
		f.ResponseSLA, f.ResolutionSLA = outcome(resp.State), outcome(res.State)
	}
	f.Reassignments, f.Reopens = t.ReassignmentCount, t.ReopenCount
	f.FirstContact = t.ReopenCount == 0 && ResolvedOnFirstContact(events)
	f.EscalationsTo = escalationsTo(t, events)
	f.Paged, f.TimeToAck = pagingFacts(events)
	return f
}

// reportStart is when the SLA clocks start: the reported time when it is
// earlier than registration.
func reportStart(t *Ticket) time.Time {
	if t.ReportedAt.IsZero() || t.ReportedAt.After(t.CreatedAt) {
		return t.CreatedAt
	}
	return t.ReportedAt
}

// resolvedAt is the resolution that stands: nil unless resolved or closed.
func resolvedAt(t *Ticket) *time.Time {
	if t.State == StateResolved || t.State == StateClosed {
		return t.ResolvedAt
	}
	return nil
}

func spans(cal *Calendar, start time.Time, stop *time.Time) (wall, business *time.Duration) {
	if stop == nil {
		return nil, nil
	}
	w := max(stop.Sub(start), 0)
	b := time.Duration(0)
	if stop.After(start) {
		b = cal.WorkingTime(start, *stop)
	}
	return &w, &b
}

func outcome(s ClockState) Outcome {
	switch s {
	case ClockMet:
		return OutcomeMet
	case ClockBreached:
		return OutcomeMissed
	}
	return OutcomePending
}

// goalOutcome compares a wall-clock wait with a goal.
func goalOutcome(start time.Time, stop *time.Time, goal time.Duration, now time.Time) Outcome {
	switch {
	case stop != nil && stop.Sub(start) <= goal:
		return OutcomeMet
	case stop != nil || now.Sub(start) > goal:
		return OutcomeMissed
	}
	return OutcomePending
}

// openAt reports whether t was open at instant to: by its current state
// when to is not in the past; else closed when it is finished now and
// finished before to; else by replaying its state changes before to. A
// ticket created at or after to was not open.
func openAt(t *Ticket, events []*Event, to, now time.Time) bool {
	if !t.CreatedAt.Before(to) {
		return false
	}
	if !to.Before(now) {
		return t.State.IsOpen()
	}
	if !t.State.IsOpen() && finishedBefore(t, to) {
		return false
	}
	state := StateNew
	for _, e := range events {
		if !e.At.Before(to) {
			continue // not break: imported histories are not always in time order
		}
		for _, ch := range e.Changes {
			if ch.Field == "state" {
				state = State(ch.New)
			}
		}
	}
	return state.IsOpen()
}

// finishedBefore reports whether t's resolution, closure or cancellation
// came before to (a reopen clears the resolution time, so a finished
// ticket's stamp is its last).
func finishedBefore(t *Ticket, to time.Time) bool {
	for _, at := range []*time.Time{t.ResolvedAt, t.ClosedAt, t.CanceledAt} {
		if at != nil && at.Before(to) {
			return true
		}
	}
	return false
}

// escalationsTo counts t's functional escalations by the line they went
// to (the event's line change; the ticket's current line when the event
// does not say).
func escalationsTo(t *Ticket, events []*Event) map[Line]int {
	var out map[Line]int
	for _, e := range events {
		if e.Kind != EventEscalated {
			continue
		}
		line := t.Group.Line
		for _, ch := range e.Changes {
			if ch.Field == "line" {
				if n, err := strconv.Atoi(ch.New); err == nil {
					line = Line(n)
				}
			}
		}
		if out == nil {
			out = map[Line]int{}
		}
		out[line]++
	}
	return out
}
