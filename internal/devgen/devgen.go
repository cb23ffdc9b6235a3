// Package devgen fills a store with a realistic synthetic service desk for
// development and benchmarks: groups on three lines, agents, thousands of
// requesters, a category tree, services, and any number of tickets with
// their history. Tickets go in through sqlstore's bulk import (multi-row
// INSERTs in large transactions), so a million takes minutes, not hours,
// and ticket numbers and search documents stay consistent: numbers continue
// after generation and generated text is searchable.
package devgen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// Version changes whenever the generated data does, so that caches of
// generated desks (the benchmarks') know to regenerate.
const Version = 2 // 2: tickets carry their SLA status

// Options says what to generate.
type Options struct {
	Tickets    int   // tickets to add
	Requesters int   // requesters to draw from; default 10,000
	Seed       int64 // the same seed gives the same desk
	// Now ends the year over which tickets were created; default time.Now.
	Now time.Time
	// Progress, when set, is called after each batch with the number of
	// tickets stored so far.
	Progress func(done int)
}

// batchSize is the number of tickets per transaction: large enough to
// amortise commits, small enough to report progress and bound memory.
const batchSize = 5000

// Generate adds a synthetic desk to s. The directory (groups, agents,
// requesters, categories, services) is created on first use and reused by
// name on later runs, so generating twice adds tickets to the same desk.
func Generate(ctx context.Context, s *sqlstore.Store, o Options) error {
	if o.Requesters == 0 {
		o.Requesters = 10000
	}
	if o.Now.IsZero() {
		o.Now = time.Now().UTC()
	}
	r := rand.New(rand.NewPCG(uint64(o.Seed), 0x7469657264657368))
	dir, err := buildDirectory(ctx, s, r, o.Requesters)
	if err != nil {
		return fmt.Errorf("generate directory: %w", err)
	}
	g := &ticketGen{r: r, dir: dir, now: o.Now, start: o.Now.AddDate(-1, 0, 0), total: o.Tickets}
	for done := 0; done < o.Tickets; {
		n := min(batchSize, o.Tickets-done)
		tickets, events := g.batch(done, n)
		if err := s.ImportTickets(ctx, tickets, events); err != nil {
			return fmt.Errorf("generate tickets: %w", err)
		}
		done += n
		if o.Progress != nil {
			o.Progress(done)
		}
	}
	if err := s.Dialect().Analyze(ctx, s.DB()); err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	return nil
}
