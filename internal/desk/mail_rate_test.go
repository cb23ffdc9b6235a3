package desk_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestReceiveMail_RateWindow: the per-sender limit counts new tickets in a
// sliding hour (this hour's window plus the share of the previous one that
// is still within the last hour); replies never count and a refused
// message takes no slot.
func TestReceiveMail_RateWindow(t *testing.T) {
	clock := testdb.NewClock(time.Date(2026, 11, 26, 10, 50, 0, 0, time.UTC))
	cfg := desk.DefaultConfig
	cfg.MailTicketsPerHour = 2
	d := desk.New(testdb.SQLite(t, sqlstore.WithClock(clock)), clock, cfg)
	n := 0
	send := func(from, replyTo string) error {
		n++
		in := desk.InboundMail{MessageID: fmt.Sprintf("rate-%d@example.com", n), FromAddress: from,
			Subject: "disk full", Text: "The disk is full.", Kind: desk.MailNormal}
		if replyTo != "" {
			in.ThreadIDs = []string{replyTo}
		}
		_, err := d.ReceiveMail(context.Background(), in)
		return err
	}
	for i := range 2 {
		if err := send("flood@example.com", ""); err != nil {
			t.Fatalf("ticket %d: %v", i+1, err)
		}
	}
	if err := send("flood@example.com", ""); desk.ErrorCode(err) != desk.ELIMIT {
		t.Fatalf("third ticket in the hour: %v, want %s", err, desk.ELIMIT)
	}
	if err := send("flood@example.com", "rate-1@example.com"); err != nil {
		t.Errorf("a reply over the limit: %v, want it threaded", err)
	}
	if err := send("calm@example.com", ""); err != nil {
		t.Errorf("another sender: %v", err)
	}
	// 11:10: a new window, but 50 of the last 60 minutes still hold two
	// tickets (2 × 5/6 + 1 > 2).
	clock.Set(time.Date(2026, 11, 26, 11, 10, 0, 0, time.UTC))
	if err := send("flood@example.com", ""); desk.ErrorCode(err) != desk.ELIMIT {
		t.Errorf("at 11:10: %v, want %s", err, desk.ELIMIT)
	}
	// 11:40: only a third of the old window is within the hour (2 × 1/3 + 1 ≤ 2).
	clock.Set(time.Date(2026, 11, 26, 11, 40, 0, 0, time.UTC))
	if err := send("flood@example.com", ""); err != nil {
		t.Errorf("at 11:40: %v, want a ticket", err)
	}
	if err := send("flood@example.com", ""); desk.ErrorCode(err) != desk.ELIMIT {
		t.Errorf("second at 11:40: %v, want %s", err, desk.ELIMIT)
	}
	if !desk.IsTransient(desk.Errorf(desk.ELIMIT, "x")) {
		t.Error("a rate-limited message must be retried later, not refused")
	}
}
