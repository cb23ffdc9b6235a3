package storetest

import (
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// testRatings: one rating per ticket, replaced only when asked, always
// under the ticket's current version, with its event.
func testRatings(t *testing.T, open Opener) {
	f := newFixture(t, open)
	tk := f.create(t, f.ticket("rated", 0))
	_, err := f.s.GetRating(ctx(t), tk.ID)
	wantCode(t, "no rating yet", err, desk.ENOTFOUND)

	ev := desk.Event{At: base, Actor: &desk.Ref{ID: f.req1.ID}, Kind: desk.EventRated, Public: true, Body: "quick",
		Changes: []desk.Change{{Field: "rating", New: "4"}}}
	r := desk.Rating{TicketID: tk.ID, Score: 4, Comment: "quick", RatedBy: f.req1.ID, RatedAt: base, GroupID: f.desk.ID, GroupName: f.desk.Name}
	wantCode(t, "a stale version", f.s.PutRating(ctx(t), r, tk.Version+1, false, ev), desk.ESTALE)
	must(t, f.s.PutRating(ctx(t), r, tk.Version, false, ev))
	got, err := f.s.GetRating(ctx(t), tk.ID)
	must(t, err)
	diff(t, "rating", &r, got)

	now, err := f.s.GetTicket(ctx(t), tk.ID)
	must(t, err)
	if now.Version != tk.Version+1 {
		t.Errorf("version %d after rating, want %d", now.Version, tk.Version+1)
	}
	wantCode(t, "a second rating without replace", f.s.PutRating(ctx(t), r, now.Version, false, ev), desk.ECONFLICT)
	if again, _ := f.s.GetTicket(ctx(t), tk.ID); again.Version != now.Version {
		t.Errorf("a refused rating changed the version to %d", again.Version)
	}

	r2 := desk.Rating{TicketID: tk.ID, Score: 2, Comment: "", RatedBy: f.req1.ID, RatedAt: base.Add(time.Hour), GroupID: f.net.ID, GroupName: f.net.Name}
	must(t, f.s.PutRating(ctx(t), r2, now.Version, true, ev))
	got, err = f.s.GetRating(ctx(t), tk.ID)
	must(t, err)
	diff(t, "replaced rating", &r2, got)
	evs, err := f.s.ListEvents(ctx(t), tk.ID, desk.EventFilter{PublicOnly: true})
	must(t, err)
	if n := len(evs.Events); n != 3 || evs.Events[2].Kind != desk.EventRated {
		t.Errorf("%d public events, want created + 2 rated", n)
	}
}
