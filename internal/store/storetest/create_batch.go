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

// testCreateNumberBlocks creates incidents and requests from 40 goroutines
// at once, three rounds, a quarter of them resending an idempotency key
// that another of the same round sends too, so that batches hold both
// types and replays, and no failure that would split a batch. Each type's
// numbers run from 1 without gaps, and the next ticket of each type
// created alone takes the next number: a batch's block of numbers gives
// back what its replays did not use.
func testCreateNumberBlocks(t *testing.T, open Opener) {
	f := newFixture(t, open)
	got := map[desk.TicketType][]string{}
	var mu sync.Mutex
	for round := range 3 {
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range 40 {
			wg.Go(func() {
				tk := f.ticket(fmt.Sprintf("block %d.%d", round, i), i)
				if i%2 == 1 {
					tk.Type = desk.TypeRequest
				}
				var key *desk.IdempotencyKey
				if i%4 >= 2 { // i and i-2 in a round share a key and a type
					k := fmt.Sprintf("block %d.%d", round, i/8)
					key = &desk.IdempotencyKey{ActorID: f.agent.ID, Key: k + string(tk.Type), Fingerprint: "fp"}
					tk.Title = "block keyed " + k
				}
				ev := []desk.Event{{At: tk.CreatedAt, Actor: &desk.Ref{ID: f.agent.ID}, Kind: desk.EventCreated, Public: true}}
				<-start
				replayed, err := f.s.CreateTicket(ctx(t), tk, ev, key)
				if err != nil {
					t.Error(err)
					return
				}
				if replayed == nil {
					mu.Lock()
					got[tk.Type] = append(got[tk.Type], tk.Number)
					mu.Unlock()
				}
			})
		}
		close(start)
		wg.Wait()
	}
	for _, typ := range []desk.TicketType{desk.TypeIncident, desk.TypeRequest} {
		numbers := slices.Sorted(slices.Values(got[typ]))
		for i, n := range numbers {
			if n != number(typ, i+1) {
				t.Fatalf("%s numbers %v: want %s to %s without gaps", typ, numbers, number(typ, 1), number(typ, len(numbers)))
			}
		}
		if len(numbers) < 30 {
			t.Errorf("%d %s tickets created, want at least 30", len(numbers), typ)
		}
		tk := f.ticket("alone after the blocks", 0)
		tk.Type = typ
		f.create(t, tk)
		if want := number(typ, len(numbers)+1); tk.Number != want {
			t.Errorf("the next %s is %s, want %s", typ, tk.Number, want)
		}
	}
}
