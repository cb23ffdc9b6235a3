package desk

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// EscalationPolicy says whom to page, and in what order, when a ticket the
// policy covers arrives in its group (line 3 first of all): Steps run one
// after another, each waiting Delay for an acknowledgement before the next;
// after the last step the whole list runs again, Repeat more times. A step
// with nobody to page (its schedules have no one on call, its users are
// inactive) moves on at once.
type EscalationPolicy struct {
	ID      int64
	GroupID int64
	Name    string
	// Repeat is how many more times the steps run after the first pass.
	Repeat int
	// Priorities are the ticket priorities the policy covers; empty: P1.
	Priorities []Priority
	Steps      []EscalationStep
	Active     bool
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// EscalationStep pages whoever is on call in its schedules and its users.
type EscalationStep struct {
	ScheduleIDs []int64       `json:"schedule_ids"`
	UserIDs     []int64       `json:"user_ids"`
	Delay       time.Duration `json:"delay"` // before the next step, if nobody acknowledges
}

// Limits of a policy.
const (
	MaxEscalationSteps  = 20
	MaxEscalationRepeat = 10
	MinStepDelay        = time.Minute
	MaxStepDelay        = 24 * time.Hour
)

// Covers reports whether the policy pages for a ticket of priority p.
func (p *EscalationPolicy) Covers(pr Priority) bool {
	if !p.Active {
		return false
	}
	if len(p.Priorities) == 0 {
		return pr == P1
	}
	return slices.Contains(p.Priorities, pr)
}

// validate checks the policy's own fields; references are checked by the
// desk against the store.
func (p *EscalationPolicy) validate() error {
	var v validation
	v.text("name", p.Name, MaxNameLen, true)
	if p.Repeat < 0 || p.Repeat > MaxEscalationRepeat {
		v.add("repeat", RuleOutOfRange, Params{"min": 0, "max": MaxEscalationRepeat}, "must be from 0 to %d", MaxEscalationRepeat)
	}
	for i, pr := range p.Priorities {
		v.enum(fmt.Sprintf("priorities[%d]", i), string(pr), names(Priorities), true)
	}
	switch n := len(p.Steps); {
	case n == 0:
		v.add("steps", RuleTooFew, Params{"min": 1}, "must have at least one step")
	case n > MaxEscalationSteps:
		v.add("steps", RuleTooMany, Params{"max": MaxEscalationSteps}, "must have at most %d steps", MaxEscalationSteps)
	}
	for i, st := range p.Steps {
		f := fmt.Sprintf("steps[%d]", i)
		if len(st.ScheduleIDs)+len(st.UserIDs) == 0 {
			v.add(f, RuleTooFew, Params{"min": 1}, "must name at least one schedule or user")
		}
		if st.Delay < MinStepDelay || st.Delay > MaxStepDelay {
			v.add(f+".delay_minutes", RuleOutOfRange, Params{"min": int(MinStepDelay / time.Minute), "max": int(MaxStepDelay / time.Minute), "unit": "minutes"}, "must be from %d to %d minutes", int(MinStepDelay/time.Minute), int(MaxStepDelay/time.Minute))
		}
	}
	return v.err()
}

// EscalationPolicies lists every policy (staff).
func (s *Desk) EscalationPolicies(ctx context.Context) ([]*EscalationPolicy, error) {
	if _, err := requireStaff(ctx); err != nil {
		return nil, err
	}
	return s.store.ListEscalationPolicies(ctx)
}

// EscalationPolicy returns a group's policy (staff).
func (s *Desk) EscalationPolicy(ctx context.Context, groupID int64) (*EscalationPolicy, error) {
	if _, err := requireStaff(ctx); err != nil {
		return nil, err
	}
	return s.store.EscalationPolicy(ctx, groupID)
}

// PutEscalationPolicy creates or replaces the policy of p.GroupID (admins).
// Pages already running keep the policy they started with.
func (s *Desk) PutEscalationPolicy(ctx context.Context, p *EscalationPolicy) error {
	if _, err := requireAdmin(ctx); err != nil {
		return err
	}
	if err := p.validate(); err != nil {
		return err
	}
	if _, err := s.store.GetGroup(ctx, p.GroupID); err != nil {
		return err
	}
	for i, st := range p.Steps {
		if err := s.checkStepRefs(ctx, i, st); err != nil {
			return err
		}
	}
	return s.store.PutEscalationPolicy(ctx, p)
}

func (s *Desk) checkStepRefs(ctx context.Context, i int, st EscalationStep) error {
	for j, id := range st.ScheduleIDs {
		if _, err := s.store.GetSchedule(ctx, id); ErrorCode(err) == ENOTFOUND {
			return fieldError(fmt.Sprintf("steps[%d].schedule_ids[%d]", i, j), RuleUnknown, nil, "no schedule %d", id)
		} else if err != nil {
			return err
		}
	}
	for j, id := range st.UserIDs {
		if err := s.checkStaffUser(ctx, fmt.Sprintf("steps[%d].user_ids[%d]", i, j), id); err != nil {
			return err
		}
	}
	return nil
}

// checkStaffUser refuses ids that are not active staff users.
func (s *Desk) checkStaffUser(ctx context.Context, field string, id int64) error {
	u, err := s.store.GetUser(ctx, id)
	switch {
	case ErrorCode(err) == ENOTFOUND || (err == nil && (!u.Active || !u.Role.IsStaff())):
		return fieldError(field, RuleUnknown, nil, "no active staff user %d", id)
	case err != nil:
		return err
	}
	return nil
}

// DeleteEscalationPolicy removes a group's policy (admins); running pages
// continue.
func (s *Desk) DeleteEscalationPolicy(ctx context.Context, groupID int64) error {
	if _, err := requireAdmin(ctx); err != nil {
		return err
	}
	return s.store.DeleteEscalationPolicy(ctx, groupID)
}
