package desk

import (
	"context"
	"fmt"
	"time"
)

// The console's dashboard: counts a person reads at a glance. The store
// counts in a few grouped queries (DashboardStore); the aggregation here
// is pure.
//
// Which tickets count: open tickets as they stand now (by state, priority,
// line, age); SLA attainment over the tickets created in each period, with
// each outcome as it stands (the cohort rule of the TAT report); ratings
// given in each period.

// DashboardPeriods are the periods of attainment and satisfaction: today
// (since midnight in the dashboard's time zone), the last 7 and 30 days.
var DashboardPeriods = []string{"today", "7d", "30d"}

// DashboardQuery narrows the desk-wide figures.
type DashboardQuery struct {
	// GroupIDs limits every figure but the queue counts to these groups;
	// empty: every ticket the actor may see.
	GroupIDs []int64
	// Location is the time zone "today" begins in; nil: UTC.
	Location *time.Location
}

// Dashboard is the dashboard at one instant.
type Dashboard struct {
	At             time.Time
	Queues         []Count // the actor's predefined queues, in Queues order
	OpenByPriority []Count // P1..P4
	OpenByState    []Count // new, assigned, in_progress, on_hold
	Backlog        []Count // open tickets by age, AgeBucketNames order
	Lines          []LineLoad
	Attainment     []Attainment   // DashboardPeriods order
	Satisfaction   []Satisfaction // DashboardPeriods order
}

// Count is one labelled number.
type Count struct {
	Key string
	N   int
}

// LineLoad is the open work on one support line.
type LineLoad struct {
	Line       Line
	Open       int
	Unassigned int
	Breached   int // a ticking clock is past its deadline
}

// Attainment is SLA attainment over the tickets created in a period.
// Pending counts tickets neither met nor missed yet, and those without a
// policy.
type Attainment struct {
	Period     string
	From       time.Time
	Tickets    int
	Response   SLAStats
	Resolution SLAStats
}

// Satisfaction summarises the ratings given in a period.
type Satisfaction struct {
	Period  string
	From    time.Time
	Ratings int
	Sum     int
}

// Average is the mean score, or nil without ratings.
func (s Satisfaction) Average() *float64 {
	if s.Ratings == 0 {
		return nil
	}
	a := float64(s.Sum) / float64(s.Ratings)
	return &a
}

// OpenCount counts the open tickets of one state, priority and line.
type OpenCount struct {
	State      State
	Priority   Priority
	Line       Line
	N          int
	Unassigned int
	Breached   int   // next deadline before now
	Ages       []int // by age bucket (AgeBucketNames order)
}

// OutcomeCount is what the store counts over the tickets created since
// From (until now).
type OutcomeCount struct {
	From                            time.Time
	Tickets                         int
	ResponseMet, ResponseMissed     int
	ResolutionMet, ResolutionMissed int
}

// RatingCount is the ratings given since From: how many and their sum.
type RatingCount struct {
	From     time.Time
	Ratings  int
	ScoreSum int
}

// DashboardStore counts what the dashboard shows.
type DashboardStore interface {
	// OpenTicketCounts counts the tickets matching f (the desk passes the
	// open states, groups and visibility) by state, priority and line (see
	// OpenCount): a ticket falls in the first age bucket whose bound (in
	// AgeBuckets) its age at now is under, else the last.
	OpenTicketCounts(ctx context.Context, f TicketFilter, now time.Time) ([]OpenCount, error)
	// OutcomeCounts counts, for each instant in froms, the tickets matching
	// f created from it until now and their stored SLA outcomes.
	OutcomeCounts(ctx context.Context, f TicketFilter, froms []time.Time, now time.Time) ([]OutcomeCount, error)
	// RatingCounts counts, for each instant in froms, the ratings given
	// from it until now, of tickets rated while with one of groupIDs
	// (empty: all).
	RatingCounts(ctx context.Context, groupIDs []int64, froms []time.Time, now time.Time) ([]RatingCount, error)
	// GroupQueueCounts counts, in one scan of the tickets matching f (the
	// "groups" queue's filter), the queues within it: all of them
	// (QueueMyGroups), the unassigned, those due in [now, soon), those due
	// before now, and those on hold.
	GroupQueueCounts(ctx context.Context, f TicketFilter, now, soon time.Time) (map[QueueName]int, error)
}

// Dashboard computes the dashboard for the actor (staff).
func (s *Desk) Dashboard(ctx context.Context, q DashboardQuery) (*Dashboard, error) {
	u, err := requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	d := &Dashboard{At: now}
	if d.Queues, err = s.queueCounts(ctx, u, now); err != nil {
		return nil, err
	}
	f := TicketFilter{States: OpenStates, GroupIDs: q.GroupIDs, Visibility: visibility(u)}
	open, err := s.store.OpenTicketCounts(ctx, f, now)
	if err != nil {
		return nil, err
	}
	froms := PeriodStarts(now, q.Location)
	f.States = nil
	outcomes, err := s.store.OutcomeCounts(ctx, f, froms, now)
	if err != nil {
		return nil, err
	}
	ratings, err := s.store.RatingCounts(ctx, q.GroupIDs, froms, now)
	if err != nil {
		return nil, err
	}
	AggregateDashboard(d, open, outcomes, ratings)
	return d, nil
}

// queueCounts counts the actor's queues: "mine" on its own (any group),
// the others in one scan of their groups' open tickets.
func (s *Desk) queueCounts(ctx context.Context, u *User, now time.Time) ([]Count, error) {
	mine, err := s.Queue(ctx, QueueMine, QueueOptions{Limit: 1, Total: true})
	if err != nil {
		return nil, fmt.Errorf("count queue mine: %w", err)
	}
	f, err := QueueFilter(QueueMyGroups, u, now, 0)
	if err != nil {
		return nil, err
	}
	f.Visibility = visibility(u)
	n, err := s.store.GroupQueueCounts(ctx, f, now, now.Add(DefaultBreachWindow))
	if err != nil {
		return nil, fmt.Errorf("count queues: %w", err)
	}
	n[QueueMine] = *mine.Total
	out := make([]Count, len(Queues))
	for i, q := range Queues {
		out[i] = Count{Key: string(q), N: n[q]}
	}
	return out, nil
}

// PeriodStarts are the beginnings of DashboardPeriods at now: midnight in
// loc (UTC when nil), 7 and 30 days before now.
func PeriodStarts(now time.Time, loc *time.Location) []time.Time {
	if loc == nil {
		loc = time.UTC
	}
	l := now.In(loc)
	midnight := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	return []time.Time{midnight, now.Add(-7 * 24 * time.Hour), now.Add(-30 * 24 * time.Hour)}
}

// AggregateDashboard fills d's desk-wide figures from the store's counts.
func AggregateDashboard(d *Dashboard, open []OpenCount, outcomes []OutcomeCount, ratings []RatingCount) {
	byPrio := map[Priority]int{}
	byState := map[State]int{}
	byLine := map[Line]*LineLoad{}
	backlog := make([]int, len(AgeBucketNames))
	for _, c := range open {
		byPrio[c.Priority] += c.N
		byState[c.State] += c.N
		for i := range min(len(c.Ages), len(backlog)) {
			backlog[i] += c.Ages[i]
		}
		l := byLine[c.Line]
		if l == nil {
			l = &LineLoad{Line: c.Line}
			byLine[c.Line] = l
		}
		l.Open += c.N
		l.Unassigned += c.Unassigned
		l.Breached += c.Breached
	}
	d.OpenByPriority, d.OpenByState, d.Backlog, d.Lines = nil, nil, nil, nil
	for _, p := range Priorities {
		d.OpenByPriority = append(d.OpenByPriority, Count{Key: string(p), N: byPrio[p]})
	}
	for _, st := range OpenStates {
		d.OpenByState = append(d.OpenByState, Count{Key: string(st), N: byState[st]})
	}
	for i, name := range AgeBucketNames {
		d.Backlog = append(d.Backlog, Count{Key: name, N: backlog[i]})
	}
	for _, line := range []Line{Line1, Line2, Line3} {
		l := LineLoad{Line: line}
		if got := byLine[line]; got != nil {
			l = *got
		}
		d.Lines = append(d.Lines, l)
	}
	d.Attainment, d.Satisfaction = nil, nil
	for i, o := range outcomes {
		a := Attainment{Period: DashboardPeriods[i], From: o.From, Tickets: o.Tickets,
			Response:   SLAStats{Met: o.ResponseMet, Missed: o.ResponseMissed, Pending: o.Tickets - o.ResponseMet - o.ResponseMissed},
			Resolution: SLAStats{Met: o.ResolutionMet, Missed: o.ResolutionMissed, Pending: o.Tickets - o.ResolutionMet - o.ResolutionMissed}}
		d.Attainment = append(d.Attainment, a)
	}
	for i, r := range ratings {
		d.Satisfaction = append(d.Satisfaction, Satisfaction{Period: DashboardPeriods[i], From: r.From, Ratings: r.Ratings, Sum: r.ScoreSum})
	}
}
