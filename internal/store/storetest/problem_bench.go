package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/problem"
	"github.com/tierdesk/tierdesk/internal/testclock"
)

// BenchProblemLink links open incidents of a generated desk to a problem
// one at a time (problem.Service.Link, as "link to existing problem" on
// an incident does: the link, the incident on hold or a linked entry, the
// known error's workaround as a note) and reads the incident's problem
// back as its page does (TicketProblem). Besides ns/op it reports the
// median and 95th percentile of a link, in ms.
func BenchProblemLink(b *testing.B, s desk.Store) {
	st, ok := s.(problem.Store)
	if !ok {
		b.Skipf("%T keeps no problems", s)
	}
	clock := testclock.New(time.Now())
	d := desk.New(s, clock, desk.DefaultConfig)
	admin := &desk.User{Email: "prb-bench-" + time.Now().Format("150405.000000") + "@example.com", Name: "Bench Admin", Role: desk.RoleAdmin, Active: true}
	if err := s.CreateUser(b.Context(), admin); err != nil {
		b.Fatal(err)
	}
	c := desk.WithActor(context.Background(), admin)
	pm := problem.New(st, d, clock)
	p, err := pm.Create(c, problem.Input{Title: "Benchmark: the VPN concentrator drops tunnels"})
	if err != nil {
		b.Fatal(err)
	}
	if _, _, err := pm.PublishWorkaround(c, p.Number(), problem.WorkaroundInput{Text: "Reconnect with the IKEv2 profile."}); err != nil {
		b.Fatal(err)
	}
	page, err := s.ListTickets(b.Context(), desk.TicketFilter{States: []desk.State{desk.StateNew, desk.StateAssigned, desk.StateInProgress},
		Types: []desk.TicketType{desk.TypeIncident}, Limit: desk.MaxPageSize})
	if err != nil {
		b.Fatal(err)
	}
	// The cached desk keeps the links of earlier runs: those are left out.
	var free []string
	for _, t := range page.Tickets {
		if got, err := pm.TicketProblem(c, t.Number); err != nil {
			b.Fatal(err)
		} else if got == nil {
			free = append(free, t.Number)
		}
	}
	var took []time.Duration
	for b.Loop() {
		if len(took) >= len(free) {
			b.Fatalf("only %d open incidents to link", len(free))
		}
		num := free[len(took)]
		start := time.Now()
		if _, err := pm.Link(c, p.Number(), []string{num}); err != nil {
			b.Fatal(err)
		}
		if got, err := pm.TicketProblem(c, num); err != nil || got == nil || got.ID != p.ID {
			b.Fatalf("%s's problem: %v %v", num, got, err)
		}
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2])/1e6, "p50-ms")
	b.ReportMetric(float64(took[len(took)*95/100])/1e6, "p95-ms")
}
