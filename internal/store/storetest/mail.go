package storetest

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// testMail checks that an event's Mail is recorded in the event's
// transaction, found by MailTicket, and that a Message-ID already recorded
// refuses the whole write (ECONFLICT) so that nothing is stored twice.
func testMail(t *testing.T, open Opener) {
	f := newFixture(t, open)
	at := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	rec := func(id string) *desk.MailRecord {
		return &desk.MailRecord{MessageID: id, Direction: desk.MailIn, At: at}
	}
	tk := f.ticket("from mail", 0)
	_, err := f.s.CreateTicket(ctx(t), tk, []desk.Event{{Kind: desk.EventCreated, Public: true, Mail: rec("m1@x")}}, nil)
	must(t, err)
	id, err := f.s.MailTicket(ctx(t), "unknown@x", "m1@x")
	must(t, err)
	diff(t, "ticket of m1", tk.ID, id)
	id, err = f.s.MailTicket(ctx(t), "unknown@x")
	must(t, err)
	diff(t, "ticket of an unknown id", int64(0), id)

	again := f.ticket("from mail again", 0)
	_, err = f.s.CreateTicket(ctx(t), again, []desk.Event{{Kind: desk.EventCreated, Public: true, Mail: rec("m1@x")}}, nil)
	wantCode(t, "create with a recorded message", err, desk.ECONFLICT)
	if _, err := f.s.GetTicketByNumber(ctx(t), number(desk.TypeIncident, 2)); desk.ErrorCode(err) != desk.ENOTFOUND {
		t.Errorf("refused create left ticket 2 behind: %v", err)
	}

	cur, err := f.s.GetTicket(ctx(t), tk.ID)
	must(t, err)
	dup := *cur
	err = f.s.UpdateTicket(ctx(t), &dup, []desk.Event{{Kind: desk.EventComment, Public: true, Body: "dup", Mail: rec("m1@x")}})
	wantCode(t, "comment with a recorded message", err, desk.ECONFLICT)
	page, err := f.s.ListEvents(ctx(t), tk.ID, desk.EventFilter{Limit: 10})
	must(t, err)
	diff(t, "events after a refused comment", 1, len(page.Events))
	t.Run("Race", func(t *testing.T) { mailRace(t, f, tk.ID) })
}

// mailRace writes one Message-ID from n goroutines at once: one comment is
// stored, the others are refused.
func mailRace(t *testing.T, f *fixture, ticketID int64) {
	const n = 6
	var stored, refused atomic.Int32
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for {
				cur, err := f.s.GetTicket(ctx(t), ticketID)
				if err != nil {
					t.Error(err)
					return
				}
				err = f.s.UpdateTicket(ctx(t), cur, []desk.Event{{Kind: desk.EventComment, Public: true, Body: "race",
					Mail: &desk.MailRecord{MessageID: "race@x", Direction: desk.MailIn}}})
				switch desk.ErrorCode(err) {
				case "":
					stored.Add(1)
				case desk.ECONFLICT:
					refused.Add(1)
				case desk.ESTALE:
					continue
				default:
					t.Error(err)
				}
				return
			}
		})
	}
	wg.Wait()
	if stored.Load() != 1 || refused.Load() != n-1 {
		t.Errorf("stored %d, refused %d; want 1 and %d", stored.Load(), refused.Load(), n-1)
	}
}
