package storetest

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// BenchSizes are the desk sizes the queue benchmarks run at.
var BenchSizes = []struct {
	Name    string
	Tickets int
}{{"100k", 100_000}, {"1M", 1_000_000}}

// BenchCreateTicket measures CreateTicket with a created event, the write
// of every new ticket: one writer after another, and 16 at once (the
// database serialises them; this shows what queueing costs).
func BenchCreateTicket(b *testing.B, s desk.Store) {
	create := benchCreator(b, s)
	b.Run("Serial", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			create(b, i)
		}
	})
	b.Run("Parallel16", func(b *testing.B) {
		b.SetParallelism(16 / runtime.GOMAXPROCS(0))
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i++ {
				create(b, i)
			}
		})
	})
}

// benchCreator returns a function creating ticket i in s's default group.
func benchCreator(b *testing.B, s desk.Store) func(*testing.B, int) {
	g, err := s.DefaultGroup(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	u, err := s.EnsureRequester(b.Context(), &desk.User{Email: "bench@example.com", Name: "Bench", Role: desk.RoleRequester, Active: true})
	if err != nil {
		b.Fatal(err)
	}
	return func(b *testing.B, i int) {
		now := time.Now().UTC()
		tk := &desk.Ticket{
			Type: desk.TypeIncident, Title: fmt.Sprintf("Printer %d does not print", i),
			Description: "The printer on the third floor prints blank pages since the update.",
			State:       desk.StateNew, Impact: desk.LevelMedium, Urgency: desk.LevelHigh, Priority: desk.P2,
			Group: desk.GroupRef{ID: g.ID}, Requester: desk.Person{ID: u.ID}, Channel: desk.ChannelPortal,
			ReportedAt: now, CreatedAt: now, UpdatedAt: now,
		}
		ev := []desk.Event{{At: now, Actor: &desk.Ref{ID: u.ID}, Kind: desk.EventCreated, Public: true}}
		if _, err := s.CreateTicket(b.Context(), tk, ev, nil); err != nil {
			b.Error(err)
		}
	}
}

// BenchListGroupQueue measures the first page (50) of the default group's
// open queue by priority, as an agent of that group sees it: the desk's
// most frequent query.
func BenchListGroupQueue(b *testing.B, s desk.Store) {
	ctx := b.Context()
	g, err := s.DefaultGroup(ctx)
	if err != nil {
		b.Fatal(err)
	}
	f := desk.TicketFilter{
		GroupIDs: []int64{g.ID}, States: desk.OpenStates, Sort: desk.SortPriority, Limit: 50,
		Visibility: desk.Visibility{RestrictedGroups: []int64{g.ID}},
	}
	p, err := s.ListTickets(ctx, f)
	if err != nil {
		b.Fatal(err)
	}
	if len(p.Tickets) != 50 || p.NextCursor == "" {
		b.Fatalf("queue page has %d tickets, cursor %q: the desk is too small", len(p.Tickets), p.NextCursor)
	}
	for b.Loop() {
		if _, err := s.ListTickets(ctx, f); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchSearch measures the first page (50, newest first) of a free-text
// search for a word in about 3% of generated tickets and for one in about
// a third of them.
func BenchSearch(b *testing.B, s desk.Store) {
	for _, q := range []struct{ name, query string }{{"Uncommon", "Принтер"}, {"Common", "network"}} {
		b.Run(q.name, func(b *testing.B) {
			f := desk.TicketFilter{Query: q.query, Sort: desk.SortCreated, Desc: true, Limit: 50}
			for b.Loop() {
				p, err := s.ListTickets(b.Context(), f)
				if err != nil {
					b.Fatal(err)
				}
				if len(p.Tickets) != 50 {
					b.Fatalf("%d tickets match %q: the desk is too small", len(p.Tickets), q.query)
				}
			}
		})
	}
}
