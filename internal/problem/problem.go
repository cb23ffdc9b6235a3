// Package problem is ITIL problem management (issue 12): problem records
// (PRB-000123) behind repeated incidents, their root cause, the documented
// workaround that makes one a known error, the permanent fix, and the
// incidents linked to them. Linking puts an incident in progress on hold
// awaiting the problem; publishing a workaround or resolving the problem
// reaches every open linked incident through a durable broadcast written
// in batches (broadcast.go). Candidates are clusters of recent incidents
// with no problem yet. Diagnosis checklists for line 1 live here too
// (checklist*.go).
//
// The package holds the rules and the application service; storage is
// the Store interface (internal/store/sqlstore), tickets go through
// internal/desk, which words the timeline entries by reason code.
package problem

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// State is where a problem is in its life.
type State string

// Problem states.
const (
	StateNew           State = "new"
	StateInvestigating State = "investigating"
	StateKnownError    State = "known_error"
	StateResolved      State = "resolved"
	StateClosed        State = "closed"
)

// States lists every state in order.
var States = []State{StateNew, StateInvestigating, StateKnownError, StateResolved, StateClosed}

// transitions are the moves a problem may make. A known error needs a
// workaround, a resolution the permanent fix; a resolved problem may be
// reopened (back to investigating) until it is closed, which is final.
var transitions = map[State][]State{
	StateNew:           {StateInvestigating, StateKnownError, StateResolved, StateClosed},
	StateInvestigating: {StateKnownError, StateResolved, StateClosed},
	StateKnownError:    {StateInvestigating, StateResolved, StateClosed},
	StateResolved:      {StateInvestigating, StateClosed},
	StateClosed:        nil,
}

// CanMove reports whether a problem in from may move to to.
func CanMove(from, to State) bool { return slices.Contains(transitions[from], to) }

// Moves returns the states a problem in from may move to.
func Moves(from State) []State { return transitions[from] }

// Open reports whether incidents may still be linked to a problem in s.
func (s State) Open() bool { return s != StateClosed }

// Limits of a problem's fields.
const (
	MaxTitleLen = 200
	MaxTextLen  = desk.MaxTextLen
	MaxRefs     = 50
	MaxRefLen   = 500
)

// Problem is a problem record.
type Problem struct {
	ID          int64
	Title       string
	Description string
	RootCause   string
	Impact      desk.Level
	State       State
	Group       *desk.Ref // owner group, of any line
	Category    *desk.Ref // where its incidents come from (known errors on tickets)
	Service     *desk.Ref
	Workaround  string
	// WorkaroundAt is when the workaround was last published.
	WorkaroundAt *time.Time
	Fix          string // the permanent fix
	References   []Reference
	CreatedBy    *desk.Ref
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
	KnownErrorAt *time.Time // first time it became a known error
	ResolvedAt   *time.Time
	ClosedAt     *time.Time
	// Incidents is the number of linked incidents (as listed), security
	// cases left out: a problem tells nobody of them.
	Incidents int
	// FirstIncidentAt is when the earliest linked incident (not a
	// security case) was reported.
	FirstIncidentAt *time.Time
}

// Number is the problem's display number, PRB-000123.
func (p *Problem) Number() string { return Number(p.ID) }

// Number formats a problem id as PRB-000123.
func Number(id int64) string { return fmt.Sprintf("PRB-%06d", id) }

// ParseRef reads a problem reference: an id ("12") or a number
// ("PRB-000012", any case).
func ParseRef(ref string) (int64, error) {
	s := strings.TrimSpace(ref)
	if rest, ok := strings.CutPrefix(strings.ToUpper(s), "PRB-"); ok {
		s = rest
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, desk.Errorf(desk.ENOTFOUND, "no problem %q: give an id or a number such as PRB-000012", ref)
	}
	return id, nil
}

// IsKnownError reports whether the problem has a workaround to offer.
func (p *Problem) IsKnownError() bool {
	return strings.TrimSpace(p.Workaround) != "" && (p.State == StateKnownError || p.State == StateInvestigating)
}

// Reference is a linked change or another reference: text, or a URL.
type Reference struct {
	Text string `json:"text"`
	URL  string `json:"url,omitempty"`
}

// SearchText is what a problem's search matches: its number and title,
// in lower case (done here, since SQLite lowers ASCII letters only).
func SearchText(p *Problem) string {
	return strings.ToLower(p.Number() + " " + p.Title)
}
