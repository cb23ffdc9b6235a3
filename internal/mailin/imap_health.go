package mailin

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// flagRefused marks a message the desk will never take (too large,
// unusable, a refused sender). It stays in the folder, unread and
// \Flagged for a person to see, whatever the after-processing action:
// mail is never deleted or moved away unread. Polls skip it.
const flagRefused imap.Flag = "$TierdeskRefused"

// How long a message the poller decided not to take now is skipped.
const (
	rateLimitDefer = 10 * time.Minute // its sender is over the rate limit
	unmarkedDefer  = time.Hour        // processed, but marking it failed
	maxBackoff     = time.Hour        // between polls after repeated failures
	maxRefusedKept = 20               // refused messages listed in Health
)

// Reasons a message is refused.
const (
	RefusedTooLarge = desk.MailRefusedTooLarge // over MailboxConfig.MaxBytes: not read
	RefusedUnusable = desk.MailRefusedUnusable // not a message the parser can read
	RefusedByDesk   = desk.MailRefusedByDesk   // the desk refused it for good (an unknown sender under reject, …)
)

// Health is a polled mailbox's health (see desk.MailboxHealth).
type Health = desk.MailboxHealth

// RefusedMessage is one refused message (see desk.RefusedMail).
type RefusedMessage = desk.RefusedMail

// Health returns a copy of the mailbox's health.
func (p *Poller) Health() Health {
	p.mu.Lock()
	defer p.mu.Unlock()
	h := p.health
	h.Refused = maps.Clone(h.Refused)
	h.LastRefused = slices.Clone(h.LastRefused)
	return h
}

// record adds a poll's outcome to the health, and sets the backoff.
func (p *Poller) record(res PollResult, err error) {
	h := &p.health
	now := p.cfg.Now()
	h.LastPoll, h.Left = now, res.Left
	h.Stored += int64(res.Stored)
	h.Duplicates += int64(res.Duplicates)
	h.Dropped += int64(res.Dropped)
	if err == nil {
		h.LastSuccess, h.LastError, h.Failures, h.RetryAt = now, "", 0, time.Time{}
		return
	}
	h.LastError = err.Error()
	h.Failures++
	wait := p.cfg.Interval << min(h.Failures, 12)
	h.RetryAt = now.Add(min(wait, max(maxBackoff, p.cfg.Interval)))
}

// refuse tells administrators about a message the desk will never take
// (the log at warning level, the health's counters and list) and flags it
// so that polls skip it, leaving it unread in the folder.
func (p *Poller) refuse(c *imapclient.Client, uid imap.UID, reason, detail string, res *PollResult) error {
	res.Refused++
	rm := RefusedMessage{At: p.cfg.Now(), UID: uint32(uid), Reason: reason, Detail: detail}
	p.envelope(c, uid, &rm)
	p.cfg.Logger.Warn("imap message refused: left in the mailbox, flagged", "uid", uid, "reason", reason,
		"detail", detail, "message_id", rm.MessageID, "from", rm.From)
	p.health.Refused[reason]++
	p.health.LastRefused = append(p.health.LastRefused, rm)
	if n := len(p.health.LastRefused); n > maxRefusedKept {
		p.health.LastRefused = slices.Delete(p.health.LastRefused, 0, n-maxRefusedKept)
	}
	set := imap.UIDSetNum(uid)
	err := c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true,
		Flags: []imap.Flag{flagRefused, imap.FlagFlagged}}, nil).Close()
	if err != nil {
		p.cfg.Logger.Warn("imap refused message not flagged", "uid", uid, "err", err)
		p.deferred[uid] = p.cfg.Now().Add(unmarkedDefer)
	}
	return nil
}

// envelope fills in who sent a refused message and what it is, from its
// envelope (never its body, which may be what is too large).
func (p *Poller) envelope(c *imapclient.Client, uid imap.UID, rm *RefusedMessage) {
	msgs, err := c.Fetch(imap.UIDSetNum(uid), &imap.FetchOptions{UID: true, Envelope: true}).Collect()
	if err != nil || len(msgs) == 0 || msgs[0].Envelope == nil {
		return
	}
	env := msgs[0].Envelope
	rm.MessageID, rm.Subject = env.MessageID, env.Subject
	if len(env.From) > 0 {
		rm.From = fmt.Sprintf("%s@%s", env.From[0].Mailbox, env.From[0].Host)
	}
}
