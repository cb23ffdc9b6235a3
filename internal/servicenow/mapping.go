package servicenow

import (
	"regexp"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// ourState is where a ServiceNow state lands in our state machine.
type ourState struct {
	State desk.State
	Hold  desk.HoldReason
}

// sourceStates maps every ServiceNow incident state we accept. Active is
// refined by MapState: in_progress with an assignee, assigned without.
var sourceStates = map[string]ourState{
	"New":                {desk.StateNew, ""},
	"Active":             {desk.StateInProgress, ""},
	"Awaiting User Info": {desk.StateOnHold, desk.HoldAwaitingRequester},
	"Awaiting Evidence":  {desk.StateOnHold, desk.HoldAwaitingRequester},
	"Awaiting Vendor":    {desk.StateOnHold, desk.HoldAwaitingVendor},
	"Awaiting Problem":   {desk.StateOnHold, desk.HoldAwaitingProblem},
	"Resolved":           {desk.StateResolved, ""},
	"Closed":             {desk.StateClosed, ""},
}

// MapState returns our state and hold reason for a ServiceNow state (one
// Source accepted). An Active incident with nobody assigned waits in its
// group's queue: that is our "assigned"; with an assignee it is being
// worked: "in_progress".
func MapState(source string, hasAssignee bool) (desk.State, desk.HoldReason) {
	s := sourceStates[source]
	if s.State == desk.StateInProgress && !hasAssignee {
		return desk.StateAssigned, ""
	}
	return s.State, s.Hold
}

// channels maps contact_type. Self service is our portal; an IVR call is a
// phone call; ServiceNow's Walk-in (value walk-in) and Chat (and its
// Virtual Agent, a chat too) are ours; "Direct opening" (an agent opening
// the incident in the tool themselves) and anything unknown become portal,
// our web form.
var channels = map[string]desk.Channel{
	"walk-in":        desk.ChannelWalkIn,
	"walk in":        desk.ChannelWalkIn,
	"walkin":         desk.ChannelWalkIn,
	"walk_in":        desk.ChannelWalkIn,
	"chat":           desk.ChannelChat,
	"virtual agent":  desk.ChannelChat,
	"virtual_agent":  desk.ChannelChat,
	"phone":          desk.ChannelPhone,
	"ivr":            desk.ChannelPhone,
	"email":          desk.ChannelEmail,
	"e-mail":         desk.ChannelEmail,
	"self service":   desk.ChannelPortal,
	"self-service":   desk.ChannelPortal,
	"direct opening": desk.ChannelPortal,
	"web":            desk.ChannelPortal,
	"monitoring":     desk.ChannelMonitoring,
	"event":          desk.ChannelMonitoring,
}

// MapChannel returns our channel for a contact_type.
func MapChannel(contactType string) desk.Channel {
	if c, ok := channels[strings.ToLower(strings.TrimSpace(contactType))]; ok {
		return c
	}
	return desk.ChannelPortal
}

// EmailDomain is the domain of the addresses made up for imported people.
// .invalid is reserved (RFC 2606): nothing is ever delivered there.
const EmailDomain = "servicenow.invalid"

var nonAlnum = regexp.MustCompile(`[^a-z0-9]+`)

// Email makes up the non-deliverable address of an anonymised ServiceNow
// name: "Caller 2403" → caller-2403@servicenow.invalid.
func Email(name string) string {
	slug := strings.Trim(nonAlnum.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if slug == "" {
		slug = "unknown"
	}
	return slug + "@" + EmailDomain
}

// UnknownCaller stands in for an incident's caller when the log has none:
// every ticket needs a requester.
const UnknownCaller = "Unknown caller"

// ResolutionCode is the code given to every resolved or closed import:
// ServiceNow's close codes are anonymised ("code 6") and say nothing we
// could map, so the source code is kept in the resolution notes instead.
const ResolutionCode desk.ResolutionCode = "solved"

// ImportedLine is the line of the groups the importer creates: the log
// does not say which groups are first line and which are specialists, so
// all start on line 1 (an admin moves them later; tickets follow).
const ImportedLine = desk.Line1
