package storetest

import (
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// testMerge: a duplicate's closing and its link to the survivor are one
// transaction: both stored, in that order on its history, or (a stale
// duplicate, a duplicate that already has an original) neither.
func testMerge(t *testing.T, open Opener) {
	f := newFixture(t, open)
	into := f.create(t, f.ticket("original", 0))
	dup, stale, taken, other := f.create(t, f.ticket("dup", 1)), f.create(t, f.ticket("stale", 2)),
		f.create(t, f.ticket("taken", 3)), f.create(t, f.ticket("other", 4))
	merge := func(tk *desk.Ticket) error {
		closing := desk.Event{At: base, Kind: desk.EventTransition, Public: true, Reason: "Duplicate of " + into.Number,
			Changes: []desk.Change{{Field: "state", Old: string(tk.State), New: string(desk.StateCanceled)}}}
		tk.State = desk.StateCanceled
		return f.s.MergeTicket(ctx(t), tk, []desk.Event{closing}, &desk.MergeLink{
			Link:      desk.Link{FromID: tk.ID, ToID: into.ID, Kind: desk.LinkDuplicateOf, CreatedAt: base, CreatedBy: f.agent.ID},
			FromEvent: linkEv("duplicate_of"), ToEvent: linkEv("duplicated_by")})
	}
	version := dup.Version
	must(t, merge(dup))
	got, err := f.s.GetTicket(ctx(t), dup.ID)
	must(t, err)
	if got.State != desk.StateCanceled || got.Version <= version {
		t.Errorf("the duplicate: state %s version %d (was %d)", got.State, got.Version, version)
	}
	evs, err := f.s.ListEvents(ctx(t), dup.ID, desk.EventFilter{})
	must(t, err)
	if n := len(evs.Events); n != 3 || evs.Events[1].Kind != desk.EventLinked || evs.Events[2].Kind != desk.EventTransition {
		t.Errorf("the duplicate's history: %d events %+v, want created, linked, closed", n, evs.Events)
	}
	if links, err := f.s.TicketLinks(ctx(t), into.ID); err != nil || len(links) != 1 || links[0].FromID != dup.ID {
		t.Errorf("the survivor's links: %+v %v", links, err)
	}

	stale.Version-- // someone else changed it since
	wantCode(t, "a stale duplicate", merge(stale), desk.ESTALE)
	must(t, f.s.AddLink(ctx(t), desk.Link{FromID: taken.ID, ToID: other.ID, Kind: desk.LinkDuplicateOf, CreatedAt: base,
		CreatedBy: f.agent.ID}, linkEv("a"), linkEv("b")))
	taken, err = f.s.GetTicket(ctx(t), taken.ID)
	must(t, err)
	wantCode(t, "a duplicate of another ticket already", merge(taken), desk.ECONFLICT)
	for _, id := range []int64{stale.ID, taken.ID} {
		got, err := f.s.GetTicket(ctx(t), id)
		must(t, err)
		if got.State == desk.StateCanceled {
			t.Errorf("%s was closed although its link was not stored", got.Number)
		}
	}
	if links, err := f.s.TicketLinks(ctx(t), into.ID); err != nil || len(links) != 1 {
		t.Errorf("a refused merge left a link: %+v %v", links, err)
	}
}
