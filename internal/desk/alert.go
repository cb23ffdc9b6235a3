package desk

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Alert intake (issue 6). A monitoring system posts notifications to an
// integration; the intake adapter (internal/alertin) parses them into
// AlertNotices, one per dedup key, and ReceiveAlerts folds each into the
// key's AlertGroup: the first firing alert of a key opens an incident,
// repeats are counted on it, and when every alert of the group has
// resolved the incident is told (and, if its rule says so, resolved).

// AlertStatus is what a monitoring system says of one alert.
type AlertStatus string

// Alert statuses.
const (
	AlertFiring   AlertStatus = "firing"
	AlertResolved AlertStatus = "resolved"
)

// Event kinds recorded by the alert intake; both are internal.
const (
	// EventAlertRepeated is the one aggregated entry per incident that
	// counts repeated alerts: it is rewritten in place on every repeat
	// instead of one entry per repeat.
	EventAlertRepeated EventKind = "alert_repeated"
	// EventAlertResolved says that every alert of the incident resolved.
	EventAlertResolved EventKind = "alert_resolved"
	// EventAlertFiring is the one entry per incident of a group of several
	// alerts that says how many fire and which (a table of their distinct
	// label values), rewritten in place as alerts fire and resolve.
	EventAlertFiring EventKind = "alert_firing"
)

// Limits on what one notification may carry. A notification may hold any
// number of alerts (the HTTP adapter bounds its size): refusing a large
// group would leave its outage unregistered, since senders do not retry a
// refusal.
const (
	MaxDedupKeyLen = 2_000
	MaxAlertLabels = 100
	MaxAlertLinks  = 20
	MaxLabelLen    = 1_000
)

// Limits on what an incident keeps of its alerts.
const (
	// MaxAlertMembers is how many distinct alerts (fingerprints) a group
	// keeps, with their status and labels; later ones are counted as not
	// stored (AlertGroup.Unstored) and said so on the incident.
	MaxAlertMembers = 1_000
	// MaxMemberLabels and MaxMemberLabelLen bound the labels kept of each
	// firing alert (by name order; values cut).
	MaxMemberLabels   = 30
	MaxMemberLabelLen = 200
)

// AlertLink is a link a monitoring system attaches (runbook, graph).
type AlertLink struct {
	URL  string `json:"url"`
	Text string `json:"text,omitempty"`
}

// Alert is one alert of a notification, normalised from any kind.
type Alert struct {
	// Fingerprint tells the alerts of one dedup key apart (Alertmanager and
	// Grafana fingerprints); empty means the dedup key itself.
	Fingerprint string            `json:"fingerprint"`
	Status      AlertStatus       `json:"status"`
	Summary     string            `json:"summary"`
	Details     string            `json:"details,omitempty"`
	Severity    string            `json:"severity,omitempty"` // lower-case, as sent
	Labels      map[string]string `json:"labels,omitempty"`
	Links       []AlertLink       `json:"links,omitempty"`
	StartsAt    *time.Time        `json:"starts_at,omitempty"`
	EndsAt      *time.Time        `json:"ends_at,omitempty"`
}

// AlertNotice is what one notification says about one dedup key.
type AlertNotice struct {
	DedupKey string
	Alerts   []Alert
	// Truncated counts the alerts the sender left out of the notification
	// (Alertmanager's truncatedAlerts, with max_alerts set).
	Truncated int
}

// AlertGroup is the stored state of one dedup key of an integration.
type AlertGroup struct {
	ID            int64
	IntegrationID int64
	DedupKey      string
	// Generation counts the incidents opened for the key; TicketID is the
	// current generation's incident, 0 while it is being opened.
	Generation int
	TicketID   int64
	Status     AlertStatus
	Members    map[string]AlertStatus // fingerprint → status, at most MaxAlertMembers
	// Labels are the labels of the firing members (fingerprint → labels,
	// cut to MaxMemberLabels), for the table of what fires.
	Labels  map[string]map[string]string
	Opening Alert // the alert that opened the current generation
	// Unstored counts the alerts of the last notification that were not
	// kept (beyond MaxAlertMembers, or truncated by the sender),
	// UnstoredFiring those of them known to fire: while any does, the
	// group has not resolved.
	Unstored, UnstoredFiring int64
	SummaryEventID           int64 // the EventAlertFiring entry, 0 before it is written
	// Received counts the alerts of the current generation, Repeats those
	// that repeated an alert already known in the same status.
	Received      int64
	Repeats       int64
	FirstAt       time.Time
	LastAt        time.Time
	ResolvedAt    *time.Time
	RepeatEventID int64

	// Read with the group from its incident; never stored through it.
	TicketNumber     string
	TicketState      State
	TicketResolvedAt *time.Time
}

// AlertAction is what a notice did to its group.
type AlertAction string

// Alert actions.
const (
	AlertOpened   AlertAction = "opened"   // a new incident is (being) opened
	AlertAttached AlertAction = "attached" // counted on the open incident
	AlertReopened AlertAction = "reopened" // fired again within the flap window
	AlertCleared  AlertAction = "resolved" // every alert of the incident resolved
	AlertIgnored  AlertAction = "ignored"  // nothing to do (a resolve of nothing known)
)

// AlertStep is the outcome of folding one notice into its group: the group
// to store, what happened, and the aggregated repeat entry to write on the
// incident's timeline (insert, or rewrite Group.RepeatEventID).
type AlertStep struct {
	Group       AlertGroup
	Action      AlertAction
	Repeats     int64 // alerts of this notice counted as repeats
	RepeatEvent *Event
	// SummaryEvent is the table of firing alerts to write on the incident
	// (insert, or rewrite Group.SummaryEventID) when what fires changed.
	SummaryEvent *Event
	// Stored is false for a notice that changed nothing (AlertIgnored
	// without a group).
	Stored bool
}

// FoldAlert applies notice n, received at now, to group g (nil: the key is
// new). It is pure: the store runs it inside its transaction and stores
// the result.
func FoldAlert(g *AlertGroup, n AlertNotice, flapWindow time.Duration, now time.Time) AlertStep {
	firing := anyFiring(n.Alerts)
	if g == nil {
		if !firing {
			return AlertStep{Action: AlertIgnored}
		}
		ng := AlertGroup{DedupKey: n.DedupKey}
		newGeneration(&ng, n, now)
		return AlertStep{Group: ng, Action: AlertOpened, Stored: true}
	}
	ng := *g
	ng.Members = maps.Clone(g.Members)
	if ng.Members == nil {
		ng.Members = map[string]AlertStatus{}
	}
	ng.Labels = maps.Clone(g.Labels)
	if ng.Labels == nil {
		ng.Labels = map[string]map[string]string{}
	}
	live := ng.TicketID == 0 || ng.TicketState.IsOpen()
	flapping := ng.TicketState == StateResolved && ng.TicketResolvedAt != nil &&
		!now.After(ng.TicketResolvedAt.Add(flapWindow))
	switch {
	case firing && !live && !flapping:
		newGeneration(&ng, n, now)
		return AlertStep{Group: ng, Action: AlertOpened, Stored: true}
	case firing:
		repeats, changed := merge(&ng, n, now)
		ng.Status, ng.ResolvedAt = AlertFiring, nil
		step := AlertStep{Group: ng, Action: AlertAttached, Repeats: repeats, Stored: true}
		if !live {
			step.Action = AlertReopened
		} else if repeats > 0 && ng.TicketID != 0 {
			step.RepeatEvent = repeatEvent(&ng, now)
		}
		step.SummaryEvent = summaryEvent(&step.Group, changed)
		return step
	}
	wasFiring := ng.Status == AlertFiring
	repeats, changed := merge(&ng, n, now)
	step := AlertStep{Group: ng, Action: AlertAttached, Repeats: repeats, Stored: true}
	if repeats > 0 && ng.TicketID != 0 && ng.TicketState.IsOpen() {
		step.RepeatEvent = repeatEvent(&step.Group, now) // the resolving notice's repeats count too
	}
	step.SummaryEvent = summaryEvent(&step.Group, changed)
	if wasFiring && allResolved(ng.Members) && ng.UnstoredFiring == 0 {
		step.Group.Status, step.Group.ResolvedAt = AlertResolved, &now
		step.Action = AlertCleared
	} else if !wasFiring {
		step.Action = AlertIgnored
	}
	return step
}

// newGeneration starts the key's next incident from n.
func newGeneration(g *AlertGroup, n AlertNotice, now time.Time) {
	g.Generation++
	g.TicketID, g.TicketNumber, g.TicketState, g.TicketResolvedAt = 0, "", "", nil
	g.Members, g.Labels = map[string]AlertStatus{}, map[string]map[string]string{}
	g.Received, g.Repeats, g.RepeatEventID, g.SummaryEventID = 0, 0, 0, 0
	g.FirstAt, g.ResolvedAt = now, nil
	g.Status = AlertFiring
	for _, a := range n.Alerts {
		if a.Status == AlertFiring {
			g.Opening = a
			break
		}
	}
	merge(g, n, now)
}

// merge records the notice's alerts in the group (up to MaxAlertMembers
// distinct ones; the rest are counted as not stored) and returns how many
// of them repeated what the group already knew, and whether what fires
// changed.
func merge(g *AlertGroup, n AlertNotice, now time.Time) (repeats int64, changed bool) {
	before := [2]int64{g.Unstored, g.UnstoredFiring}
	g.Unstored, g.UnstoredFiring = int64(n.Truncated), 0
	for _, a := range n.Alerts {
		fp := a.Fingerprint
		if fp == "" {
			fp = n.DedupKey
		}
		old, ok := g.Members[fp]
		switch {
		case !ok && len(g.Members) >= MaxAlertMembers:
			g.Unstored++
			if a.Status == AlertFiring {
				g.UnstoredFiring++
			}
			continue
		case ok && old == a.Status:
			repeats++
		default:
			changed = true
		}
		g.Members[fp] = a.Status
		if g.Labels == nil {
			g.Labels = map[string]map[string]string{}
		}
		if a.Status == AlertFiring {
			g.Labels[fp] = keptLabels(a.Labels)
		} else {
			delete(g.Labels, fp)
		}
	}
	g.Received += int64(len(n.Alerts))
	g.Repeats += repeats
	g.LastAt = now
	return repeats, changed || before != [2]int64{g.Unstored, g.UnstoredFiring}
}

// keptLabels cuts an alert's labels to what a group keeps.
func keptLabels(labels map[string]string) map[string]string {
	keys := slices.Sorted(maps.Keys(labels))
	out := make(map[string]string, min(len(keys), MaxMemberLabels))
	for _, k := range keys[:min(len(keys), MaxMemberLabels)] {
		out[k] = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return ' ' // a tab or line break would break the table's rows
			}
			return r
		}, clipRunes(labels[k], MaxMemberLabelLen))
	}
	return out
}

func anyFiring(alerts []Alert) bool {
	for _, a := range alerts {
		if a.Status == AlertFiring {
			return true
		}
	}
	return false
}

func allResolved(members map[string]AlertStatus) bool {
	for _, s := range members {
		if s != AlertResolved {
			return false
		}
	}
	return true
}

// repeatEvent is the aggregated timeline entry of the group's repeats.
func repeatEvent(g *AlertGroup, now time.Time) *Event {
	return &Event{At: now, Kind: EventAlertRepeated, Public: false,
		Body: fmt.Sprintf("Alert %q repeated %d times (%d alerts received since %s); last at %s.",
			g.Opening.Summary, g.Repeats, g.Received, g.FirstAt.Format(time.RFC3339), now.Format(time.RFC3339)),
		Changes: []Change{{Field: "alert_repeats", New: fmt.Sprint(g.Repeats)},
			{Field: "alerts_received", New: fmt.Sprint(g.Received)}}}
}

// RateWindow applies n more alerts to a fixed one-minute window that began
// at start with count alerts in it. It returns the window after, and false
// (with the window unchanged) when n would exceed limit (0: no limit). A
// window with nothing in it takes a notification of any size: one larger
// than the limit would otherwise be refused for ever.
func RateWindow(start time.Time, count int64, limit int, n int, now time.Time) (time.Time, int64, bool) {
	if now.Sub(start) >= time.Minute || now.Before(start) {
		start, count = now, 0
	}
	if limit > 0 && count > 0 && count+int64(n) > int64(limit) {
		return start, count, false
	}
	return start, count + int64(n), true
}
