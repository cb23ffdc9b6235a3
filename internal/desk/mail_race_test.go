package desk_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// lateStore lets another delivery land between a desk's look-up of a
// Message-ID and its write: the other, on its first look-up, runs to its
// end before the look-up's answer (nothing yet) is returned.
type lateStore struct {
	desk.Store
	once  sync.Once
	other func()
}

func (s *lateStore) MailTicket(ctx context.Context, messageIDs ...string) (int64, error) {
	id, err := s.Store.MailTicket(ctx, messageIDs...)
	s.once.Do(s.other)
	return id, err
}

// TestReceiveMail_ConcurrentDelivery: the same message delivered to two
// instances at once (two MX hosts, a sender's retry while the first
// session still runs) makes one ticket; the instance that loses the race
// answers "duplicate" with the other's ticket, not a temporary failure
// that makes the sender deliver it a third time.
func TestReceiveMail_ConcurrentDelivery(t *testing.T) {
	ctx := context.Background()
	clock := testdb.NewClock(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
	st, another := testdb.SQLiteInstances(t, sqlstore.WithClock(clock))
	in := desk.InboundMail{MessageID: "twice@example.com", FromAddress: "pat@example.com",
		Subject: "Scanner offline", Text: "The scanner on floor 2 is offline.", Kind: desk.MailNormal}
	first := desk.New(st, clock, desk.DefaultConfig)
	var won desk.MailOutcome
	late := &lateStore{Store: another(), other: func() {
		var err error
		if won, err = first.ReceiveMail(ctx, in); err != nil || won.Action != desk.MailTicketCreated {
			t.Fatalf("the first delivery: %+v, %v; want a ticket", won, err)
		}
	}}
	out, err := desk.New(late, clock, desk.DefaultConfig).ReceiveMail(ctx, in)
	if err != nil {
		t.Fatalf("the second delivery: %v, want it answered as a duplicate", err)
	}
	if out.Action != desk.MailDuplicate || out.Ticket == nil || out.Ticket.ID != won.Ticket.ID {
		t.Errorf("the second delivery: %s %+v, want %s of ticket %d", out.Action, out.Ticket, desk.MailDuplicate, won.Ticket.ID)
	}
}
