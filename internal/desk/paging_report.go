package desk

import (
	"slices"
	"time"
)

// Time to acknowledge in the TAT report (report.go): a ticket of the
// cohort is paged when a page started on it; its time to acknowledge runs
// from its first page's start to the first acknowledgement after it (by
// link, API, CLI or a staff member taking it), whichever page that
// acknowledges: a ticket whose first page ran out unanswered and whose
// second was acknowledged waited all that time. Resolved and exhausted
// pages are not acknowledgements.

// AckStats summarises the paged tickets of a report row.
type AckStats struct {
	Paged        int // tickets paged
	Acknowledged int // of them, acknowledged
	Mean         time.Duration
	Median       time.Duration
	P90          time.Duration // nearest rank
}

// pagingFacts reads a ticket's history (oldest first) for the report.
func pagingFacts(events []*Event) (paged bool, tta *time.Duration) {
	var start time.Time
	for _, e := range events {
		switch {
		case e.Kind == EventPageStarted && !paged:
			paged, start = true, e.At
		case e.Kind == EventPageAcknowledged && paged:
			d := e.At.Sub(start)
			return true, &d
		}
	}
	return paged, nil
}

func ackStats(paged int, ttas []time.Duration) AckStats {
	return AckStats{Paged: paged, Acknowledged: len(ttas), Mean: Mean(ttas), Median: Median(ttas), P90: Percentile(ttas, 90)}
}

// Percentile is the nearest-rank p-th percentile, 0 for none. It sorts ds
// in place.
func Percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	rank := (p*len(ds) + 99) / 100 // ceil(p/100 * n)
	return ds[max(rank, 1)-1]
}
