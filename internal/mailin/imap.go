package mailin

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/jobs"
	"github.com/tierdesk/tierdesk/internal/mailmsg"
)

// IMAP polling (github.com/emersion/go-imap/v2): a Poller logs in to one
// mailbox every interval, reads the messages waiting in its folder and
// hands each to the desk exactly like the SMTP listener does. A message is
// marked processed (flagged \Seen, moved to another folder, or deleted when
// so configured) only after the desk has committed what it became; a
// transient failure leaves it, and everything after it, for the next poll.
//
// Several instances may poll one mailbox: each may read a message another
// is storing, but the Message-ID recorded with the ticket (or a hash of the
// message when it has none) makes the second delivery a duplicate that
// changes nothing, and marking twice is harmless (flags are idempotent, a
// second MOVE or expunge of a UID that is gone does nothing or fails and is
// only logged).

// TLSMode says how a poller secures its connection.
type TLSMode string

// TLS modes. TLSNone sends the password in clear: only for a server on
// localhost (tests, a local relay).
const (
	TLSImplicit TLSMode = "tls"
	TLSStartTLS TLSMode = "starttls"
	TLSNone     TLSMode = "none"
)

// After-processing actions.
const (
	AfterSeen   = "seen"   // flag \Seen; the default
	AfterMove   = "move"   // move to MailboxConfig.MoveTo
	AfterDelete = "delete" // flag \Deleted and expunge: only when configured
)

// DefaultPollInterval is how often a mailbox is read when none is set.
const DefaultPollInterval = time.Minute

// maxPerPoll bounds the messages one poll takes, so that a full mailbox is
// worked through over several polls rather than in one long session.
const maxPerPoll = 200

// MailboxConfig configures one polled mailbox.
type MailboxConfig struct {
	Addr      string // host:port
	TLS       TLSMode
	TLSConfig *tls.Config // optional: roots, server name (default: the host)
	User      string
	Password  string // never logged
	Folder    string // default "INBOX"
	Interval  time.Duration
	After     string // AfterSeen (default), AfterMove or AfterDelete
	MoveTo    string // the folder for AfterMove
	MaxBytes  int64  // larger messages are not read; default DefaultMaxBytes
	Timeout   time.Duration
	Logger    *slog.Logger
	Now       func() time.Time
}

// Name identifies the mailbox in logs: user@host/folder, no password.
func (c MailboxConfig) Name() string { return c.User + "@" + c.Addr + "/" + c.folder() }

func (c MailboxConfig) folder() string {
	if c.Folder == "" {
		return "INBOX"
	}
	return c.Folder
}

// Check reports a configuration that cannot work.
func (c MailboxConfig) Check() error {
	host, _, err := net.SplitHostPort(c.Addr)
	switch {
	case err != nil:
		return fmt.Errorf("imap %s: address %q is not host:port", c.Name(), c.Addr)
	case c.User == "":
		return fmt.Errorf("imap %s: no user", c.Name())
	case c.TLS != TLSImplicit && c.TLS != TLSStartTLS && c.TLS != TLSNone:
		return fmt.Errorf("imap %s: TLS mode %q is not tls, starttls or none", c.Name(), c.TLS)
	case c.TLS == TLSNone && !isLoopback(host):
		return fmt.Errorf("imap %s: without TLS the password would cross the network in clear: only localhost may be polled so", c.Name())
	case c.After != "" && c.After != AfterSeen && c.After != AfterMove && c.After != AfterDelete:
		return fmt.Errorf("imap %s: after-processing action %q is not seen, move or delete", c.Name(), c.After)
	case c.After == AfterMove && c.MoveTo == "":
		return fmt.Errorf("imap %s: move needs a folder to move to", c.Name())
	case c.After == AfterMove && c.MoveTo == c.folder():
		return fmt.Errorf("imap %s: the folder to move to is the polled folder", c.Name())
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Poller polls one mailbox in a goroutine that Stop ends and waits for.
type Poller struct {
	cfg  MailboxConfig
	recv Receiver
	loop jobs.Periodic

	mu       sync.Mutex
	validity uint32                 // the folder's UIDVALIDITY that deferred belongs to
	deferred map[imap.UID]time.Time // messages not to be read again before then
	folders  bool                   // the folder to move to exists
	health   Health
}

// NewPoller returns a poller for cfg (checked) feeding recv.
func NewPoller(cfg MailboxConfig, recv Receiver) (*Poller, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if cfg.Folder == "" {
		cfg.Folder = "INBOX"
	}
	if cfg.After == "" {
		cfg.After = AfterSeen
	}
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultPollInterval
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 60 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.Logger = cfg.Logger.With("mailbox", cfg.Name())
	return &Poller{cfg: cfg, recv: recv, deferred: map[imap.UID]time.Time{},
		health: Health{Mailbox: cfg.Name(), Refused: map[string]int64{}}}, nil
}

// Start polls now and then every interval until ctx ends or Stop. After a
// failed poll (a wrong password, an unreachable server) the next attempts
// back off: 2, 4, 8 … intervals, at most maxBackoff.
func (p *Poller) Start(ctx context.Context) {
	p.loop.Start(ctx, p.cfg.Interval, func(ctx context.Context) {
		if p.cfg.Now().Before(p.Health().RetryAt) {
			return
		}
		res, err := p.Poll(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			h := p.Health()
			p.cfg.Logger.Warn("imap poll failed", "err", err, "stored", res.Stored, "left", res.Left,
				"failures", h.Failures, "retry_at", h.RetryAt)
		case res.Stored+res.Dropped+res.Duplicates+res.Refused > 0:
			p.cfg.Logger.Info("imap poll", "stored", res.Stored, "dropped", res.Dropped,
				"duplicates", res.Duplicates, "refused", res.Refused, "left", res.Left)
		}
	})
}

// Stop ends polling and waits for the poll in progress.
func (p *Poller) Stop() { p.loop.Stop() }

// PollResult counts what one poll did.
type PollResult struct {
	Stored     int // became a ticket, comment or work note
	Duplicates int // already processed (another instance, an earlier poll)
	Dropped    int // noise or our own mail
	Refused    int // can never be stored (too large, unusable, refused sender): marked and logged
	Left       int // left for the next poll (transient failure, rate limit)
}

// Poll reads the waiting messages once. It returns early, with the rest
// left for the next poll, on a transient failure.
func (p *Poller) Poll(ctx context.Context) (PollResult, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	res, err := p.poll(ctx)
	p.record(res, err)
	return res, err
}

func (p *Poller) poll(ctx context.Context) (PollResult, error) {
	var res PollResult
	c, err := p.dial()
	if err != nil {
		return res, err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	if err := c.Login(p.cfg.User, p.cfg.Password).Wait(); err != nil {
		return res, fmt.Errorf("imap login as %s: %w", p.cfg.User, err)
	}
	if err := p.ensureFolders(c); err != nil {
		return res, err
	}
	sel, err := c.Select(p.cfg.Folder, nil).Wait()
	if err != nil {
		return res, fmt.Errorf("imap select %s: %w", p.cfg.Folder, err)
	}
	if sel.UIDValidity != p.validity {
		p.validity, p.deferred = sel.UIDValidity, map[imap.UID]time.Time{} // other UIDs now
	}
	uids, err := p.waiting(c, &res)
	if err != nil {
		return res, err
	}
	for i, uid := range uids {
		if ctx.Err() != nil {
			res.Left += len(uids) - i
			return res, ctx.Err()
		}
		if err := p.take(ctx, c, uid, &res); err != nil {
			res.Left += len(uids) - i - 1
			return res, err
		}
	}
	_ = c.Logout().Wait()
	return res, nil
}

// waiting returns the UIDs to process, oldest first: unseen ones when
// processed mail is flagged, every undeleted one when it leaves the folder;
// never refused ones (flagRefused), and not those deferred (counted as
// left): a message the poller has decided not to take now (its sender is
// over the rate limit, it could not be marked) must not hold the place of
// the mail behind it, or one flood would stall every other sender.
func (p *Poller) waiting(c *imapclient.Client, res *PollResult) ([]imap.UID, error) {
	crit := &imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagDeleted, flagRefused}}
	if p.cfg.After == AfterSeen {
		crit.NotFlag = append(crit.NotFlag, imap.FlagSeen)
	}
	data, err := c.UIDSearch(crit, nil).Wait()
	if err != nil {
		return nil, fmt.Errorf("imap search: %w", err)
	}
	all := data.AllUIDs()
	slices.Sort(all)
	for uid := range p.deferred {
		if _, found := slices.BinarySearch(all, uid); !found {
			delete(p.deferred, uid) // gone: moved, deleted or read by another instance
		}
	}
	now := p.cfg.Now()
	uids := make([]imap.UID, 0, min(len(all), maxPerPoll))
	for _, uid := range all {
		switch until, ok := p.deferred[uid]; {
		case ok && now.Before(until):
			res.Left++
		case len(uids) < maxPerPoll:
			delete(p.deferred, uid)
			uids = append(uids, uid)
		}
	}
	return uids, nil
}

// ensureFolders checks once that the folder to move to exists, creating
// it when the server has not got it (a move there would fail with
// TRYCREATE and leave every message in the polled folder).
func (p *Poller) ensureFolders(c *imapclient.Client) error {
	if p.cfg.After != AfterMove || p.folders {
		return nil
	}
	if err := createFolder(c, p.cfg.MoveTo); err != nil {
		return err
	}
	p.folders = true
	return nil
}

// createFolder creates a folder unless it exists already.
func createFolder(c *imapclient.Client, name string) error {
	err := c.Create(name, nil).Wait()
	var ie *imap.Error
	if err == nil || errors.As(err, &ie) && ie.Code == imap.ResponseCodeAlreadyExists {
		return nil
	}
	if _, serr := c.Status(name, &imap.StatusOptions{NumMessages: true}).Wait(); serr == nil {
		return nil // exists (a server that words the refusal differently)
	}
	return fmt.Errorf("imap create folder %s: %w", name, err)
}

func (p *Poller) dial() (*imapclient.Client, error) {
	host, _, _ := net.SplitHostPort(p.cfg.Addr)
	tc := p.cfg.TLSConfig
	if tc == nil {
		tc = &tls.Config{}
	}
	tc = tc.Clone()
	if tc.ServerName == "" {
		tc.ServerName = host
	}
	opts := &imapclient.Options{TLSConfig: tc, Dialer: &net.Dialer{Timeout: 30 * time.Second}}
	var c *imapclient.Client
	var err error
	switch p.cfg.TLS {
	case TLSImplicit:
		c, err = imapclient.DialTLS(p.cfg.Addr, opts)
	case TLSStartTLS:
		c, err = imapclient.DialStartTLS(p.cfg.Addr, opts)
	default:
		c, err = imapclient.DialInsecure(p.cfg.Addr, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("imap connect to %s (%s): %w", p.cfg.Addr, p.cfg.TLS, err)
	}
	return c, nil
}

// take reads one message, hands it to the desk and marks it when the desk
// is done with it. A returned error stops the poll (the message stays).
func (p *Poller) take(ctx context.Context, c *imapclient.Client, uid imap.UID, res *PollResult) error {
	set := imap.UIDSetNum(uid)
	size, err := c.Fetch(set, &imap.FetchOptions{UID: true, RFC822Size: true}).Collect()
	if err != nil {
		return fmt.Errorf("imap fetch size of %d: %w", uid, err)
	}
	if len(size) == 0 {
		return nil // gone meanwhile (another instance moved it)
	}
	if size[0].RFC822Size > p.cfg.MaxBytes {
		return p.takeTooLarge(ctx, c, uid, size[0].RFC822Size, res)
	}
	section := &imap.FetchItemBodySection{Peek: true}
	msgs, err := c.Fetch(set, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}}).Collect()
	if err != nil {
		return fmt.Errorf("imap fetch %d: %w", uid, err)
	}
	if len(msgs) == 0 {
		return nil
	}
	raw := msgs[0].FindBodySection(section)
	m, err := mailmsg.ParseReader(bytes.NewReader(raw), p.cfg.MaxBytes)
	if err != nil {
		return p.refuse(c, uid, RefusedUnusable, err.Error(), res)
	}
	mctx, cancel := context.WithTimeout(ctx, p.cfg.Timeout)
	out, err := p.recv.ReceiveMail(mctx, Inbound(m, "", p.cfg.Now()))
	cancel()
	switch {
	case desk.ErrorCode(err) == desk.ELIMIT:
		p.cfg.Logger.Info("imap message left for later: sender over the rate limit", "uid", uid, "message_id", m.ID())
		p.deferred[uid] = p.cfg.Now().Add(rateLimitDefer)
		res.Left++
		return nil
	case err != nil && desk.IsTransient(err):
		res.Left++
		return fmt.Errorf("imap message %d (%s) not stored, left for the next poll: %w", uid, m.ID(), err)
	case err != nil:
		return p.refuse(c, uid, RefusedByDesk, m.ID()+": "+desk.ErrorMessage(err), res)
	}
	switch out.Action {
	case desk.MailDuplicate:
		res.Duplicates++
	case desk.MailDropped:
		res.Dropped++
	default:
		res.Stored++
	}
	attrs := []any{"uid", uid, "message_id", m.ID(), "action", string(out.Action), "reason", out.Reason}
	if out.Ticket != nil {
		attrs = append(attrs, "ticket", out.Ticket.Number)
	}
	p.cfg.Logger.Info("mail received", attrs...)
	return p.mark(c, uid)
}

// mark applies the after-processing action to a message the desk is done
// with. A failure is logged, not fatal: the message is read again next
// time and then is a duplicate.
func (p *Poller) mark(c *imapclient.Client, uid imap.UID) error {
	set := imap.UIDSetNum(uid)
	var err error
	switch p.cfg.After {
	case AfterMove:
		_, err = c.Move(set, p.cfg.MoveTo).Wait()
		var ie *imap.Error
		if errors.As(err, &ie) && ie.Code == imap.ResponseCodeTryCreate { // deleted meanwhile
			if err = createFolder(c, p.cfg.MoveTo); err == nil {
				_, err = c.Move(set, p.cfg.MoveTo).Wait()
			}
		}
	case AfterDelete:
		err = c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close()
		if err == nil && c.Caps().Has(imap.CapUIDPlus) {
			err = c.UIDExpunge(set).Close()
		} else if err == nil {
			err = c.Expunge().Close()
		}
	default:
		err = c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen}}, nil).Close()
	}
	if err != nil {
		if errors.Is(err, net.ErrClosed) {
			return fmt.Errorf("imap mark %d: %w", uid, err)
		}
		p.cfg.Logger.Warn("imap message processed but not marked", "uid", uid, "action", p.cfg.After, "err", err)
		p.deferred[uid] = p.cfg.Now().Add(unmarkedDefer) // read again later, as a duplicate
	}
	return nil
}
