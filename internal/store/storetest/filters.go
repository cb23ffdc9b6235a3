package storetest

import (
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// testSavedFilters: a user's filters round-trip with their spec and the
// groups they are shared with, names are unique per user regardless of
// case, a user lists their own and those shared with the groups asked for,
// and missing rows are ENOTFOUND.
func testSavedFilters(t *testing.T, open Opener) {
	f := newFixture(t, open)
	spec := desk.FilterSpec{States: []desk.State{desk.StateNew}, Priorities: []desk.Priority{desk.P1, desk.P2},
		GroupIDs: []int64{f.net.ID}, AssigneeID: ptr(int64(0)), Query: "vpn", DueWithinMinutes: 90, Sort: desk.SortSLA, Desc: true}
	spec.Channels, spec.Columns = []desk.Channel{desk.ChannelPhone}, []string{"number", "title", "channel"}
	spec.CreatedFrom, spec.UpdatedTo = ptr(base), ptr(base.Add(time.Hour))
	sf := &desk.SavedFilter{UserID: f.agent.ID, OwnerName: f.agent.Name, Name: "VPN P1-P2", Filter: spec, CreatedAt: base, UpdatedAt: base,
		SharedWith: []desk.Ref{{ID: f.net.ID, Name: f.net.Name}}}
	must(t, f.s.CreateSavedFilter(ctx(t), sf))
	got, err := f.s.GetSavedFilter(ctx(t), sf.ID)
	must(t, err)
	diff(t, "saved filter", sf, got)

	wantField(t, "the same name in another case", f.s.CreateSavedFilter(ctx(t),
		&desk.SavedFilter{UserID: f.agent.ID, Name: "vpn p1-p2", CreatedAt: base, UpdatedAt: base}), desk.ECONFLICT, "name")
	other := &desk.SavedFilter{UserID: f.req1.ID, OwnerName: f.req1.Name, Name: "VPN P1-P2", CreatedAt: base, UpdatedAt: base}
	must(t, f.s.CreateSavedFilter(ctx(t), other)) // another user may use the name
	second := &desk.SavedFilter{UserID: f.agent.ID, OwnerName: f.agent.Name, Name: "A breached", Filter: desk.FilterSpec{Breached: true}, CreatedAt: base, UpdatedAt: base}
	must(t, f.s.CreateSavedFilter(ctx(t), second))
	wantField(t, "an unknown user", f.s.CreateSavedFilter(ctx(t), &desk.SavedFilter{UserID: 99999, Name: "x", CreatedAt: base, UpdatedAt: base}),
		desk.EINVALID, "user")

	list, err := f.s.ListSavedFilters(ctx(t), f.agent.ID, nil)
	must(t, err)
	diff(t, "the agent's filters by name", []*desk.SavedFilter{second, sf}, list)
	list, err = f.s.ListSavedFilters(ctx(t), f.req1.ID, []int64{f.dba.ID, f.net.ID})
	must(t, err)
	diff(t, "own and shared with Network, by name", []*desk.SavedFilter{sf, other}, list)
	list, err = f.s.ListSavedFilters(ctx(t), f.req1.ID, []int64{f.dba.ID})
	must(t, err)
	diff(t, "nothing shared with Database", []*desk.SavedFilter{other}, list)

	sf.Name, sf.Filter, sf.UpdatedAt = "Renamed", desk.FilterSpec{AssignedToMe: true}, base.Add(time.Hour)
	sf.SharedWith = []desk.Ref{{ID: f.dba.ID, Name: f.dba.Name}, {ID: f.net.ID, Name: f.net.Name}} // by name
	must(t, f.s.UpdateSavedFilter(ctx(t), sf))
	got, err = f.s.GetSavedFilter(ctx(t), sf.ID)
	must(t, err)
	diff(t, "updated", sf, got)
	sf.SharedWith = nil
	must(t, f.s.UpdateSavedFilter(ctx(t), sf))
	list, err = f.s.ListSavedFilters(ctx(t), f.req1.ID, []int64{f.dba.ID, f.net.ID})
	must(t, err)
	diff(t, "unshared", []*desk.SavedFilter{other}, list)
	second.Name = "renamed"
	wantField(t, "renaming onto a taken name", f.s.UpdateSavedFilter(ctx(t), second), desk.ECONFLICT, "name")

	must(t, f.s.DeleteSavedFilter(ctx(t), sf.ID))
	wantCode(t, "deleting twice", f.s.DeleteSavedFilter(ctx(t), sf.ID), desk.ENOTFOUND)
	_, err = f.s.GetSavedFilter(ctx(t), sf.ID)
	wantCode(t, "reading a deleted one", err, desk.ENOTFOUND)
	wantCode(t, "updating a deleted one", f.s.UpdateSavedFilter(ctx(t), sf), desk.ENOTFOUND)
}
