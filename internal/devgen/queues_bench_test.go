package devgen_test

import (
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/devgen"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// BenchmarkSLAQueue measures the first page (50) of a group's open queue
// by next SLA deadline, as the console opens it, for a group with 100,000
// open tickets, one with 1,000 and one with ten, on both databases; and the dashboard's
// counts over the big group.
func BenchmarkSLAQueue(b *testing.B) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	for _, db := range testdb.Backends {
		b.Run(db.Name, func(b *testing.B) {
			s := db.Open(b)
			q, err := devgen.GenerateQueues(b.Context(), s, 100_000, now)
			if err != nil {
				b.Fatal(err)
			}
			page := func(g *desk.Group, f desk.TicketFilter) desk.TicketFilter {
				f.GroupIDs, f.States, f.Limit = []int64{g.ID}, desk.OpenStates, 50
				f.Visibility = desk.Visibility{RestrictedGroups: []int64{g.ID}}
				if f.Sort == "" {
					f.Sort = desk.SortSLA
				}
				return f
			}
			first, err := s.ListTickets(b.Context(), page(q.Big, desk.TicketFilter{}))
			if err != nil || len(first.Tickets) != 50 {
				b.Fatalf("big queue: %v", err)
			}
			for _, c := range []struct {
				name string
				f    desk.TicketFilter
			}{
				{"Big", page(q.Big, desk.TicketFilter{})},
				{"Medium", page(q.Medium, desk.TicketFilter{})},
				{"Small", page(q.Small, desk.TicketFilter{})},
				{"BigNextPage", page(q.Big, desk.TicketFilter{Cursor: first.NextCursor})},
				{"BigUnassigned", page(q.Big, desk.TicketFilter{AssigneeID: new(int64)})},
				{"BigBreached", page(q.Big, desk.TicketFilter{SLADueTo: &now})},
				{"BigAboutToBreach", page(q.Big, desk.TicketFilter{SLADueFrom: &now, SLADueTo: ptr(now.Add(time.Hour))})},
				{"BigByPriority", page(q.Big, desk.TicketFilter{Sort: desk.SortPriority})},
			} {
				b.Run(c.name, func(b *testing.B) {
					for b.Loop() {
						if _, err := s.ListTickets(b.Context(), c.f); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
			b.Run("BigDashboardCounts", func(b *testing.B) {
				scope := desk.DashboardScope{GroupIDs: []int64{q.Big.ID}, Visibility: desk.Visibility{RestrictedGroups: []int64{q.Big.ID}}}
				for b.Loop() {
					if _, err := s.DashboardCounts(b.Context(), scope, desk.PeriodStarts(now, nil), now); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

func ptr[T any](v T) *T { return &v }
