package desk

import (
	"context"
	"time"
)

// OpsSnapshot is what an operator's monitoring reads of the whole desk at
// one instant (internal/metrics exports it). Every figure is the
// database's, so every instance reports the same values.
type OpsSnapshot struct {
	// Backlog counts open tickets by line and priority.
	Backlog []BacklogCount
	// OldestDueTimer is the due time of the oldest SLA or auto-close timer
	// that is due (at or before the snapshot) and not handled yet; nil when
	// none is. The job runner's lag is the time since then.
	OldestDueTimer *time.Time
	// DueTimers counts those timers.
	DueTimers int64
	// Outbox counts the messages not sent, by kind and state ("queued",
	// "failed" for good).
	Outbox []OutboxCount
	// Alerts are the integrations' counters summed by integration kind.
	Alerts []AlertCounters
	// Pages counts pages (see PageStats).
	Pages PageStats
}

// BacklogCount is the number of open tickets on one line at one priority.
type BacklogCount struct {
	Line     Line
	Priority Priority
	N        int64
}

// OutboxCount is the number of unsent outbox messages of one kind in one
// state.
type OutboxCount struct {
	Kind  OutboxKind
	State string // "queued" or "failed"
	N     int64
}

// AlertCounters are the counters of the integrations of one kind.
type AlertCounters struct {
	Kind            IntegrationKind
	Received        int64
	Deduplicated    int64
	Overflowed      int64
	IncidentsOpened int64
	Integrations    int64
}

// PageStats counts pages ever started, acknowledged and active now, and
// the acknowledged ones by how long acknowledging took: AckWithin[i]
// counts those acknowledged within AckBuckets[i] (cumulative).
type PageStats struct {
	Started      int64
	Acknowledged int64
	Active       int64
	AckSeconds   float64 // the sum of the times to acknowledge
	AckWithin    []int64
}

// AckBuckets are the upper bounds of PageStats.AckWithin, in seconds.
var AckBuckets = []float64{30, 60, 120, 300, 600, 900, 1800, 3600, 7200}

// OpsStore reads an OpsSnapshot. It is not part of Store: only the
// metrics adapter needs it, and it reads counters and partial indexes
// only, so a scrape costs the same on a desk of any size.
type OpsStore interface {
	OpsSnapshot(ctx context.Context, now time.Time) (*OpsSnapshot, error)
}
