package desk

import (
	"context"
	"fmt"
	"time"
)

// Schedules as the desk serves them: admins write, staff read. Participants
// and override users must be active staff.

// MaxShiftsRange bounds a shifts query, so that a request cannot ask for
// centuries of hourly shifts.
const MaxShiftsRange = 366 * 24 * time.Hour

// Schedules lists every schedule (staff).
func (s *Desk) Schedules(ctx context.Context) ([]*StoredSchedule, error) {
	if _, err := requireStaff(ctx); err != nil {
		return nil, err
	}
	return s.store.ListSchedules(ctx)
}

// Schedule returns one schedule (staff).
func (s *Desk) Schedule(ctx context.Context, id int64) (*StoredSchedule, error) {
	if _, err := requireStaff(ctx); err != nil {
		return nil, err
	}
	return s.store.GetSchedule(ctx, id)
}

// SaveSchedule creates (ID 0) or replaces a schedule (admins). The
// document is stored as validated and normalised.
func (s *Desk) SaveSchedule(ctx context.Context, st *StoredSchedule) error {
	if _, err := requireAdmin(ctx); err != nil {
		return err
	}
	sched, err := st.Doc.Schedule()
	if err != nil {
		return err
	}
	if err := s.checkScheduleUsers(ctx, sched.Spec()); err != nil {
		return err
	}
	st.Doc = ScheduleDocOf(sched.Spec())
	if st.ID == 0 {
		return s.store.CreateSchedule(ctx, st)
	}
	return s.store.UpdateSchedule(ctx, st)
}

func (s *Desk) checkScheduleUsers(ctx context.Context, spec ScheduleSpec) error {
	seen := map[int64]bool{}
	check := func(field string, id int64) error {
		if seen[id] {
			return nil
		}
		seen[id] = true
		return s.checkStaffUser(ctx, field, id)
	}
	for i, l := range spec.Layers {
		for j, id := range l.Participants {
			if err := check(fmt.Sprintf("layers[%d].participants[%d]", i, j), id); err != nil {
				return err
			}
		}
	}
	for i, o := range spec.Overrides {
		if err := check(fmt.Sprintf("overrides[%d].user_id", i), o.UserID); err != nil {
			return err
		}
	}
	return nil
}

// DeleteSchedule removes a schedule (admins); refused with ECONFLICT while
// an escalation policy names it.
func (s *Desk) DeleteSchedule(ctx context.Context, id int64) error {
	if _, err := requireAdmin(ctx); err != nil {
		return err
	}
	policies, err := s.store.ListEscalationPolicies(ctx)
	if err != nil {
		return err
	}
	for _, p := range policies {
		for _, st := range p.Steps {
			for _, sid := range st.ScheduleIDs {
				if sid == id {
					return Refusef(ECONFLICT, RuleInUse, nil, "schedule %d is used by the escalation policy %q of group %d", id, p.Name, p.GroupID)
				}
			}
		}
	}
	return s.store.DeleteSchedule(ctx, id)
}

// OnCall is who a schedule has on call at an instant.
type OnCall struct {
	At   time.Time
	User *Ref // nil: nobody
}

// WhoIsOnCall returns who schedule id has on call at at (staff).
func (s *Desk) WhoIsOnCall(ctx context.Context, id int64, at time.Time) (OnCall, error) {
	sched, err := s.loadSchedule(ctx, id)
	if err != nil {
		return OnCall{}, err
	}
	out := OnCall{At: at.UTC()}
	if uid, ok := sched.OnCallAt(at); ok {
		out.User = s.userRef(ctx, uid)
	}
	return out, nil
}

// ScheduleShifts returns the shifts of schedule id between from and to
// (staff), at most MaxShiftsRange apart.
func (s *Desk) ScheduleShifts(ctx context.Context, id int64, from, to time.Time) ([]Shift, error) {
	if !to.After(from) {
		return nil, fieldError("to", RuleNotAfter, Params{"after": "from"}, "must be after from")
	}
	if to.Sub(from) > MaxShiftsRange {
		return nil, fieldError("to", RuleTooLong, Params{"max": 366, "unit": "days"}, "must be at most 366 days after from")
	}
	sched, err := s.loadSchedule(ctx, id)
	if err != nil {
		return nil, err
	}
	return sched.Shifts(from, to), nil
}

func (s *Desk) loadSchedule(ctx context.Context, id int64) (*Schedule, error) {
	if _, err := requireStaff(ctx); err != nil {
		return nil, err
	}
	st, err := s.store.GetSchedule(ctx, id)
	if err != nil {
		return nil, err
	}
	sched, err := st.Doc.Schedule()
	if err != nil {
		return nil, fmt.Errorf("schedule %d as stored: %w", id, err)
	}
	return sched, nil
}

// userRef names a user; a user that cannot be read is named by id.
func (s *Desk) userRef(ctx context.Context, id int64) *Ref {
	if u, err := s.store.GetUser(ctx, id); err == nil {
		return &Ref{ID: u.ID, Name: u.Name}
	}
	return &Ref{ID: id, Name: fmt.Sprintf("user %d", id)}
}
