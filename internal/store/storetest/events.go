package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func testEvents(t *testing.T, open Opener) {
	f := newFixture(t, open)
	tk := f.create(t, f.ticket("history", 0))
	var sent []desk.Event
	for i := range 9 {
		e := desk.Event{
			At: base.Add(time.Duration(i) * time.Minute), Kind: desk.EventWorkNote,
			Body: fmt.Sprintf("note %d", i), Reason: "because",
			Changes: []desk.Change{{Field: "state", Old: "new", New: "assigned"}},
		}
		if i%2 == 0 {
			e.Kind, e.Public, e.Actor, e.Changes = desk.EventComment, true, &desk.Ref{ID: f.req1.ID}, nil
		}
		if i == 3 { // a system-made reason keeps its code and params
			e.Reason, e.ReasonCode = "step 1, round 2: nobody on call, moving on", desk.ReasonNobodyOnCall
			e.ReasonParams = desk.ReasonParams{"step": "1", "round": "2"}
		}
		sent = append(sent, e)
	}
	must(t, f.s.UpdateTicket(ctx(t), tk, sent))
	walk := func(t *testing.T, filter desk.EventFilter) []*desk.Event {
		t.Helper()
		var got []*desk.Event
		for {
			p, err := f.s.ListEvents(ctx(t), tk.ID, filter)
			must(t, err)
			got = append(got, p.Events...)
			if p.NextCursor == "" {
				return got
			}
			filter.Cursor = p.NextCursor
		}
	}
	var want, public []*desk.Event
	created := desk.Event{At: base, Actor: &desk.Ref{ID: f.agent.ID, Name: f.agent.Name}, Kind: desk.EventCreated, Public: true}
	all := walk(t, desk.EventFilter{Limit: 2})
	created.ID, created.TicketID = all[0].ID, tk.ID
	want = append(want, &created)
	public = append(public, &created)
	for i := range sent {
		e := sent[i]
		if e.Actor != nil {
			e.Actor = &desk.Ref{ID: f.req1.ID, Name: f.req1.Name}
		}
		want = append(want, &e)
		if e.Public {
			public = append(public, &e)
		}
	}
	diff(t, "all events", want, all)
	diff(t, "public events", public, walk(t, desk.EventFilter{Limit: 3, PublicOnly: true}))
	p, err := f.s.ListEvents(ctx(t), tk.ID, desk.EventFilter{Limit: 2})
	must(t, err)
	other := f.create(t, f.ticket("other", 0))
	_, err = f.s.ListEvents(ctx(t), other.ID, desk.EventFilter{Cursor: p.NextCursor})
	wantCode(t, "cursor of another ticket", err, desk.EINVALID)
	_, err = f.s.ListEvents(ctx(t), tk.ID, desk.EventFilter{Limit: desk.MaxPageSize + 1})
	wantCode(t, "limit too large", err, desk.EINVALID)
	_, err = f.s.ListEvents(ctx(t), 987654, desk.EventFilter{})
	wantCode(t, "missing ticket", err, desk.ENOTFOUND)
}
