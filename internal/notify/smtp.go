package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/wneessen/go-mail"
)

// TLSMode is how the relay connection is secured.
type TLSMode string

// TLS modes: STARTTLS when offered, STARTTLS or fail, plain text.
const (
	TLSOpportunistic TLSMode = "opportunistic"
	TLSRequired      TLSMode = "required"
	TLSNone          TLSMode = "none"
)

// ParseTLSMode checks a --smtp-relay-tls value.
func ParseTLSMode(s string) (TLSMode, error) {
	switch m := TLSMode(s); m {
	case TLSOpportunistic, TLSRequired, TLSNone:
		return m, nil
	}
	return "", fmt.Errorf("unknown STARTTLS mode %q (opportunistic, required or none)", s)
}

// SMTP is a Transport through a relay (host:port), with STARTTLS per TLS
// and AUTH when User is set. One connection per message.
type SMTP struct {
	Relay    string
	User     string
	Password string `json:"-"`
	TLS      TLSMode
	Timeout  time.Duration // per connection; default 30 s
	// TLSConfig verifies the relay's certificate; default the system roots
	// and the relay's host name.
	TLSConfig *tls.Config
}

// Send implements Transport. An SMTP 5xx answer is a *PermanentError.
func (s *SMTP) Send(ctx context.Context, m Mail) error {
	c, err := s.client()
	if err != nil {
		return &PermanentError{err}
	}
	msg, err := message(m)
	if err != nil {
		return &PermanentError{err}
	}
	err = c.DialAndSendWithContext(ctx, msg)
	var se *mail.SendError
	if errors.As(err, &se) && se.ErrorCode()/100 == 5 {
		return &PermanentError{err}
	}
	return err
}

func (s *SMTP) client() (*mail.Client, error) {
	host, portStr, err := net.SplitHostPort(s.Relay)
	if err != nil {
		return nil, fmt.Errorf("smtp relay %q: %w", s.Relay, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return nil, fmt.Errorf("smtp relay port %q: %w", portStr, err)
	}
	policy := mail.TLSOpportunistic
	switch s.TLS {
	case TLSRequired:
		policy = mail.TLSMandatory
	case TLSNone:
		policy = mail.NoTLS
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	opts := []mail.Option{mail.WithPort(port), mail.WithTLSPolicy(policy), mail.WithTimeout(timeout)}
	if s.TLSConfig != nil {
		opts = append(opts, mail.WithTLSConfig(s.TLSConfig))
	}
	if s.User != "" {
		// Over TLS the strongest mechanism the relay offers; without it
		// PLAIN, which go-mail sends only to a relay on localhost, so a
		// password never crosses the network in the clear.
		auth := mail.SMTPAuthAutoDiscover
		if s.TLS == TLSNone {
			auth = mail.SMTPAuthPlain
		}
		opts = append(opts, mail.WithSMTPAuth(auth), mail.WithUsername(s.User), mail.WithPassword(s.Password))
	}
	return mail.NewClient(host, opts...)
}

// message builds the MIME message: multipart/alternative with the text
// and HTML parts, marked as automatic mail.
func message(m Mail) (*mail.Msg, error) {
	msg := mail.NewMsg()
	if err := msg.From(m.From); err != nil {
		return nil, fmt.Errorf("from %q: %w", m.From, err)
	}
	if err := msg.To(m.To...); err != nil {
		return nil, fmt.Errorf("recipients: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDate()
	if m.InReplyTo != "" {
		msg.SetGenHeader(mail.HeaderInReplyTo, "<"+m.InReplyTo+">")
		refs := make([]string, len(m.References))
		for i, id := range m.References {
			refs[i] = "<" + id + ">"
		}
		msg.SetGenHeader(mail.HeaderReferences, strings.Join(refs, " "))
	}
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetGenHeader("X-Auto-Response-Suppress", "All")
	// Only our own mail carries X-Tierdesk headers: the intake drops mail
	// that comes back with one, whatever a relay did to the rest.
	msg.SetGenHeader("X-Tierdesk-Notification", m.Kind)
	for k, v := range m.Headers {
		msg.SetGenHeader(mail.Header(k), v)
	}
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	if m.Invite != nil {
		// iMIP (RFC 6047): the calendar object with its method, as a file
		// calendar clients offer to add (or, for CANCEL, to remove).
		ct := mail.ContentType("text/calendar; method=" + m.Invite.Method + "; charset=UTF-8")
		if err := msg.AttachReader("invite.ics", bytes.NewReader(m.Invite.Data), mail.WithFileContentType(ct)); err != nil {
			return nil, fmt.Errorf("invitation: %w", err)
		}
	}
	return msg, nil
}
