package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// testTimers: timers are written with the ticket, replaced as a set, never
// rescheduled once handled; claims are leases; handling is conditional on
// the timer being pending and the ticket's version being current.
func testTimers(t *testing.T, open Opener) {
	f := newFixture(t, open)
	at := func(min int) time.Time { return base.Add(time.Duration(min) * time.Minute) }
	timer := func(kind desk.TimerKind, pct, dueMin int) desk.Timer {
		return desk.Timer{Kind: kind, Percent: pct, DueAt: at(dueMin)}
	}
	keys := func(tms []desk.Timer) []string {
		var out []string
		for _, tm := range tms {
			out = append(out, fmt.Sprintf("%s %d +%s", tm.Kind, tm.Percent, tm.DueAt.Sub(base)))
		}
		return out
	}
	tk := f.ticket("Timers", 0)
	_, err := f.s.CreateTicket(ctx(t), tk, nil, nil, timer("resolution", 75, 30), timer("resolution", 100, 40))
	must(t, err)
	pending, _, err := f.s.Timers(ctx(t), tk.ID)
	must(t, err)
	diff(t, "created timers", []string{"resolution 75 +30m0s", "resolution 100 +40m0s"}, keys(pending))

	// No timers passed: left alone. A new set: replaced.
	must(t, f.s.UpdateTicket(ctx(t), tk, nil))
	must(t, f.s.UpdateTicket(ctx(t), tk, nil, timer("resolution", 75, 20), timer("resolution", 100, 50)))
	pending, _, _ = f.s.Timers(ctx(t), tk.ID)
	diff(t, "replaced timers", []string{"resolution 75 +20m0s", "resolution 100 +50m0s"}, keys(pending))

	// Claims: only due ones, and not again while the lease holds.
	claimed, err := f.s.ClaimTimers(ctx(t), at(25), time.Minute, 10)
	must(t, err)
	diff(t, "claimed at 25", []string{"resolution 75 +20m0s"}, keys(claimed))
	again, err := f.s.ClaimTimers(ctx(t), at(25), time.Minute, 10)
	must(t, err)
	diff(t, "claimed again within the lease", []string(nil), keys(again))
	again, err = f.s.ClaimTimers(ctx(t), at(27), time.Minute, 10)
	must(t, err)
	if len(again) != 1 || again[0].ID != claimed[0].ID || again[0].Attempts != 2 {
		t.Fatalf("claim after the lease: %+v", again)
	}

	// A stale ticket version stores nothing; a current one marks it done.
	old := *tk
	old.Version--
	ev := []desk.Event{{Kind: desk.EventSLAWarning, Changes: []desk.Change{{Field: "clock", New: "resolution"}}}}
	msg := []desk.OutboxMessage{{Kind: desk.OutboxSLAWarning, TicketID: tk.ID, GroupID: f.desk.ID, Payload: map[string]string{"percent": "75"}}}
	wantCode(t, "stale handle", f.s.HandleTimer(ctx(t), desk.TimerOutcome{TimerID: claimed[0].ID, Done: true, Ticket: &old, Events: ev, Outbox: msg}), desk.ESTALE)
	must(t, f.s.HandleTimer(ctx(t), desk.TimerOutcome{TimerID: claimed[0].ID, Done: true, Ticket: tk, Events: ev, Outbox: msg}))
	wantCode(t, "second handle", f.s.HandleTimer(ctx(t), desk.TimerOutcome{TimerID: claimed[0].ID, Done: true, Ticket: tk, Events: ev, Outbox: msg}), desk.ECONFLICT)
	out, err := f.s.Outbox(ctx(t), tk.ID)
	must(t, err)
	if len(out) != 1 || out[0].GroupID != f.desk.ID || out[0].Payload["percent"] != "75" || out[0].SentAt != nil {
		t.Fatalf("outbox %+v", out)
	}
	page, err := f.s.ListEvents(ctx(t), tk.ID, desk.EventFilter{})
	must(t, err)
	if n := len(page.Events); n != 1 || page.Events[0].Kind != desk.EventSLAWarning || page.Events[0].Actor != nil {
		t.Fatalf("events %+v", page.Events)
	}

	// A handled key is not scheduled again, whatever the new set says.
	must(t, f.s.UpdateTicket(ctx(t), tk, nil, timer("resolution", 75, 60), timer("resolution", 100, 70)))
	pending, done, err := f.s.Timers(ctx(t), tk.ID)
	must(t, err)
	diff(t, "pending after handling", []string{"resolution 100 +1h10m0s"}, keys(pending))
	diff(t, "done", []string{"resolution 75 +20m0s"}, keys(done))

	// Handled timers are never claimed again: with a batch of one, the
	// pending timer due later comes before the handled one due earlier,
	// or a desk with more handled timers than a batch would never reach
	// its next due warning.
	claimed, err = f.s.ClaimTimers(ctx(t), at(80), time.Minute, 1)
	must(t, err)
	diff(t, "claimed in a batch of one after handling", []string{"resolution 100 +1h10m0s"}, keys(claimed))
}
