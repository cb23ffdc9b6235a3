package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// BenchReport computes the TAT report over every ticket of a generated
// desk of n tickets (devgen spreads them over the year before it ran, so a
// two-year range ending tomorrow holds them all), through the desk: the
// streamed store scan, each ticket's SLA clocks on its calendar, and the
// aggregation.
func BenchReport(b *testing.B, s desk.Store, n int) {
	d := desk.New(s, desk.SystemClock{}, desk.DefaultConfig)
	ctx := desk.WithActor(context.Background(), &desk.User{ID: 1, Role: desk.RoleManager, Active: true})
	to := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 1)
	for _, by := range []desk.ReportGroupBy{desk.GroupByPriority, desk.GroupByGroup} {
		b.Run(string(by), func(b *testing.B) {
			q := desk.ReportQuery{From: to.AddDate(0, 0, -730), To: to, GroupBy: by}
			var rep *desk.Report
			for b.Loop() {
				var err error
				if rep, err = d.Report(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
			if rep.Total.Tickets != n {
				b.Fatalf("report counted %d tickets, want %d", rep.Total.Tickets, n)
			}
		})
	}
}
