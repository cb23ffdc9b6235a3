package desk

import (
	"fmt"
	"maps"
	"time"
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
)

// Limits on what one notification may carry.
const (
	MaxDedupKeyLen   = 2_000
	MaxAlertsPerPost = 1_000
	MaxAlertLabels   = 100
	MaxAlertLinks    = 20
	MaxLabelLen      = 1_000
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
	Members    map[string]AlertStatus // fingerprint → status
	Opening    Alert                  // the alert that opened the current generation
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
	live := ng.TicketID == 0 || ng.TicketState.IsOpen()
	flapping := ng.TicketState == StateResolved && ng.TicketResolvedAt != nil &&
		!now.After(ng.TicketResolvedAt.Add(flapWindow))
	switch {
	case firing && !live && !flapping:
		newGeneration(&ng, n, now)
		return AlertStep{Group: ng, Action: AlertOpened, Stored: true}
	case firing:
		repeats := merge(&ng, n, now)
		ng.Status, ng.ResolvedAt = AlertFiring, nil
		step := AlertStep{Group: ng, Action: AlertAttached, Repeats: repeats, Stored: true}
		if !live {
			step.Action = AlertReopened
		} else if repeats > 0 && ng.TicketID != 0 {
			step.RepeatEvent = repeatEvent(&ng, now)
		}
		return step
	}
	wasFiring := ng.Status == AlertFiring
	repeats := merge(&ng, n, now)
	step := AlertStep{Group: ng, Action: AlertAttached, Repeats: repeats, Stored: true}
	if repeats > 0 && ng.TicketID != 0 && ng.TicketState.IsOpen() {
		step.RepeatEvent = repeatEvent(&step.Group, now) // the resolving notice's repeats count too
	}
	if wasFiring && allResolved(ng.Members) {
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
	g.Members = map[string]AlertStatus{}
	g.Received, g.Repeats, g.RepeatEventID = 0, 0, 0
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

// merge records the notice's alerts in the group and returns how many of
// them repeated what the group already knew.
func merge(g *AlertGroup, n AlertNotice, now time.Time) int64 {
	var repeats int64
	for _, a := range n.Alerts {
		fp := a.Fingerprint
		if fp == "" {
			fp = n.DedupKey
		}
		if old, ok := g.Members[fp]; ok && old == a.Status {
			repeats++
		}
		g.Members[fp] = a.Status
	}
	g.Received += int64(len(n.Alerts))
	g.Repeats += repeats
	g.LastAt = now
	return repeats
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
// (with the window unchanged) when n would exceed limit (0: no limit).
func RateWindow(start time.Time, count int64, limit int, n int, now time.Time) (time.Time, int64, bool) {
	if now.Sub(start) >= time.Minute || now.Before(start) {
		start, count = now, 0
	}
	if limit > 0 && count+int64(n) > int64(limit) {
		return start, count, false
	}
	return start, count + int64(n), true
}
