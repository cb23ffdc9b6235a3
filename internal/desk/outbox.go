package desk

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// OutboxState is where a message is in its delivery.
type OutboxState string

// Outbox states: queued until sent, or failed after its last attempt.
const (
	OutboxQueued OutboxState = "queued"
	OutboxSent   OutboxState = "sent"
	OutboxFailed OutboxState = "failed"
)

// Delivery is an outbox message with its delivery state, as the delivery
// worker claims it and admins list it.
type Delivery struct {
	OutboxMessage
	Attempts      int        // claims so far, including the current one
	NextAttemptAt *time.Time // nil: due at once
	LastError     string
	FailedAt      *time.Time
	// ClaimedUntil is the claim's lease; marking the delivery is
	// conditional on it, so a claim that expired and was taken by another
	// worker cannot be marked by the first.
	ClaimedUntil *time.Time
	MessageID    string // the Message-ID the message was sent with
}

// State reports whether d is queued, sent or failed.
func (d *Delivery) State() OutboxState {
	switch {
	case d.SentAt != nil:
		return OutboxSent
	case d.FailedAt != nil:
		return OutboxFailed
	}
	return OutboxQueued
}

// OutboxStore keeps the delivery state of the outbox.
type OutboxStore interface {
	// ClaimOutbox claims up to limit queued messages that are due at now
	// (next_attempt_at passed or unset) and not under a live claim, oldest
	// first: each gets claimed_until = now + lease and one more attempt.
	// Concurrent claimers never receive the same message while its claim
	// holds.
	ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Delivery, error)
	// OutboxSent marks a claimed message sent with messageID and records
	// messageID in the ticket's mail (direction out), in one transaction.
	// It is conditional on d's claim still holding: ECONFLICT otherwise.
	OutboxSent(ctx context.Context, d Delivery, messageID string, at time.Time) error
	// OutboxRetry releases a claimed message with its error: due again at
	// next, or failed for good when next is nil. Conditional like
	// OutboxSent.
	OutboxRetry(ctx context.Context, d Delivery, lastErr string, next *time.Time, at time.Time) error
	// ListOutbox returns the messages in state, newest first, at most
	// limit, with ids below before (0: from the newest).
	ListOutbox(ctx context.Context, state OutboxState, before int64, limit int) ([]Delivery, error)
	// RequeueOutbox makes a failed message queued again, due at once, with
	// its attempts reset; the old error stays until the next attempt. A
	// message that is not failed (queued, sent, or requeued already) is
	// ECONFLICT, none at all ENOTFOUND.
	RequeueOutbox(ctx context.Context, id int64) (Delivery, error)
}

// OutboxList is one page of the outbox, newest first.
type OutboxList struct {
	Messages   []Delivery
	NextCursor string // "" on the last page
}

// Outbox lists the outbox messages in state for admins, newest first; the
// cursor is the NextCursor of the previous page ("" for the first).
func (s *Desk) Outbox(ctx context.Context, state OutboxState, cursor string, limit int) (OutboxList, error) {
	u, err := requireAdmin(ctx)
	if err != nil {
		return OutboxList{}, err
	}
	switch state {
	case OutboxQueued, OutboxSent, OutboxFailed:
	default:
		return OutboxList{}, fieldError("state", RuleOneOf, Params{"allowed": []string{"queued", "sent", "failed"}}, "must be queued, sent or failed")
	}
	if limit <= 0 || limit > MaxPageSize {
		return OutboxList{}, fieldError("limit", RuleOutOfRange, Params{"min": 1, "max": MaxPageSize}, "must be between 1 and %d", MaxPageSize)
	}
	var before int64
	if cursor != "" {
		n, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || n <= 0 {
			return OutboxList{}, fieldError("cursor", RuleInvalidFmt, Params{"format": "cursor"}, "is not a cursor this list returned")
		}
		before = n
	}
	msgs, err := s.store.ListOutbox(ctx, state, before, limit+1)
	if err != nil {
		return OutboxList{}, err
	}
	var page OutboxList
	if len(msgs) > limit {
		msgs = msgs[:limit]
		page.NextCursor = strconv.FormatInt(msgs[limit-1].ID, 10)
	}
	page.Messages = msgs
	return page, s.redactSecurity(ctx, u, msgs)
}

// RetryOutbox puts a failed message back in the queue (admins only). It
// goes out once: the message keeps its id and Message-ID, and a second
// retry of the same message is refused while it is queued or once sent.
func (s *Desk) RetryOutbox(ctx context.Context, id int64) (Delivery, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return Delivery{}, err
	}
	d, err := s.store.RequeueOutbox(ctx, id)
	if err != nil {
		return Delivery{}, fmt.Errorf("retry outbox message %d: %w", id, err)
	}
	return d, nil
}
