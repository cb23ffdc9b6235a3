package devgen_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

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
