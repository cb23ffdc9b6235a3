package notify_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/notify"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// tlsRelay is a real relay on 127.0.0.1:0 that offers STARTTLS with a
// self-signed certificate and AUTH PLAIN, refuses mail before both, and
// records the user who sent each message.
type tlsRelay struct {
	addr  string
	roots *x509.CertPool
	mu    sync.Mutex
	users []string
}

func newTLSRelay(t *testing.T, user, pass string) *tlsRelay {
	t.Helper()
	cert, roots := selfSigned(t)
	r := &tlsRelay{roots: roots}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &authSession{relay: r, conn: c, user: user, pass: pass}, nil
	}))
	srv.Domain = "relay.test"
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	r.addr = l.Addr().String()
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return r
}

type authSession struct {
	relay      *tlsRelay
	conn       *smtp.Conn
	user, pass string
	authed     string
}

func (s *authSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *authSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.user || pass != s.pass {
			return errors.New("bad credentials")
		}
		s.authed = user
		return nil
	}), nil
}
func (s *authSession) Reset()        {}
func (s *authSession) Logout() error { return nil }
func (s *authSession) Mail(string, *smtp.MailOptions) error {
	if _, ok := s.conn.TLSConnectionState(); !ok {
		return &smtp.SMTPError{Code: 530, Message: "STARTTLS first"}
	}
	if s.authed == "" {
		return &smtp.SMTPError{Code: 530, Message: "AUTH first"}
	}
	return nil
}
func (s *authSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *authSession) Data(r io.Reader) error {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	s.relay.mu.Lock()
	s.relay.users = append(s.relay.users, s.authed)
	s.relay.mu.Unlock()
	return nil
}

func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "relay.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	must(t, err)
	leaf, err := x509.ParseCertificate(der)
	must(t, err)
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, roots
}

// STARTTLS required and AUTH: sent as the relay user; the password and the
// message body never reach the log. A relay without STARTTLS is refused
// under "required" (retried, not sent in the clear).
func TestSMTP_StartTLSAndAuth(t *testing.T) {
	const secret = "s3cret-relay-pw"
	relay := newTLSRelay(t, "desk", secret)
	f := newFixture(t, testdb.SQLiteInstances)
	f.breach("Certificate expired")
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	tr := &notify.SMTP{Relay: relay.addr, User: "desk", Password: secret, TLS: notify.TLSRequired,
		TLSConfig: &tls.Config{RootCAs: relay.roots, ServerName: "127.0.0.1"}, Timeout: 5 * time.Second}
	w := notify.New(f.store, f.store, tr, f.clock, notify.Config{Domain: "desk.example.com"}, log)
	res, err := w.RunDue(context.Background(), f.clock.Now())
	must(t, err)
	if res.Sent != 2 {
		t.Fatalf("over STARTTLS with AUTH: %+v; queued: %+v", res, f.list(desk.OutboxQueued))
	}
	relay.mu.Lock()
	users := strings.Join(relay.users, ",")
	relay.mu.Unlock()
	if users != "desk,desk" {
		t.Errorf("relay saw users %q", users)
	}
	if strings.Contains(logs.String(), secret) || strings.Contains(logs.String(), "has breached") {
		t.Errorf("the log holds the password or a message body:\n%s", logs.String())
	}

	// The plain test server offers no STARTTLS: required refuses it.
	f.breach("Second outage")
	plain := notify.New(f.store, f.store, &notify.SMTP{Relay: f.smtp.Addr, TLS: notify.TLSRequired, Timeout: 5 * time.Second},
		f.clock, notify.Config{}, nil)
	res, err = plain.RunDue(context.Background(), f.clock.Now())
	must(t, err)
	if res.Sent != 0 || res.Retried == 0 || len(f.smtp.messages()) != 0 {
		t.Errorf("STARTTLS required against a plain server: %+v, server got %d", res, len(f.smtp.messages()))
	}
	// Opportunistic falls back to plain text with the same server.
	f.clock.Advance(time.Hour)
	opp := notify.New(f.store, f.store, &notify.SMTP{Relay: f.smtp.Addr, TLS: notify.TLSOpportunistic, Timeout: 5 * time.Second},
		f.clock, notify.Config{}, nil)
	res, err = opp.RunDue(context.Background(), f.clock.Now())
	must(t, err)
	if res.Sent == 0 || len(f.smtp.messages()) != res.Sent {
		t.Errorf("opportunistic against a plain server: %+v, server got %d", res, len(f.smtp.messages()))
	}
}
