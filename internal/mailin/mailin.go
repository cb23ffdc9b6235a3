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
// Rate limit: the desk limits the new tickets per sender address in an hour
// (desk.Config.MailTicketsPerHour), counted in the database for every
// instance; a message that would open one more gets 450 and the sending
// server retries later. Replies to existing tickets are not limited.
//
// Attachments and inline parts are stored with the ticket event the message
// becomes; their names and sizes are also listed in its text.
package mailin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/mailmsg"
)

// DefaultMaxBytes is the default message size limit (25 MiB).
const DefaultMaxBytes = mailmsg.DefaultMaxSize

// Config configures the listener.
type Config struct {
	Addr     string        // host:port to listen on
	Domain   string        // the name the server greets with; default "localhost"
	MaxBytes int64         // message size limit; default DefaultMaxBytes
	Timeout  time.Duration // per message, for parsing and storing; default 60 s
	Logger   *slog.Logger
	Now      func() time.Time // the received time handed to the desk; default time.Now
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
	s := &Server{cfg: cfg, recv: recv, ln: ln, done: make(chan error, 1)}
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
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.Timeout)
	defer cancel()
	out, err := s.recv.ReceiveMail(ctx, Inbound(m, x.from, s.cfg.Now()))
	if err != nil {
		return s.storeError(m, err)
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
	case desk.ErrorCode(err) == desk.ELIMIT:
		return &smtp.SMTPError{Code: 450, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: desk.ErrorMessage(err)}
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
		in.Attachments = append(in.Attachments, desk.MailAttachment{Name: a.FileName, ContentType: a.ContentType,
			Size: a.Size, Inline: a.Inline, ContentID: a.ContentID, Content: a.Content})
	}
	for k := range m.Header {
		if strings.HasPrefix(strings.ToLower(k), "x-tierdesk") {
			in.LoopHeader = k
			break
		}
	}
	return in
}
