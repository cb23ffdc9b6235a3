package notify_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/jhillyerd/enmime/v2"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/jobs"
	"github.com/tierdesk/tierdesk/internal/notify"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// start is Monday 2026-03-02 09:00 UTC.
var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// received is one message the test server accepted.
type received struct {
	From string
	To   []string
	Env  *enmime.Envelope
}

// server is a real SMTP server on 127.0.0.1:0 that records what it
// accepts. Queued replies (e.g. a 451 or 550) answer the next DATA
// commands, in order; then it accepts.
type server struct {
	Addr string

	mu      sync.Mutex
	got     []received
	replies []*smtp.SMTPError
}

func newServer(t *testing.T) *server {
	t.Helper()
	s := &server{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{srv: s}, nil }))
	srv.Domain = "mx.test"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	s.Addr = l.Addr().String()
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return s
}

// failNext makes the next DATA commands answer code.
func (s *server) failNext(codes ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range codes {
		s.replies = append(s.replies, &smtp.SMTPError{Code: c, Message: "test says no (" + string(rune('0'+c/100)) + "xx)"})
	}
}

func (s *server) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.got...)
}

type session struct {
	srv  *server
	from string
	to   []string
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }
func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.from = from
	return nil
}
func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}
func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s := ss.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.replies) > 0 {
		e := s.replies[0]
		s.replies = s.replies[1:]
		return e
	}
	env, err := enmime.ReadEnvelope(bytes.NewReader(raw))
	if err != nil {
		return errors.New("unreadable message: " + err.Error())
	}
	s.got = append(s.got, received{From: ss.from, To: ss.to, Env: env})
	return nil
}

// fixture is a desk, the SLA runner and the delivery worker on one real
// database: line 1 with a manager (boss) and an agent (lena), line 3 with
// an engineer (kim), and a requester (sam).
type fixture struct {
	t      *testing.T
	clock  *testdb.Clock
	store  *sqlstore.Store
	second func() *sqlstore.Store
	d      *desk.Desk
	runner *jobs.Runner
	smtp   *server
	admin  context.Context
	l1     context.Context
	sam    *desk.User
}

func newFixture(t *testing.T, open testdb.Opener) *fixture {
	t.Helper()
	f := &fixture{t: t, clock: testdb.NewClock(start), smtp: newServer(t)}
	f.store, f.second = open(t, sqlstore.WithClock(f.clock))
	f.d = desk.New(f.store, f.clock, desk.DefaultConfig)
	f.runner = jobs.New(f.store, f.d, f.clock, jobs.Config{}, nil)
	admin, _, err := f.d.Bootstrap(context.Background(), desk.UserInput{Email: "admin@example.com", Name: "Admin", Role: desk.RoleAdmin}, false)
	must(t, err)
	f.admin = desk.WithActor(context.Background(), admin)
	boss := f.user("boss@example.com", desk.RoleManager)
	groups, err := f.d.Groups(f.admin)
	must(t, err)
	g1 := groups[0]
	_, err = f.d.UpdateGroup(f.admin, g1.ID, desk.GroupPatch{ManagerID: &boss.ID})
	must(t, err)
	agent := f.user("lena@example.com", desk.RoleAgent)
	must(t, f.d.SetGroupMember(f.admin, g1.ID, agent.ID, true))
	agent, err = f.d.User(f.admin, agent.ID)
	must(t, err)
	f.l1 = desk.WithActor(context.Background(), agent)
	g3, err := f.d.CreateGroup(f.admin, desk.GroupInput{Name: "Core", Line: desk.Line3})
	must(t, err)
	must(t, f.d.SetGroupMember(f.admin, g3.ID, f.user("kim@example.com", desk.RoleAgent).ID, true))
	sam, _, err := f.d.Bootstrap(context.Background(), desk.UserInput{Email: "sam@example.com", Name: "Sam", Role: desk.RoleRequester}, false)
	must(t, err)
	f.sam = sam
	// The SLA tests count SLA mail: Sam's receipts for the tickets they
	// register are turned off (the lifecycle tests turn them back on).
	_, err = f.d.SetUserPreferences(f.admin, sam.ID, desk.PreferencesPatch{
		Notifications: map[desk.OutboxKind]bool{desk.OutboxRegistered: false}})
	must(t, err)
	return f
}

func (f *fixture) user(email string, role desk.Role) *desk.User {
	f.t.Helper()
	u, err := f.d.CreateUser(f.admin, desk.UserInput{Email: email, Name: strings.Split(email, "@")[0], Role: role})
	must(f.t, err)
	return u
}

// worker is a delivery worker on store (default: the fixture's) sending
// to the test server in plain text.
func (f *fixture) worker(store *sqlstore.Store) *notify.Worker {
	if store == nil {
		store = f.store
	}
	t := &notify.SMTP{Relay: f.smtp.Addr, TLS: notify.TLSNone, Timeout: 5 * time.Second}
	return notify.New(store, store, t, f.clock, notify.Config{Domain: "desk.example.com", From: "desk@example.com"}, nil)
}

// breach registers a P1 incident nobody works on and lets its response
// clock (15 min) breach: the SLA runner queues a breach notice to line 1's
// manager and a page to line 3.
func (f *fixture) breach(title string) *desk.Ticket {
	f.t.Helper()
	tk, _, err := f.d.CreateTicket(f.l1, desk.NewTicket{Type: desk.TypeIncident, Title: title, Channel: desk.ChannelPhone,
		Requester: desk.PersonInput{Email: "sam@example.com"}, Impact: desk.LevelHigh, Urgency: desk.LevelHigh}, "")
	must(f.t, err)
	f.clock.Advance(16 * time.Minute)
	res, err := f.runner.RunDue(context.Background(), f.clock.Now())
	must(f.t, err)
	if res.Failed != 0 {
		f.t.Fatalf("sla sweep failed: %+v", res)
	}
	return tk
}

func (f *fixture) run(w *notify.Worker) notify.Result {
	f.t.Helper()
	res, err := w.RunDue(context.Background(), f.clock.Now())
	must(f.t, err)
	return res
}

func (f *fixture) list(state desk.OutboxState) []desk.Delivery {
	f.t.Helper()
	out, err := f.store.ListOutbox(context.Background(), state, 0, 100)
	must(f.t, err)
	return out
}
