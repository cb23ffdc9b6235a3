// Package notify delivers the outbox: notifications that desk writes in the
// transaction of the change that causes them (SLA warnings, breaches,
// pages) are claimed by a Worker, rendered from templates (plain text and
// HTML, by language) and sent over SMTP through a relay.
//
// Claims are leases (claimed_until) taken with one UPDATE ... RETURNING
// (FOR UPDATE SKIP LOCKED on PostgreSQL, SQLite has one writer), so any
// number of instances can run a Worker on one database and each message is
// claimed by one of them at a time. Marking a message sent is conditional
// on the claim still holding, and records its Message-ID in mail_messages
// (direction out) in the same transaction, so a reply's In-Reply-To
// threads back to the ticket through the inbound path. A send begins only
// while at least SendBudget of the claim's lease remains, so a slow relay
// does not let a second worker take a message the first is still sending.
//
// Delivery is at least once as SMTP sees it: a worker that is killed, or
// whose database write fails, after the relay accepted a message but
// before the sent-marking commits sends it again once the lease expires
// (with the same Message-ID, so receivers can tell). Nothing can close
// that window short of two-phase commit with the relay. A temporary
// failure (4xx, a network error) is retried with exponential backoff; a
// permanent one (5xx) fails the message at once; after MaxAttempts it fails
// with its last error. Message bodies and the relay password are never
// logged.
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/jobs"
)

// Defaults of Config.
const (
	DefaultPollInterval = 5 * time.Second
	DefaultLease        = 2 * time.Minute
	DefaultBatch        = 10
	// DefaultSendBudget is the least lease a claim must have left for a
	// send to begin (the relay client's timeout is 30 s).
	DefaultSendBudget  = 30 * time.Second
	DefaultMaxAttempts = 8
	DefaultBaseBackoff = time.Minute
	DefaultMaxBackoff  = time.Hour
)

// Config tunes a Worker; zero fields take the defaults.
type Config struct {
	From    string // sender address; default tierdesk@Domain
	Domain  string // right-hand side of Message-IDs; default "tierdesk.invalid"
	BaseURL string // optional: links tickets in messages as BaseURL/tickets/NUMBER
	// Language and Location are the defaults for recipients who chose
	// none: DefaultLanguage and UTC unless set.
	Language     string
	Location     *time.Location
	PollInterval time.Duration
	Lease        time.Duration // how long a claim holds; well above SendBudget
	SendBudget   time.Duration // a message whose claim has less left is not sent now
	Batch        int
	MaxAttempts  int           // attempts before a message fails for good
	BaseBackoff  time.Duration // wait after the first failure; doubles each time
	MaxBackoff   time.Duration
	// OnRejected is told of an outside address (a payload's "to") that the
	// mail server refused for good, so that bounces can be counted.
	OnRejected func(ctx context.Context, addr string)
}

// Directory resolves recipients (the store implements it).
type Directory interface {
	GetUser(ctx context.Context, id int64) (*desk.User, error)
	GroupMembers(ctx context.Context, groupID int64) ([]*desk.User, error)
	// TicketMessageIDs lists the Message-IDs recorded on a ticket, oldest
	// first, for In-Reply-To and References.
	TicketMessageIDs(ctx context.Context, ticketID int64) ([]string, error)
	// GetPreferences gives a recipient's language, time zone and the kinds
	// they turned off.
	GetPreferences(ctx context.Context, userID int64) (*desk.Preferences, error)
	// GetTicket fills the number of a ticket whose notification was
	// written before the number was assigned (registration).
	GetTicket(ctx context.Context, id int64) (*desk.Ticket, error)
}

// Mail is one rendered message for a Transport.
type Mail struct {
	MessageID string // without angle brackets
	Kind      string // the outbox kind, sent as X-Tierdesk-Notification
	// InReplyTo and References continue the ticket's thread: the message
	// that opened it and (at most maxReferences of) the ones since.
	InReplyTo  string
	References []string
	From       string
	To         []string
	Rendered
	Invite *Invite // a calendar invitation (calls), or nil
	// Headers are extra header fields (List-Unsubscribe of status notices).
	Headers map[string]string
}

// Transport sends a Mail; *SMTP is the real one. A *PermanentError means
// retrying cannot help.
type Transport interface {
	Send(ctx context.Context, m Mail) error
}

// PermanentError is a failure that retrying cannot help (an SMTP 5xx).
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Worker delivers the outbox.
type Worker struct {
	store desk.OutboxStore
	dir   Directory
	send  Transport
	clock desk.Clock
	cfg   Config
	log   *slog.Logger

	loop jobs.Periodic
}

// New returns a Worker claiming from store and sending through t.
func New(store desk.OutboxStore, dir Directory, t Transport, clock desk.Clock, cfg Config, log *slog.Logger) *Worker {
	if cfg.Domain == "" {
		cfg.Domain = "tierdesk.invalid"
	}
	if cfg.Language == "" {
		cfg.Language = DefaultLanguage
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.From == "" {
		cfg.From = "tierdesk@" + cfg.Domain
	}
	setDefault(&cfg.PollInterval, DefaultPollInterval)
	setDefault(&cfg.Lease, DefaultLease)
	setDefault(&cfg.SendBudget, DefaultSendBudget)
	cfg.SendBudget = min(cfg.SendBudget, cfg.Lease/2)
	setDefault(&cfg.BaseBackoff, DefaultBaseBackoff)
	setDefault(&cfg.MaxBackoff, DefaultMaxBackoff)
	setDefault(&cfg.Batch, DefaultBatch)
	setDefault(&cfg.MaxAttempts, DefaultMaxAttempts)
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Worker{store: store, dir: dir, send: t, clock: clock, cfg: cfg, log: log}
}

func setDefault[T int | time.Duration](v *T, def T) {
	if *v <= 0 {
		*v = def
	}
}

// Result counts what one RunDue did.
type Result struct {
	Claimed, Sent, Retried, Failed int
	Lost                           int // the claim expired and another worker took it
	Deferred                       int // too little of the claim was left to send; back when it expires
}

// RunDue claims every message due at now and delivers each. Only a failing
// claim query is returned; single failures are counted and stored.
func (w *Worker) RunDue(ctx context.Context, now time.Time) (Result, error) {
	var res Result
	for ctx.Err() == nil {
		batch, err := w.store.ClaimOutbox(ctx, now, w.cfg.Lease, w.cfg.Batch)
		if err != nil {
			return res, err
		}
		res.Claimed += len(batch)
		for _, d := range batch {
			if ctx.Err() != nil {
				return res, ctx.Err() // the rest come back when their lease ends
			}
			if d.ClaimedUntil != nil && w.clock.Now().Add(w.cfg.SendBudget).After(*d.ClaimedUntil) {
				// Slow sends ate the lease: another worker may claim this
				// one any moment, so sending now could send it twice.
				res.Deferred++
				continue
			}
			w.deliver(context.WithoutCancel(ctx), d, &res)
		}
		if len(batch) < w.cfg.Batch {
			break
		}
	}
	return res, ctx.Err()
}

// MessageID is the Message-ID of outbox message d: stable across retries.
func (w *Worker) MessageID(d desk.Delivery) string {
	return "tierdesk." + strconv.FormatInt(d.ID, 10) + "." + strconv.FormatInt(d.CreatedAt.UnixMicro(), 36) + "@" + w.cfg.Domain
}

func (w *Worker) deliver(ctx context.Context, d desk.Delivery, res *Result) {
	if w.securitySuppressed(ctx, d) {
		// Queued before its ticket was marked a security case: the case's
		// owners were told it was opened; nobody hears more of it.
		err := w.store.OutboxSent(ctx, d, w.MessageID(d), w.clock.Now())
		w.count(err, &res.Sent, res)
		w.log.Info("notification suppressed: security case", "outbox", d.ID, "kind", d.Kind, "ticket", d.TicketID)
		return
	}
	mails, err := w.compose(ctx, d)
	for _, m := range mails {
		if err == nil {
			err = w.send.Send(ctx, m)
		}
	}
	now := w.clock.Now()
	if err == nil && len(mails) == 0 {
		// Every recipient turned this kind off since it was queued.
		err = w.store.OutboxSent(ctx, d, w.MessageID(d), now)
		w.count(err, &res.Sent, res)
		return
	}
	if err == nil {
		err = w.store.OutboxSent(ctx, d, mails[0].MessageID, now)
		w.count(err, &res.Sent, res)
		if err == nil {
			w.log.Info("notification sent", "outbox", d.ID, "kind", d.Kind, "ticket", d.TicketID,
				"mails", len(mails), "message_id", mails[0].MessageID)
		}
		return
	}
	var next *time.Time
	var perm *PermanentError
	if !errors.As(err, &perm) && d.Attempts < w.cfg.MaxAttempts {
		at := now.Add(w.backoff(d.Attempts))
		next = &at
	}
	msg := err.Error()
	if perm != nil && w.cfg.OnRejected != nil && d.UserID == 0 && d.Payload["to"] != "" {
		w.cfg.OnRejected(ctx, d.Payload["to"]) // a bounce at the door: the address is counted
	}
	serr := w.store.OutboxRetry(ctx, d, msg, next, now)
	if next != nil {
		w.count(serr, &res.Retried, res)
		w.log.Warn("notification delayed", "outbox", d.ID, "kind", d.Kind, "attempts", d.Attempts, "next", *next, "err", msg)
	} else {
		w.count(serr, &res.Failed, res)
		w.log.Error("notification failed", "outbox", d.ID, "kind", d.Kind, "attempts", d.Attempts, "err", msg)
	}
}

// securitySuppressed reports whether d is about a security case and is
// not one of the two notices such a case sends (desk/security.go): mail
// queued before the ticket was marked, which would name its content. A
// ticket that cannot be read is left to compose, which reports it.
func (w *Worker) securitySuppressed(ctx context.Context, d desk.Delivery) bool {
	if d.TicketID == 0 || d.Kind == desk.OutboxSecurityOpened || d.Kind == desk.OutboxSecurityAccess {
		return false
	}
	t, err := w.dir.GetTicket(ctx, d.TicketID)
	return err == nil && t.Security
}

func (w *Worker) count(err error, n *int, res *Result) {
	switch {
	case err == nil:
		*n++
	case desk.ErrorCode(err) == desk.ECONFLICT:
		res.Lost++
	default:
		w.log.Error("outbox update failed", "err", err)
	}
}

// backoff is the wait after the attempts-th failure: BaseBackoff doubled
// each time, at most MaxBackoff.
func (w *Worker) backoff(attempts int) time.Duration {
	d := w.cfg.BaseBackoff
	for i := 1; i < attempts && d < w.cfg.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, w.cfg.MaxBackoff)
}

// compose resolves the recipients and renders one message per language
// and time zone among them (a user message has one recipient, so one
// message; a group's members may read different languages). The first
// message has the outbox message's Message-ID, the others a suffix.
func (w *Worker) compose(ctx context.Context, d desk.Delivery) ([]Mail, error) {
	to, err := w.recipients(ctx, d)
	if err != nil {
		return nil, err
	}
	if d.TicketID != 0 && d.Payload["ticket"] == "" {
		t, err := w.dir.GetTicket(ctx, d.TicketID)
		if err != nil {
			return nil, gone(fmt.Errorf("ticket %d: %w", d.TicketID, err))
		}
		p := maps.Clone(d.Payload)
		if p == nil {
			p = map[string]string{}
		}
		p["ticket"] = t.Number
		d.Payload = p
	}
	var thread []string
	if d.TicketID != 0 {
		if thread, err = w.dir.TicketMessageIDs(ctx, d.TicketID); err != nil {
			return nil, err
		}
	}
	var mails []Mail
	for i, grp := range to {
		r, err := render(d, grp.Recipient, w.cfg.BaseURL)
		if err != nil {
			return nil, &PermanentError{fmt.Errorf("render %s: %w", d.Kind, err)}
		}
		m := Mail{MessageID: w.MessageID(d), Kind: string(d.Kind), From: w.cfg.From, To: grp.addrs, Rendered: r, Headers: listHeaders(d)}
		if i > 0 {
			local, domain, _ := strings.Cut(m.MessageID, "@")
			m.MessageID = local + "." + strconv.Itoa(i+1) + "@" + domain
		}
		if m.Invite, err = invite(d, w.cfg.From, grp.addrs[0], w.cfg.Domain, w.clock.Now()); err != nil {
			return nil, &PermanentError{err}
		}
		ids := slices.DeleteFunc(slices.Clone(thread), func(id string) bool { return id == m.MessageID })
		if len(ids) > 0 {
			m.InReplyTo = ids[0]
			if len(ids) > maxReferences {
				ids = append(ids[:1], ids[len(ids)-maxReferences+1:]...)
			}
			m.References = ids
		}
		mails = append(mails, m)
	}
	return mails, nil
}

// maxReferences bounds the References header: the first message and the
// latest ones, as RFC 5322 suggests trimming.
const maxReferences = 10

// audience is the recipients who read one language in one time zone.
type audience struct {
	Recipient
	addrs []string
}

// recipients are the user, or the active members of the group who have
// not turned the kind off, grouped by language and time zone. None at all
// is permanent for a user (nobody is there to receive it); a group whose
// members all turned the kind off gets nothing.
func (w *Worker) recipients(ctx context.Context, d desk.Delivery) ([]audience, error) {
	var users []*desk.User
	switch {
	case d.UserID == 0 && d.GroupID == 0 && d.Payload["to"] != "":
		return []audience{w.address(d)}, nil
	case d.UserID != 0:
		u, err := w.dir.GetUser(ctx, d.UserID)
		if err != nil {
			return nil, gone(fmt.Errorf("recipient user %d: %w", d.UserID, err))
		}
		if to := d.Payload["to"]; d.Kind == desk.OutboxOnCallPage && to != "" {
			cp := *u // a page goes to the contact method's address, in the user's language
			cp.Email = to
			u = &cp
		}
		users = []*desk.User{u}
	case d.GroupID != 0:
		members, err := w.dir.GroupMembers(ctx, d.GroupID)
		if err != nil {
			return nil, gone(fmt.Errorf("recipient group %d: %w", d.GroupID, err))
		}
		users = members
	}
	var out []audience
	seen := map[string]bool{}
	active := 0
	for _, u := range users {
		addr := strings.ToLower(u.Email)
		if !u.Active || addr == "" || seen[addr] {
			continue
		}
		seen[addr] = true
		active++
		p, err := w.dir.GetPreferences(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		if d.GroupID != 0 && !p.Receives(d.Kind) {
			continue // a user message was checked when it was written
		}
		rc := w.recipient(p)
		if d.UserID != 0 {
			rc.Name = u.Name
		}
		i := slices.IndexFunc(out, func(a audience) bool {
			return a.Language == rc.Language && a.Location.String() == rc.Location.String()
		})
		if i < 0 {
			out = append(out, audience{Recipient: rc})
			i = len(out) - 1
		}
		out[i].addrs = append(out[i].addrs, u.Email)
	}
	if active == 0 {
		return nil, &PermanentError{errors.New("no active recipient with an e-mail address")}
	}
	return out, nil
}

// recipient is how p's owner reads: their language and zone, else the
// configured defaults (also for a zone that no longer loads).
func (w *Worker) recipient(p *desk.Preferences) Recipient {
	rc := Recipient{Language: p.Language, Location: w.cfg.Location}
	if _, ok := languages[rc.Language]; !ok {
		rc.Language = w.cfg.Language
	}
	if p.TimeZone != "" {
		if loc, err := time.LoadLocation(p.TimeZone); err == nil {
			rc.Location = loc
		}
	}
	return rc
}

// gone makes a recipient that no longer exists a permanent failure; other
// lookup errors (the database) are retried.
func gone(err error) error {
	if desk.ErrorCode(err) == desk.ENOTFOUND {
		return &PermanentError{err}
	}
	return err
}

// Start runs a sweep every poll interval until ctx ends or Stop is called.
func (w *Worker) Start(ctx context.Context) {
	w.loop.Start(ctx, w.cfg.PollInterval, w.sweep)
}

// Stop ends the loop and waits for the sweep in progress to finish.
func (w *Worker) Stop() { w.loop.Stop() }

func (w *Worker) sweep(ctx context.Context) {
	if res, err := w.RunDue(ctx, w.clock.Now()); err != nil && ctx.Err() == nil {
		w.log.Error("outbox sweep failed", "err", err)
	} else if res.Claimed > 0 {
		w.log.Info("outbox sweep", "claimed", res.Claimed, "sent", res.Sent, "retried", res.Retried,
			"failed", res.Failed, "lost", res.Lost, "deferred", res.Deferred)
	}
}
