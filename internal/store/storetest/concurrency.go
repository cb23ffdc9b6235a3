package storetest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// testConcurrency checks optimistic concurrency: of two updates from the
// same version one wins and one is ESTALE, and nothing of the loser is kept.
func testConcurrency(t *testing.T, open Opener) {
	f := newFixture(t, open)
	t.Run("SameVersion", func(t *testing.T) {
		tk := f.create(t, f.ticket("contended", 0))
		a, b := *tk, *tk
		a.Title = "first"
		must(t, f.s.UpdateTicket(ctx(t), &a, []desk.Event{{Kind: desk.EventUpdated, Body: "a"}}))
		b.Symptoms = "second"
		err := f.s.UpdateTicket(ctx(t), &b, []desk.Event{{Kind: desk.EventWorkNote, Body: "b"}})
		wantCode(t, "second update from version 1", err, desk.ESTALE)
		if b.Version != 1 {
			t.Errorf("stale update changed the caller's version to %d", b.Version)
		}
		got, err := f.s.GetTicket(ctx(t), tk.ID)
		must(t, err)
		if got.Title != "first" || got.Symptoms != "" || got.Version != 2 {
			t.Errorf("after race: title %q symptoms %q version %d, want first, empty, 2", got.Title, got.Symptoms, got.Version)
		}
		page, err := f.s.ListEvents(ctx(t), tk.ID, desk.EventFilter{})
		must(t, err)
		for _, e := range page.Events {
			if e.Body == "b" {
				t.Error("the stale update's event was stored")
			}
		}
	})
	t.Run("Parallel", func(t *testing.T) { parallelUpdates(t, f) })
	t.Run("ParallelCreate", func(t *testing.T) { parallelCreates(t, f) })
}

// parallelUpdates races n updates from one version: exactly one wins.
func parallelUpdates(t *testing.T, f *fixture) {
	tk := f.create(t, f.ticket("raced", 0))
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			c := *tk
			c.Title = fmt.Sprintf("writer %d", i)
			errs[i] = f.s.UpdateTicket(ctx(t), &c, nil)
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
		} else {
			wantCode(t, "losing update", err, desk.ESTALE)
		}
	}
	if won != 1 {
		t.Errorf("%d updates from the same version succeeded, want 1", won)
	}
}

// parallelCreates creates tickets concurrently: numbers stay unique and
// gap-free.
func parallelCreates(t *testing.T, f *fixture) {
	const n = 10
	numbers := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			tk := f.ticket(fmt.Sprintf("parallel %d", i), i)
			tk.Type = desk.TypeRequest
			if _, err := f.s.CreateTicket(ctx(t), tk, nil, nil); err != nil {
				t.Error(err)
			}
			numbers[i] = tk.Number
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, num := range numbers {
		seen[num] = true
	}
	for i := 1; i <= n; i++ {
		if !seen[number(desk.TypeRequest, i)] {
			t.Errorf("number %s missing from %v", number(desk.TypeRequest, i), numbers)
		}
	}
}
