package servicenow

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestReport_AgreesWithLog imports the real log into each database and checks the
// TAT report against the reference computed straight from the CSV (in
// reference_test.go, which shares no code with the report): per priority
// the incident count, the resolved count and the median open→resolved
// wall time; overall the reassignment and reopen counts. The report lives
// in desk; this test sits here because servicenow already imports desk and
// sqlstore, so no cycle arises.
//
// The report counts tickets created in its range; 2016-01-01 to 2017-12-31
// covers every incident of the log (opened 2016-02-29 to 2017-02-16), so
// every incident counts.
func TestReport_AgreesWithLog(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the full real-log import in -short mode")
	}
	path := incidentLogPath(t)
	ref := computeReference(t, path)
	for _, b := range testdb.Backends {
		t.Run(b.Name, func(t *testing.T) {
			s := b.Open(t)
			importFile(t, s, path)
			checkReport(t, desk.New(s, desk.SystemClock{}, desk.DefaultConfig), ref)
		})
	}
}

func checkReport(t *testing.T, d *desk.Desk, ref *reference) {
	t.Helper()
	ctx := desk.WithActor(t.Context(), &desk.User{ID: 1, Role: desk.RoleManager, Active: true})
	q := desk.ReportQuery{From: time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC),
		To: time.Date(2017, 12, 31, 0, 0, 0, 0, time.UTC), GroupBy: desk.GroupByPriority}
	start := time.Now()
	rep, err := d.Report(ctx, q)
	if err != nil {
		t.Fatalf("report: %v", err)
	}
	t.Logf("report over %d incidents in %s", rep.Total.Tickets, time.Since(start).Round(time.Millisecond))

	got := map[desk.Priority]refPriority{}
	for _, row := range rep.Rows {
		got[desk.Priority(row.Key)] = refPriority{count: row.Tickets, resolved: row.Resolution.Count,
			median: row.Resolution.MedianWall}
	}
	if d := cmp.Diff(ref.priorities, got, cmp.AllowUnexported(refPriority{})); d != "" {
		t.Errorf("per-priority report (-CSV reference +report):\n%s", d)
	}
	t.Logf("per priority from the report:%s", priorityTable(got))

	var want desk.ReportRow
	for _, inc := range ref.incidents {
		want.Tickets++
		add(&want.Reassignments, inc.reassignments)
		add(&want.Reopens, inc.reopens)
	}
	if rep.Total.Tickets != want.Tickets || rep.Total.Reassignments != want.Reassignments || rep.Total.Reopens != want.Reopens {
		t.Errorf("report total: %d incidents, reassignments %+v, reopens %+v; CSV: %d, %+v, %+v",
			rep.Total.Tickets, rep.Total.Reassignments, rep.Total.Reopens, want.Tickets, want.Reassignments, want.Reopens)
	}
	checkBacklogs(t, d, ctx, ref)
	open := 0 // every incident the log leaves unclosed is open at the end
	for _, inc := range ref.incidents {
		if inc.closed == nil {
			open++
		}
	}
	if rep.Total.Backlog != open {
		t.Errorf("backlog at the end: %d, CSV: %d incidents never closed", rep.Total.Backlog, open)
	}
}

func add(c *desk.CountStats, n int) {
	c.Total += n
	if n > 0 {
		c.Tickets++
	}
}

// checkBacklogs compares the backlog at past instants, which the report
// finds by replaying each ticket's history, with the CSV: an incident is
// open at an instant when it was opened before it and its latest row
// before it (if any) is in an open state.
func checkBacklogs(t *testing.T, d *desk.Desk, ctx context.Context, ref *reference) {
	t.Helper()
	for _, to := range []time.Time{time.Date(2016, 4, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2016, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2016, 10, 1, 0, 0, 0, 0, time.UTC)} {
		rep, err := d.Report(ctx, desk.ReportQuery{From: to.AddDate(0, -1, 0), To: to})
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, inc := range ref.incidents {
			if refOpenAt(inc, to) {
				want++
			}
		}
		if rep.Total.Backlog != want {
			t.Errorf("backlog at %s: report %d, CSV %d", to.Format(time.DateOnly), rep.Total.Backlog, want)
		}
		t.Logf("backlog at %s: %d incidents (ages %v)", to.Format(time.DateOnly), rep.Total.Backlog, rep.Total.BacklogAges)
	}
}

func refOpenAt(inc *refIncident, to time.Time) bool {
	if !inc.opened.Before(to) {
		return false
	}
	state := "New"
	for _, s := range inc.states {
		if s.at.Before(to) {
			state = s.state
		}
	}
	return state != "Resolved" && state != "Closed"
}
