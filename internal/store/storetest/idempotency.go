package storetest

import (
	"sync"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func testIdempotency(t *testing.T, open Opener) {
	f := newFixture(t, open)
	key := &desk.IdempotencyKey{ActorID: f.agent.ID, Key: "k-1", Fingerprint: "fp-1"}
	first := f.ticket("once", 0)
	replayed, err := f.s.CreateTicket(ctx(t), first, nil, key)
	must(t, err)
	if replayed != nil {
		t.Fatalf("first use of a key replayed %v", replayed)
	}
	again := f.ticket("once", 0)
	replayed, err = f.s.CreateTicket(ctx(t), again, nil, key)
	must(t, err)
	diff(t, "replayed ticket", first, replayed)
	if again.ID != 0 || again.Number != "" {
		t.Errorf("replay stored the new ticket: ID %d number %q", again.ID, again.Number)
	}
	other := f.ticket("different request", 0)
	_, err = f.s.CreateTicket(ctx(t), other, nil, &desk.IdempotencyKey{ActorID: f.agent.ID, Key: "k-1", Fingerprint: "fp-2"})
	wantCode(t, "same key, other fingerprint", err, desk.EINVALID)
	byOther := f.ticket("once", 0)
	replayed, err = f.s.CreateTicket(ctx(t), byOther, nil, &desk.IdempotencyKey{ActorID: f.req1.ID, Key: "k-1", Fingerprint: "fp-1"})
	must(t, err)
	if replayed != nil || byOther.ID == first.ID {
		t.Errorf("another actor's key replayed ticket %v", replayed)
	}
	next := f.create(t, f.ticket("after", 0))
	diff(t, "number after replays", number(desk.TypeIncident, 3), next.Number)
	t.Run("Race", func(t *testing.T) { idempotencyRace(t, f) })
}

// idempotencyRace sends one key from n goroutines at once: one ticket is
// created and every caller gets it.
func idempotencyRace(t *testing.T, f *fixture) {
	const n = 8
	key := &desk.IdempotencyKey{ActorID: f.agent.ID, Key: "race", Fingerprint: "fp"}
	ids := make([]int64, n)
	created := make([]bool, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			tk := f.ticket("raced key", 0)
			replayed, err := f.s.CreateTicket(ctx(t), tk, nil, key)
			if err != nil {
				t.Error(err)
				return
			}
			ids[i], created[i] = tk.ID, replayed == nil
			if replayed != nil {
				ids[i] = replayed.ID
			}
		})
	}
	wg.Wait()
	winners := 0
	for i := range n {
		if created[i] {
			winners++
		}
		if ids[i] != ids[0] {
			t.Errorf("caller %d got ticket %d, caller 0 got %d", i, ids[i], ids[0])
		}
	}
	if winners != 1 {
		t.Errorf("%d callers created a ticket, want 1", winners)
	}
}
