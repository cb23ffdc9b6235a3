// Package mailin is the inbound e-mail channel of Tierdesk: an SMTP listener
// (github.com/emersion/go-smtp) for a mail server to forward to. Each message
// is parsed with internal/mailmsg and handed to desk.Desk.ReceiveMail; the
// listener answers 250 only after the ticket or comment is committed.
//
// Replies: 250 for a stored, duplicate or deliberately dropped message
// (auto-replies, bulk mail, unknown bounces: never answered, never retried);
// 451 4.3.0 on a transient failure (database unavailable, deadline) so that
// the sending server retries; 552 5.3.4 over the size limit; 554 5.6.0 for a
// message that cannot be parsed or stored; 550 5.7.1 for a sender the
// policy refuses; 450 4.7.1 for a sender over the rate limit.
//
// Rate limit: at most Config.MaxTicketsPerHour new tickets per sender address
// in a sliding hour, counted in memory by each instance (not shared between
// instances; a restart forgets it). A sender over the limit gets 450 for all
// its mail until the window frees a slot; the sending server retries later.
//
// Attachments are not stored yet: their names and sizes go into the
// ticket's description.
package mailin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/mailmsg"
)

// DefaultMaxBytes is the default message size limit (25 MiB).
const DefaultMaxBytes = mailmsg.DefaultMaxSize

// Config configures the listener.
type Config struct {
	Addr              string        // host:port to listen on
	Domain            string        // the name the server greets with; default "localhost"
	MaxBytes          int64         // message size limit; default DefaultMaxBytes
	MaxTicketsPerHour int           // new tickets per sender per hour; 0: unlimited
	Timeout           time.Duration // per message, for parsing and storing; default 60 s
	Logger            *slog.Logger
	Now               func() time.Time // for the rate limit; default time.Now
}

// Receiver is what the listener hands messages to (desk.Desk).
type Receiver interface {
	ReceiveMail(ctx context.Context, in desk.InboundMail) (desk.MailOutcome, error)
}

// Server is an SMTP listener bound to an address.
type Server struct {
	cfg  Config
	recv Receiver
	smtp *smtp.Server
	ln   net.Listener
	rate *limiter
	done chan error
}

// Listen binds cfg.Addr; Serve starts accepting.
func Listen(cfg Config, recv Receiver) (*Server, error) {
	if cfg.Domain == "" {
		cfg.Domain = "localhost"
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
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("smtp listen: %w", err)
	}
	s := &Server{cfg: cfg, recv: recv, ln: ln, rate: newLimiter(cfg.MaxTicketsPerHour, cfg.Now),
		done: make(chan error, 1)}
	s.smtp = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s}, nil
	}))
	s.smtp.Domain = cfg.Domain
	s.smtp.MaxMessageBytes = cfg.MaxBytes
	s.smtp.MaxRecipients = 100
	// Real mail has very long lines (HTML on one line, unwrapped text), so
	// lines are bounded by a multiple of the size limit, not RFC 5321's
	// 1,000 characters. The multiple lets an oversize message be read to
	// its end and answered 552; only a single line over 4x the limit (from
	// a client that ignored the advertised SIZE) breaks the connection.
	s.smtp.MaxLineLength = int(min(4*cfg.MaxBytes, 1<<30))
	s.smtp.ReadTimeout = 5 * time.Minute
	s.smtp.WriteTimeout = time.Minute
	s.smtp.EnableSMTPUTF8 = true
	return s, nil
}

// Addr is the bound address (useful with port 0).
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Start serves in a goroutine that Shutdown stops and waits for.
func (s *Server) Start() {
	go func() { s.done <- s.smtp.Serve(s.ln) }()
}

// Shutdown stops accepting, waits for sessions to end until ctx is done,
// then closes them.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.smtp.Shutdown(ctx)
	if err != nil {
		s.smtp.Close()
	}
	serr := <-s.done
	if errors.Is(serr, smtp.ErrServerClosed) || errors.Is(serr, net.ErrClosed) {
		serr = nil
	}
	return errors.Join(err, serr)
}

// session is one SMTP connection's transaction state.
type session struct {
	s    *Server
	from string
}

func (x *session) Reset()        { x.from = "" }
func (x *session) Logout() error { return nil }

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.from = strings.ToLower(from)
	return nil
}

func (x *session) Rcpt(string, *smtp.RcptOptions) error { return nil }

// Data parses and stores one message; its return is the reply.
func (x *session) Data(r io.Reader) error {
	s := x.s
	m, err := mailmsg.ParseReader(r, s.cfg.MaxBytes)
	if err != nil {
		return s.parseError(err)
	}
	sender := m.From.Address
	if sender == "" {
		sender = x.from
	}
	if !s.rate.allow(sender) {
		return &smtp.SMTPError{Code: 450, EnhancedCode: smtp.EnhancedCode{4, 7, 1},
			Message: fmt.Sprintf("too many new tickets from %s in the last hour: try again later", sender)}
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.Timeout)
	defer cancel()
	out, err := s.recv.ReceiveMail(ctx, Inbound(m, x.from, s.cfg.Now()))
	if err != nil {
		return s.storeError(m, err)
	}
	if out.Action == desk.MailTicketCreated {
		s.rate.add(sender)
	}
	attrs := []any{"message_id", m.ID(), "action", string(out.Action), "reason", out.Reason}
	if out.Ticket != nil {
		attrs = append(attrs, "ticket", out.Ticket.Number)
	}
	s.cfg.Logger.Info("mail received", attrs...)
	return nil
}

func (s *Server) parseError(err error) error {
	if se, ok := errors.AsType[*smtp.SMTPError](err); ok {
		if se.Code == 552 {
			return s.tooLarge()
		}
		return se
	}
	if errors.Is(err, mailmsg.ErrTooLarge) || errors.Is(err, smtp.ErrTooLongLine) {
		return s.tooLarge()
	}
	if errors.Is(err, mailmsg.ErrUnusable) {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0},
			Message: "message has no usable content: not accepted"}
	}
	s.cfg.Logger.Warn("mail read failed", "err", err)
	return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
		Message: "could not read the message: try again later"}
}

func (s *Server) tooLarge() error {
	return &smtp.SMTPError{Code: 552, EnhancedCode: smtp.EnhancedCode{5, 3, 4},
		Message: fmt.Sprintf("message exceeds the size limit of %d bytes", s.cfg.MaxBytes)}
}

// storeError maps a ReceiveMail failure to a reply.
func (s *Server) storeError(m *mailmsg.Message, err error) error {
	switch {
	case desk.ErrorCode(err) == desk.EFORBIDDEN:
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
			Message: desk.ErrorMessage(err)}
	case !desk.IsTransient(err):
		s.cfg.Logger.Warn("mail refused", "message_id", m.ID(), "err", err)
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0},
			Message: "message cannot be stored: " + desk.ErrorMessage(err)}
	}
	s.cfg.Logger.Error("mail not stored", "message_id", m.ID(), "err", err)
	return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
		Message: "temporary failure storing the message: try again later"}
}

// Inbound converts a parsed message for the desk. envelopeFrom is used when
// the message has no From header.
func Inbound(m *mailmsg.Message, envelopeFrom string, now time.Time) desk.InboundMail {
	in := desk.InboundMail{
		MessageID: m.ID(), ThreadIDs: m.ThreadIDs(), Tag: m.TicketTag,
		FromName: m.From.Name, FromAddress: m.From.Address, Subject: m.Subject,
		ReplyText: m.ReplyText, Text: m.TextBody, Kind: desk.MailKind(m.Kind),
		BounceOf: m.BounceOf, BounceRecipients: m.BounceRecipients, ReceivedAt: now,
	}
	if in.FromAddress == "" {
		in.FromAddress = envelopeFrom
	}
	for _, a := range m.Attachments {
		if a.Inline && a.FileName == "" {
			continue
		}
		name := a.FileName
		if name == "" {
			name = "(unnamed " + a.ContentType + ")"
		}
		in.Attachments = append(in.Attachments, desk.MailAttachment{Name: name, Size: a.Size})
	}
	return in
}

// limiter counts new tickets per sender in a sliding hour.
type limiter struct {
	max  int
	now  func() time.Time
	mu   sync.Mutex
	seen map[string][]time.Time
}

func newLimiter(max int, now func() time.Time) *limiter {
	return &limiter{max: max, now: now, seen: map[string][]time.Time{}}
}

func (l *limiter) prune(sender string) []time.Time {
	cut := l.now().Add(-time.Hour)
	ts := l.seen[sender]
	i := 0
	for i < len(ts) && !ts[i].After(cut) {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.seen, sender)
	} else {
		l.seen[sender] = ts
	}
	return ts
}

func (l *limiter) allow(sender string) bool {
	if l.max <= 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.prune(sender)) < l.max
}

func (l *limiter) add(sender string) {
	if l.max <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seen[sender] = append(l.prune(sender), l.now())
}
