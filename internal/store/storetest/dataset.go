package storetest

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// dataset is a fixture with n tickets of varied attributes, and a model of
// what each filter and sort must return, computed in Go.
type dataset struct {
	*fixture
	tickets []*desk.Ticket
}

func newDataset(t *testing.T, open Opener, n int) *dataset {
	t.Helper()
	d := &dataset{fixture: newFixture(t, open)}
	r := rand.New(rand.NewPCG(1, 2))
	sla := rand.New(rand.NewPCG(3, 4)) // a source of its own keeps the other attributes as they were
	ch := rand.New(rand.NewPCG(5, 6))
	groups := []*desk.Group{d.desk, d.net, d.dba}
	for i := range n {
		tk := d.ticket(fmt.Sprintf("ticket %d", i), r.IntN(n/2)) // repeated created_at: ids break ties
		tk.Type = desk.TicketTypes[r.IntN(2)]
		tk.State = desk.States[r.IntN(len(desk.States))]
		tk.Priority = desk.Priorities[r.IntN(4)]
		tk.Group = desk.GroupRef{ID: groups[r.IntN(3)].ID}
		tk.UpdatedAt = tk.CreatedAt.Add(time.Duration(r.IntN(n)) * time.Minute)
		if r.IntN(2) == 0 {
			tk.Requester = desk.Person{ID: d.req2.ID}
		}
		if r.IntN(3) == 0 {
			tk.Assignee = &desk.Ref{ID: d.agent.ID}
		}
		switch r.IntN(4) {
		case 0:
			tk.Category = &desk.Ref{ID: d.hardware.ID}
		case 1:
			tk.Category, tk.Subcategory = &desk.Ref{ID: d.hardware.ID}, &desk.Ref{ID: d.printers.ID}
		}
		if r.IntN(3) == 0 {
			tk.Service = &desk.Ref{ID: d.mail.ID}
		}
		tk.Restricted = r.IntN(5) == 0
		if sla.IntN(4) > 0 { // repeated deadlines: ids break ties
			due := base.Add(time.Duration(sla.IntN(n/3)) * time.Hour)
			tk.SLA.DueAt, tk.SLA.ResponseMet = &due, ptr(sla.IntN(2) == 0)
		}
		tk.Channel = desk.Channels[ch.IntN(len(desk.Channels))]
		d.tickets = append(d.tickets, d.create(t, tk))
	}
	return d
}

// want returns the ids of the dataset's tickets matching f, in f's order.
func (d *dataset) want(f desk.TicketFilter) []int64 {
	var match []*desk.Ticket
	for _, t := range d.tickets {
		if matches(t, f) {
			match = append(match, t)
		}
	}
	slices.SortFunc(match, func(a, b *desk.Ticket) int {
		c := compareBy(a, b, f.Sort)
		if f.Desc {
			return -c
		}
		return c
	})
	ids := make([]int64, len(match))
	for i, t := range match {
		ids[i] = t.ID
	}
	return ids
}

func compareBy(a, b *desk.Ticket, sort desk.TicketSort) int {
	switch sort {
	case desk.SortUpdated:
		return cmp.Or(a.UpdatedAt.Compare(b.UpdatedAt), cmp.Compare(a.ID, b.ID))
	case desk.SortPriority:
		return cmp.Or(cmp.Compare(a.Priority, b.Priority), a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	case desk.SortSLA: // no deadline sorts last
		return cmp.Or(compareDue(a.SLA.DueAt, b.SLA.DueAt), cmp.Compare(a.ID, b.ID))
	}
	return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
}

// matches is the model of every TicketFilter field except Query.
func matches(t *desk.Ticket, f desk.TicketFilter) bool {
	return in(f.States, t.State) && in(f.Types, t.Type) && in(f.Priorities, t.Priority) &&
		in(f.GroupIDs, t.Group.ID) && in(f.Lines, t.Group.Line) && in(f.Channels, t.Channel) &&
		(f.AssigneeID == nil || refIs(t.Assignee, *f.AssigneeID)) &&
		(f.RequesterID == nil || t.Requester.ID == *f.RequesterID) &&
		(f.CategoryID == nil || refIs(t.Category, *f.CategoryID) || refIs(t.Subcategory, *f.CategoryID)) &&
		(f.ServiceID == nil || refIs(t.Service, *f.ServiceID)) &&
		inRange(t.CreatedAt, f.CreatedFrom, f.CreatedTo) && inRange(t.UpdatedAt, f.UpdatedFrom, f.UpdatedTo) &&
		dueInRange(t.SLA.DueAt, f.SLADueFrom, f.SLADueTo) &&
		visible(t, f.Visibility)
}

func in[T comparable](set []T, v T) bool { return len(set) == 0 || slices.Contains(set, v) }

// refIs matches an optional reference; id 0 selects an absent one.
func refIs(r *desk.Ref, id int64) bool {
	if r == nil {
		return id == 0
	}
	return r.ID == id
}

func inRange(at time.Time, from, to *time.Time) bool {
	return (from == nil || !at.Before(*from)) && (to == nil || at.Before(*to))
}

// compareDue orders deadlines, an absent one after every other.
func compareDue(a, b *time.Time) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return a.Compare(*b)
}

// dueInRange: a ticket without a deadline never matches a bound.
func dueInRange(due, from, to *time.Time) bool {
	if from == nil && to == nil {
		return true
	}
	return due != nil && inRange(*due, from, to)
}

func visible(t *desk.Ticket, v desk.Visibility) bool {
	if v.RequesterID > 0 && t.Requester.ID != v.RequesterID {
		return false
	}
	return !t.Restricted || v.AllRestricted || slices.Contains(v.RestrictedGroups, t.Group.ID)
}

// all walks every page of f and returns the ids in order, failing on a
// repeated id (a keyset bug shows as duplicates or gaps).
func (d *dataset) all(t *testing.T, f desk.TicketFilter) []int64 {
	t.Helper()
	var ids []int64
	seen := map[int64]bool{}
	for page := 0; ; page++ {
		p, err := d.s.ListTickets(ctx(t), f)
		if err != nil {
			t.Fatalf("page %d: %v", page, err)
		}
		for _, tk := range p.Tickets {
			if seen[tk.ID] {
				t.Fatalf("ticket %d repeated on page %d", tk.ID, page)
			}
			seen[tk.ID] = true
			ids = append(ids, tk.ID)
		}
		if p.NextCursor == "" {
			return ids
		}
		if len(p.Tickets) != f.Limit {
			t.Fatalf("page %d has %d tickets and a cursor; want a full page of %d", page, len(p.Tickets), f.Limit)
		}
		f.Cursor = p.NextCursor
	}
}
