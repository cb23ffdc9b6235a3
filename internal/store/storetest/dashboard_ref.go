package storetest

import (
	"cmp"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// The dashboard's reference: its figures recomputed ticket by ticket in Go
// from every ticket the store lists, by the definitions in
// desk.DashboardCounts, to compare the store's counters with.

// AllTickets lists every ticket of s, page by page.
func AllTickets(tb testing.TB, s desk.Store) []*desk.Ticket {
	tb.Helper()
	var out []*desk.Ticket
	f := desk.TicketFilter{Visibility: all, Limit: desk.MaxPageSize}
	for {
		p, err := s.ListTickets(context.Background(), f)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, p.Tickets...)
		if p.NextCursor == "" {
			return out
		}
		f.Cursor = p.NextCursor
	}
}

// inScope reports whether scope counts t.
func inScope(t *desk.Ticket, scope desk.DashboardScope) bool {
	if len(scope.GroupIDs) > 0 && !slices.Contains(scope.GroupIDs, t.Group.ID) {
		return false
	}
	v := scope.Visibility
	return !t.Restricted || v.AllRestricted || slices.Contains(v.RestrictedGroups, t.Group.ID)
}

// WantDashboardCounts recomputes desk.DashboardCounts from tickets.
func WantDashboardCounts(tickets []*desk.Ticket, scope desk.DashboardScope, froms []time.Time, now time.Time) *desk.DashboardCounts {
	want := &desk.DashboardCounts{Breached: map[desk.Line]int{}, Ages: make([]int, len(desk.AgeBuckets)+1),
		Outcomes: make([]desk.OutcomeCount, len(froms))}
	type key struct {
		state    desk.State
		priority desk.Priority
		line     desk.Line
	}
	open := map[key]*desk.OpenCount{}
	for i, from := range froms {
		want.Outcomes[i].From = from
	}
	for _, t := range tickets {
		if !inScope(t, scope) {
			continue
		}
		for i, from := range froms {
			if !t.CreatedAt.Before(from) && !t.CreatedAt.After(now) {
				countOutcome(&want.Outcomes[i], t.SLA)
			}
		}
		if !slices.Contains(desk.OpenStates, t.State) {
			continue
		}
		k := key{t.State, t.Priority, t.Group.Line}
		if open[k] == nil {
			open[k] = &desk.OpenCount{State: t.State, Priority: t.Priority, Line: t.Group.Line}
		}
		open[k].N++
		if t.Assignee == nil {
			open[k].Unassigned++
		}
		if t.SLA.DueAt != nil && t.SLA.DueAt.Before(now) {
			want.Breached[t.Group.Line]++
		}
		want.Ages[ageIndex(now.Sub(t.CreatedAt))]++
	}
	for _, c := range open {
		want.Open = append(want.Open, *c)
	}
	sortOpen(want.Open)
	return want
}

func countOutcome(o *desk.OutcomeCount, sla desk.SLAStatus) {
	o.Tickets++
	if m := sla.ResponseMet; m != nil && *m {
		o.ResponseMet++
	} else if m != nil {
		o.ResponseMissed++
	}
	if m := sla.ResolutionMet; m != nil && *m {
		o.ResolutionMet++
	} else if m != nil {
		o.ResolutionMissed++
	}
}

func sortOpen(c []desk.OpenCount) {
	slices.SortFunc(c, func(a, b desk.OpenCount) int {
		return cmp.Or(cmp.Compare(a.State, b.State), cmp.Compare(a.Priority, b.Priority), cmp.Compare(a.Line, b.Line))
	})
}

// WantQueueCounts recomputes GroupQueueCounts from tickets.
func WantQueueCounts(tickets []*desk.Ticket, scope desk.DashboardScope, now, soon time.Time) map[desk.QueueName]int {
	want := map[desk.QueueName]int{desk.QueueMyGroups: 0, desk.QueueUnassigned: 0, desk.QueueAboutToBreach: 0,
		desk.QueueBreached: 0, desk.QueueOnHold: 0}
	for _, t := range tickets {
		if !inScope(t, scope) || !slices.Contains(desk.OpenStates, t.State) {
			continue
		}
		want[desk.QueueMyGroups]++
		if t.Assignee == nil {
			want[desk.QueueUnassigned]++
		}
		if t.State == desk.StateOnHold {
			want[desk.QueueOnHold]++
		}
		if due := t.SLA.DueAt; due != nil && due.Before(now) {
			want[desk.QueueBreached]++
		} else if due != nil && due.Before(soon) {
			want[desk.QueueAboutToBreach]++
		}
	}
	return want
}

// CheckDashboard fails tb unless the store's dashboard counts for scope at
// now (periods from froms, queues due within soon) equal the
// recomputation from tickets, which must be every ticket of s.
func CheckDashboard(tb *testing.T, s desk.Store, tickets []*desk.Ticket, scope desk.DashboardScope, froms []time.Time, now, soon time.Time) {
	tb.Helper()
	got, err := s.DashboardCounts(context.Background(), scope, froms, now)
	if err != nil {
		tb.Fatal(err)
	}
	sortOpen(got.Open)
	diff(tb, "dashboard counts at "+now.Format(time.RFC3339), WantDashboardCounts(tickets, scope, froms, now), got)
	for _, from := range append([]time.Time{now.Add(-desk.PromiseWindow)}, froms...) {
		p, err := s.PromiseCounts(context.Background(), scope, from, now)
		if err != nil {
			tb.Fatal(err)
		}
		diff(tb, "promise counts from "+from.Format(time.RFC3339)+" at "+now.Format(time.RFC3339), WantPromiseCounts(tickets, scope, from, now), p)
	}
	queues, err := s.GroupQueueCounts(context.Background(), scope, now, soon)
	if err != nil {
		tb.Fatal(err)
	}
	diff(tb, "queue counts at "+now.Format(time.RFC3339), WantQueueCounts(tickets, scope, now, soon), queues)
}

// WantPromiseCounts recomputes desk.PromiseCounts from tickets: the
// incidents of scope registered in [from, now], a resolution as stored.
func WantPromiseCounts(tickets []*desk.Ticket, scope desk.DashboardScope, from, now time.Time) desk.PromiseCounts {
	want := desk.PromiseCounts{From: from}
	for _, t := range tickets {
		if !inScope(t, scope) || t.Type != desk.TypeIncident || t.CreatedAt.Before(from) || t.CreatedAt.After(now) {
			continue
		}
		responded := t.FirstResponseAt != nil
		for _, c := range []struct {
			target      time.Duration
			within, due *int
		}{{desk.PromiseFastResponse, &want.Within1h, &want.Due1h}, {desk.PromiseResponse, &want.Within3h, &want.Due3h}} {
			if responded && t.FirstResponseAt.Sub(t.CreatedAt) <= c.target {
				*c.within++
			}
			if responded || now.Sub(t.CreatedAt) > c.target {
				*c.due++
			}
		}
		if t.ResolvedAt != nil {
			want.Resolved++
			want.ResolveTime += t.ResolvedAt.Sub(t.CreatedAt)
		}
	}
	return want
}
