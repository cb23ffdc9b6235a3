package metrics_test

import (
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/metrics"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestMetrics_MailboxHealth: the scrape shows each polled mailbox's health
// as the poller keeps it (what an alert on a failing mailbox reads): polls
// failed in a row, when a poll last worked, messages left waiting, and the
// refusals of every mailbox added up by reason.
func TestMetrics_MailboxHealth(t *testing.T) {
	clock := testdb.NewClock(start)
	store, _ := testdb.SQLiteInstances(t, sqlstore.WithClock(clock))
	m := metrics.New(metrics.Sources{Ops: store, Clock: clock}, nil)
	ok := start.Add(-time.Hour)
	m.WatchMailboxes(func() []desk.MailboxHealth {
		return []desk.MailboxHealth{
			{Mailbox: "desk@mail.example.com/INBOX", LastSuccess: start, Left: 12,
				Refused: map[string]int64{desk.MailRefusedTooLarge: 2}},
			{Mailbox: "alerts@mail.example.com/INBOX", LastSuccess: ok, Failures: 4, LastError: "authentication failed",
				Refused: map[string]int64{desk.MailRefusedTooLarge: 1, desk.MailRefusedByDesk: 3}},
			{Mailbox: "new@mail.example.com/INBOX", Failures: 1},
		}
	})
	expect(t, m, "tierdesk_mailbox_poll_failures", `mailbox="desk@mail.example.com/INBOX"`, 0)
	expect(t, m, "tierdesk_mailbox_poll_failures", `mailbox="alerts@mail.example.com/INBOX"`, 4)
	expect(t, m, "tierdesk_mailbox_last_success_timestamp_seconds", `mailbox="alerts@mail.example.com/INBOX"`, float64(ok.Unix()))
	expect(t, m, "tierdesk_mailbox_last_success_timestamp_seconds", `mailbox="new@mail.example.com/INBOX"`, 0)
	expect(t, m, "tierdesk_mailbox_messages_waiting", `mailbox="desk@mail.example.com/INBOX"`, 12)
	expect(t, m, "tierdesk_mail_refused_total", `reason="too_large"`, 3)
	expect(t, m, "tierdesk_mail_refused_total", `reason="refused"`, 3)
	expect(t, m, "tierdesk_mail_refused_total", `reason="unusable"`, 0)
}
