package desk

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func dur(d time.Duration) *time.Duration { return &d }

func TestMedianMean(t *testing.T) {
	h := time.Hour
	for _, c := range []struct {
		name         string
		in           []time.Duration
		mean, median time.Duration
	}{
		{"none", nil, 0, 0},
		{"one", []time.Duration{5 * h}, 5 * h, 5 * h},
		{"odd", []time.Duration{9 * h, 1 * h, 2 * h}, 4 * h, 2 * h},
		{"even", []time.Duration{4 * h, 1 * h, 10 * h, 2 * h}, 4*h + 15*time.Minute, 3 * h},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Mean(c.in); got != c.mean {
				t.Errorf("Mean = %s, want %s", got, c.mean)
			}
			if got := Median(c.in); got != c.median {
				t.Errorf("Median = %s, want %s", got, c.median)
			}
		})
	}
}

func TestAggregateReport_Rows(t *testing.T) {
	h := time.Hour
	facts := []TicketFacts{
		{Key: "P1", InRange: true, ResponseWall: dur(1 * h), ResponseBusiness: dur(1 * h),
			ResolutionWall: dur(10 * h), ResolutionBusiness: dur(4 * h), HasPolicy: true,
			ResponseSLA: OutcomeMet, ResolutionSLA: OutcomeMissed, ResponseGoal: OutcomeMet,
			Reassignments: 2, Reopens: 1, EscalationsTo: map[Line]int{Line2: 1, Line3: 1}},
		{Key: "P1", InRange: true, ResponseWall: dur(3 * h), ResponseBusiness: dur(2 * h),
			HasPolicy: true, ResponseSLA: OutcomeMissed, ResolutionSLA: OutcomePending, ResponseGoal: OutcomeMet,
			OpenAtEnd: true, Age: 2 * 24 * h},
		{Key: "P1", InRange: true, HasPolicy: true, ResponseSLA: OutcomePending, ResolutionSLA: OutcomePending,
			ResponseGoal: OutcomePending, OpenAtEnd: true, Age: 2 * h, Reassignments: 1},
		{Key: "P3", InRange: true, ResponseWall: dur(5 * h), ResponseBusiness: dur(1 * h),
			ResolutionWall: dur(6 * h), ResolutionBusiness: dur(2 * h), ResponseGoal: OutcomeMissed},
		// Created before the range, still open at its end: backlog only.
		{Key: "P3", OpenAtEnd: true, Age: 40 * 24 * h, Reassignments: 7, ResponseWall: dur(h)},
		{Key: "P3", OpenAtEnd: true, Age: 10 * 24 * h},
		{Key: "P3", OpenAtEnd: true, Age: 5 * 24 * h},
		// Neither in the range nor open at its end: ignored.
		{Key: "P4", Reopens: 3},
	}
	rep := AggregateReport(ReportQuery{GroupBy: GroupByPriority}, facts, time.Time{})
	p1 := ReportRow{Key: "P1", Tickets: 3,
		FirstResponse: DurationStats{Count: 2, MeanWall: 2 * h, MedianWall: 2 * h, MeanBusiness: 90 * time.Minute, MedianBusiness: 90 * time.Minute},
		Resolution:    DurationStats{Count: 1, MeanWall: 10 * h, MedianWall: 10 * h, MeanBusiness: 4 * h, MedianBusiness: 4 * h},
		ResponseSLA:   SLAStats{Met: 1, Missed: 1, Pending: 1}, ResolutionSLA: SLAStats{Missed: 1, Pending: 2},
		ResponseGoal: SLAStats{Met: 2, Pending: 1},
		Backlog:      2, BacklogAges: [5]int{1, 1, 0, 0, 0},
		Reassignments: CountStats{Total: 3, Tickets: 2}, Reopens: CountStats{Total: 1, Tickets: 1},
		EscalationsTo: map[Line]int{Line2: 1, Line3: 1}}
	p3 := ReportRow{Key: "P3", Tickets: 1, NoPolicy: 1,
		FirstResponse: DurationStats{Count: 1, MeanWall: 5 * h, MedianWall: 5 * h, MeanBusiness: h, MedianBusiness: h},
		Resolution:    DurationStats{Count: 1, MeanWall: 6 * h, MedianWall: 6 * h, MeanBusiness: 2 * h, MedianBusiness: 2 * h},
		ResponseGoal:  SLAStats{Missed: 1},
		Backlog:       3, BacklogAges: [5]int{0, 0, 1, 1, 1}}
	if d := cmp.Diff([]ReportRow{p1, p3}, rep.Rows); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
	tot := rep.Total
	if tot.Key != "total" || tot.Tickets != 4 || tot.Backlog != 5 || tot.FirstResponse.Count != 3 ||
		tot.FirstResponse.MedianWall != 3*h || tot.Resolution.MeanWall != 8*h || tot.NoPolicy != 1 {
		t.Errorf("total = %+v", tot)
	}
	if got := tot.Reassignments.Rate(tot.Tickets); got != 0.5 {
		t.Errorf("reassignment rate = %v, want 0.5", got)
	}
	if got := p1.ResponseSLA.MetPercent(); got == nil || *got != 50 {
		t.Errorf("P1 response met %% = %v, want 50", got)
	}
	if got := (SLAStats{Pending: 3}).MetPercent(); got != nil {
		t.Errorf("met %% with nothing decided = %v, want nil", *got)
	}
}

func TestAggregateReport_Ungrouped(t *testing.T) {
	facts := []TicketFacts{{Key: "P1", InRange: true}, {Key: "P2", InRange: true}}
	rep := AggregateReport(ReportQuery{}, facts, time.Time{})
	if len(rep.Rows) != 1 || rep.Rows[0].Key != "all" || rep.Rows[0].Tickets != 2 {
		t.Errorf("rows = %+v, want one row \"all\" of 2 tickets", rep.Rows)
	}
}

func TestReportFactsOf_BusinessAndWall(t *testing.T) {
	office := officeHours(t)
	q := ReportQuery{From: utc("2026-03-01 00:00"), To: utc("2026-04-01 00:00"), GroupBy: GroupByPriority}
	p := &SLAPolicy{Response: 3 * time.Hour, Resolution: 3 * time.Hour, Active: true}
	// Friday 17:00, answered Monday 10:00, resolved Monday 12:00.
	tk := &Ticket{ID: 1, Priority: P3, State: StateResolved, CreatedAt: utc("2026-03-06 17:00"),
		ReportedAt: utc("2026-03-06 17:00"), FirstResponseAt: tp("2026-03-09 10:00"), ResolvedAt: tp("2026-03-09 12:00"),
		ReassignmentCount: 1}
	f := ReportFactsOf(q, tk, nil, p, office, utc("2026-05-01 00:00"))
	want := TicketFacts{Key: "P3", InRange: true,
		ResponseWall: dur(65 * time.Hour), ResponseBusiness: dur(2 * time.Hour),
		ResolutionWall: dur(67 * time.Hour), ResolutionBusiness: dur(4 * time.Hour),
		HasPolicy: true, ResponseSLA: OutcomeMet, ResolutionSLA: OutcomeMissed, ResponseGoal: OutcomeMissed,
		Reassignments: 1}
	if d := cmp.Diff(want, f); d != "" {
		t.Errorf("facts (-want +got):\n%s", d)
	}

	// Without a policy: 24x7 business time, no SLA outcome.
	f = ReportFactsOf(q, tk, nil, nil, nil, utc("2026-05-01 00:00"))
	if f.HasPolicy || f.ResponseSLA != OutcomeNone || *f.ResponseBusiness != 65*time.Hour {
		t.Errorf("no policy: %+v", f)
	}
}

func TestReportFactsOf_RunningClocks(t *testing.T) {
	q := ReportQuery{From: utc("2026-03-01 00:00"), To: utc("2026-04-01 00:00")}
	p := &SLAPolicy{Response: time.Hour, Resolution: 8 * time.Hour, Active: true}
	tk := &Ticket{ID: 1, State: StateNew, CreatedAt: utc("2026-03-31 23:00")}
	f := ReportFactsOf(q, tk, nil, p, Calendar24x7, utc("2026-03-31 23:30"))
	if f.ResponseSLA != OutcomePending || f.ResolutionSLA != OutcomePending || f.ResponseGoal != OutcomePending {
		t.Errorf("young open ticket: %+v, want everything pending", f)
	}
	if !f.OpenAtEnd || f.Age != 30*time.Minute {
		t.Errorf("backlog: open=%v age=%s, want open, 30m (aged to now, before to)", f.OpenAtEnd, f.Age)
	}
	f = ReportFactsOf(q, tk, nil, p, Calendar24x7, utc("2026-04-01 03:30"))
	if f.ResponseSLA != OutcomeMissed || f.ResolutionSLA != OutcomePending || f.ResponseGoal != OutcomeMissed {
		t.Errorf("after 4.5 h: %+v, want response missed, resolution pending", f)
	}
}

func TestReportFactsOf_OpenAtEnd(t *testing.T) {
	q := ReportQuery{From: utc("2026-03-01 00:00"), To: utc("2026-04-01 00:00")}
	now := utc("2026-06-01 00:00")
	events := []*Event{
		{At: utc("2026-02-01 00:00"), Kind: EventCreated, Changes: []Change{{Field: "state", New: "new"}}},
		{At: utc("2026-03-20 00:00"), Kind: EventTransition, Changes: []Change{{Field: "state", Old: "new", New: "resolved"}}},
		{At: utc("2026-04-10 00:00"), Kind: EventTransition, Changes: []Change{{Field: "state", Old: "resolved", New: "in_progress"}}},
		{At: utc("2026-04-20 00:00"), Kind: EventEscalated, Changes: []Change{{Field: "line", Old: "1", New: "2"}}},
	}
	tk := &Ticket{ID: 1, State: StateInProgress, CreatedAt: utc("2026-02-01 00:00"), Group: GroupRef{Line: Line2}}
	if f := ReportFactsOf(q, tk, events, nil, nil, now); f.OpenAtEnd || f.InRange {
		t.Errorf("resolved at the end of March, reopened later: %+v, want neither backlog nor cohort", f)
	}
	if f := ReportFactsOf(q, tk, events[:1], nil, nil, now); !f.OpenAtEnd || f.Age != 59*24*time.Hour {
		t.Errorf("open since February: %+v, want backlog aged 59 days", f)
	}
	q.From = utc("2026-01-01 00:00")
	if f := ReportFactsOf(q, tk, events, nil, nil, now); !f.InRange || !cmp.Equal(f.EscalationsTo, map[Line]int{Line2: 1}) {
		t.Errorf("escalations = %v, want one to line 2", f.EscalationsTo)
	}
}

func TestReportQuery_Validate(t *testing.T) {
	day := utc("2026-03-01 00:00")
	for _, c := range []struct {
		name  string
		q     ReportQuery
		field string
	}{
		{"ok", ReportQuery{From: day, To: day.AddDate(1, 0, 0), GroupBy: GroupByLine}, ""},
		{"no from", ReportQuery{To: day}, "from"},
		{"backwards", ReportQuery{From: day, To: day}, "to"},
		{"two years", ReportQuery{From: day, To: day.AddDate(2, 0, 0)}, ""},
		{"too long", ReportQuery{From: day, To: day.AddDate(2, 0, 2)}, "to"},
		{"bad group", ReportQuery{From: day, To: day.AddDate(0, 1, 0), GroupBy: "colour"}, "group_by"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.q.Validate()
			if c.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != EINVALID || len(e.Fields) == 0 || e.Fields[0].Field != c.field {
				t.Errorf("Validate = %v, want EINVALID on %s", err, c.field)
			}
		})
	}
}
