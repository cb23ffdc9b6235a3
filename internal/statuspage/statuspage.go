// Package statuspage owns the public status page: components and their
// states, status incidents written for the public, scheduled maintenance,
// subscribers, and the snapshot the page is served from. It does no I/O:
// the store implements Store, and internal/statusweb serves the snapshot.
//
// Nothing internal may reach the page. Its types carry only what a human
// wrote for the public (names, public wording) and what the page itself
// records (component states); a status incident is made from a major
// incident only through Source, which refuses restricted tickets.
package statuspage

import (
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// ComponentStatus is a component's state, as Atlassian Statuspage names it.
type ComponentStatus string

// Component states, from best to worst (under_maintenance apart).
const (
	Operational         ComponentStatus = "operational"
	DegradedPerformance ComponentStatus = "degraded_performance"
	PartialOutage       ComponentStatus = "partial_outage"
	MajorOutage         ComponentStatus = "major_outage"
	UnderMaintenance    ComponentStatus = "under_maintenance"
)

// ComponentStatuses lists every state.
var ComponentStatuses = []ComponentStatus{Operational, DegradedPerformance, PartialOutage, MajorOutage, UnderMaintenance}

// Valid reports whether s is a component state.
func (s ComponentStatus) Valid() bool {
	for _, v := range ComponentStatuses {
		if v == s {
			return true
		}
	}
	return false
}

// severity orders states for the page's overall indicator.
func (s ComponentStatus) severity() int {
	switch s {
	case DegradedPerformance:
		return 1
	case PartialOutage:
		return 2
	case MajorOutage:
		return 3
	case UnderMaintenance:
		return 0
	}
	return 0
}

// Component is one thing the public sees the state of.
type Component struct {
	ID          int64
	Name        string
	Description string
	Group       string // "" for an ungrouped component
	Position    int
	Status      ComponentStatus
	ServiceIDs  []int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// DeletedAt is set when an administrator removed it: it leaves the page
	// but incidents that referenced it keep their history.
	DeletedAt *time.Time
}

// Change is one recorded state change of a component.
type Change struct {
	ComponentID int64
	At          time.Time
	Status      ComponentStatus
}

// IncidentStatus is a status incident's public state.
type IncidentStatus string

// Status incident states.
const (
	Investigating IncidentStatus = "investigating"
	Identified    IncidentStatus = "identified"
	Monitoring    IncidentStatus = "monitoring"
	Resolved      IncidentStatus = "resolved"
	Postmortem    IncidentStatus = "postmortem"
)

// IncidentStatuses lists every state.
var IncidentStatuses = []IncidentStatus{Investigating, Identified, Monitoring, Resolved, Postmortem}

// Valid reports whether s is a status incident state.
func (s IncidentStatus) Valid() bool {
	for _, v := range IncidentStatuses {
		if v == s {
			return true
		}
	}
	return false
}

// Open reports whether the incident is still going on.
func (s IncidentStatus) Open() bool { return s != Resolved && s != Postmortem }

// Impact is how bad a status incident is, as Statuspage names it.
type Impact string

// Impacts.
const (
	ImpactNone     Impact = "none"
	ImpactMinor    Impact = "minor"
	ImpactMajor    Impact = "major"
	ImpactCritical Impact = "critical"
)

// Valid reports whether i is an impact.
func (i Impact) Valid() bool {
	return i == ImpactNone || i == ImpactMinor || i == ImpactMajor || i == ImpactCritical
}

// Incident is a status incident: what the public is told about an outage.
// Every text in it was written for the public by a human.
type Incident struct {
	ID           int64
	MajorID      int64 // the major incident it was published from
	Name         string
	Status       IncidentStatus
	Impact       Impact
	ComponentIDs []int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
	MonitoringAt *time.Time
	ResolvedAt   *time.Time
	Updates      []IncidentUpdate // newest first
}

// IncidentUpdate is one public message of a status incident.
type IncidentUpdate struct {
	ID         int64
	IncidentID int64
	Status     IncidentStatus
	Body       string
	At         time.Time
}

// Maintenance is a scheduled maintenance window.
type Maintenance struct {
	ID           int64
	Name         string
	Body         string
	StartsAt     time.Time
	EndsAt       time.Time
	ComponentIDs []int64
	// StartNoticeAt and EndNoticeAt are when the start and end notices
	// were queued (nil: not yet); each is queued once.
	StartNoticeAt *time.Time
	EndNoticeAt   *time.Time
	CreatedAt     time.Time
	CanceledAt    *time.Time
}

// MaintenanceStatus is where a window is at now, as Statuspage names it.
func (m *Maintenance) MaintenanceStatus(now time.Time) string {
	switch {
	case now.Before(m.StartsAt):
		return "scheduled"
	case now.Before(m.EndsAt):
		return "in_progress"
	}
	return "completed"
}

// Source is a major incident that may be published: the only way to make
// a status incident. Its zero value publishes nothing.
type Source struct {
	majorID int64
}

// MajorID is the major incident the source stands for.
func (s Source) MajorID() int64 { return s.majorID }

// ErrNotPublishable is the refusal of a restricted parent.
var ErrNotPublishable = desk.Refusef(desk.EFORBIDDEN, desk.RuleNotAllowed, nil,
	"a restricted or security ticket can never be published on the status page")

// Publishable is what Source needs to know of a major incident's parent
// ticket and its children.
type Publishable struct {
	MajorID    int64
	Parent     *desk.Ticket
	Restricted bool // any child is restricted, or the desk marks it security
}

// NewSource returns the source of a major incident, refusing it when its
// parent ticket is restricted or a security case (by type), or when the
// caller says it is restricted otherwise.
func NewSource(p Publishable) (Source, error) {
	if p.Parent == nil || p.MajorID <= 0 {
		return Source{}, desk.Errorf(desk.EINVALID, "no major incident to publish")
	}
	if p.Parent.Restricted || p.Restricted || IsSecurity(p.Parent) {
		return Source{}, ErrNotPublishable
	}
	return Source{majorID: p.MajorID}, nil
}

// IsSecurity reports whether t is a security case (the desk's security
// flag, or a type "security"), which is never published however its other
// flags are set.
func IsSecurity(t *desk.Ticket) bool { return t.Security || string(t.Type) == "security" }
