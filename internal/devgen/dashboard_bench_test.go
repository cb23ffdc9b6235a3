package devgen_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/devgen"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// BenchmarkDashboard measures the whole dashboard (desk.Dashboard: the
// queue counts, the open tickets' figures, attainment and satisfaction)
// for an administrator of a generated desk of 1,000 and 100,000 tickets
// (17 % open), on both databases; and of 1,000,000 when
// TIERDESK_BENCH_1M names the databases to build it on ("sqlite",
// "sqlite,postgres"): generating it takes minutes.
func BenchmarkDashboard(b *testing.B) {
	sizes := []int{1000, 100_000, 1_000_000}
	for _, db := range testdb.Backends {
		b.Run(db.Name, func(b *testing.B) {
			for _, n := range sizes {
				b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
					if n >= 1_000_000 && !slices.Contains(strings.Split(os.Getenv("TIERDESK_BENCH_1M"), ","), db.Name) {
						b.Skip("set TIERDESK_BENCH_1M=" + db.Name + " to build a desk of 1,000,000 tickets")
					}
					s := db.Open(b)
					if err := devgen.Generate(b.Context(), s, devgen.Options{Tickets: n, Seed: 1}); err != nil {
						b.Fatal(err)
					}
					admin := &desk.User{Email: "dash-admin@example.com", Name: "Admin", Role: desk.RoleAdmin, Active: true}
					if err := s.CreateUser(b.Context(), admin); err != nil {
						b.Fatal(err)
					}
					d := desk.New(s, desk.SystemClock{}, desk.DefaultConfig)
					ctx := desk.WithActor(b.Context(), admin)
					for b.Loop() {
						if _, err := d.Dashboard(ctx, desk.DashboardQuery{}); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkQueueCountsByTimeOfDay measures the console's queue counts (the
// breached count is the open tickets minus those not yet due) and the
// dashboard's counts (also the backlog's ages: open tickets created after
// now - 1, 3, 7, 30 days) on a desk of 100,000 tickets generated at 13:30
// UTC, asked just after midnight UTC and late in the evening: before
// migration 00069 the rest of the current day (of each age bound's day)
// was counted ticket by ticket, so just after midnight cost the most; with
// the hourly counters every exact part is at most an hour of tickets.
func BenchmarkQueueCountsByTimeOfDay(b *testing.B) {
	generated := time.Date(2026, 6, 1, 13, 30, 0, 0, time.UTC)
	for _, db := range testdb.Backends {
		b.Run(db.Name, func(b *testing.B) {
			s := db.Open(b)
			if err := devgen.Generate(b.Context(), s, devgen.Options{Tickets: 100_000, Seed: 1, Now: generated}); err != nil {
				b.Fatal(err)
			}
			scope := desk.DashboardScope{Visibility: desk.Visibility{AllRestricted: true}}
			for _, at := range []string{"00:04", "23:25"} {
				b.Run(at, func(b *testing.B) {
					clock, _ := time.Parse("15:04", at)
					now := generated.Truncate(24 * time.Hour).Add(time.Duration(clock.Hour())*time.Hour + time.Duration(clock.Minute())*time.Minute)
					b.Run("queues", func(b *testing.B) {
						for b.Loop() {
							if _, err := s.GroupQueueCounts(b.Context(), scope, now, now.Add(time.Hour)); err != nil {
								b.Fatal(err)
							}
						}
					})
					b.Run("dashboard", func(b *testing.B) {
						for b.Loop() {
							if _, err := s.DashboardCounts(b.Context(), scope, desk.PeriodStarts(now, nil), now); err != nil {
								b.Fatal(err)
							}
						}
					})
				})
			}
		})
	}
}
