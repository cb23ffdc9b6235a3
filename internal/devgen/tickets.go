package devgen

import (
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// ticketGen makes tickets created in order over the year before now: most
// are finished, and recent ones are much more often still open, giving
// 15–20 % open tickets overall.
type ticketGen struct {
	r          *rand.Rand
	dir        *directory
	now, start time.Time
	total      int
}

func (g *ticketGen) batch(offset, n int) ([]*desk.Ticket, [][]desk.Event) {
	tickets := make([]*desk.Ticket, n)
	events := make([][]desk.Event, n)
	for i := range n {
		tickets[i] = g.ticket(offset + i)
		events[i] = g.history(tickets[i])
	}
	return tickets, events
}

func (g *ticketGen) ticket(i int) *desk.Ticket {
	r := g.r
	span := g.now.Sub(g.start)
	created := g.start.Add(time.Duration(float64(span) * float64(i) / float64(max(g.total, 1))))
	created = g.notAfterNow(created.Add(time.Duration(r.IntN(3600)) * time.Second))
	grp := g.dir.group(r)
	t := &desk.Ticket{
		Type:   weighted(r, []desk.TicketType{desk.TypeIncident, desk.TypeRequest}, 70, 30),
		State:  g.state(created),
		Impact: weighted(r, desk.Levels, 10, 40, 50), Urgency: weighted(r, desk.Levels, 15, 45, 40),
		Group:     desk.GroupRef{ID: grp.ID},
		Requester: desk.Person{ID: pick(r, g.dir.requesters)},
		// portal, email, phone, api, monitoring, walk_in, chat
		Channel:    weighted(r, desk.Channels, 36, 28, 15, 8, 5, 4, 4),
		Restricted: r.IntN(50) == 0,
		ReportedAt: created, CreatedAt: created, UpdatedAt: created,
	}
	t.Priority = desk.DefaultMatrix.Priority(t.Impact, t.Urgency)
	t.CreatedBy = t.Requester.ID
	g.text(t)
	g.classify(t)
	g.progress(t, grp)
	slaStatus(t)
	return t
}

// state is likelier open for a ticket created in the last month.
func (g *ticketGen) state(created time.Time) desk.State {
	openPct := 12
	if g.now.Sub(created) < 30*24*time.Hour {
		openPct = 70
	}
	if g.r.IntN(100) < openPct {
		return weighted(g.r, desk.OpenStates, 20, 25, 40, 15)
	}
	return weighted(g.r, []desk.State{desk.StateClosed, desk.StateResolved, desk.StateCanceled}, 75, 15, 10)
}

func (g *ticketGen) text(t *desk.Ticket) {
	lang := titles[weighted(g.r, []int{0, 1}, 75, 25)]
	t.Title = pick(g.r, lang.things) + " " + pick(g.r, lang.problems)
	t.Description = g.sentence(12 + g.r.IntN(30))
	if g.r.IntN(10) < 3 {
		t.Symptoms = g.sentence(3 + g.r.IntN(6))
	}
}

func (g *ticketGen) sentence(n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = pick(g.r, words)
	}
	return strings.Join(w, " ")
}

func (g *ticketGen) classify(t *desk.Ticket) {
	r := g.r
	if r.IntN(100) < 85 {
		c := pick(r, g.dir.categories)
		t.Category = &desk.Ref{ID: c.id}
		if r.IntN(100) < 70 {
			t.Subcategory = &desk.Ref{ID: pick(r, c.subs)}
		}
	}
	if r.IntN(100) < 60 {
		t.Service = &desk.Ref{ID: pick(r, g.dir.services)}
	}
}

// progress fills assignment, counters and the lifecycle times of t's state.
func (g *ticketGen) progress(t *desk.Ticket, grp *desk.Group) {
	r := g.r
	if t.State == desk.StateNew {
		return
	}
	t.Assignee = &desk.Ref{ID: pick(r, g.dir.agents[grp.ID])}
	t.FirstResponseAt = g.after(t.CreatedAt, 4*time.Hour)
	t.UpdatedAt = *g.after(*t.FirstResponseAt, 48*time.Hour)
	t.ReassignmentCount = weighted(r, []int{0, 1, 2}, 70, 20, 10)
	t.EscalationCount = int(grp.Line) - 1
	switch t.State {
	case desk.StateOnHold:
		t.HoldReason = pick(r, desk.HoldReasons)
	case desk.StateCanceled:
		t.CanceledAt, t.Assignee = g.after(t.CreatedAt, 48*time.Hour), nil
		t.UpdatedAt = *t.CanceledAt
	case desk.StateResolved, desk.StateClosed:
		t.ResolvedAt = g.after(*t.FirstResponseAt, 5*24*time.Hour)
		t.ResolutionCode, t.ResolutionNotes = pick(r, desk.ResolutionCodes), g.sentence(6)
		t.UpdatedAt = *t.ResolvedAt
		if t.State == desk.StateClosed {
			t.ClosedAt = g.after(*t.ResolvedAt, 3*24*time.Hour)
			t.UpdatedAt = *t.ClosedAt
		}
		if r.IntN(100) < 3 {
			t.ReopenCount = 1
		}
	}
}

// after returns a time up to d after from, never past now.
func (g *ticketGen) after(from time.Time, d time.Duration) *time.Time {
	t := g.notAfterNow(from.Add(time.Duration(g.r.Int64N(int64(d)))))
	return &t
}

func (g *ticketGen) notAfterNow(t time.Time) time.Time {
	if t.After(g.now) {
		return g.now
	}
	return t
}

// history is a ticket's created event, a public comment for some, a work
// note for others, and the transition to its final state.
func (g *ticketGen) history(t *desk.Ticket) []desk.Event {
	events := []desk.Event{{At: t.CreatedAt, Actor: &desk.Ref{ID: t.Requester.ID}, Kind: desk.EventCreated, Public: true}}
	var agent *desk.Ref
	if t.Assignee != nil {
		agent = &desk.Ref{ID: t.Assignee.ID}
	}
	if agent != nil && g.r.IntN(100) < 25 {
		events = append(events, desk.Event{At: t.UpdatedAt, Actor: agent, Kind: desk.EventComment, Public: true, Body: g.sentence(8)})
	}
	if agent != nil && g.r.IntN(100) < 20 {
		events = append(events, desk.Event{At: t.UpdatedAt, Actor: agent, Kind: desk.EventWorkNote, Body: g.sentence(8)})
	}
	if !t.State.IsOpen() {
		events = append(events, desk.Event{At: t.UpdatedAt, Actor: agent, Kind: desk.EventTransition, Public: true,
			Changes: []desk.Change{{Field: "state", Old: string(desk.StateInProgress), New: string(t.State)}}})
	}
	return events
}

func pick[T any](r *rand.Rand, from []T) T { return from[r.IntN(len(from))] }

// weighted picks vs[i] with probability weights[i] / sum(weights).
func weighted[T any](r *rand.Rand, vs []T, weights ...int) T {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := r.IntN(total)
	for i, w := range weights {
		if x < w {
			return vs[i]
		}
		x -= w
	}
	return vs[len(vs)-1]
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
