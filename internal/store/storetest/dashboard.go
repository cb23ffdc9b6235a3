package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// testDashboard: the dashboard's counts agree with a count made ticket by
// ticket in Go over the dataset, at instants whose periods and age bounds
// fall on whole days, inside a day, and before and after the tickets.
func testDashboard(t *testing.T, open Opener) {
	d := newDataset(t, open, 60)
	tickets := AllTickets(t, d.s)
	moscow := time.FixedZone("MSK", 3*60*60)
	scopes := []desk.DashboardScope{
		{Visibility: all},
		{GroupIDs: []int64{d.net.ID}, Visibility: desk.Visibility{RestrictedGroups: []int64{d.dba.ID}}},
		{GroupIDs: []int64{d.net.ID, d.dba.ID}, Visibility: desk.Visibility{RestrictedGroups: []int64{d.dba.ID}}},
		{Visibility: desk.Visibility{}}, // an agent in no group: unrestricted tickets only
	}
	for _, now := range []time.Time{
		base.Add(25 * time.Minute), base.Add(10 * time.Hour), // deadlines before and after
		base.Add(15*time.Hour + 7*time.Minute), // past midnight UTC: yesterday's tickets
		base.Add(4 * 24 * time.Hour), base.Add(40 * 24 * time.Hour),
		base.Add(-time.Hour), // before every ticket
	} {
		for _, scope := range scopes {
			for _, froms := range [][]time.Time{desk.PeriodStarts(now, nil), desk.PeriodStarts(now, moscow),
				{base.Add(10 * time.Minute), base, now.Add(time.Hour)}} {
				CheckDashboard(t, d.s, tickets, scope, froms, now, now.Add(8*time.Hour))
			}
		}
	}
	at := base.Add(10 * time.Hour)
	want := WantDashboardCounts(tickets, scopes[0], []time.Time{base}, at)
	if want.Outcomes[0].ResponseMet == 0 || want.Outcomes[0].ResponseMissed == 0 || want.Breached[desk.Line1] == 0 {
		t.Fatalf("the dataset should hold both outcomes and breached tickets: %+v", want)
	}
	_, err := d.s.DashboardCounts(ctx(t), desk.DashboardScope{Visibility: desk.Visibility{RequesterID: d.req1.ID}}, nil, at)
	wantCode(t, "a requester's dashboard", err, desk.EINVALID)
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

// testGroupQueueCounts: the queue counts equal the totals of the queues'
// own filters.
func testGroupQueueCounts(t *testing.T, open Opener) {
	d := newDataset(t, open, 60)
	now := base.Add(5 * time.Hour)
	agent := &desk.User{ID: d.agent.ID, Role: desk.RoleAgent, Groups: []desk.GroupRef{{ID: d.desk.ID}, {ID: d.net.ID}}}
	const within = 8 * time.Hour
	scope := desk.DashboardScope{GroupIDs: []int64{d.desk.ID, d.net.ID}, Visibility: desk.Visibility{RestrictedGroups: []int64{d.desk.ID}}}
	got, err := d.s.GroupQueueCounts(ctx(t), scope, now, now.Add(within))
	must(t, err)
	want := map[desk.QueueName]int{}
	for _, q := range []desk.QueueName{desk.QueueMyGroups, desk.QueueUnassigned, desk.QueueAboutToBreach, desk.QueueBreached, desk.QueueOnHold} {
		qf, err := desk.QueueFilter(q, agent, now, within)
		must(t, err)
		qf.Visibility = scope.Visibility
		want[q] = len(d.want(qf))
	}
	diff(t, "queue counts", want, got)
	if want[desk.QueueBreached] == 0 || want[desk.QueueAboutToBreach] == 0 || want[desk.QueueOnHold] == 0 {
		t.Fatalf("the dataset should fill every queue: %v", want)
	}
}

// testPromiseCounts: the promise's counts over the incidents registered
// from `from` until now: first responses within 1 h and 3 h of the ones
// due by now, and the incidents resolved with their summed times.
func testPromiseCounts(t *testing.T, open Opener) {
	f := newFixture(t, open)
	now := base.Add(40 * time.Hour)
	for _, c := range []struct {
		minutes          int // created, from base
		respond, resolve time.Duration
		request          bool
		net              bool
	}{
		{0, 30 * time.Minute, 10 * time.Hour, false, false}, // within 1 h, resolved in 10 h
		{60, 2 * time.Hour, 30 * time.Hour, false, false},   // within 3 h, resolved in 30 h
		{120, 4 * time.Hour, 0, false, false},               // late
		{39*60 + 30, 0, 0, false, false},                    // waiting 30 min: not due yet
		{38 * 60, 0, 0, false, false},                       // waiting 2 h: 1 h missed, 3 h not due
		{180, 10 * time.Minute, 0, true, false},             // a request: not counted
		{-60, 10 * time.Minute, 0, false, false},            // before the window
		{300, 20 * time.Minute, 0, false, true},             // the network group's
	} {
		tk := f.ticket("promise", c.minutes)
		if c.request {
			tk.Type = desk.TypeRequest
		}
		if c.net {
			tk.Group = desk.GroupRef{ID: f.net.ID, Line: desk.Line2}
		}
		if c.respond > 0 {
			at := tk.CreatedAt.Add(c.respond)
			tk.FirstResponseAt = &at
		}
		if c.resolve > 0 {
			at := tk.CreatedAt.Add(c.resolve)
			tk.State, tk.ResolvedAt, tk.ResolutionCode, tk.ResolutionNotes = desk.StateResolved, &at, "solved", "ok"
		}
		f.create(t, tk)
	}
	got, err := f.s.PromiseCounts(ctx(t), desk.DashboardScope{Visibility: desk.Visibility{AllRestricted: true}}, base, now)
	must(t, err)
	diff(t, "all groups", desk.PromiseCounts{From: base, Within1h: 2, Due1h: 5, Within3h: 3, Due3h: 4,
		Resolved: 2, ResolveTime: 40 * time.Hour}, got)
	got, err = f.s.PromiseCounts(ctx(t), desk.DashboardScope{GroupIDs: []int64{f.net.ID}, Visibility: desk.Visibility{AllRestricted: true}}, base, now)
	must(t, err)
	diff(t, "network", desk.PromiseCounts{From: base, Within1h: 1, Due1h: 1, Within3h: 1, Due3h: 1}, got)
}
