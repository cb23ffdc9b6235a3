// Package major owns major incidents: one coordinated response to an outage
// that many incident tickets report. A major incident is a parent over its
// children (ordinary incident tickets), with roles (commander, communications
// lead, responders), a bridge link, a wall-clock update cadence, public
// updates to the children's requesters and to stakeholders, one merged
// timeline, and a post-incident review once it is resolved.
//
// The package holds the rules and the Service that applies them; storage
// is behind Store (internal/store/sqlstore implements it) and tickets are
// read and changed through desk.Desk, so that the desk's authorisation,
// state machine and notifications apply to children as to any ticket.
package major

import (
	"net/url"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// State is where a major incident is.
type State string

// Major incident states: active until resolved; closed once its review is
// published (or at once when the review gate is off).
const (
	StateActive   State = "active"
	StateResolved State = "resolved"
	StateClosed   State = "closed"
)

// Incident is a major incident: its parent ticket and everything the
// coordinated response adds to it.
type Incident struct {
	ID       int64
	TicketID int64  // the parent incident ticket
	Number   string // the parent's number, filled on read
	Title    string
	// ServiceID is the parent's service when declared (0: none); rules and
	// reports count by it.
	ServiceID int64
	Priority  desk.Priority
	State     State

	CommanderID int64
	// CommanderGroupID is the group whose on-call escalation is paged when
	// an update is missed: the parent's group if the commander is in it,
	// otherwise the commander's first group.
	CommanderGroupID int64
	CommsLeadID      int64 // 0: none yet (the commander is warned instead)
	Responders       []int64
	BridgeURL        string

	// Cadence is the time between public updates; NextUpdateDue when the
	// next one falls due. WarnedFor and PagedFor are the due instants the
	// warning and the page were already given for: each is given once per
	// due instant, however many instances sweep.
	Cadence       time.Duration
	NextUpdateDue time.Time
	WarnedFor     time.Time
	PagedFor      time.Time

	DeclaredAt time.Time
	DeclaredBy int64  // 0: declared by a rule
	Trigger    string // "manual", or the rule that declared it
	// FirstAlertAt is the earliest alert or report among the parent and
	// its children when declared, for the time-to-declare figure.
	FirstAlertAt time.Time

	ResolvedAt *time.Time
	ClosedAt   *time.Time
	Resolution string // the public resolution text
	Version    int
}

// Child is an incident attached to a major incident.
type Child struct {
	MajorID    int64
	TicketID   int64
	Number     string
	Title      string
	State      desk.State
	Requester  int64
	Channel    desk.Channel
	ReportedAt time.Time
	AttachedAt time.Time
	AttachedBy int64 // 0: a rule
}

// DefaultCadence is the time between public updates a major incident of
// priority p starts with: 30 minutes for P1, 60 for the others.
func DefaultCadence(p desk.Priority) time.Duration {
	if p == desk.P1 {
		return 30 * time.Minute
	}
	return 60 * time.Minute
}

// Cadence limits: an update at most every 5 minutes, at least every day.
const (
	MinCadence = 5 * time.Minute
	MaxCadence = 24 * time.Hour
)

// WarnLead is how long before an update falls due the communications lead
// is warned: 5 minutes, or a third of a shorter cadence.
func WarnLead(cadence time.Duration) time.Duration {
	return min(5*time.Minute, cadence/3)
}

// CadenceAction is what a sweep owes a major incident at an instant.
type CadenceAction int

// Cadence actions.
const (
	CadenceNone CadenceAction = iota
	CadenceWarn               // the update is due soon: warn the comms lead
	CadencePage               // the update is overdue: page the commander's group
)

// DueAction returns what m owes at now: a page once the update is overdue
// and not yet paged for, a warning once it is within WarnLead of falling due
// and not yet warned for, or nothing. Only active incidents owe anything.
func DueAction(m *Incident, now time.Time) CadenceAction {
	if m.State != StateActive || m.NextUpdateDue.IsZero() {
		return CadenceNone
	}
	due := m.NextUpdateDue
	if !now.Before(due) && !m.PagedFor.Equal(due) {
		return CadencePage
	}
	if !now.Before(due.Add(-WarnLead(m.Cadence))) && now.Before(due) && !m.WarnedFor.Equal(due) {
		return CadenceWarn
	}
	return CadenceNone
}

// checkBridge accepts an absolute http(s), tel or sip URL.
func checkBridge(s string) bool {
	if s == "" {
		return true
	}
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "tel", "sip", "sips":
		return u.Opaque != "" || u.Path != ""
	}
	return false
}

// Roles of a major incident.
type Role string

// Role names, as the timeline and the API write them.
const (
	RoleCommander Role = "commander"
	RoleCommsLead Role = "comms_lead"
	RoleResponder Role = "responder"
)

// Roles lists every role.
var Roles = []Role{RoleCommander, RoleCommsLead, RoleResponder}

// HasRole reports whether user holds any role on m.
func (m *Incident) HasRole(userID int64) bool {
	if userID == 0 {
		return false
	}
	if m.CommanderID == userID || m.CommsLeadID == userID {
		return true
	}
	for _, r := range m.Responders {
		if r == userID {
			return true
		}
	}
	return false
}
