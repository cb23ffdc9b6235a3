package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// testReport checks ReportTickets: which tickets a report over [from, to)
// reads (created in the range, or created before it and not finished
// before to), in (created_at, id) order across pages, with names filled
// and only the events that carry changes or are escalations.
func testReport(t *testing.T, open Opener) {
	f := newFixture(t, open)
	minute := func(i int) time.Time { return base.Add(time.Duration(i) * time.Minute) }
	from, to := minute(100), minute(700)
	var want []int64
	for i := range 800 {
		tk := f.ticket(fmt.Sprintf("report %d", i), i)
		in := i >= 100 && i < 700
		if i < 100 { // before the range: counts only if not finished before to
			switch i % 4 {
			case 0:
				tk.State, tk.ResolvedAt = desk.StateResolved, ptr(minute(200))
			case 1:
				tk.State, tk.ResolvedAt = desk.StateResolved, ptr(minute(900))
				in = true
			case 2:
				tk.State, tk.CanceledAt = desk.StateCanceled, ptr(minute(150))
			default:
				in = true
			}
		}
		f.create(t, tk)
		if in {
			want = append(want, tk.ID)
		}
	}
	special := f.ticket("with history", 300)
	special.Category, special.Service = &desk.Ref{ID: f.hardware.ID}, &desk.Ref{ID: f.mail.ID}
	events := []desk.Event{
		{At: minute(300), Kind: desk.EventCreated, Changes: []desk.Change{{Field: "state", New: "new"}}},
		{At: minute(310), Kind: desk.EventComment, Public: true, Body: "no changes: not read"},
		{At: minute(320), Kind: desk.EventEscalated, Public: true},
		{At: minute(330), Kind: desk.EventTransition, Changes: []desk.Change{{Field: "state", Old: "new", New: "assigned"}}},
	}
	if _, err := f.s.CreateTicket(ctx(t), special, events, nil); err != nil {
		t.Fatal(err)
	}
	want = append(want, special.ID)

	var got []int64
	var pages int
	var last *desk.Ticket
	err := f.s.ReportTickets(ctx(t), from, to, func(page []*desk.Ticket, evs map[int64][]*desk.Event) error {
		pages++
		if len(page) > desk.MaxPageSize {
			t.Errorf("page of %d tickets", len(page))
		}
		for _, tk := range page {
			if last != nil && (tk.CreatedAt.Before(last.CreatedAt) || (tk.CreatedAt.Equal(last.CreatedAt) && tk.ID < last.ID)) {
				t.Errorf("ticket %d comes after %d: not in (created_at, id) order", tk.ID, last.ID)
			}
			last = tk
			got = append(got, tk.ID)
			if tk.ID == special.ID {
				checkReportTicket(t, f, tk, evs[tk.ID])
			} else if len(evs[tk.ID]) != 0 {
				t.Errorf("ticket %d: %d events, want none (its created event has no changes)", tk.ID, len(evs[tk.ID]))
			}
		}
		return nil
	})
	must(t, err)
	slices.Sort(got)
	slices.Sort(want)
	diff(t, "report tickets", want, got)
	if pages < 2 {
		t.Errorf("%d pages for %d tickets", pages, len(got))
	}

	stop := errors.New("stop")
	calls := 0
	err = f.s.ReportTickets(ctx(t), from, to, func([]*desk.Ticket, map[int64][]*desk.Event) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("an error from fn: ReportTickets = %v after %d calls, want it back after 1", err, calls)
	}
}

func checkReportTicket(t *testing.T, f *fixture, tk *desk.Ticket, evs []*desk.Event) {
	t.Helper()
	if tk.Group.Name != f.desk.Name || tk.Group.Line != desk.Line1 || tk.Category == nil || tk.Category.Name != "Hardware" ||
		tk.Service == nil || tk.Service.Name != "E-mail" || tk.Priority != desk.P3 || tk.State != desk.StateNew {
		t.Errorf("ticket as a report reads it: %+v", tk)
	}
	var kinds []desk.EventKind
	for _, e := range evs {
		kinds = append(kinds, e.Kind)
	}
	diff(t, "report events", []desk.EventKind{desk.EventCreated, desk.EventEscalated, desk.EventTransition}, kinds)
	if len(evs) == 3 && (len(evs[2].Changes) != 1 || evs[2].Changes[0].New != "assigned" || !evs[2].At.Equal(base.Add(330*time.Minute))) {
		t.Errorf("transition as read: %+v", evs[2])
	}
}
