package desk

import "slices"

// TicketType separates incidents (something broke) from service requests
// (something is wanted). Line 1 decides, and may change it later.
type TicketType string

const (
	TypeIncident TicketType = "incident"
	TypeRequest  TicketType = "request"
)

// TicketTypes lists every type.
var TicketTypes = []TicketType{TypeIncident, TypeRequest}

// NumberPrefix is the prefix of the human ticket number for the type.
func (t TicketType) NumberPrefix() string {
	if t == TypeRequest {
		return "REQ"
	}
	return "INC"
}

// State is where a ticket is in its lifecycle.
type State string

const (
	StateNew        State = "new"
	StateAssigned   State = "assigned"
	StateInProgress State = "in_progress"
	StateOnHold     State = "on_hold"
	StateResolved   State = "resolved"
	StateClosed     State = "closed"
	StateCanceled   State = "canceled"
)

// States lists every state in lifecycle order.
var States = []State{StateNew, StateAssigned, StateInProgress, StateOnHold, StateResolved, StateClosed, StateCanceled}

// OpenStates are the states in which a ticket is being worked on: the work
// queues show these.
var OpenStates = []State{StateNew, StateAssigned, StateInProgress, StateOnHold}

// IsOpen reports whether the ticket still needs work.
func (s State) IsOpen() bool { return slices.Contains(OpenStates, s) }

// IsFinal reports whether no transition leaves s.
func (s State) IsFinal() bool { return s == StateClosed || s == StateCanceled }

// Level is an impact or urgency grade.
type Level string

const (
	LevelHigh   Level = "high"
	LevelMedium Level = "medium"
	LevelLow    Level = "low"
)

// Levels lists every level from high to low.
var Levels = []Level{LevelHigh, LevelMedium, LevelLow}

func (l Level) index() int { return slices.Index(Levels, l) }

// Priority is derived from impact × urgency; P1 is the most urgent.
type Priority string

const (
	P1 Priority = "P1"
	P2 Priority = "P2"
	P3 Priority = "P3"
	P4 Priority = "P4"
)

// Priorities lists every priority from most to least urgent.
var Priorities = []Priority{P1, P2, P3, P4}

// Channel is how a ticket reached the desk.
type Channel string

const (
	ChannelPortal     Channel = "portal"
	ChannelEmail      Channel = "email"
	ChannelPhone      Channel = "phone"
	ChannelAPI        Channel = "api"
	ChannelMonitoring Channel = "monitoring"
	ChannelWalkIn     Channel = "walk_in" // the caller came to the desk in person
	ChannelChat       Channel = "chat"
)

// Channels lists every channel.
var Channels = []Channel{ChannelPortal, ChannelEmail, ChannelPhone, ChannelAPI, ChannelMonitoring, ChannelWalkIn, ChannelChat}

// HoldReason says what an on-hold ticket waits for.
type HoldReason string

const (
	HoldAwaitingRequester HoldReason = "awaiting_requester"
	HoldAwaitingVendor    HoldReason = "awaiting_vendor"
	HoldAwaitingProblem   HoldReason = "awaiting_problem"
	HoldAwaitingChange    HoldReason = "awaiting_change"
	// HoldAwaitingOther waits for anything else (a delivery, a colleague on
	// leave, a site visit); the move says what in its reason.
	HoldAwaitingOther HoldReason = "awaiting_other"
)

// HoldReasons lists every hold reason.
var HoldReasons = []HoldReason{HoldAwaitingRequester, HoldAwaitingVendor, HoldAwaitingProblem, HoldAwaitingChange, HoldAwaitingOther}

// ResolutionCode classifies how a ticket was resolved.
type ResolutionCode string

// ResolutionCodes lists every resolution code.
var ResolutionCodes = []ResolutionCode{
	"solved", "workaround", "not_reproducible", "user_instructed", "request_fulfilled", "vendor_fixed", "duplicate",
}

// Role is what a user may do.
type Role string

const (
	RoleRequester Role = "requester"
	RoleAgent     Role = "agent"
	RoleManager   Role = "manager"
	RoleAdmin     Role = "admin"
)

// Roles lists every role from least to most privileged.
var Roles = []Role{RoleRequester, RoleAgent, RoleManager, RoleAdmin}

// IsStaff reports whether the role works tickets (agent, manager, admin).
func (r Role) IsStaff() bool { return r == RoleAgent || r == RoleManager || r == RoleAdmin }

// Line is the support line of a group: 1 is the service desk.
type Line int

const (
	Line1 Line = 1
	Line2 Line = 2
	Line3 Line = 3
)

// Valid reports whether l is one of the three lines.
func (l Line) Valid() bool { return l >= Line1 && l <= Line3 }

func oneOf[T ~string](v T, all []T) bool { return slices.Contains(all, v) }

func names[T ~string](all []T) []string {
	out := make([]string, len(all))
	for i, v := range all {
		out[i] = string(v)
	}
	return out
}
