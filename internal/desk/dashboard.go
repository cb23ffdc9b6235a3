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
	Promise        Promise        // the support policy's promise, last 30 days
}

// Count is one labelled number.
type Count struct {
	Key string
	N   int
	// Capped says that more than N match: a count stopped at CountCap.
	Capped bool
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

// DashboardScope is whose tickets the dashboard counts: those of GroupIDs
// (empty: every group) that Visibility lets the actor see. Staff only: a
// requester's visibility is refused.
type DashboardScope struct {
	GroupIDs   []int64
	Visibility Visibility
}

// OpenCount counts the open tickets of one state, priority and line.
type OpenCount struct {
	State      State
	Priority   Priority
	Line       Line
	N          int
	Unassigned int
}

// OutcomeCount is what the store counts over the tickets created since
// From until now (inclusive).
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

// DashboardCounts is what the store counts for the dashboard, all at one
// instant (one snapshot of the database).
type DashboardCounts struct {
	Open     []OpenCount  // by state, priority and line
	Breached map[Line]int // open tickets whose next deadline is before now
	// Ages counts the open tickets by age at now, in AgeBucketNames order:
	// a ticket falls in the first bucket whose bound (AgeBuckets) its age
	// is under, else the last.
	Ages     []int
	Outcomes []OutcomeCount // one for each instant in froms
}

// DashboardStore counts what the dashboard shows.
type DashboardStore interface {
	// DashboardCounts counts the tickets of scope at now: the open ones
	// (see DashboardCounts), and for each instant in froms the tickets
	// created from it until now (inclusive) with their stored SLA outcomes.
	// Times count to the microsecond, as stored: now is truncated to it.
	DashboardCounts(ctx context.Context, scope DashboardScope, froms []time.Time, now time.Time) (*DashboardCounts, error)
	// RatingCounts counts, for each instant in froms, the ratings given
	// from it until now, of tickets rated while with one of groupIDs
	// (empty: all).
	RatingCounts(ctx context.Context, groupIDs []int64, froms []time.Time, now time.Time) ([]RatingCount, error)
	// GroupQueueCounts counts the open tickets of scope (the "groups"
	// queue's) and the queues within it: all of them (QueueMyGroups), the
	// unassigned, those due in [now, soon), those due before now, and
	// those on hold.
	GroupQueueCounts(ctx context.Context, scope DashboardScope, now, soon time.Time) (map[QueueName]int, error)
}

// Dashboard computes the dashboard for the actor (staff).
func (s *Desk) Dashboard(ctx context.Context, q DashboardQuery) (*Dashboard, error) {
	u, err := requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now().Truncate(time.Microsecond) // as the store keeps times
	d := &Dashboard{At: now}
	if d.Queues, err = s.queueCounts(ctx, u, now); err != nil {
		return nil, err
	}
	froms := PeriodStarts(now, q.Location)
	counts, err := s.store.DashboardCounts(ctx, DashboardScope{GroupIDs: q.GroupIDs, Visibility: visibility(u)}, froms, now)
	if err != nil {
		return nil, err
	}
	ratings, err := s.store.RatingCounts(ctx, q.GroupIDs, froms, now)
	if err != nil {
		return nil, err
	}
	AggregateDashboard(d, counts, ratings)
	if d.Promise, err = s.promise(ctx, DashboardScope{GroupIDs: q.GroupIDs, Visibility: visibility(u)}, now); err != nil {
		return nil, err
	}
	return d, nil
}

// queueCounts counts the actor's queues: "mine" on its own (any group),
// the others together over their groups' open tickets.
func (s *Desk) queueCounts(ctx context.Context, u *User, now time.Time) ([]Count, error) {
	mine, err := s.Queue(ctx, QueueMine, QueueOptions{Limit: 1, Total: true})
	if err != nil {
		return nil, fmt.Errorf("count queue mine: %w", err)
	}
	n, err := s.store.GroupQueueCounts(ctx, groupScope(u), now, now.Add(DefaultBreachWindow))
	if err != nil {
		return nil, fmt.Errorf("count queues: %w", err)
	}
	n[QueueMine] = *mine.Total
	out := make([]Count, len(Queues))
	for i, q := range Queues {
		out[i] = Count{Key: string(q), N: n[q], Capped: q == QueueMine && mine.TotalCapped}
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
func AggregateDashboard(d *Dashboard, counts *DashboardCounts, ratings []RatingCount) {
	byPrio := map[Priority]int{}
	byState := map[State]int{}
	byLine := map[Line]*LineLoad{}
	backlog := make([]int, len(AgeBucketNames))
	copy(backlog, counts.Ages)
	lineLoad := func(line Line) *LineLoad {
		if byLine[line] == nil {
			byLine[line] = &LineLoad{Line: line}
		}
		return byLine[line]
	}
	for _, c := range counts.Open {
		byPrio[c.Priority] += c.N
		byState[c.State] += c.N
		lineLoad(c.Line).Open += c.N
		lineLoad(c.Line).Unassigned += c.Unassigned
	}
	for line, n := range counts.Breached {
		lineLoad(line).Breached += n
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
	for i, o := range counts.Outcomes {
		a := Attainment{Period: DashboardPeriods[i], From: o.From, Tickets: o.Tickets,
			Response:   SLAStats{Met: o.ResponseMet, Missed: o.ResponseMissed, Pending: o.Tickets - o.ResponseMet - o.ResponseMissed},
			Resolution: SLAStats{Met: o.ResolutionMet, Missed: o.ResolutionMissed, Pending: o.Tickets - o.ResolutionMet - o.ResolutionMissed}}
		d.Attainment = append(d.Attainment, a)
	}
	for i, r := range ratings {
		d.Satisfaction = append(d.Satisfaction, Satisfaction{Period: DashboardPeriods[i], From: r.From, Ratings: r.Ratings, Sum: r.ScoreSum})
	}
}
