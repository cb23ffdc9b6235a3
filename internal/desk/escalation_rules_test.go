package desk_test

import (
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// TestEscalationPolicy_Limits: an administrator may save a policy at each
// of its limits (10 repeat rounds, 20 steps, a step delay of 1 minute or of
// 24 hours, a step naming both a schedule and a user), and one just past
// them is refused naming the field; a step naming someone who is not an
// active staff user is refused wherever that id stands in the step.
func TestEscalationPolicy_Limits(t *testing.T) {
	f := newFixture(t)
	user := f.agentL2.ID
	sched := &desk.StoredSchedule{Doc: desk.ScheduleDoc{Name: "Core week", Zone: "UTC", Layers: []desk.LayerDoc{{
		Participants: []int64{user}, StartDate: "2026-03-01", HandOff: "09:00", Length: "7d"}}}}
	if err := f.d.SaveSchedule(f.admin, sched); err != nil {
		t.Fatal(err)
	}
	step := func(delay time.Duration, users ...int64) desk.EscalationStep {
		return desk.EscalationStep{UserIDs: users, Delay: delay}
	}
	steps := func(n int) []desk.EscalationStep {
		s := make([]desk.EscalationStep, n)
		for i := range s {
			s[i] = step(5*time.Minute, user)
		}
		return s
	}
	for _, c := range []struct {
		name   string
		repeat int
		steps  []desk.EscalationStep
		field  string // "" when the policy must be accepted
	}{
		{"TenRepeats", 10, steps(1), ""},
		{"ElevenRepeats", 11, steps(1), "repeat"},
		{"TwentySteps", 0, steps(20), ""},
		{"TwentyOneSteps", 0, steps(21), "steps"},
		{"OneMinuteDelay", 0, []desk.EscalationStep{step(time.Minute, user)}, ""},
		{"DelayUnderAMinute", 0, []desk.EscalationStep{step(59*time.Second, user)}, "steps[0].delay_minutes"},
		{"DayDelay", 0, []desk.EscalationStep{step(24*time.Hour, user)}, ""},
		{"DelayOverADay", 0, []desk.EscalationStep{step(24*time.Hour+time.Minute, user)}, "steps[0].delay_minutes"},
		{"ScheduleAndUser", 0, []desk.EscalationStep{{ScheduleIDs: []int64{sched.ID}, UserIDs: []int64{user}, Delay: time.Minute}}, ""},
		{"NobodyInAStep", 0, []desk.EscalationStep{step(time.Minute)}, "steps[0]"},
		{"UnknownUser", 0, []desk.EscalationStep{step(time.Minute, 9999)}, "steps[0].user_ids[0]"},
		{"UnknownUserAfterAKnownOne", 0, []desk.EscalationStep{step(time.Minute, user, 9999)}, "steps[0].user_ids[1]"},
		{"UnknownUserAfterASchedule", 0, []desk.EscalationStep{{ScheduleIDs: []int64{sched.ID}, UserIDs: []int64{9999},
			Delay: time.Minute}}, "steps[0].user_ids[0]"},
		{"UnknownSchedule", 0, []desk.EscalationStep{{ScheduleIDs: []int64{9999}, Delay: time.Minute}}, "steps[0].schedule_ids[0]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := f.d.PutEscalationPolicy(f.admin, &desk.EscalationPolicy{GroupID: f.g3.ID, Name: "Core on-call",
				Repeat: c.repeat, Active: true, Steps: c.steps})
			if c.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			e := wantCode(t, err, desk.EINVALID)
			var fields []string
			for _, fe := range e.Fields {
				fields = append(fields, fe.Field)
			}
			if len(fields) != 1 || fields[0] != c.field {
				t.Errorf("refused for %v, want %s", fields, c.field)
			}
		})
	}
}

// TestPaging_AssignedTicketIsNotPaged: a P1 incident registered into a
// line-3 group whose policy covers P1 pages the group's on-call people
// when nobody has it; one registered with an assignee already does not
// (someone has taken it).
func TestPaging_AssignedTicketIsNotPaged(t *testing.T) {
	p := newPagingDesk(t)
	core, ann := p.line3("Core", "Ann")
	p.policy(core, true, 0, desk.EscalationStep{UserIDs: []int64{ann.ID}, Delay: 5 * time.Minute})
	free := p.p1("Core switch down", core.ID)
	taken, _, err := p.d.CreateTicket(p.admin, desk.NewTicket{Type: desk.TypeIncident, Title: "Core router down",
		Channel: desk.ChannelMonitoring, Requester: desk.PersonInput{Email: "mon@example.com", Name: "Monitoring"},
		Impact: desk.LevelHigh, Urgency: desk.LevelHigh, GroupID: core.ID, AssigneeID: ann.ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	// the page of a new ticket starts at once; a later one (a breached
	// response target) is another rule
	p.sweep()
	p.clock.Advance(time.Minute)
	p.sweep()
	if len(p.pages(free)) != 1 {
		t.Errorf("the unassigned P1 %s: pages %+v, want one", free.Number, p.pages(free))
	}
	if got := p.pages(taken); len(got) != 0 {
		t.Errorf("the P1 %s registered with an assignee was paged: %+v", taken.Number, got[0].Page)
	}
	if taken.State != desk.StateAssigned || taken.Assignee == nil {
		t.Errorf("%s registered with an assignee is %s", taken.Number, taken.State)
	}
}
