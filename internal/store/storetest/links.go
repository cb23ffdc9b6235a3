package storetest

import (
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func linkEv(note string) desk.Event {
	return desk.Event{At: base, Kind: desk.EventLinked, Changes: []desk.Change{{Field: "link", New: note}}}
}

// testLinks: links are stored once per pair, read from both tickets, with
// an event and a new version on each; the one-parent, one-original and
// no-cycle rules hold.
func testLinks(t *testing.T, open Opener) {
	f := newFixture(t, open)
	a, b, c, d := f.create(t, f.ticket("a", 0)), f.create(t, f.ticket("b", 1)), f.create(t, f.ticket("c", 2)), f.create(t, f.ticket("d", 3))
	add := func(from, to *desk.Ticket, kind desk.LinkKind) error {
		return f.s.AddLink(ctx(t), desk.Link{FromID: from.ID, ToID: to.ID, Kind: kind, CreatedAt: base, CreatedBy: f.agent.ID},
			linkEv("from"), linkEv("to"))
	}
	must(t, add(b, a, desk.LinkChildOf))
	must(t, add(c, b, desk.LinkChildOf))
	must(t, add(d, a, desk.LinkDuplicateOf))

	la, err := f.s.TicketLinks(ctx(t), a.ID)
	must(t, err)
	diff(t, "links of a", []desk.Link{
		{FromID: b.ID, ToID: a.ID, Kind: desk.LinkChildOf, CreatedAt: base, CreatedBy: f.agent.ID},
		{FromID: d.ID, ToID: a.ID, Kind: desk.LinkDuplicateOf, CreatedAt: base, CreatedBy: f.agent.ID},
	}, la)
	if kind, other := la[0].Of(a.ID); kind != desk.LinkParentOf || other != b.ID {
		t.Errorf("a sees the first link as %s of %d, want parent_of %d", kind, other, b.ID)
	}
	got, err := f.s.GetTicket(ctx(t), a.ID)
	must(t, err)
	if got.Version != a.Version+2 {
		t.Errorf("a's version %d after two links, want %d", got.Version, a.Version+2)
	}
	evs, err := f.s.ListEvents(ctx(t), b.ID, desk.EventFilter{})
	must(t, err)
	if n := len(evs.Events); n != 3 || evs.Events[1].Kind != desk.EventLinked {
		t.Errorf("b's history: %d events, want created + 2 linked", n)
	}

	wantCode(t, "the same pair again", add(b, a, desk.LinkRelated), desk.ECONFLICT)
	wantCode(t, "the same pair the other way", add(a, b, desk.LinkRelated), desk.ECONFLICT)
	wantCode(t, "a second parent", add(c, d, desk.LinkChildOf), desk.ECONFLICT)
	wantCode(t, "a second original", add(d, c, desk.LinkDuplicateOf), desk.ECONFLICT)
	wantField(t, "a cycle a→c→b→a", add(a, c, desk.LinkChildOf), desk.EINVALID, "ticket")
	wantCode(t, "a missing ticket", add(a, &desk.Ticket{ID: 99999}, desk.LinkRelated), desk.ENOTFOUND)
	wantField(t, "a self-link", add(a, a, desk.LinkRelated), desk.EINVALID, "ticket")
	must(t, add(a, c, desk.LinkRelated)) // only parents make cycles: relating a and c is fine

	// Removing: exactly the stored link, once.
	l := desk.Link{FromID: c.ID, ToID: b.ID, Kind: desk.LinkChildOf}
	must(t, f.s.RemoveLink(ctx(t), l, linkEv("x"), linkEv("y")))
	wantCode(t, "removing twice", f.s.RemoveLink(ctx(t), l, linkEv("x"), linkEv("y")), desk.ENOTFOUND)
	lc, err := f.s.TicketLinks(ctx(t), c.ID)
	must(t, err)
	if len(lc) != 1 || lc[0].Kind != desk.LinkRelated {
		t.Errorf("c's links after the removal: %+v", lc)
	}
}
