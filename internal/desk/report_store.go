package desk

import (
	"context"
	"time"
)

// ReportStore streams the tickets a report needs.
type ReportStore interface {
	// ReportTickets calls fn with successive pages of tickets, ordered by
	// creation time then id, each with the events of its tickets that carry changes or are
	// escalations (oldest first, keyed by ticket id). The pages hold every
	// ticket created in [from, to) and every ticket created before from
	// that may have been open at to (not resolved, closed or canceled
	// before to); fn decides. Restricted tickets are included: reports
	// publish aggregates only. A page is at most MaxPageSize tickets and
	// is not kept after fn returns; an error from fn stops the scan.
	// Tickets carry what reports use: ids, type, state, priority, refs with
	// names (group, category, subcategory, service), channel, times and
	// counters; their text fields may be empty.
	ReportTickets(ctx context.Context, from, to time.Time, fn func(page []*Ticket, events map[int64][]*Event) error) error
}
