package major

import (
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

var t0 = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)

// TestDueAction: warned within the lead, paged when due, each once per due
// instant; nothing once resolved.
func TestDueAction(t *testing.T) {
	m := &Incident{State: StateActive, Cadence: 30 * time.Minute, NextUpdateDue: t0.Add(30 * time.Minute)}
	for _, tc := range []struct {
		at   time.Duration
		want CadenceAction
	}{{24 * time.Minute, CadenceNone}, {25 * time.Minute, CadenceWarn}, {29 * time.Minute, CadenceWarn}, {30 * time.Minute, CadencePage}, {50 * time.Minute, CadencePage}} {
		if got := DueAction(m, t0.Add(tc.at)); got != tc.want {
			t.Errorf("at +%s: %v, want %v", tc.at, got, tc.want)
		}
	}
	m.WarnedFor = m.NextUpdateDue
	if got := DueAction(m, t0.Add(26*time.Minute)); got != CadenceNone {
		t.Errorf("warned twice: %v", got)
	}
	m.PagedFor = m.NextUpdateDue
	if got := DueAction(m, t0.Add(40*time.Minute)); got != CadenceNone {
		t.Errorf("paged twice: %v", got)
	}
	m.NextUpdateDue = t0.Add(time.Hour) // an update moved it: owed again
	if got := DueAction(m, t0.Add(time.Hour)); got != CadencePage {
		t.Errorf("next due: %v", got)
	}
	m.State = StateResolved
	if got := DueAction(m, t0.Add(2*time.Hour)); got != CadenceNone {
		t.Errorf("resolved: %v", got)
	}
	if WarnLead(6*time.Minute) != 2*time.Minute || WarnLead(time.Hour) != 5*time.Minute {
		t.Error("warn lead")
	}
	if DefaultCadence(desk.P1) != 30*time.Minute || DefaultCadence(desk.P2) != time.Hour {
		t.Error("default cadences")
	}
}

// TestRuleDecide fires on a P1 or on Count within Window, never counting
// restricted incidents.
func TestRuleDecide(t *testing.T) {
	c := func(id int64, p desk.Priority, ago time.Duration, restricted bool) Candidate {
		return Candidate{TicketID: id, Priority: p, CreatedAt: t0.Add(-ago), Restricted: restricted}
	}
	count := Rule{Enabled: true, Count: 3, Window: 10 * time.Minute}
	if _, _, ok := count.Decide([]Candidate{c(1, desk.P3, time.Minute, false), c(2, desk.P3, 2*time.Minute, false), c(3, desk.P3, 20*time.Minute, false)}, t0); ok {
		t.Error("fired with one incident outside the window")
	}
	if _, _, ok := count.Decide([]Candidate{c(1, desk.P3, time.Minute, false), c(2, desk.P3, 2*time.Minute, false), c(3, desk.P3, 3*time.Minute, true)}, t0); ok {
		t.Error("fired counting a restricted incident")
	}
	parent, kids, ok := count.Decide([]Candidate{c(1, desk.P3, time.Minute, false), c(2, desk.P3, 2*time.Minute, false), c(3, desk.P3, 3*time.Minute, false)}, t0)
	if !ok || parent != 3 || len(kids) != 2 {
		t.Errorf("count: %d %v %v", parent, kids, ok)
	}
	p1 := Rule{Enabled: true, OnP1: true, Window: 10 * time.Minute}
	parent, kids, ok = p1.Decide([]Candidate{c(1, desk.P3, time.Minute, false), c(2, desk.P1, 2*time.Hour, false)}, t0)
	if !ok || parent != 2 || len(kids) != 1 || kids[0] != 1 {
		t.Errorf("P1: %d %v %v", parent, kids, ok)
	}
	p1.Enabled = false
	if _, _, ok := p1.Decide([]Candidate{c(2, desk.P1, 0, false)}, t0); ok {
		t.Error("a disabled rule fired")
	}
	if (Rule{Name: "x", ServiceID: 1}).Check() == nil {
		t.Error("a rule without a commander or condition passed")
	}
}

// TestUpdateCheck: on time until due, late after; bounds on the next update.
func TestUpdateCheck(t *testing.T) {
	m := &Incident{ID: 1, State: StateActive, Cadence: 30 * time.Minute, NextUpdateDue: t0}
	u, err := UpdateInput{Affected: "Mail", Doing: "Fixing"}.Check(m, 5, t0)
	if err != nil || !u.OnTime || !u.NextAt.Equal(t0.Add(30*time.Minute)) {
		t.Errorf("at due: %+v %v", u, err)
	}
	u, _ = UpdateInput{Affected: "Mail", Doing: "Fixing", NextIn: 10 * time.Minute}.Check(m, 5, t0.Add(time.Second))
	if u.OnTime || !u.NextAt.Equal(t0.Add(10*time.Minute+time.Second)) {
		t.Errorf("late: %+v", u)
	}
	if _, err := (UpdateInput{Affected: " ", Doing: "x"}).Check(m, 5, t0); desk.ErrorCode(err) != desk.EINVALID {
		t.Errorf("empty affected: %v", err)
	}
	if _, err := (UpdateInput{Affected: "a", Doing: "x", NextIn: time.Minute}).Check(m, 5, t0); desk.ErrorCode(err) != desk.EINVALID {
		t.Errorf("next in a minute: %v", err)
	}
	m.State = StateResolved
	if _, err := (UpdateInput{Affected: "a", Doing: "x"}).Check(m, 5, t0); desk.ErrorCode(err) != desk.ECONFLICT {
		t.Errorf("resolved: %v", err)
	}
}

// TestMergeAndReport: the timeline is by time with own entries first at an
// instant; the report counts cadence kept and past-due items.
func TestMergeAndReport(t *testing.T) {
	tl := Merge([]Entry{{ID: 1, At: t0.Add(time.Minute)}}, []Entry{{EventID: 9, At: t0.Add(time.Minute)}, {EventID: 3, At: t0}}, map[int64]bool{9: true})
	if tl[0].EventID != 3 || tl[1].ID != 1 || !tl[2].Key || tl[2].Kind != EntryTicketEvent {
		t.Errorf("merged %+v", tl)
	}
	if !ReviewDraft.CanMove(ReviewInReview) || ReviewDraft.CanMove(ReviewPublished) || ReviewPublished.CanMove(ReviewDraft) || !ReviewInReview.CanMove(ReviewDraft) {
		t.Error("review states")
	}
	res := t0.Add(2 * time.Hour)
	m := &Incident{DeclaredAt: t0, FirstAlertAt: t0.Add(-10 * time.Minute), ResolvedAt: &res}
	r := BuildReport([]ReportFacts{{Incident: m, Service: "Mail", Updates: []Update{{PostedAt: t0.Add(20 * time.Minute), OnTime: true}, {OnTime: false}}}},
		[]ActionItem{{DueOn: t0.AddDate(0, 0, -3)}, {DueOn: t0.AddDate(0, 0, 3)}}, t0)
	if r.Incidents != 1 || r.TimeToDeclare != 10*time.Minute || r.TimeToFirstUpdate != 20*time.Minute || r.TimeToResolve != 2*time.Hour ||
		r.CadenceKept != 50 || r.ItemsPastDue != 1 || r.PerService[0] != (ServiceCount{"Mail", 1}) {
		t.Errorf("report %+v", r)
	}
}
