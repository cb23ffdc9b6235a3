package desk

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/breach"
)

// The case record of a personal-data breach (issue 14). A security case
// carries, besides the ticket's own times:
//
//   - when the organisation became aware of the breach (AwareAt), which is
//     not when the ticket was created: the regulators' clocks start there.
//     It is set and changed with a reason, never in the future, and every
//     change is an internal event on the timeline (field breach_aware_at,
//     old → new, the reason);
//   - which regimes apply (GDPR, 152-FZ, both, none), chosen with a reason
//     (field breach_regime).
//
// Only a case owner sets either: the system, a member of a security group,
// or the case's assignee. People named on the case and administrators who
// granted themselves access read the record but do not decide it.
//
// The deadlines follow from the record by internal/breach's arithmetic
// (wall-clock, never a calendar or a pause); breach_clocks.go schedules
// them as the ticket's durable timers.

// BreachCase is the regulatory record of a security case. The zero value
// is a case whose awareness and regimes are not recorded yet: no clock
// runs.
type BreachCase struct {
	AwareAt      *time.Time    `json:"aware_at"`
	AwareReason  string        `json:"aware_reason"` // the reason given with the last change of AwareAt
	Regime       breach.Regime `json:"regime"`       // "" until the owner chooses
	RegimeReason string        `json:"regime_reason"`
}

// Fields of a breach case's changes on the timeline.
const (
	FieldBreachAware  = "breach_aware_at" // old → new, RFC 3339 in UTC
	FieldBreachRegime = "breach_regime"   // old → new regime
)

// BreachAwarenessInput sets when the organisation became aware.
type BreachAwarenessInput struct {
	AwareAt   time.Time `json:"aware_at"`
	Reason    string    `json:"reason"`
	IfVersion int       `json:"-"`
}

// BreachRegimeInput chooses the regimes that apply.
type BreachRegimeInput struct {
	Regime    breach.Regime `json:"regime"`
	Reason    string        `json:"reason"`
	IfVersion int           `json:"-"`
}

// ownsSecurityCase reports whether u decides t's regulatory record: the
// system, a member of a security group, or its assignee.
func ownsSecurityCase(u *User, t *Ticket) bool {
	return u.ID == 0 || inSecurityGroup(u) || t.Assignee != nil && t.Assignee.ID == u.ID
}

// forBreachChange loads a security case for its owner to change.
func (s *Desk) forBreachChange(ctx context.Context, ref string, ifVersion int) (*User, *Ticket, error) {
	u, t, err := s.forChange(ctx, ref, ifVersion, requireStaff)
	if err != nil {
		return nil, nil, err
	}
	if !t.Security {
		return nil, nil, Refusef(ECONFLICT, RuleSecurityCase, nil, "ticket %s is not a security case", t.Number)
	}
	if !ownsSecurityCase(u, t) {
		return nil, nil, Refusef(EFORBIDDEN, RuleCaseOwner, nil,
			"only the security group or the case's assignee may change its breach record")
	}
	if t.Breach == nil {
		t.Breach = &BreachCase{}
	}
	return u, t, nil
}

// SetBreachAwareness records when the organisation became aware of the
// breach (not in the future), with the reason, as an event on the timeline.
func (s *Desk) SetBreachAwareness(ctx context.Context, ref string, in BreachAwarenessInput) (*Ticket, error) {
	var v validation
	v.text("reason", in.Reason, MaxReason, true)
	now := s.clock.Now()
	switch {
	case in.AwareAt.IsZero():
		v.add("aware_at", RuleRequired, nil, "is required")
	case in.AwareAt.After(now):
		v.add("aware_at", RuleInFuture, nil, "must not be in the future")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	u, t, err := s.forBreachChange(ctx, ref, in.IfVersion)
	if err != nil {
		return nil, err
	}
	at := in.AwareAt.UTC().Truncate(time.Second)
	old := ""
	if t.Breach.AwareAt != nil {
		if t.Breach.AwareAt.Equal(at) {
			return t, nil
		}
		old = t.Breach.AwareAt.UTC().Format(time.RFC3339)
	}
	reason := strings.TrimSpace(in.Reason)
	t.Breach.AwareAt, t.Breach.AwareReason = &at, reason
	ev := Event{Kind: EventUpdated, Public: false, Reason: reason,
		Changes: []Change{{Field: FieldBreachAware, Old: old, New: at.Format(time.RFC3339)}}}
	if err := s.save(ctx, t, u, ev); err != nil {
		return nil, fmt.Errorf("awareness of security case %s: %w", t.Number, err)
	}
	return t, nil
}

// SetBreachRegime records which regimes apply to the breach, with the
// reason, as an event on the timeline.
func (s *Desk) SetBreachRegime(ctx context.Context, ref string, in BreachRegimeInput) (*Ticket, error) {
	var v validation
	v.enum("regime", string(in.Regime), regimeNames(), true)
	v.text("reason", in.Reason, MaxReason, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	u, t, err := s.forBreachChange(ctx, ref, in.IfVersion)
	if err != nil {
		return nil, err
	}
	if t.Breach.Regime == in.Regime {
		return t, nil
	}
	reason := strings.TrimSpace(in.Reason)
	ev := Event{Kind: EventUpdated, Public: false, Reason: reason,
		Changes: []Change{{Field: FieldBreachRegime, Old: string(t.Breach.Regime), New: string(in.Regime)}}}
	t.Breach.Regime, t.Breach.RegimeReason = in.Regime, reason
	if err := s.save(ctx, t, u, ev); err != nil {
		return nil, fmt.Errorf("regime of security case %s: %w", t.Number, err)
	}
	return t, nil
}

func regimeNames() []string {
	out := make([]string, len(breach.Regimes))
	for i, r := range breach.Regimes {
		out[i] = string(r)
	}
	return out
}

// BreachRegimes lists the regimes a case owner may choose.
func BreachRegimes() []breach.Regime { return slices.Clone(breach.Regimes) }

// OwnsSecurityCase reports whether the signed-in user decides the case's
// breach record (a page shows its forms to them only).
func (s *Desk) OwnsSecurityCase(ctx context.Context, t *Ticket) bool {
	u, err := actor(ctx)
	return err == nil && u.Role.IsStaff() && t.Security && seesSecurityCase(u, t) && ownsSecurityCase(u, t)
}

// Clock states of a regulatory deadline.
const (
	BreachClockWaiting = "waiting" // awareness or regimes not recorded: nothing runs
	BreachClockRunning = "running"
	BreachClockMissed  = "missed" // the deadline passed with no notice sent
	BreachClockMet     = "met"    // the notice was sent in time
	BreachClockLate    = "late"   // the notice was sent after the deadline
)

// BreachClock is one regulatory deadline of a case as of now.
type BreachClock struct {
	Kind    breach.Kind   `json:"kind"`
	Regime  breach.Regime `json:"regime"`
	Start   time.Time     `json:"start"`
	Due     time.Time     `json:"due"`
	Percent int           `json:"percent"` // of the period run at now (or when sent), floored
	State   string        `json:"state"`
	SentAt  *time.Time    `json:"sent_at"` // the notice that stopped it
}

// BreachStatus is a security case's record and its clocks as of now.
type BreachStatus struct {
	Case   BreachCase    `json:"case"`
	Clocks []BreachClock `json:"clocks"`
	// Owner reports whether the reader decides the record.
	Owner bool `json:"owner"`
}

// BreachStatusOf returns the record and clocks of a security case the
// signed-in staff member sees (nil for a ticket that is not one, or a
// requester: the breach record is internal).
func (s *Desk) BreachStatusOf(ctx context.Context, t *Ticket) (*BreachStatus, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !t.Security || !u.Role.IsStaff() && u.ID != 0 || !seesSecurityCase(u, t) {
		return nil, nil
	}
	sent, err := s.noticesSent(ctx, t)
	if err != nil {
		return nil, err
	}
	st := &BreachStatus{Clocks: breachClocks(t.Breach, sent, s.clock.Now()), Owner: ownsSecurityCase(u, t)}
	if t.Breach != nil {
		st.Case = *t.Breach
	}
	return st, nil
}

// breachClocks are the deadlines of b at now; sent holds, per deadline
// kind, when its notice was first sent.
func breachClocks(b *BreachCase, sent map[breach.Kind]time.Time, now time.Time) []BreachClock {
	out := []BreachClock{}
	if b == nil || b.AwareAt == nil || b.Regime == "" {
		return out
	}
	ds, err := breach.Deadlines(*b.AwareAt, b.Regime, maxTime(now, *b.AwareAt))
	if err != nil {
		return out
	}
	for _, d := range ds {
		c := BreachClock{Kind: d.Kind, Regime: d.Regime, Start: d.Start, Due: d.Due, State: BreachClockRunning}
		at := now
		if s, ok := sent[d.Kind]; ok {
			at, c.SentAt = s, &s
			c.State = BreachClockMet
			if d.Late(s) {
				c.State = BreachClockLate
			}
		} else if d.Missed(nil, now) {
			c.State = BreachClockMissed
		}
		c.Percent = d.Percent(at)
		out = append(out, c)
	}
	return out
}

// BreachCaseOf reads a security case by reference with its breach status,
// for staff who see it; a requester is told there is no such case, and a
// ticket that is not a security case is refused.
func (s *Desk) BreachCaseOf(ctx context.Context, ref string) (*Ticket, *BreachStatus, error) {
	_, t, err := s.caseMember(ctx, ref)
	if err != nil {
		return nil, nil, err
	}
	st, err := s.BreachStatusOf(ctx, t)
	return t, st, err
}
