package storetest

import (
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// testSavedFilters: a user's filters round-trip with their spec, names are
// unique per user regardless of case, and missing rows are ENOTFOUND.
func testSavedFilters(t *testing.T, open Opener) {
	f := newFixture(t, open)
	spec := desk.FilterSpec{States: []desk.State{desk.StateNew}, Priorities: []desk.Priority{desk.P1, desk.P2},
		GroupIDs: []int64{f.net.ID}, AssigneeID: ptr(int64(0)), Query: "vpn", DueWithinMinutes: 90, Sort: desk.SortSLA, Desc: true}
	sf := &desk.SavedFilter{UserID: f.agent.ID, Name: "VPN P1-P2", Filter: spec, CreatedAt: base, UpdatedAt: base}
	must(t, f.s.CreateSavedFilter(ctx(t), sf))
	got, err := f.s.GetSavedFilter(ctx(t), sf.ID)
	must(t, err)
	diff(t, "saved filter", sf, got)

	wantField(t, "the same name in another case", f.s.CreateSavedFilter(ctx(t),
		&desk.SavedFilter{UserID: f.agent.ID, Name: "vpn p1-p2", CreatedAt: base, UpdatedAt: base}), desk.ECONFLICT, "name")
	other := &desk.SavedFilter{UserID: f.req1.ID, Name: "VPN P1-P2", CreatedAt: base, UpdatedAt: base}
	must(t, f.s.CreateSavedFilter(ctx(t), other)) // another user may use the name
	second := &desk.SavedFilter{UserID: f.agent.ID, Name: "A breached", Filter: desk.FilterSpec{Breached: true}, CreatedAt: base, UpdatedAt: base}
	must(t, f.s.CreateSavedFilter(ctx(t), second))
	wantField(t, "an unknown user", f.s.CreateSavedFilter(ctx(t), &desk.SavedFilter{UserID: 99999, Name: "x", CreatedAt: base, UpdatedAt: base}),
		desk.EINVALID, "user")

	list, err := f.s.ListSavedFilters(ctx(t), f.agent.ID)
	must(t, err)
	diff(t, "the agent's filters by name", []*desk.SavedFilter{second, sf}, list)

	sf.Name, sf.Filter, sf.UpdatedAt = "Renamed", desk.FilterSpec{AssignedToMe: true}, base.Add(time.Hour)
	must(t, f.s.UpdateSavedFilter(ctx(t), sf))
	got, err = f.s.GetSavedFilter(ctx(t), sf.ID)
	must(t, err)
	diff(t, "updated", sf, got)
	second.Name = "renamed"
	wantField(t, "renaming onto a taken name", f.s.UpdateSavedFilter(ctx(t), second), desk.ECONFLICT, "name")

	must(t, f.s.DeleteSavedFilter(ctx(t), sf.ID))
	wantCode(t, "deleting twice", f.s.DeleteSavedFilter(ctx(t), sf.ID), desk.ENOTFOUND)
	_, err = f.s.GetSavedFilter(ctx(t), sf.ID)
	wantCode(t, "reading a deleted one", err, desk.ENOTFOUND)
	wantCode(t, "updating a deleted one", f.s.UpdateSavedFilter(ctx(t), sf), desk.ENOTFOUND)
}
