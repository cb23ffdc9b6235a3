package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// externalImporter is the bulk path for records from another system (such
// as a ServiceNow log, internal/servicenow): tickets keep their own
// numbers, groups are found or created by name. Stores without it skip
// the test.
type externalImporter interface {
	ExistingNumbers(ctx context.Context, numbers []string) (map[string]bool, error)
	ImportTicketsNumbered(ctx context.Context, tickets []*desk.Ticket, events [][]desk.Event) error
	EnsureGroups(ctx context.Context, groups []*desk.Group) error
	ImportGroupMembers(ctx context.Context, members [][2]int64) error
}

func testExternalImport(t *testing.T, open Opener) {
	f := newFixture(t, open)
	imp, ok := f.s.(externalImporter)
	if !ok {
		t.Fatal("the store has no bulk path for external records (ExistingNumbers, ImportTicketsNumbered, EnsureGroups, ImportGroupMembers)")
	}
	t.Run("NumberedTickets", func(t *testing.T) { testNumberedTickets(t, f, imp) })
	t.Run("EnsureGroups", func(t *testing.T) { testEnsureGroups(t, f, imp) })
}

func testNumberedTickets(t *testing.T, f *fixture, imp externalImporter) {
	a, b := f.ticket("Imported A", 0), f.ticket("Imported B", 1)
	a.Number, b.Number = "INC0000045", " inc0000046"
	a.State, a.ResolvedAt = desk.StateResolved, ptr(base.Add(time.Hour))
	events := [][]desk.Event{
		{{At: a.CreatedAt, Kind: desk.EventCreated, Public: true},
			{At: *a.ResolvedAt, Actor: &desk.Ref{ID: f.agent.ID}, Kind: desk.EventTransition, Public: true,
				Changes: []desk.Change{{Field: "state", Old: "new", New: "resolved"}}}},
		{{At: b.CreatedAt, Kind: desk.EventCreated, Public: true}},
	}
	must(t, imp.ImportTicketsNumbered(ctx(t), []*desk.Ticket{a, b}, events))
	if a.ID == 0 || b.ID == 0 || b.Number != "INC0000046" || a.Version != 1 {
		t.Errorf("after import: a id %d v%d, b id %d number %q", a.ID, a.Version, b.ID, b.Number)
	}
	got, err := f.s.GetTicketByNumber(ctx(t), "inc0000045")
	must(t, err)
	if got.ID != a.ID || got.State != desk.StateResolved || got.Group.Name != f.desk.Name || !got.ResolvedAt.Equal(*a.ResolvedAt) {
		t.Errorf("stored %+v", got)
	}
	page, err := f.s.ListEvents(ctx(t), a.ID, desk.EventFilter{})
	must(t, err)
	if len(page.Events) != 2 || page.Events[1].Actor == nil || page.Events[1].Actor.Name != f.agent.Name {
		t.Errorf("events of the imported ticket: %+v", page.Events)
	}
	found, err := imp.ExistingNumbers(ctx(t), []string{"INC0000045", "inc0000046", "INC0000099"})
	must(t, err)
	diff(t, "existing numbers", map[string]bool{"INC0000045": true, "inc0000046": true}, found)

	// A taken number fails the whole batch.
	c, again := f.ticket("Imported C", 2), f.ticket("Imported A again", 3)
	c.Number, again.Number = "INC0000047", "INC0000045"
	err = imp.ImportTicketsNumbered(ctx(t), []*desk.Ticket{c, again}, [][]desk.Event{nil, nil})
	wantField(t, "import a taken number", err, desk.ECONFLICT, "number")
	found, err = imp.ExistingNumbers(ctx(t), []string{"INC0000047"})
	must(t, err)
	diff(t, "numbers after the failed batch", map[string]bool{}, found)

	// Our own numbering is untouched.
	ours := f.create(t, f.ticket("Registered here", 4))
	if ours.Number != number(desk.TypeIncident, 1) {
		t.Errorf("first ticket registered after the import is %s, want %s", ours.Number, number(desk.TypeIncident, 1))
	}
}

func testEnsureGroups(t *testing.T, f *fixture, imp externalImporter) {
	net := &desk.Group{Name: f.net.Name, Line: desk.Line1, Active: true}
	fresh := &desk.Group{Name: "Group 56", Line: desk.Line1, Active: true}
	must(t, imp.EnsureGroups(ctx(t), []*desk.Group{net, fresh}))
	if net.ID != f.net.ID || net.Line != desk.Line2 {
		t.Errorf("existing group: id %d line %d, want id %d line 2 as stored", net.ID, net.Line, f.net.ID)
	}
	again := &desk.Group{Name: "Group 56", Line: desk.Line3, Active: true}
	must(t, imp.EnsureGroups(ctx(t), []*desk.Group{again}))
	if fresh.ID == 0 || again.ID != fresh.ID || again.Line != desk.Line1 {
		t.Errorf("new group %d, found again as %d line %d", fresh.ID, again.ID, again.Line)
	}
	def, err := f.s.DefaultGroup(ctx(t))
	must(t, err)
	if def.ID != f.desk.ID {
		t.Errorf("default group is now %d, want %d", def.ID, f.desk.ID)
	}
	wantField(t, "ensure a group on line 4", imp.EnsureGroups(ctx(t), []*desk.Group{{Name: "X", Line: 4}}), desk.EINVALID, "line")

	members := [][2]int64{{fresh.ID, f.agent.ID}, {fresh.ID, f.req1.ID}, {f.net.ID, f.agent.ID}}
	must(t, imp.ImportGroupMembers(ctx(t), members))
	must(t, imp.ImportGroupMembers(ctx(t), members[:1])) // again: no error, no duplicate
	users, err := f.s.GroupMembers(ctx(t), fresh.ID)
	must(t, err)
	var ids []int64
	for _, u := range users {
		ids = append(ids, u.ID)
	}
	slices.Sort(ids)
	diff(t, "members of the new group", []int64{min(f.agent.ID, f.req1.ID), max(f.agent.ID, f.req1.ID)}, ids)
}
