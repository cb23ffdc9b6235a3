package desk

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
)

// What the table of firing alerts shows at most.
const (
	alertTableLabels = 12 // label names, those that tell alerts apart first
	alertTableValues = 6  // values of each, the most common first
)

// grouped reports whether the group holds more than one alert: a single
// alert's incident says everything in its description already.
func (g *AlertGroup) grouped() bool {
	return len(g.Members) > 1 || g.Unstored > 0
}

// summaryEvent is the group's table entry when what fires changed and the
// incident is there (open) to show it; nil otherwise.
func summaryEvent(g *AlertGroup, changed bool) *Event {
	if !changed || g.TicketID == 0 || !g.TicketState.IsOpen() || !g.grouped() {
		return nil
	}
	firing, known := g.counts()
	return &Event{Kind: EventAlertFiring, Public: false, Body: AlertTable(g),
		Changes: []Change{{Field: "alerts_firing", New: fmt.Sprint(firing)},
			{Field: "alerts_known", New: fmt.Sprint(known)}}}
}

// counts returns how many alerts fire and how many the group knows of,
// the ones not stored included.
func (g *AlertGroup) counts() (firing, known int64) {
	for _, st := range g.Members {
		if st == AlertFiring {
			firing++
		}
	}
	return firing + g.UnstoredFiring, int64(len(g.Members)) + g.Unstored
}

// AlertTable says how many of the group's alerts fire, and which: each
// label of the firing alerts with its number of distinct values and the
// most common ones, labels that tell the alerts apart first, both capped.
func AlertTable(g *AlertGroup) string {
	firing, known := g.counts()
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d alerts firing.\n", firing, known)
	if g.Unstored > 0 {
		fmt.Fprintf(&b, "%d alerts of the last notification were not stored (%d of them firing): an incident keeps at most %d alerts.\n",
			g.Unstored, g.UnstoredFiring, MaxAlertMembers)
	}
	values := map[string]map[string]int{} // label → value → firing alerts
	for fp, labels := range g.Labels {
		if g.Members[fp] != AlertFiring {
			continue
		}
		for k, v := range labels {
			if values[k] == nil {
				values[k] = map[string]int{}
			}
			values[k][v]++
		}
	}
	if len(values) == 0 {
		return strings.TrimSpace(b.String())
	}
	names := slices.SortedFunc(maps.Keys(values), func(a, c string) int {
		return cmp.Or(cmp.Compare(len(values[c]), len(values[a])), cmp.Compare(a, c))
	})
	b.WriteString("\n")
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "label\tdistinct values\tvalues (firing alerts)")
	for _, name := range names[:min(len(names), alertTableLabels)] {
		fmt.Fprintf(w, "%s\t%d\t%s\n", name, len(values[name]), topValues(values[name]))
	}
	_ = w.Flush()
	if len(names) > alertTableLabels {
		fmt.Fprintf(&b, "… and %d more labels\n", len(names)-alertTableLabels)
	}
	return strings.TrimSpace(b.String())
}

// topValues lists the most common values with their counts.
func topValues(counts map[string]int) string {
	vals := slices.SortedFunc(maps.Keys(counts), func(a, c string) int {
		return cmp.Or(cmp.Compare(counts[c], counts[a]), cmp.Compare(a, c))
	})
	parts := make([]string, 0, alertTableValues+1)
	for _, v := range vals[:min(len(vals), alertTableValues)] {
		parts = append(parts, fmt.Sprintf("%s ×%d", v, counts[v]))
	}
	if len(vals) > alertTableValues {
		parts = append(parts, fmt.Sprintf("… %d more", len(vals)-alertTableValues))
	}
	return strings.Join(parts, ", ")
}
