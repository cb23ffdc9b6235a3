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

	"github.com/tierdesk/tierdesk/internal/desk"
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
	// Total and From place these tickets in a desk generated in parts:
	// the desk holds Total tickets created over the year, and these are
	// the From-th onwards (so their creation times continue the earlier
	// parts'). Total 0 means Tickets; a part with From > 0 draws its own
	// random stream.
	Total, From int
	// NoAnalyze skips gathering statistics and merging the search index
	// at the end: for every part but the last of a desk generated in parts.
	NoAnalyze bool
	// Bulk loads the tickets through sqlstore.BulkLoad (on SQLite: a big
	// page cache, no fsync, the counters recomputed at the end), for
	// desks of millions; see BulkCacheMiB.
	Bulk bool
}

// BulkCacheMiB is the SQLite page cache of a bulk load.
const BulkCacheMiB = 1024

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
	if o.Total == 0 {
		o.Total = o.Tickets
	}
	if o.From < 0 || o.From+o.Tickets > o.Total {
		return fmt.Errorf("generate: tickets %d from %d do not fit a desk of %d", o.Tickets, o.From, o.Total)
	}
	r := rand.New(rand.NewPCG(uint64(o.Seed), 0x7469657264657368^uint64(o.From)))
	dir, err := buildDirectory(ctx, s, r, o.Requesters)
	if err != nil {
		return fmt.Errorf("generate directory: %w", err)
	}
	g := &ticketGen{r: r, dir: dir, now: o.Now, start: o.Now.AddDate(-1, 0, 0), total: o.Total}
	load := func() error { return g.load(ctx, s, o) }
	if o.Bulk {
		err = s.BulkLoad(ctx, BulkCacheMiB, load)
	} else {
		err = load()
	}
	if err != nil {
		return err
	}
	if o.NoAnalyze {
		return nil
	}
	if err := s.Dialect().Analyze(ctx, s.DB()); err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	return nil
}

// load stores o.Tickets tickets in batches. The next batch is made while
// the store writes the last one, so that the generator's CPU overlaps the
// database's.
func (g *ticketGen) load(ctx context.Context, s *sqlstore.Store, o Options) error {
	type batch struct {
		tickets []*desk.Ticket
		events  [][]desk.Event
	}
	batches := make(chan batch, 1)
	stop, stopped := make(chan struct{}), make(chan struct{})
	defer func() { close(stop); <-stopped }()
	go func() {
		defer close(stopped)
		defer close(batches)
		for done := 0; done < o.Tickets; {
			n := min(batchSize, o.Tickets-done)
			t, e := g.batch(o.From+done, n)
			select {
			case batches <- batch{t, e}:
			case <-stop:
				return
			}
			done += n
		}
	}()
	done := 0
	for b := range batches {
		if err := s.ImportTickets(ctx, b.tickets, b.events); err != nil {
			return fmt.Errorf("generate tickets: %w", err)
		}
		done += len(b.tickets)
		if o.Progress != nil {
			o.Progress(done)
		}
	}
	return nil
}
