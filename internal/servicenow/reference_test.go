package servicenow

import (
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// This file computes, straight from the CSV, the figures the import must
// reproduce. It deliberately shares no code with the importer (no Source,
// no mapping): it reads the file with encoding/csv on its own terms.

// incidentLogPath finds the real export: $TIERDESK_SHARED_DATA, else
// ../shared/data next to the repository root (the directory of go.mod).
// Without it the test skips, except under CI=true, where it fails.
func incidentLogPath(tb testing.TB) string {
	tb.Helper()
	return testdb.SharedData(tb, filepath.Join("servicenow-incident-log", "incident_event_log.csv.gz"))
}

// refIncident is one incident as the CSV states it.
type refIncident struct {
	reassignments, reopens int
	opened                 time.Time
	resolved, closed       *time.Time // nil: not resolved / not closed at the end
	priority               desk.Priority
	impact, urgency        desk.Level
	rows                   int
	states                 []refState // every row's state, in time order
}

// refState is the incident's source state from a row's time on.
type refState struct {
	at    time.Time
	state string
}

// refPriority is the per-priority report: count and median open→resolved.
type refPriority struct {
	count, resolved int
	median          time.Duration
}

// matrixCell counts the events of one impact × urgency cell by the
// priority the source gave them.
type matrixCell struct {
	impact, urgency desk.Level
	source, ours    desk.Priority
}

type reference struct {
	incidents  map[string]*refIncident
	badLines   []int
	rows       int
	priorities map[desk.Priority]refPriority
	matrix     map[matrixCell]int // every good row (event), by cell
}

// refRow is the little of a row the reference needs.
type refRow struct {
	line                     int
	state                    string
	updated                  time.Time
	mod, reassign, reopen    int
	opened, resolved, closed string
	impact, urgency, prio    string
}

var refStates = map[string]bool{"New": true, "Active": true, "Awaiting User Info": true, "Awaiting Evidence": true,
	"Awaiting Vendor": true, "Awaiting Problem": true, "Resolved": true, "Closed": true}

var refLevels = map[string]desk.Level{"1 - High": desk.LevelHigh, "2 - Medium": desk.LevelMedium, "3 - Low": desk.LevelLow}

var refPriorities = map[string]desk.Priority{"1 - Critical": desk.P1, "2 - High": desk.P2, "3 - Moderate": desk.P3, "4 - Low": desk.P4}

func refTime(tb testing.TB, v string) *time.Time {
	if v == "?" {
		return nil
	}
	t, err := time.Parse("2/1/2006 15:04", v) // UTC: the documented reading
	if err != nil {
		tb.Fatalf("reference: time %q: %v", v, err)
	}
	return &t
}

// computeReference reads the whole log.
func computeReference(tb testing.TB, path string) *reference {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	r := csv.NewReader(zr)
	header, err := r.Read()
	if err != nil {
		tb.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	ref := &reference{incidents: map[string]*refIncident{}, matrix: map[matrixCell]int{}}
	byNumber := map[string][]refRow{}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			tb.Fatalf("reference: line %d: %v", line, err)
		}
		ref.rows++
		v := func(name string) string { return rec[col[name]] }
		if !refStates[v("incident_state")] {
			ref.badLines = append(ref.badLines, line)
			continue
		}
		atoi := func(name string) int {
			n, err := strconv.Atoi(v(name))
			if err != nil {
				tb.Fatalf("reference: line %d: %s: %v", line, name, err)
			}
			return n
		}
		byNumber[v("number")] = append(byNumber[v("number")], refRow{
			line: line, state: v("incident_state"), updated: *refTime(tb, v("sys_updated_at")),
			mod: atoi("sys_mod_count"), reassign: atoi("reassignment_count"), reopen: atoi("reopen_count"),
			opened: v("opened_at"), resolved: v("resolved_at"), closed: v("closed_at"),
			impact: v("impact"), urgency: v("urgency"), prio: v("priority"),
		})
	}
	for number, rows := range byNumber {
		ref.incidents[number] = ref.incident(tb, rows)
	}
	ref.priorities = ref.byPriority()
	return ref
}

// incident derives one incident's figures: counts are the largest the log
// shows (ServiceNow only ever raises them), times come from its columns,
// the final state and priority from its latest row.
func (ref *reference) incident(tb testing.TB, rows []refRow) *refIncident {
	sort.SliceStable(rows, func(i, j int) bool {
		if !rows[i].updated.Equal(rows[j].updated) {
			return rows[i].updated.Before(rows[j].updated)
		}
		return rows[i].mod < rows[j].mod
	})
	last := rows[len(rows)-1]
	inc := &refIncident{opened: *refTime(tb, last.opened), rows: len(rows),
		priority: refPriorities[last.prio], impact: refLevels[last.impact], urgency: refLevels[last.urgency]}
	for _, r := range rows {
		inc.states = append(inc.states, refState{at: r.updated, state: r.state})
		inc.reassignments = max(inc.reassignments, r.reassign)
		inc.reopens = max(inc.reopens, r.reopen)
		cell := matrixCell{impact: refLevels[r.impact], urgency: refLevels[r.urgency], source: refPriorities[r.prio]}
		cell.ours = desk.DefaultMatrix.Priority(cell.impact, cell.urgency)
		ref.matrix[cell]++
	}
	if last.state == "Resolved" || last.state == "Closed" {
		inc.resolved = refTime(tb, last.resolved)
		if inc.resolved == nil { // the column is empty: when it last became Resolved
			for i, r := range rows {
				if r.state == "Resolved" && (i == 0 || rows[i-1].state != "Resolved") {
					inc.resolved = &rows[i].updated
				}
			}
		}
	}
	if last.state == "Closed" {
		inc.closed = refTime(tb, last.closed)
	}
	return inc
}

func (ref *reference) byPriority() map[desk.Priority]refPriority {
	waits := map[desk.Priority][]time.Duration{}
	counts := map[desk.Priority]int{}
	for _, inc := range ref.incidents {
		counts[inc.priority]++
		if inc.resolved != nil {
			waits[inc.priority] = append(waits[inc.priority], inc.resolved.Sub(inc.opened))
		}
	}
	out := map[desk.Priority]refPriority{}
	for p, n := range counts {
		out[p] = refPriority{count: n, resolved: len(waits[p]), median: median(waits[p])}
	}
	return out
}

// median of durations; the mean of the middle two for an even count.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// priorityTable renders a per-priority report for the test log.
func priorityTable(m map[desk.Priority]refPriority) string {
	var b strings.Builder
	for _, p := range desk.Priorities {
		r := m[p]
		fmt.Fprintf(&b, "\n  %s: %6d incidents, %6d resolved, median open→resolved %s", p, r.count, r.resolved, r.median)
	}
	return b.String()
}

// TestReference_Matrix checks that our default impact × urgency matrix gives
// the priority the source gave, on every good row (every event) of the log.
func TestReference_Matrix(t *testing.T) {
	ref := computeReference(t, incidentLogPath(t))
	cells := make([]matrixCell, 0, len(ref.matrix))
	for c := range ref.matrix {
		cells = append(cells, c)
	}
	slices.SortFunc(cells, func(a, b matrixCell) int {
		return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
	})
	var b strings.Builder
	total, bad := 0, 0
	for _, c := range cells {
		n := ref.matrix[c]
		total += n
		mark := "agrees"
		if c.source != c.ours {
			mark = "MISMATCH"
			bad += n
		}
		fmt.Fprintf(&b, "\n  impact %-6s urgency %-6s source %s ours %s: %6d events, %s", c.impact, c.urgency, c.source, c.ours, n, mark)
	}
	t.Logf("default matrix against the source's priority on %d events, %d mismatches:%s", total, bad, b.String())
	if bad > 0 {
		t.Errorf("desk.DefaultMatrix disagrees with the source's priority on %d of %d events", bad, total)
	}
}
