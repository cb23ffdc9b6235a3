package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// testDashboard: the dashboard's grouped counts agree with a count made
// ticket by ticket in Go over the dataset.
func testDashboard(t *testing.T, open Opener) {
	d := newDataset(t, open, 60)
	for _, c := range []struct {
		now time.Time
		f   desk.TicketFilter
	}{
		// Deadlines fall before and after base+10h; every ticket is under a day old.
		{base.Add(10 * time.Hour), desk.TicketFilter{States: desk.OpenStates, Visibility: all}},
		{base.Add(10 * time.Hour), desk.TicketFilter{States: desk.OpenStates, GroupIDs: []int64{d.net.ID},
			Visibility: desk.Visibility{RestrictedGroups: []int64{d.dba.ID}}}},
		{base.Add(4 * 24 * time.Hour), desk.TicketFilter{States: desk.OpenStates, Visibility: all}},  // 3–7 days old, all breached
		{base.Add(40 * 24 * time.Hour), desk.TicketFilter{States: desk.OpenStates, Visibility: all}}, // over 30 days
	} {
		now, f := c.now, c.f
		got, err := d.s.OpenTicketCounts(ctx(t), f, now)
		must(t, err)
		type key struct {
			state    desk.State
			priority desk.Priority
			line     desk.Line
		}
		want := map[key]desk.OpenCount{}
		for _, tk := range d.tickets {
			if !matches(tk, f) {
				continue
			}
			k := key{tk.State, tk.Priority, d.lineOf(tk)}
			c, ok := want[k]
			if !ok {
				c = desk.OpenCount{State: k.state, Priority: k.priority, Line: k.line, Ages: make([]int, len(desk.AgeBuckets)+1)}
			}
			c.N++
			if tk.Assignee == nil {
				c.Unassigned++
			}
			if tk.SLA.DueAt != nil && tk.SLA.DueAt.Before(now) {
				c.Breached++
			}
			c.Ages[ageIndex(now.Sub(tk.CreatedAt))]++
			want[k] = c
		}
		have := map[key]desk.OpenCount{}
		for _, c := range got {
			have[key{c.State, c.Priority, c.Line}] = c
		}
		diff(t, "open counts", want, have)
	}

	froms := []time.Time{base.Add(10 * time.Minute), base}
	got, err := d.s.OutcomeCounts(ctx(t), desk.TicketFilter{Visibility: all}, froms, base.Add(25*time.Minute))
	must(t, err)
	want := make([]desk.OutcomeCount, len(froms))
	for i, from := range froms {
		want[i].From = from
		for _, tk := range d.tickets {
			if tk.CreatedAt.Before(from) || !tk.CreatedAt.Before(base.Add(25*time.Minute)) {
				continue
			}
			want[i].Tickets++
			if m := tk.SLA.ResponseMet; m != nil && *m {
				want[i].ResponseMet++
			} else if m != nil {
				want[i].ResponseMissed++
			}
		}
	}
	diff(t, "outcome counts", want, got)
	if want[1].ResponseMet == 0 || want[1].ResponseMissed == 0 {
		t.Fatalf("the dataset should hold both outcomes: %+v", want[1])
	}
}

// testRatingCounts: ratings per period and group.
func testRatingCounts(t *testing.T, open Opener) {
	f := newFixture(t, open)
	for i, r := range []struct {
		score int
		at    time.Duration
		group *desk.Group
	}{{5, 0, f.desk}, {3, time.Hour, f.desk}, {1, 2 * time.Hour, f.net}, {4, 5 * time.Hour, f.net}} {
		tk := f.create(t, f.ticket("rated", i))
		must(t, f.s.PutRating(ctx(t), desk.Rating{TicketID: tk.ID, Score: r.score, RatedBy: f.req1.ID, RatedAt: base.Add(r.at),
			GroupID: r.group.ID}, tk.Version, false, desk.Event{At: base, Kind: desk.EventRated, Public: true}))
	}
	now := base.Add(4 * time.Hour) // the last rating is later: not counted
	got, err := f.s.RatingCounts(ctx(t), nil, []time.Time{base.Add(time.Hour), base}, now)
	must(t, err)
	diff(t, "all groups", []desk.RatingCount{{From: base.Add(time.Hour), Ratings: 2, ScoreSum: 4}, {From: base, Ratings: 3, ScoreSum: 9}}, got)
	got, err = f.s.RatingCounts(ctx(t), []int64{f.net.ID}, []time.Time{base}, now)
	must(t, err)
	diff(t, "network", []desk.RatingCount{{From: base, Ratings: 1, ScoreSum: 1}}, got)
}

func ageIndex(age time.Duration) int {
	i := slices.IndexFunc(desk.AgeBuckets, func(b time.Duration) bool { return age < b })
	if i < 0 {
		return len(desk.AgeBuckets)
	}
	return i
}

// lineOf is the line of the ticket's group in the fixture.
func (f *fixture) lineOf(tk *desk.Ticket) desk.Line {
	for _, g := range []*desk.Group{f.desk, f.net, f.dba} {
		if g.ID == tk.Group.ID {
			return g.Line
		}
	}
	return 0
}

// testGroupQueueCounts: the one-scan queue counts equal the totals of the
// queues' own filters.
func testGroupQueueCounts(t *testing.T, open Opener) {
	d := newDataset(t, open, 60)
	now := base.Add(5 * time.Hour)
	agent := &desk.User{ID: d.agent.ID, Role: desk.RoleAgent, Groups: []desk.GroupRef{{ID: d.desk.ID}, {ID: d.net.ID}}}
	const within = 8 * time.Hour
	f, err := desk.QueueFilter(desk.QueueMyGroups, agent, now, within)
	must(t, err)
	f.Visibility = desk.Visibility{RestrictedGroups: []int64{d.desk.ID}}
	got, err := d.s.GroupQueueCounts(ctx(t), f, now, now.Add(within))
	must(t, err)
	want := map[desk.QueueName]int{}
	for _, q := range []desk.QueueName{desk.QueueMyGroups, desk.QueueUnassigned, desk.QueueAboutToBreach, desk.QueueBreached, desk.QueueOnHold} {
		qf, err := desk.QueueFilter(q, agent, now, within)
		must(t, err)
		qf.Visibility = f.Visibility
		want[q] = len(d.want(qf))
	}
	diff(t, "queue counts", want, got)
	if want[desk.QueueBreached] == 0 || want[desk.QueueAboutToBreach] == 0 || want[desk.QueueOnHold] == 0 {
		t.Fatalf("the dataset should fill every queue: %v", want)
	}
}
