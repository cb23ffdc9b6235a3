package desk

import (
	"context"
	"time"
)

// MailboxHealth is what administrators see of a mailbox the desk polls
// (IMAP intake, internal/mailin): whether its polls work, what they
// stored, and the messages refused — left in the mailbox, flagged, for a
// person to deal with.
type MailboxHealth struct {
	Mailbox     string           `json:"mailbox"` // user@host/folder, no password
	LastPoll    time.Time        `json:"last_poll"`
	LastSuccess time.Time        `json:"last_success"`
	LastError   string           `json:"last_error,omitempty"`
	Failures    int              `json:"failures"` // polls failed in a row
	RetryAt     time.Time        `json:"retry_at"` // no poll before (backoff after failures)
	Stored      int64            `json:"stored"`
	Duplicates  int64            `json:"duplicates"`
	Dropped     int64            `json:"dropped"`
	Refused     map[string]int64 `json:"refused"` // by reason, since the instance started
	Left        int              `json:"left"`    // messages waiting after the last poll
	// LastRefused are the latest refused messages, newest last.
	LastRefused []RefusedMail `json:"last_refused"`
}

// Reasons a mailbox poller refuses a message for good.
const (
	MailRefusedTooLarge = "too_large" // over the size limit: not read
	MailRefusedUnusable = "unusable"  // not a message that can be read
	MailRefusedByDesk   = "refused"   // the desk refused it (an unknown sender under reject, …)
)

// MailRefusalReasons lists the reasons, for adapters that word them.
var MailRefusalReasons = []string{MailRefusedTooLarge, MailRefusedUnusable, MailRefusedByDesk}

// RefusedMail is one message a mailbox poller refused for good.
type RefusedMail struct {
	At        time.Time `json:"at"`
	UID       uint32    `json:"uid"`
	MessageID string    `json:"message_id,omitempty"`
	From      string    `json:"from,omitempty"`
	Subject   string    `json:"subject,omitempty"`
	Reason    string    `json:"reason"` // too_large, unusable, refused
	Detail    string    `json:"detail"`
}

// WatchMailboxes tells the desk where to read the health of the mailboxes
// this instance polls (nil: none).
func (s *Desk) WatchMailboxes(fn func() []MailboxHealth) {
	if fn == nil {
		s.mailboxes.Store(nil)
		return
	}
	s.mailboxes.Store(&fn)
}

// Mailboxes returns the health of the mailboxes this instance polls, for
// administrators only: it names addresses and senders.
func (s *Desk) Mailboxes(ctx context.Context) ([]MailboxHealth, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	fn := s.mailboxes.Load()
	if fn == nil {
		return []MailboxHealth{}, nil
	}
	return (*fn)(), nil
}
