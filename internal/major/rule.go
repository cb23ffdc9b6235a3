package major

import (
	"slices"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Rule declares major incidents without a human: when a P1 incident is
// open on its service (OnP1), or when Count incidents were opened on it
// within Window. The incidents that matched become the children of the
// declared one (the P1, else the oldest, is the parent), and later open
// incidents on the service are attached while it stays active.
type Rule struct {
	ID          int64
	Name        string
	ServiceID   int64 // required: rules watch one service
	OnP1        bool
	Count       int           // 0: no count condition
	Window      time.Duration // the span Count is counted over
	CommanderID int64         // required: every major incident has a commander
	Enabled     bool
}

// Candidate is an open incident on a rule's service not yet attached to
// any major incident.
type Candidate struct {
	TicketID   int64
	Priority   desk.Priority
	CreatedAt  time.Time
	Restricted bool
}

// Decide returns the parent and the children a rule declares at now from
// the open unattached incidents on its service, or ok false when it does
// not fire. Restricted incidents never fire a rule nor join one: their
// existence is not for a coordinated, public response.
func (r Rule) Decide(cands []Candidate, now time.Time) (parent int64, children []int64, ok bool) {
	if !r.Enabled {
		return 0, nil, false
	}
	cands = slices.DeleteFunc(slices.Clone(cands), func(c Candidate) bool { return c.Restricted })
	slices.SortFunc(cands, func(a, b Candidate) int { return a.CreatedAt.Compare(b.CreatedAt) })
	var recent []Candidate
	for _, c := range cands {
		if r.Window > 0 && !c.CreatedAt.Before(now.Add(-r.Window)) && !c.CreatedAt.After(now) {
			recent = append(recent, c)
		}
	}
	p1 := slices.IndexFunc(cands, func(c Candidate) bool { return c.Priority == desk.P1 })
	switch {
	case r.OnP1 && p1 >= 0:
		parent = cands[p1].TicketID
		for _, c := range recent {
			if c.TicketID != parent {
				children = append(children, c.TicketID)
			}
		}
	case r.Count > 0 && len(recent) >= r.Count:
		parent = recent[0].TicketID
		for _, c := range recent[1:] {
			children = append(children, c.TicketID)
		}
	default:
		return 0, nil, false
	}
	return parent, children, true
}

// Check validates a rule as an administrator writes it.
func (r Rule) Check() error {
	var fields []desk.FieldError
	if r.Name == "" || len(r.Name) > 200 {
		fields = append(fields, desk.Invalid("name", desk.RuleRequired, nil, "is required (at most 200 characters)"))
	}
	if r.ServiceID <= 0 {
		fields = append(fields, desk.Invalid("service_id", desk.RuleRequired, nil, "is required"))
	}
	if r.CommanderID <= 0 {
		fields = append(fields, desk.Invalid("commander_id", desk.RuleRequired, nil, "is required: a major incident needs a commander"))
	}
	if !r.OnP1 && r.Count <= 0 {
		fields = append(fields, desk.Invalid("count", desk.RuleRequired, nil, "is required unless the rule fires on P1"))
	}
	if r.Count < 0 || r.Count > 1000 {
		fields = append(fields, desk.Invalid("count", desk.RuleOutOfRange, desk.Params{"min": 0, "max": 1000}, "must be between 0 and 1000"))
	}
	if r.Count > 0 && (r.Window < time.Minute || r.Window > 24*time.Hour) {
		fields = append(fields, desk.Invalid("window_minutes", desk.RuleOutOfRange, desk.Params{"min": 1, "max": 1440}, "must be between 1 and 1440 minutes"))
	}
	if len(fields) > 0 {
		return desk.InvalidFields(fields...)
	}
	return nil
}
