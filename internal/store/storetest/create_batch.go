package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// testCreateConcurrent creates 60 tickets from 60 goroutines at once, so
// that creations share transactions (group commit): 48 ordinary ones with
// an event, a notification and a timer each, 6 naming a group that does
// not exist, 6 sending one idempotency key. Every ordinary ticket is
// stored once with its effects and a number of its own, gap-free; each
// bad one fails alone, with its own error; the key makes one ticket that
// the other five get back; the dashboard's counts are exact.
func testCreateConcurrent(t *testing.T, open Opener) {
	f := newFixture(t, open)
	const ordinary, bad, keyed = 48, 6, 6
	type result struct {
		kind     string
		tk       *desk.Ticket
		replayed *desk.Ticket
		err      error
	}
	results := make([]result, ordinary+bad+keyed)
	key := &desk.IdempotencyKey{ActorID: f.agent.ID, Key: "batched", Fingerprint: "fp"}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() {
			r := &results[i]
			r.tk = f.ticket(fmt.Sprintf("batched %d", i), i%7)
			ev := []desk.Event{{At: r.tk.CreatedAt, Actor: &desk.Ref{ID: f.agent.ID}, Kind: desk.EventCreated, Public: true,
				Notify: []desk.OutboxMessage{{Kind: desk.OutboxRegistered, UserID: f.req1.ID, Payload: map[string]string{"n": fmt.Sprint(i)}}}}}
			timers := []desk.Timer{{Kind: desk.TimerAutoClose, DueAt: base.Add(time.Duration(i) * time.Hour)}}
			var k *desk.IdempotencyKey
			switch {
			case i < ordinary:
				r.kind = "ordinary"
			case i < ordinary+bad:
				r.kind = "bad"
				r.tk.Group.ID = 1 << 40
			default:
				r.kind = "keyed"
				k = key
				r.tk.Title = "batched with a key"
			}
			<-start
			r.replayed, r.err = f.s.CreateTicket(ctx(t), r.tk, ev, k, timers...)
		})
	}
	close(start)
	wg.Wait()

	var numbers []string
	var keyedIDs []int64
	created := 0
	for i, r := range results {
		switch r.kind {
		case "bad":
			wantCode(t, fmt.Sprintf("ticket %d of an unknown group", i), r.err, desk.EINVALID)
			continue
		case "keyed":
			must(t, r.err)
			if r.replayed != nil {
				keyedIDs = append(keyedIDs, r.replayed.ID)
				continue
			}
			keyedIDs = append(keyedIDs, r.tk.ID)
		default:
			must(t, r.err)
		}
		created++
		numbers = append(numbers, r.tk.Number)
		got, err := f.s.GetTicket(ctx(t), r.tk.ID)
		must(t, err)
		if got.Title != r.tk.Title || got.Number != r.tk.Number {
			t.Errorf("ticket %d stored as %q %s, returned as %q %s", i, got.Title, got.Number, r.tk.Title, r.tk.Number)
		}
		page, err := f.s.ListEvents(ctx(t), r.tk.ID, desk.EventFilter{})
		must(t, err)
		out, err := f.s.Outbox(ctx(t), r.tk.ID)
		must(t, err)
		pending, done, err := f.s.Timers(ctx(t), r.tk.ID)
		must(t, err)
		if len(page.Events) != 1 || len(out) != 1 || len(pending)+len(done) != 1 {
			t.Errorf("ticket %d: %d events, %d notifications, %d timers; want one each", i, len(page.Events), len(out),
				len(pending)+len(done))
		}
	}
	if created != ordinary+1 {
		t.Errorf("%d tickets created, want %d", created, ordinary+1)
	}
	slices.Sort(numbers)
	for i := range created {
		if want := number(desk.TypeIncident, i+1); i >= len(numbers) || numbers[i] != want {
			t.Fatalf("numbers %v: want %s to %s without gaps", numbers, number(desk.TypeIncident, 1), number(desk.TypeIncident, created))
		}
	}
	if len(keyedIDs) != keyed || len(slices.Compact(slices.Sorted(slices.Values(keyedIDs)))) != 1 {
		t.Errorf("the callers of one key got tickets %v, want one ticket", keyedIDs)
	}
	now := base.Add(time.Hour)
	CheckDashboard(t, f.s, AllTickets(t, f.s), desk.DashboardScope{Visibility: desk.Visibility{AllRestricted: true, AllSecurity: true}},
		desk.PeriodStarts(now, nil), now, now.Add(desk.DefaultBreachWindow))
}
