package desk

import (
	"testing"
	"time"
)

func TestPagingFacts(t *testing.T) {
	at := func(min int) time.Time { return time.Date(2026, 3, 2, 9, min, 0, 0, time.UTC) }
	ev := func(kind EventKind, min int) *Event { return &Event{Kind: kind, At: at(min)} }
	for _, tc := range []struct {
		name   string
		events []*Event
		paged  bool
		tta    time.Duration // -1: none
	}{
		{"never paged", []*Event{ev(EventCreated, 0), ev(EventPageAcknowledged, 3)}, false, -1},
		{"paged, unanswered", []*Event{ev(EventPageStarted, 1), ev(EventPaged, 1), ev(EventPageExhausted, 30)}, true, -1},
		{"acknowledged", []*Event{ev(EventPageStarted, 1), ev(EventPaged, 1), ev(EventPageAcknowledged, 8)}, true, 7 * time.Minute},
		{"second page acknowledged: from the first", []*Event{ev(EventPageStarted, 1), ev(EventPageExhausted, 20),
			ev(EventPageStarted, 40), ev(EventPageAcknowledged, 45)}, true, 44 * time.Minute},
		{"resolved is no acknowledgement", []*Event{ev(EventPageStarted, 1), ev(EventPageResolved, 2)}, true, -1},
	} {
		paged, tta := pagingFacts(tc.events)
		if paged != tc.paged || (tta == nil) != (tc.tta < 0) || (tta != nil && *tta != tc.tta) {
			t.Errorf("%s: paged %v tta %v, want %v %v", tc.name, paged, tta, tc.paged, tc.tta)
		}
	}
}

func TestReport_TimeToAcknowledge(t *testing.T) {
	q := ReportQuery{From: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), GroupBy: GroupByPriority}
	d := func(m int) *time.Duration { x := time.Duration(m) * time.Minute; return &x }
	facts := []TicketFacts{
		{Key: "P1", InRange: true, Paged: true, TimeToAck: d(1)},
		{Key: "P1", InRange: true, Paged: true, TimeToAck: d(3)},
		{Key: "P1", InRange: true, Paged: true, TimeToAck: d(20)},
		{Key: "P1", InRange: true, Paged: true}, // never acknowledged
		{Key: "P1", InRange: true},
		{Key: "P2", InRange: true, Paged: true, TimeToAck: d(10)},
		{Key: "P2", OpenAtEnd: true, Paged: true, TimeToAck: d(99)}, // backlog only: not in the cohort
	}
	rep := AggregateReport(q, facts, q.To)
	p1 := rep.Rows[0].Acknowledge
	if p1.Paged != 4 || p1.Acknowledged != 3 || p1.Mean != 8*time.Minute || p1.Median != 3*time.Minute || p1.P90 != 20*time.Minute {
		t.Errorf("P1 %+v", p1)
	}
	if tot := rep.Total.Acknowledge; tot.Paged != 5 || tot.Acknowledged != 4 || tot.Median != 6*time.Minute+30*time.Second {
		t.Errorf("total %+v", tot)
	}
}

func TestPercentile(t *testing.T) {
	ds := func(ms ...int) []time.Duration {
		var out []time.Duration
		for _, m := range ms {
			out = append(out, time.Duration(m))
		}
		return out
	}
	for _, tc := range []struct {
		in   []time.Duration
		p    int
		want time.Duration
	}{
		{nil, 90, 0}, {ds(5), 90, 5}, {ds(10, 1, 9, 2, 8, 3, 7, 4, 6, 5), 90, 9}, {ds(10, 1, 9, 2, 8, 3, 7, 4, 6, 5, 11), 90, 10},
		{ds(3, 1, 2), 50, 2}, {ds(3, 1, 2), 100, 3}, {ds(3, 1, 2), 1, 1},
	} {
		if got := Percentile(tc.in, tc.p); got != tc.want {
			t.Errorf("p%d of %v = %v, want %v", tc.p, tc.in, got, tc.want)
		}
	}
}
