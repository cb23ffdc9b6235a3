package mailin_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/mailin"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

const (
	imapUser     = "support@helpdesk.local"
	imapPassword = "imap-s3cret-Pw"
)

// imapServer is go-imap's in-memory IMAP server on a real TCP socket, with
// a test certificate for STARTTLS or implicit TLS.
type imapServer struct {
	addr  string
	mode  mailin.TLSMode
	roots *x509.CertPool
}

func startIMAP(t testing.TB, mode mailin.TLSMode) *imapServer {
	t.Helper()
	mem := imapmemserver.New()
	user := imapmemserver.NewUser(imapUser, imapPassword)
	for _, box := range []string{"INBOX", "Processed"} {
		if err := user.Create(box, nil); err != nil {
			t.Fatal(err)
		}
	}
	mem.AddUser(user)
	cert, roots := testCertificate(t)
	tlsCfg := &tls.Config{Certificates: []tls.Certificate{cert}}
	opts := &imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		InsecureAuth: mode == mailin.TLSNone,
		Logger:       testLogger{t},
	}
	if mode == mailin.TLSStartTLS {
		opts.TLSConfig = tlsCfg
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if mode == mailin.TLSImplicit {
		ln = tls.NewListener(ln, tlsCfg)
	}
	srv := imapserver.New(opts)
	done := make(chan struct{})
	go func() { defer close(done); srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close(); <-done })
	return &imapServer{addr: ln.Addr().String(), mode: mode, roots: roots}
}

// testLogger shows what the IMAP server logs (errors only) in the test's
// output.
type testLogger struct{ t testing.TB }

func (l testLogger) Printf(format string, args ...any) { l.t.Logf("imap server: "+format, args...) }

// testCertificate is a self-signed certificate for 127.0.0.1, and the pool
// that trusts it.
func testCertificate(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	der, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{
		SerialNumber: big.NewInt(now.UnixNano()), Subject: pkix.Name{CommonName: "imap.test"},
		NotBefore: now.Add(-time.Minute), NotAfter: now.Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}, &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "imap.test"},
		NotBefore: now.Add(-time.Minute), NotAfter: now.Add(time.Hour)}, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// client logs in as the mailbox owner, the way a person's mail client
// would, to put mail in and look at the flags.
func (s *imapServer) client(t testing.TB) *imapclient.Client {
	t.Helper()
	opts := &imapclient.Options{TLSConfig: &tls.Config{RootCAs: s.roots, ServerName: "127.0.0.1"}}
	var c *imapclient.Client
	var err error
	switch s.mode {
	case mailin.TLSImplicit:
		c, err = imapclient.DialTLS(s.addr, opts)
	case mailin.TLSStartTLS:
		c, err = imapclient.DialStartTLS(s.addr, opts)
	default:
		c, err = imapclient.DialInsecure(s.addr, opts)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Login(imapUser, imapPassword).Wait(); err != nil {
		t.Fatal(err)
	}
	return c
}

// deliver appends raw messages to INBOX.
func (s *imapServer) deliver(t testing.TB, msgs ...[]byte) {
	t.Helper()
	c := s.client(t)
	for _, raw := range msgs {
		raw = []byte(strings.ReplaceAll(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n", "\r\n"))
		cmd := c.Append("INBOX", int64(len(raw)), nil)
		if _, err := cmd.Write(raw); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := cmd.Wait(); err != nil {
			t.Fatal(err)
		}
	}
	c.Logout().Wait()
}

// flags returns each message of a folder as "Message-ID: flags".
func (s *imapServer) flags(t testing.TB, folder string) []string {
	t.Helper()
	c := s.client(t)
	defer func() { c.Logout().Wait() }()
	sel, err := c.Select(folder, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if sel.NumMessages == 0 {
		return nil
	}
	msgs, err := c.Fetch(allMessages(), &imap.FetchOptions{Flags: true, Envelope: true}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		var fl []string
		for _, f := range m.Flags {
			fl = append(fl, string(f))
		}
		out = append(out, m.Envelope.MessageID+": "+strings.Join(fl, " "))
	}
	return out
}

// unsee clears \Seen on every message of INBOX (a person marking them
// unread, or an instance that crashed before it could mark).
func (s *imapServer) unsee(t testing.TB) {
	t.Helper()
	c := s.client(t)
	defer func() { c.Logout().Wait() }()
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	if err := c.Store(allMessages(), &imap.StoreFlags{Op: imap.StoreFlagsDel, Silent: true,
		Flags: []imap.Flag{imap.FlagSeen}}, nil).Close(); err != nil {
		t.Fatal(err)
	}
}

func (s *imapServer) mailbox(mode mailin.TLSMode, logs *bytes.Buffer) mailin.MailboxConfig {
	cfg := mailin.MailboxConfig{Addr: s.addr, TLS: mode, TLSConfig: &tls.Config{RootCAs: s.roots},
		User: imapUser, Password: imapPassword}
	if logs != nil {
		cfg.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return cfg
}

func newPoller(t testing.TB, cfg mailin.MailboxConfig, recv mailin.Receiver) *mailin.Poller {
	t.Helper()
	p, err := mailin.NewPoller(cfg, recv)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func poll(t testing.TB, p *mailin.Poller) mailin.PollResult {
	t.Helper()
	res, err := p.Poll(t.Context())
	if err != nil {
		t.Fatalf("poll: %v (%+v)", err, res)
	}
	return res
}

func tickets(t testing.TB, s *sqlstore.Store) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow("SELECT count(*) FROM tickets").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPoller_StartTLS: over STARTTLS, new mail becomes tickets (with their
// attachments) and a reply a comment; each message is flagged \Seen only
// then; a re-poll finds nothing, and the same messages polled again after
// being marked unread change nothing. The password never reaches the log.
func TestPoller_StartTLS(t *testing.T) {
	for _, b := range testdb.Backends {
		t.Run(b.Name, func(t *testing.T) {
			srv := startIMAP(t, mailin.TLSStartTLS)
			s := b.Open(t)
			d := desk.New(s, desk.SystemClock{}, desk.DefaultConfig)
			srv.deliver(t, corpus(t, "01-py-utf8-alternative.eml"), corpus(t, "03-py-nested-inline-image.eml"),
				mail("Jean Dupont <jean.dupont@example.fr>", "Re: écran", "imap-reply@example.com", "py-03-nested@example.fr", "Thanks!\n\n> old"))
			var logs bytes.Buffer
			p := newPoller(t, srv.mailbox(mailin.TLSStartTLS, &logs), d)
			if res := poll(t, p); res != (mailin.PollResult{Stored: 3}) {
				t.Fatalf("first poll: %+v", res)
			}
			if n := tickets(t, s); n != 2 {
				t.Errorf("%d tickets, want 2 (the reply is a comment)", n)
			}
			for _, f := range srv.flags(t, "INBOX") {
				if !strings.HasSuffix(f, `\Seen`) {
					t.Errorf("not flagged seen after processing: %s", f)
				}
			}
			tk, err := s.GetTicketByNumber(t.Context(), "INC-000002")
			if err != nil {
				t.Fatal(err)
			}
			files, err := s.ListAttachments(t.Context(), tk.ID, false)
			if err != nil || len(files) != 2 {
				t.Errorf("attachments of the mailed ticket: %d, %v", len(files), err)
			}
			if res := poll(t, p); res != (mailin.PollResult{}) {
				t.Errorf("re-poll: %+v, want nothing", res)
			}
			srv.unsee(t)
			if res := poll(t, p); res != (mailin.PollResult{Duplicates: 3}) {
				t.Errorf("poll of the same messages again: %+v, want 3 duplicates", res)
			}
			if n := tickets(t, s); n != 2 {
				t.Errorf("%d tickets after the re-poll, want 2", n)
			}
			if strings.Contains(logs.String(), imapPassword) {
				t.Error("the IMAP password is in the log")
			}
			if !strings.Contains(logs.String(), "ticket=INC-000002") {
				t.Errorf("log does not say what became of the mail:\n%s", logs.String())
			}
		})
	}
}

// TestPoller_TLSMove: over implicit TLS, processed mail is moved to another
// folder; noise is moved too (it is done with), and nothing is left.
func TestPoller_TLSMove(t *testing.T) {
	srv := startIMAP(t, mailin.TLSImplicit)
	s := testdb.SQLite(t)
	d := desk.New(s, desk.SystemClock{}, desk.DefaultConfig)
	srv.deliver(t, corpus(t, "04-py-koi8r-subject-body.eml"), corpus(t, "20-swaks-ooo-en.eml"))
	cfg := srv.mailbox(mailin.TLSImplicit, nil)
	cfg.After, cfg.MoveTo = mailin.AfterMove, "Processed"
	p := newPoller(t, cfg, d)
	if res := poll(t, p); res != (mailin.PollResult{Stored: 1, Dropped: 1}) {
		t.Fatalf("poll: %+v", res)
	}
	if left := srv.flags(t, "INBOX"); len(left) != 0 {
		t.Errorf("left in INBOX: %v", left)
	}
	if moved := srv.flags(t, "Processed"); len(moved) != 2 {
		t.Errorf("in Processed: %v, want both messages", moved)
	}
	if res := poll(t, p); res != (mailin.PollResult{}) {
		t.Errorf("re-poll: %+v", res)
	}
}

// TestPoller_Delete removes processed mail only when so configured.
func TestPoller_Delete(t *testing.T) {
	srv := startIMAP(t, mailin.TLSNone)
	s := testdb.SQLite(t)
	srv.deliver(t, corpus(t, "04-py-koi8r-subject-body.eml"))
	cfg := srv.mailbox(mailin.TLSNone, nil)
	cfg.After = mailin.AfterDelete
	if res := poll(t, newPoller(t, cfg, desk.New(s, desk.SystemClock{}, desk.DefaultConfig))); res.Stored != 1 {
		t.Fatalf("poll: %+v", res)
	}
	if left := srv.flags(t, "INBOX"); len(left) != 0 {
		t.Errorf("left in INBOX: %v", left)
	}
}

// failing fails ReceiveMail for one Message-ID with a transient error the
// first n times, and hands everything else to the real desk.
type failing struct {
	*desk.Desk
	id string
	n  atomic.Int32
}

func (f *failing) ReceiveMail(ctx context.Context, in desk.InboundMail) (desk.MailOutcome, error) {
	if in.MessageID == f.id && f.n.Add(-1) >= 0 {
		return desk.MailOutcome{}, fmt.Errorf("database unavailable")
	}
	return f.Desk.ReceiveMail(ctx, in)
}

// TestPoller_FailureMidBatch: a transient failure on the second message
// stops the poll; the first is marked, the second and third are left unseen
// and stored by the next poll, once each.
func TestPoller_FailureMidBatch(t *testing.T) {
	srv := startIMAP(t, mailin.TLSStartTLS)
	s := testdb.SQLite(t)
	recv := &failing{Desk: desk.New(s, desk.SystemClock{}, desk.DefaultConfig), id: "m2@example.com"}
	recv.n.Store(1)
	srv.deliver(t, mail("a@example.com", "one", "m1@example.com", "", "1"), mail("b@example.com", "two", "m2@example.com", "", "2"),
		mail("c@example.com", "three", "m3@example.com", "", "3"))
	p := newPoller(t, srv.mailbox(mailin.TLSStartTLS, nil), recv)
	res, err := p.Poll(t.Context())
	if err == nil || !strings.Contains(err.Error(), "left for the next poll") || res != (mailin.PollResult{Stored: 1, Left: 2}) {
		t.Fatalf("poll with a failure: %+v, %v", res, err)
	}
	want := []string{`m1@example.com: \Seen`, "m2@example.com: ", "m3@example.com: "}
	if got := srv.flags(t, "INBOX"); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("flags %q, want %q", got, want)
	}
	if res := poll(t, p); res != (mailin.PollResult{Stored: 2}) {
		t.Errorf("next poll: %+v", res)
	}
	if n := tickets(t, s); n != 3 {
		t.Errorf("%d tickets, want 3", n)
	}
}

// TestPoller_Refused: mail the desk will never take (an unknown sender
// under reject) is marked and counted, not retried forever; a sender over
// the rate limit is left for later.
func TestPoller_Refused(t *testing.T) {
	srv := startIMAP(t, mailin.TLSNone)
	s := testdb.SQLite(t)
	cfg := desk.DefaultConfig
	cfg.MailRejectUnknown = true
	srv.deliver(t, mail("stranger@example.com", "hi", "r1@example.com", "", "hi"))
	p := newPoller(t, srv.mailbox(mailin.TLSNone, nil), desk.New(s, desk.SystemClock{}, cfg))
	if res := poll(t, p); res != (mailin.PollResult{Refused: 1}) {
		t.Errorf("poll: %+v", res)
	}
	// Left unread and flagged for a person, and not read again.
	if got := srv.flags(t, "INBOX"); len(got) != 1 || !strings.Contains(strings.ToLower(got[0]), "$tierdeskrefused") ||
		!strings.Contains(got[0], `\Flagged`) || strings.Contains(got[0], `\Seen`) {
		t.Errorf("flags %v", got)
	}
	if res := poll(t, p); res != (mailin.PollResult{}) {
		t.Errorf("poll after the refusal: %+v", res)
	}

	cfg = desk.DefaultConfig
	cfg.MailTicketsPerHour = 1
	srv.deliver(t, mail("flood@example.com", "1", "fl1@example.com", "", "x"), mail("flood@example.com", "2", "fl2@example.com", "", "x"))
	p = newPoller(t, srv.mailbox(mailin.TLSNone, nil), desk.New(s, desk.SystemClock{}, cfg))
	if res := poll(t, p); res != (mailin.PollResult{Stored: 1, Left: 1}) {
		t.Errorf("rate-limited poll: %+v", res)
	}
	if res := poll(t, p); res != (mailin.PollResult{Left: 1}) {
		t.Errorf("still limited: %+v", res)
	}
}

// TestPoller_TwoInstances: two instances (two stores on one database) poll
// one mailbox at the same moment, again and again: every message becomes
// exactly one ticket.
func TestPoller_TwoInstances(t *testing.T) {
	url := testdb.PostgresSchema(t)
	srv := startIMAP(t, mailin.TLSStartTLS)
	var msgs [][]byte
	for i := range 12 {
		msgs = append(msgs, mail(fmt.Sprintf("u%d@example.com", i), fmt.Sprintf("issue %d", i), fmt.Sprintf("two-%d@example.com", i), "", "x"))
	}
	srv.deliver(t, msgs...)
	var stores []*sqlstore.Store
	var pollers []*mailin.Poller
	for range 2 {
		s := openPostgres(t, url)
		stores = append(stores, s)
		pollers = append(pollers, newPoller(t, srv.mailbox(mailin.TLSStartTLS, nil), desk.New(s, desk.SystemClock{}, desk.DefaultConfig)))
	}
	var total atomic.Int32
	for range 3 {
		var wg sync.WaitGroup
		for _, p := range pollers {
			wg.Go(func() {
				res, err := p.Poll(t.Context())
				if err != nil {
					t.Error(err)
				}
				total.Add(int32(res.Stored))
			})
		}
		wg.Wait()
		srv.unsee(t) // and once more, as if nobody had marked anything
	}
	if n := tickets(t, stores[0]); n != 12 || total.Load() != 12 {
		t.Errorf("%d tickets, %d stored, want 12 each", n, total.Load())
	}
}

// TestPoller_StartStop: the poller's goroutine polls on its own until Stop,
// which waits for it.
func TestPoller_StartStop(t *testing.T) {
	srv := startIMAP(t, mailin.TLSNone)
	s := testdb.SQLite(t)
	cfg := srv.mailbox(mailin.TLSNone, nil)
	cfg.Interval = 20 * time.Millisecond
	p := newPoller(t, cfg, desk.New(s, desk.SystemClock{}, desk.DefaultConfig))
	p.Start(t.Context())
	srv.deliver(t, mail("late@example.com", "late", "late@example.com", "", "x"))
	for deadline := time.Now().Add(time.Minute); tickets(t, s) == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the started poller stored nothing within a minute")
		}
	}
	p.Stop()
	srv.deliver(t, mail("later@example.com", "later", "later@example.com", "", "x"))
	if got := srv.flags(t, "INBOX"); len(got) != 2 || strings.Contains(got[1], `\Seen`) {
		t.Errorf("after Stop: %v, want the second message untouched", got)
	}
}

func TestMailboxConfig_Check(t *testing.T) {
	ok := mailin.MailboxConfig{Addr: "imap.example.com:993", TLS: mailin.TLSImplicit, User: "u"}
	if err := ok.Check(); err != nil {
		t.Errorf("valid config: %v", err)
	}
	for name, mod := range map[string]func(*mailin.MailboxConfig){
		"no port":          func(c *mailin.MailboxConfig) { c.Addr = "imap.example.com" },
		"no user":          func(c *mailin.MailboxConfig) { c.User = "" },
		"plain remote":     func(c *mailin.MailboxConfig) { c.TLS = mailin.TLSNone },
		"bad mode":         func(c *mailin.MailboxConfig) { c.TLS = "ssl" },
		"move nowhere":     func(c *mailin.MailboxConfig) { c.After = mailin.AfterMove },
		"move onto itself": func(c *mailin.MailboxConfig) { c.After, c.MoveTo = mailin.AfterMove, "INBOX" },
		"unknown action":   func(c *mailin.MailboxConfig) { c.After = "archive" },
	} {
		c := ok
		mod(&c)
		if err := c.Check(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// allMessages is the sequence set 1:*.
func allMessages() imap.SeqSet {
	var all imap.SeqSet
	all.AddRange(1, 0)
	return all
}
