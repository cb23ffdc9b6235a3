package desk

import (
	"cmp"
	"slices"
	"strconv"
	"time"
)

// This file holds the turnaround-time (TAT) report: its query, its result
// and the pure aggregation over per-ticket facts. report_facts.go derives
// the facts of one ticket; report_desk.go reads them from the store.
//
// Which tickets count: the cohort of a report over [From, To) is the
// tickets created in that range. Their outcomes (first response,
// resolution, SLA met or missed) are taken as they stand when the report
// runs, so a resolution after To still counts for a ticket created inside
// the range. The backlog is different: it is every ticket open at To,
// whenever it was created, aged from its creation to To (to now when To
// is in the future).

// ReportGroupBy names the dimension a report's rows are grouped by.
type ReportGroupBy string

const (
	GroupByNone     ReportGroupBy = ""
	GroupByPriority ReportGroupBy = "priority"
	GroupByType     ReportGroupBy = "type"
	GroupByGroup    ReportGroupBy = "group"
	GroupByLine     ReportGroupBy = "line"
	GroupByCategory ReportGroupBy = "category"
	GroupByService  ReportGroupBy = "service"
	GroupByChannel  ReportGroupBy = "channel"
)

// ReportGroupBys lists the dimensions (without "none").
var ReportGroupBys = []ReportGroupBy{GroupByPriority, GroupByType, GroupByGroup, GroupByLine,
	GroupByCategory, GroupByService, GroupByChannel}

// MaxReportRange is the longest range one report covers: two years (one
// with a leap day), enough for a year-on-year view of an imported log.
const MaxReportRange = 731 * 24 * time.Hour

// HeadlineResponseGoal is the wall-clock first-response promise of the
// support policy ("a first response within 1–3 hours"): its upper end.
const HeadlineResponseGoal = 3 * time.Hour

// HeadlineResolutionGoal is the policy's mean resolution goal.
const HeadlineResolutionGoal = 24 * time.Hour

// ReportQuery selects a report.
type ReportQuery struct {
	From, To time.Time // [From, To)
	GroupBy  ReportGroupBy
}

// Validate checks the query.
func (q ReportQuery) Validate() error {
	var v validation
	switch {
	case q.From.IsZero():
		v.add("from", RuleRequired, nil, "is required")
	case q.To.IsZero():
		v.add("to", RuleRequired, nil, "is required")
	case !q.From.Before(q.To):
		v.add("to", RuleNotAfter, Params{"after": "from"}, "must be after from")
	case q.To.Sub(q.From) > MaxReportRange:
		v.add("to", RuleTooLong, Params{"max": 731, "unit": "days"}, "the range may span at most 731 days")
	}
	if q.GroupBy != GroupByNone && !slices.Contains(ReportGroupBys, q.GroupBy) {
		v.add("group_by", RuleOneOf, Params{"allowed": []string{"priority", "type", "group", "line", "category", "service", "channel"}}, "must be one of priority, type, group, line, category, service, channel")
	}
	return v.err()
}

// AgeBuckets are the upper bounds of the backlog age buckets; the last
// bucket (over 30 days) has none.
var AgeBuckets = []time.Duration{24 * time.Hour, 3 * 24 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour}

// AgeBucketNames name the buckets, in order.
var AgeBucketNames = []string{"lt_1d", "1d_3d", "3d_7d", "7d_30d", "gt_30d"}

// Outcome is how a ticket stands against one target.
type Outcome int

const (
	// OutcomeNone: no target applies (no SLA policy, or not in the cohort).
	OutcomeNone Outcome = iota
	OutcomeMet
	OutcomeMissed
	// OutcomePending: the clock still runs (or is paused) and has not
	// breached; neither met nor missed yet.
	OutcomePending
)

// TicketFacts is what the report needs of one ticket, computed by
// ReportFactsOf.
type TicketFacts struct {
	Key       string // the value of the ticket on the report's dimension
	InRange   bool   // created in [From, To): part of the cohort
	OpenAtEnd bool   // open at To: part of the backlog
	Age       time.Duration

	// Nil when there was no first response / resolution (yet).
	ResponseWall, ResponseBusiness     *time.Duration
	ResolutionWall, ResolutionBusiness *time.Duration

	HasPolicy                  bool
	ResponseSLA, ResolutionSLA Outcome
	ResponseGoal               Outcome // against HeadlineResponseGoal, wall time
	Reassignments, Reopens     int
	EscalationsTo              map[Line]int   // functional escalations by target line
	FirstContact               bool           // resolved on first contact and not reopened since
	Paged                      bool           // a page started on the ticket (paging_report.go)
	TimeToAck                  *time.Duration // from its first page to the first acknowledgement
}

// DurationStats summarises a set of durations.
type DurationStats struct {
	Count          int
	MeanWall       time.Duration
	MedianWall     time.Duration
	MeanBusiness   time.Duration
	MedianBusiness time.Duration
}

// SLAStats counts a target's outcomes; Pending tickets (clock running or
// paused, not breached) are neither met nor missed.
type SLAStats struct {
	Met, Missed, Pending int
}

// MetPercent is Met / (Met + Missed) in percent, or nil when none decided.
func (s SLAStats) MetPercent() *float64 {
	n := s.Met + s.Missed
	if n == 0 {
		return nil
	}
	p := float64(s.Met) * 100 / float64(n)
	return &p
}

// CountStats is a count of occurrences and of tickets with at least one.
type CountStats struct {
	Total   int // occurrences
	Tickets int // tickets with at least one
}

// Rate is Tickets / n, or 0 when n is 0.
func (c CountStats) Rate(n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(c.Tickets) / float64(n)
}

// ReportRow is one group of a report.
type ReportRow struct {
	Key           string
	Tickets       int // created in the range
	FirstResponse DurationStats
	Resolution    DurationStats
	NoPolicy      int // tickets no SLA policy matched
	ResponseSLA   SLAStats
	ResolutionSLA SLAStats
	ResponseGoal  SLAStats // first response within HeadlineResponseGoal (wall)
	Backlog       int      // open at To
	BacklogAges   [5]int   // by AgeBuckets
	Reassignments CountStats
	Reopens       CountStats
	EscalationsTo map[Line]int
	Acknowledge   AckStats // time to acknowledge of paged tickets
	// FirstContact counts the tickets resolved on first contact (registered
	// and resolved in one step, see first_contact.go) and not reopened.
	FirstContact int
}

// FirstContactRate is FirstContact / Tickets, or 0 without tickets.
func (r ReportRow) FirstContactRate() float64 {
	if r.Tickets == 0 {
		return 0
	}
	return float64(r.FirstContact) / float64(r.Tickets)
}

// Report is a TAT report.
type Report struct {
	Query       ReportQuery
	GeneratedAt time.Time
	Rows        []ReportRow // by key; one row keyed "all" when not grouped
	Total       ReportRow
}

// ReportBuilder aggregates facts one ticket at a time. It keeps the
// durations of each group to take medians: 4 slices of 8 bytes per ticket,
// about 3 MB for 100,000 tickets.
type ReportBuilder struct {
	q      ReportQuery
	groups map[string]*rowAcc
	total  rowAcc
}

type rowAcc struct {
	row                                ReportRow
	respWall, respBiz, resWall, resBiz []time.Duration
	paged                              int
	ttas                               []time.Duration
}

// NewReportBuilder starts a report.
func NewReportBuilder(q ReportQuery) *ReportBuilder {
	return &ReportBuilder{q: q, groups: map[string]*rowAcc{}}
}

// Add counts one ticket's facts.
func (b *ReportBuilder) Add(f TicketFacts) {
	if !f.InRange && !f.OpenAtEnd {
		return
	}
	key := f.Key
	if b.q.GroupBy == GroupByNone {
		key = "all"
	}
	g := b.groups[key]
	if g == nil {
		g = &rowAcc{row: ReportRow{Key: key}}
		b.groups[key] = g
	}
	g.add(f)
	b.total.add(f)
}

func (a *rowAcc) add(f TicketFacts) {
	r := &a.row
	if f.OpenAtEnd {
		r.Backlog++
		r.BacklogAges[ageBucket(f.Age)]++
	}
	if !f.InRange {
		return
	}
	r.Tickets++
	a.respWall, a.respBiz = appendPair(a.respWall, a.respBiz, f.ResponseWall, f.ResponseBusiness)
	a.resWall, a.resBiz = appendPair(a.resWall, a.resBiz, f.ResolutionWall, f.ResolutionBusiness)
	if !f.HasPolicy {
		r.NoPolicy++
	}
	r.ResponseSLA.count(f.ResponseSLA)
	r.ResolutionSLA.count(f.ResolutionSLA)
	r.ResponseGoal.count(f.ResponseGoal)
	r.Reassignments.count(f.Reassignments)
	r.Reopens.count(f.Reopens)
	if f.FirstContact {
		r.FirstContact++
	}
	if f.Paged {
		a.paged++
	}
	if f.TimeToAck != nil {
		a.ttas = append(a.ttas, *f.TimeToAck)
	}
	for line, n := range f.EscalationsTo {
		if n == 0 {
			continue
		}
		if r.EscalationsTo == nil {
			r.EscalationsTo = map[Line]int{}
		}
		r.EscalationsTo[line] += n
	}
}

func appendPair(wall, biz []time.Duration, w, b *time.Duration) ([]time.Duration, []time.Duration) {
	if w == nil {
		return wall, biz
	}
	wall = append(wall, *w)
	if b != nil {
		biz = append(biz, *b)
	}
	return wall, biz
}

func (s *SLAStats) count(o Outcome) {
	switch o {
	case OutcomeMet:
		s.Met++
	case OutcomeMissed:
		s.Missed++
	case OutcomePending:
		s.Pending++
	}
}

func (c *CountStats) count(n int) {
	c.Total += n
	if n > 0 {
		c.Tickets++
	}
}

func ageBucket(age time.Duration) int {
	for i, limit := range AgeBuckets {
		if age < limit {
			return i
		}
	}
	return len(AgeBuckets)
}

func (a *rowAcc) finish() ReportRow {
	r := a.row
	r.FirstResponse = durationStats(a.respWall, a.respBiz)
	r.Resolution = durationStats(a.resWall, a.resBiz)
	r.Acknowledge = ackStats(a.paged, a.ttas)
	return r
}

func durationStats(wall, biz []time.Duration) DurationStats {
	return DurationStats{Count: len(wall), MeanWall: Mean(wall), MedianWall: Median(wall),
		MeanBusiness: Mean(biz), MedianBusiness: Median(biz)}
}

// Finish returns the report; the builder must not be used afterwards.
func (b *ReportBuilder) Finish(now time.Time) *Report {
	rep := &Report{Query: b.q, GeneratedAt: now, Total: b.total.finish()}
	rep.Total.Key = "total"
	for _, g := range b.groups {
		rep.Rows = append(rep.Rows, g.finish())
	}
	slices.SortFunc(rep.Rows, func(x, y ReportRow) int { return compareKeys(x.Key, y.Key) })
	return rep
}

// compareKeys orders numbers numerically (lines), then text.
func compareKeys(a, b string) int {
	x, errX := strconv.Atoi(a)
	y, errY := strconv.Atoi(b)
	if errX == nil && errY == nil {
		return cmp.Compare(x, y)
	}
	return cmp.Compare(a, b)
}

// AggregateReport is the report over a slice of facts.
func AggregateReport(q ReportQuery, facts []TicketFacts, now time.Time) *Report {
	b := NewReportBuilder(q)
	for _, f := range facts {
		b.Add(f)
	}
	return b.Finish(now)
}

// Mean is the arithmetic mean, 0 for none.
func Mean(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	var sum float64
	for _, d := range ds {
		sum += float64(d)
	}
	return time.Duration(sum / float64(len(ds)))
}

// Median is the middle value, the mean of the two middle ones for an even
// count, 0 for none. It sorts ds in place.
func Median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	n := len(ds)
	if n%2 == 1 {
		return ds[n/2]
	}
	return (ds[n/2-1] + ds[n/2]) / 2
}
