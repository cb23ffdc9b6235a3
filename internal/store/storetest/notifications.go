package storetest

import (
	"strconv"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// testNotifyWrites: notifications attached to events are queued in the
// ticket's transaction (create and update), with the ticket's id; a write
// refused as stale queues nothing; a failed message can be requeued once.
func testNotifyWrites(t *testing.T, open Opener) {
	f := newFixture(t, open)
	tk := f.ticket("Notified", 0)
	ev := []desk.Event{{At: tk.CreatedAt, Kind: desk.EventCreated, Public: true,
		Notify: []desk.OutboxMessage{{Kind: desk.OutboxRegistered, UserID: f.req1.ID, Payload: map[string]string{"title": "Notified"}}}}}
	_, err := f.s.CreateTicket(ctx(t), tk, ev, nil)
	must(t, err)
	old := *tk
	comment := func(body string) []desk.Event {
		return []desk.Event{{Kind: desk.EventComment, Public: true, Body: body,
			Notify: []desk.OutboxMessage{{Kind: desk.OutboxComment, UserID: f.req1.ID, Payload: map[string]string{"body": body}}}}}
	}
	must(t, f.s.UpdateTicket(ctx(t), tk, comment("first")))
	wantCode(t, "stale update", f.s.UpdateTicket(ctx(t), &old, comment("lost")), desk.ESTALE)
	out, err := f.s.Outbox(ctx(t), tk.ID)
	must(t, err)
	var got []string
	for _, m := range out {
		if m.TicketID != tk.ID || m.UserID != f.req1.ID {
			t.Errorf("message %+v: want ticket %d, user %d", m, tk.ID, f.req1.ID)
		}
		got = append(got, string(m.Kind)+":"+m.Payload["title"]+m.Payload["body"])
	}
	diff(t, "queued with the ticket", []string{"ticket_registered:Notified", "comment:first"}, got)

	// Requeue: only a failed message, once.
	wantCode(t, "requeue a queued message", requeueErr(t, f, out[0].ID), desk.ECONFLICT)
	wantCode(t, "requeue a missing message", requeueErr(t, f, 1<<40), desk.ENOTFOUND)
	now := time.Now()
	claimed, err := f.s.ClaimOutbox(ctx(t), now, time.Minute, 10)
	must(t, err)
	if len(claimed) != 2 {
		t.Fatalf("claimed %d, want 2", len(claimed))
	}
	must(t, f.s.OutboxRetry(ctx(t), claimed[0], "550 no such mailbox", nil, now))
	d, err := f.s.RequeueOutbox(ctx(t), claimed[0].ID)
	must(t, err)
	if d.State() != desk.OutboxQueued || d.Attempts != 0 || d.NextAttemptAt != nil || d.LastError != "550 no such mailbox" {
		t.Errorf("requeued: %+v (state %s)", d, d.State())
	}
	wantCode(t, "requeue twice", requeueErr(t, f, claimed[0].ID), desk.ECONFLICT)
	again, err := f.s.ClaimOutbox(ctx(t), now.Add(2*time.Minute), time.Minute, 10)
	must(t, err)
	if len(again) != 2 || again[0].ID != claimed[0].ID || again[0].Attempts != 1 {
		t.Fatalf("claim after requeue: %+v", again)
	}
	must(t, f.s.OutboxSent(ctx(t), again[0], "m1@test", now.Add(2*time.Minute)))
	wantCode(t, "requeue a sent message", requeueErr(t, f, claimed[0].ID), desk.ECONFLICT)
}

func requeueErr(t *testing.T, f *fixture, id int64) error {
	_, err := f.s.RequeueOutbox(ctx(t), id)
	return err
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// testPreferences: none stored reads as empty; put replaces; an unknown
// user is EINVALID.
func testPreferences(t *testing.T, open Opener) {
	f := newFixture(t, open)
	p, err := f.s.GetPreferences(ctx(t), f.req1.ID)
	must(t, err)
	diff(t, "no preferences", desk.Preferences{UserID: f.req1.ID}, *p)
	want := desk.Preferences{UserID: f.req1.ID, Language: "ru", TimeZone: "Europe/Moscow", Gender: desk.GenderFeminine,
		Muted: []desk.OutboxKind{desk.OutboxComment, desk.OutboxOnHold}, UpdatedAt: base}
	must(t, f.s.PutPreferences(ctx(t), &want))
	p, err = f.s.GetPreferences(ctx(t), f.req1.ID)
	must(t, err)
	diff(t, "stored", want, *p)
	want.Muted, want.Language = nil, "en"
	must(t, f.s.PutPreferences(ctx(t), &want))
	p, err = f.s.GetPreferences(ctx(t), f.req1.ID)
	must(t, err)
	diff(t, "replaced", want, *p)
	// The actor of an event carries the gender chosen, for the verb after
	// the name.
	tk := f.create(t, f.ticket("gendered", 0))
	must(t, f.s.UpdateTicket(ctx(t), tk, []desk.Event{{At: base, Kind: desk.EventComment, Public: true,
		Actor: &desk.Ref{ID: f.req1.ID}, Body: "hi"}}))
	page, err := f.s.ListEvents(ctx(t), tk.ID, desk.EventFilter{})
	must(t, err)
	if got := page.Events[len(page.Events)-1].Actor; got == nil || got.Gender != desk.GenderFeminine {
		t.Errorf("the comment's actor %+v, want gender %q", got, desk.GenderFeminine)
	}
	other, err := f.s.GetPreferences(ctx(t), f.req2.ID)
	must(t, err)
	diff(t, "another user's", desk.Preferences{UserID: f.req2.ID}, *other)
	wantCode(t, "unknown user", f.s.PutPreferences(ctx(t), &desk.Preferences{UserID: 1 << 40, UpdatedAt: base}), desk.EINVALID)
}

// testRecipients: the users asked for that exist, each with their groups
// and preferences (empty ones when none are stored), in one call; an
// unknown id is left out, and no ids is no users.
func testRecipients(t *testing.T, open Opener) {
	f := newFixture(t, open)
	must(t, f.s.SetGroupMember(ctx(t), f.net.ID, f.agent.ID, true))
	muted := desk.Preferences{UserID: f.req2.ID, Language: "ru", TimeZone: "Europe/Moscow", Gender: desk.GenderMasculine,
		Muted: []desk.OutboxKind{desk.OutboxComment, desk.OutboxClosed}, UpdatedAt: base}
	must(t, f.s.PutPreferences(ctx(t), &muted))
	got, err := f.s.Recipients(ctx(t), []int64{f.req1.ID, f.req2.ID, f.agent.ID, 1 << 40})
	must(t, err)
	if len(got) != 3 {
		t.Fatalf("%d recipients, want 3 (the unknown id left out): %v", len(got), got)
	}
	for _, u := range []*desk.User{f.req1, f.req2, f.agent} {
		want, err := f.s.GetUser(ctx(t), u.ID)
		must(t, err)
		diff(t, "recipient "+u.Email, want, got[u.ID].User)
		prefs, err := f.s.GetPreferences(ctx(t), u.ID)
		must(t, err)
		diff(t, "preferences of "+u.Email, prefs, got[u.ID].Preferences)
	}
	if g := got[f.agent.ID].User.Groups; len(g) != 1 || g[0].ID != f.net.ID {
		t.Errorf("the agent's groups %+v, want Network", g)
	}
	if p := got[f.req2.ID].Preferences; p.Receives(desk.OutboxComment) || !p.Receives(desk.OutboxResolved) {
		t.Errorf("boris's preferences %+v: comments muted, resolutions not", p)
	}
	none, err := f.s.Recipients(ctx(t), nil)
	must(t, err)
	if len(none) != 0 {
		t.Errorf("no ids: %v", none)
	}
}

// testCalls: a call is stored with its ticket change and events (the call
// id filled into both), listed by start, canceled once; stale writes store
// nothing.
func testCalls(t *testing.T, open Opener) {
	f := newFixture(t, open)
	tk := f.create(t, f.ticket("Call me", 0))
	v := tk.Version
	stale := *tk
	call := func(startMin int) *desk.Call {
		return &desk.Call{Start: base.Add(time.Duration(startMin) * time.Minute), Duration: 30 * time.Minute,
			Kind: desk.CallVideo, MeetingURL: "https://meet.example.com/abc", Note: "screen share",
			CreatedBy: desk.Ref{ID: f.agent.ID}, CreatedAt: base}
	}
	events := func() []desk.Event {
		return []desk.Event{{Kind: desk.EventCallScheduled, Public: true, Actor: &desk.Ref{ID: f.agent.ID},
			Changes: []desk.Change{{Field: "call_id", New: "0"}},
			Notify:  []desk.OutboxMessage{{Kind: desk.OutboxCallScheduled, UserID: f.req1.ID, Payload: map[string]string{}}}}}
	}
	late, early := call(120), call(60)
	evs := events()
	must(t, f.s.ScheduleCall(ctx(t), tk, late, evs))
	must(t, f.s.ScheduleCall(ctx(t), tk, early, events()))
	if tk.Version != v+2 || late.ID == 0 || late.TicketID != tk.ID {
		t.Fatalf("after scheduling: version %d (want %d), call %+v", tk.Version, v+2, late)
	}
	wantCode(t, "stale schedule", f.s.ScheduleCall(ctx(t), &stale, call(30), events()), desk.ESTALE)
	calls, err := f.s.TicketCalls(ctx(t), tk.ID)
	must(t, err)
	if len(calls) != 2 || calls[0].ID != early.ID || calls[1].ID != late.ID {
		t.Fatalf("calls %+v", calls)
	}
	want := *late
	want.CreatedBy.Name = f.agent.Name
	diff(t, "stored call", want, *calls[1])
	out, err := f.s.Outbox(ctx(t), tk.ID)
	must(t, err)
	if len(out) != 2 || out[0].Payload["call_id"] != itoa(late.ID) || evs[0].Changes[0].New != itoa(late.ID) {
		t.Errorf("call id not filled: outbox %+v, change %+v", out, evs[0].Changes)
	}

	at := base.Add(time.Hour)
	late.CanceledAt, late.CanceledBy, late.Sequence = &at, &desk.Ref{ID: f.agent.ID}, 1
	cancel := []desk.Event{{Kind: desk.EventCallCanceled, Public: true}}
	must(t, f.s.CancelCall(ctx(t), tk, late, cancel))
	wantCode(t, "cancel twice", f.s.CancelCall(ctx(t), tk, late, cancel), desk.ECONFLICT)
	got, err := f.s.GetCall(ctx(t), late.ID)
	must(t, err)
	if got.CanceledAt == nil || !got.CanceledAt.Equal(at) || got.CanceledBy == nil || got.CanceledBy.Name != f.agent.Name || got.Sequence != 1 {
		t.Errorf("canceled call %+v", got)
	}
	_, err = f.s.GetCall(ctx(t), 1<<40)
	wantCode(t, "missing call", err, desk.ENOTFOUND)
	page, err := f.s.ListEvents(ctx(t), tk.ID, desk.EventFilter{})
	must(t, err)
	if n := len(page.Events); n != 4 || page.Events[3].Kind != desk.EventCallCanceled {
		t.Errorf("events: %d, last %+v", n, page.Events[n-1])
	}
}
