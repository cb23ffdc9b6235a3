package servicenow

import (
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

func importFile(tb testing.TB, s *sqlstore.Store, path string) Summary {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sum, err := Import(tb.Context(), s, f, Options{})
	if err != nil {
		tb.Fatalf("import %s: %v", path, err)
	}
	return sum
}

// TestImport_RealLog imports the whole real log (141,712 rows, 24,918
// incidents) on each database and checks every stored incident against
// the reference computed straight from the CSV; then imports it again and
// checks that nothing changed.
func TestImport_RealLog(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the full real-log import in -short mode")
	}
	path := incidentLogPath(t)
	ref := computeReference(t, path)
	t.Logf("reference: %d rows, %d incidents, bad rows at lines %v; per final priority:%s",
		ref.rows, len(ref.incidents), ref.badLines, priorityTable(ref.priorities))
	for _, b := range testdb.Backends {
		t.Run(b.Name, func(t *testing.T) {
			s := b.Open(t)
			start := time.Now()
			sum := importFile(t, s, path)
			t.Logf("imported in %s: %d rows, %d incidents, %d events, %d bad rows",
				time.Since(start).Round(time.Millisecond), sum.Rows, sum.Imported, sum.Events, len(sum.BadRows))
			checkSummary(t, ref, sum)
			checkIncidents(t, ref, allTickets(t, s))
			tickets, events := counts(t, s)
			if tickets != len(ref.incidents) || events != sum.Events {
				t.Errorf("stored %d tickets and %d events, want %d and %d", tickets, events, len(ref.incidents), sum.Events)
			}

			again := importFile(t, s, path)
			if again.Imported != 0 || again.Skipped != len(ref.incidents) || again.Events != 0 {
				t.Errorf("second import: %+v, want everything skipped", again)
			}
			if t2, e2 := counts(t, s); t2 != tickets || e2 != events {
				t.Errorf("second import changed the counts: %d tickets, %d events; before %d, %d", t2, e2, tickets, events)
			}
		})
	}
}

func checkSummary(t *testing.T, ref *reference, sum Summary) {
	t.Helper()
	var badLines []int
	for _, b := range sum.BadRows {
		badLines = append(badLines, b.Line)
	}
	if d := cmp.Diff(ref.badLines, badLines); d != "" {
		t.Errorf("bad rows (-reference +import):\n%s", d)
	}
	if sum.Rows != ref.rows || sum.Incidents != len(ref.incidents) || sum.Imported != len(ref.incidents) || sum.Skipped != 0 {
		t.Errorf("summary %d rows, %d incidents, %d imported, %d skipped; reference %d rows, %d incidents",
			sum.Rows, sum.Incidents, sum.Imported, sum.Skipped, ref.rows, len(ref.incidents))
	}
}

func allTickets(t *testing.T, s *sqlstore.Store) map[string]*desk.Ticket {
	t.Helper()
	out := map[string]*desk.Ticket{}
	f := desk.TicketFilter{Limit: desk.MaxPageSize, Visibility: desk.Visibility{AllRestricted: true}}
	for {
		page, err := s.ListTickets(t.Context(), f)
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range page.Tickets {
			out[tk.Number] = tk
		}
		if f.Cursor = page.NextCursor; f.Cursor == "" {
			return out
		}
	}
}

func counts(t *testing.T, s *sqlstore.Store) (tickets, events int) {
	t.Helper()
	db := s.DB()
	if err := db.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM tickets").Scan(&tickets); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM events").Scan(&events); err != nil {
		t.Fatal(err)
	}
	return tickets, events
}

func timeString(t *time.Time) string {
	if t == nil {
		return "none"
	}
	return t.UTC().Format(time.RFC3339)
}

// checkIncidents compares every incident with the stored ticket of its
// number, then the per-priority report.
func checkIncidents(t *testing.T, ref *reference, tickets map[string]*desk.Ticket) {
	t.Helper()
	var mismatches []string
	for number, want := range ref.incidents {
		tk := tickets[number]
		if tk == nil {
			mismatches = append(mismatches, number+": not stored")
			continue
		}
		got := fmt.Sprintf("reassign=%d reopen=%d opened=%s created=%s resolved=%s closed=%s %s %s/%s",
			tk.ReassignmentCount, tk.ReopenCount, timeString(&tk.ReportedAt), timeString(&tk.CreatedAt),
			timeString(tk.ResolvedAt), timeString(tk.ClosedAt), tk.Priority, tk.Impact, tk.Urgency)
		exp := fmt.Sprintf("reassign=%d reopen=%d opened=%s created=%s resolved=%s closed=%s %s %s/%s",
			want.reassignments, want.reopens, timeString(&want.opened), timeString(&want.opened),
			timeString(want.resolved), timeString(want.closed), want.priority, want.impact, want.urgency)
		if got != exp {
			mismatches = append(mismatches, fmt.Sprintf("%s: stored %s\n\twant %s", number, got, exp))
		}
	}
	slices.Sort(mismatches)
	if len(mismatches) > 0 {
		t.Errorf("%d of %d incidents differ from the reference; the first:\n%v",
			len(mismatches), len(ref.incidents), mismatches[:min(10, len(mismatches))])
	}
	if len(tickets) != len(ref.incidents) {
		t.Errorf("%d tickets stored, %d incidents in the log", len(tickets), len(ref.incidents))
	}
	stored := storedPriorities(tickets)
	if d := cmp.Diff(ref.priorities, stored, cmp.AllowUnexported(refPriority{})); d != "" {
		t.Errorf("per-priority report (-reference +stored):\n%s", d)
	}
	t.Logf("per priority from the stored tickets:%s", priorityTable(stored))
}

// storedPriorities computes the per-priority report from stored tickets.
func storedPriorities(tickets map[string]*desk.Ticket) map[desk.Priority]refPriority {
	waits := map[desk.Priority][]time.Duration{}
	counts := map[desk.Priority]int{}
	for _, tk := range tickets {
		counts[tk.Priority]++
		if tk.ResolvedAt != nil {
			waits[tk.Priority] = append(waits[tk.Priority], tk.ResolvedAt.Sub(tk.ReportedAt))
		}
	}
	out := map[desk.Priority]refPriority{}
	for p, n := range counts {
		out[p] = refPriority{count: n, resolved: len(waits[p]), median: median(waits[p])}
	}
	return out
}
