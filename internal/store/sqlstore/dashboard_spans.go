package sqlstore

// A period of the dashboard, [from, to) in Unix microseconds, is counted
// from counters where they cover it and from the tickets where they do
// not: the tickets of the part-hour it begins in, the counters by hour
// (kinds …_h, migration 00064) up to the first midnight UTC, by day up to
// the last, by hour again up to the hour to ends at. So a month costs
// about 30 days' and 48 hours' counter rows and at most an hour of
// tickets, whatever the desk's size, where it cost every ticket of the
// month (the promise: 5.6 s a dashboard view at 10M tickets).

// hourMicros is an hour in Unix microseconds: the hourly counters' day
// column is a time divided by it.
const hourMicros = 60 * 60 * 1_000_000

// span splits [from, to) for the counters: to is on an hour. head is
// the part-hour [from, hour) counted from the tickets; hours1 and hours2
// are hour numbers and days day numbers, each a half-open range (lo, hi),
// empty when lo >= hi. When from is not before to, everything is empty.
type span struct {
	head           [2]int64 // microseconds
	hours1, hours2 [2]int64 // hour numbers
	days           [2]int64 // day numbers
}

func ceilDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a > 0 {
		q++
	}
	return q
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

func splitSpan(from, to int64) span {
	if from >= to {
		return span{head: [2]int64{from, from}, hours1: [2]int64{0, 0}, hours2: [2]int64{0, 0}, days: [2]int64{0, 0}}
	}
	h0 := min(ceilDiv(from, hourMicros)*hourMicros, to)
	sp := span{head: [2]int64{from, h0}}
	d0 := ceilDiv(h0, dayMicros) * dayMicros
	d1 := floorDiv(to, dayMicros) * dayMicros
	if d0 >= d1 { // no whole day: hours from h0 to to
		sp.hours1 = [2]int64{h0 / hourMicros, to / hourMicros}
		return sp
	}
	sp.hours1 = [2]int64{h0 / hourMicros, d0 / hourMicros}
	sp.days = [2]int64{d0 / dayMicros, d1 / dayMicros}
	sp.hours2 = [2]int64{d1 / hourMicros, to / hourMicros}
	return sp
}

// spanCounters adds the counter branches of sp: kind by day, kind+"_h" by
// hour, each as part with cols (seven, see countRow) and groupBy.
func (q *countQuery) spanCounters(sp span, part, kind, cols, groupBy string) {
	for _, r := range []struct {
		kind string
		rng  [2]int64
	}{{kind + "_h", sp.hours1}, {kind, sp.days}, {kind + "_h", sp.hours2}} {
		q.counters(part, r.kind, cols, "t.day >= "+q.a.add(r.rng[0])+" AND t.day < "+q.a.add(r.rng[1]), groupBy)
	}
}
