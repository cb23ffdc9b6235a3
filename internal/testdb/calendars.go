package testdb

import (
	"context"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// IncidentsOnBusinessHours puts incidents P2–P4 back on the "business"
// calendar, as desks created before migration 14 have them, for tests of
// working-hours arithmetic (a new desk has them round the clock).
func IncidentsOnBusinessHours(tb testing.TB, d *desk.Desk) {
	tb.Helper()
	ctx := desk.AsSystem(context.Background())
	ps, err := d.SLAPolicies(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	for _, p := range ps {
		switch p.Name {
		case "P2 incidents", "P3 incidents", "P4 incidents":
			p.Calendar = "business"
			if err := d.SaveSLAPolicy(ctx, p); err != nil {
				tb.Fatal(err)
			}
		}
	}
}
