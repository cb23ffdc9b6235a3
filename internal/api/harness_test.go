package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/diagnosis"
	"github.com/tierdesk/tierdesk/internal/evidence"
	"github.com/tierdesk/tierdesk/internal/knowledge"
	"github.com/tierdesk/tierdesk/internal/major"
	prb "github.com/tierdesk/tierdesk/internal/problem"
	"github.com/tierdesk/tierdesk/internal/sso"
	"github.com/tierdesk/tierdesk/internal/statuspage"
	"github.com/tierdesk/tierdesk/internal/store/sqlite"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/triagedesk"
)

// env is a running API over a fresh SQLite database with a small desk:
// three support groups on lines 1–3 and one user of each kind.
type env struct {
	t      *testing.T
	desk   *desk.Desk
	store  interface{ Close() error }
	logs   *syncBuffer // everything the server logged
	srv    *httptest.Server
	admin  *client
	agent  *client // line 1, member of sd
	agent2 *client // line 1, member of sd
	l2     *client // line 2, member of net
	l3     *client // line 3, member of vendor
	mgr    *client // manager of sd
	alice  *client // requester
	bob    *client // requester
	anon   *client // no token

	sd, net, vendor *desk.Group
	problems        *prb.Service
	tri             *triagedesk.Service
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvOpts(t, Options{})
}

func newEnvOpts(t *testing.T, opts Options) *env {
	t.Helper()
	return newEnvClock(t, opts, desk.SystemClock{})
}

// newEnvClock is newEnvOpts with the desk and its store on clock.
func newEnvClock(t *testing.T, opts Options, clock desk.Clock) *env {
	t.Helper()
	return newEnvConfig(t, opts, clock, desk.DefaultConfig)
}

// newEnvConfig is newEnvClock with the desk's configuration.
func newEnvConfig(t *testing.T, opts Options, clock desk.Clock, cfg desk.Config) *env {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "desk.db"), sqlstore.WithClock(clock))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	d := desk.New(st, clock, cfg)
	if opts.Major == nil {
		opts.Major = major.New(d, st, st, clock, major.DefaultConfig)
		opts.StatusPage = statuspage.New(d, st, st, clock, "https://desk.example.com", nil)
	}
	if opts.Knowledge == nil {
		opts.Knowledge = knowledge.New(st, d, clock)
	}
	if opts.Triage == nil {
		opts.Triage = triagedesk.New(st, d, clock, triagedesk.Options{Config: testTriageConfig()})
	}
	if opts.Audit == nil {
		opts.Audit = audit.NewService(st, d)
	}
	if opts.Problems == nil {
		opts.Problems = prb.New(st, d, clock)
	}
	if opts.Diagnosis == nil {
		opts.Diagnosis = diagnosis.New(st, d, clock)
		opts.Diagnosis.Guard()
	}
	if opts.SSO == nil {
		opts.SSO = sso.New(d, st, clock, nil)
	}
	if opts.Evidence == nil {
		opts.Evidence = evidence.New(st, d, clock, 1<<20)
	}
	e := &env{t: t, desk: d, store: st, logs: &syncBuffer{}, problems: opts.Problems, tri: opts.Triage}
	logger := slog.New(slog.NewTextHandler(io.MultiWriter(testWriter{t}, e.logs), &slog.HandlerOptions{Level: slog.LevelDebug}))
	e.srv = httptest.NewServer(New(d, logger, opts))
	t.Cleanup(e.srv.Close)
	e.anon = e.client("")
	e.admin = e.user("admin@example.com", "Ada Admin", desk.RoleAdmin)
	adminCtx := desk.WithActor(ctx, e.mustActor(e.admin))
	e.sd = e.defaultGroup(adminCtx)
	e.net = e.group(adminCtx, desk.GroupInput{Name: "Network", Line: desk.Line2})
	e.vendor = e.group(adminCtx, desk.GroupInput{Name: "Vendor", Line: desk.Line3})
	e.mgr = e.user("mgr@example.com", "Mona Manager", desk.RoleManager, e.sd.ID)
	if _, err := d.UpdateGroup(adminCtx, e.sd.ID, desk.GroupPatch{ManagerID: &e.mgr.userID}); err != nil {
		t.Fatalf("set manager: %v", err)
	}
	e.agent = e.user("agent@example.com", "Alan Agent", desk.RoleAgent, e.sd.ID)
	e.agent2 = e.user("agent2@example.com", "Beth Agent", desk.RoleAgent, e.sd.ID)
	e.l2 = e.user("l2@example.com", "Nick Network", desk.RoleAgent, e.net.ID)
	e.l3 = e.user("l3@example.com", "Vera Vendor", desk.RoleAgent, e.vendor.ID)
	e.alice = e.user("alice@example.com", "Alice Requester", desk.RoleRequester)
	e.bob = e.user("bob@example.com", "Bob Requester", desk.RoleRequester)
	return e
}

func (e *env) group(ctx context.Context, in desk.GroupInput) *desk.Group {
	e.t.Helper()
	g, err := e.desk.CreateGroup(ctx, in)
	if err != nil {
		e.t.Fatalf("create group %s: %v", in.Name, err)
	}
	return g
}

// defaultGroup returns the service-desk group that migrations create.
func (e *env) defaultGroup(ctx context.Context) *desk.Group {
	e.t.Helper()
	gs, err := e.desk.Groups(ctx)
	if err != nil {
		e.t.Fatalf("list groups: %v", err)
	}
	for _, g := range gs {
		if g.Default {
			return g
		}
	}
	e.t.Fatal("no default group after migration")
	return nil
}

// user bootstraps a user with a token and returns a client acting as them.
func (e *env) user(email, name string, role desk.Role, groups ...int64) *client {
	e.t.Helper()
	u, token, err := e.desk.Bootstrap(context.Background(), desk.UserInput{Email: email, Name: name, Role: role}, true, groups...)
	if err != nil {
		e.t.Fatalf("bootstrap %s: %v", email, err)
	}
	c := e.client(token)
	c.userID = u.ID
	return c
}

func (e *env) mustActor(c *client) *desk.User {
	e.t.Helper()
	u, err := e.desk.Authenticate(context.Background(), c.token)
	if err != nil {
		e.t.Fatalf("authenticate: %v", err)
	}
	return u
}

func (e *env) client(token string) *client {
	return &client{t: e.t, base: e.srv.URL, token: token, hc: e.srv.Client()}
}

// testWriter sends server logs to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// client calls the API as one user. Every request and response is checked
// against the OpenAPI document (see spec_test.go).
type client struct {
	t      *testing.T
	base   string
	token  string
	userID int64
	hc     *http.Client
}

// response is a fully read HTTP response.
type response struct {
	status int
	header http.Header
	body   []byte
}

// reqOpt adjusts one request.
type reqOpt func(*request)

type request struct {
	header      http.Header
	raw         []byte
	rawSet      bool
	skipReqSpec bool // the request is deliberately outside the spec
}

// withHeader sets a request header.
func withHeader(k, v string) reqOpt { return func(r *request) { r.header.Set(k, v) } }

// rawBody sends body as is, with the given Content-Type (none when empty),
// and does not check the request against the spec.
func rawBody(body []byte, contentType string) reqOpt {
	return func(r *request) {
		r.raw, r.rawSet, r.skipReqSpec = body, true, true
		if contentType != "" {
			r.header.Set("Content-Type", contentType)
		}
	}
}

// invalid marks a request that is meant to break the spec (bad enums,
// missing fields); its response is still checked.
func invalid(r *request) { r.skipReqSpec = true }

func (c *client) do(method, path string, body any, opts ...reqOpt) *response {
	c.t.Helper()
	rq := &request{header: http.Header{}}
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatalf("marshal: %v", err)
		}
		rq.raw, rq.rawSet = b, true
		rq.header.Set("Content-Type", "application/json")
	}
	for _, o := range opts {
		o(rq)
	}
	if c.token != "" {
		rq.header.Set("Authorization", "Bearer "+c.token)
	}
	req, err := http.NewRequest(method, c.base+path, bytes.NewReader(rq.raw))
	if err != nil {
		c.t.Fatalf("new request: %v", err)
	}
	req.Header = rq.header
	resp := c.send(req, rq)
	return resp
}

func (c *client) send(req *http.Request, rq *request) *response {
	c.t.Helper()
	check := spec.checker(c.t, req, rq.raw, rq.skipReqSpec)
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatalf("read body: %v", err)
	}
	r := &response{status: res.StatusCode, header: res.Header, body: b}
	check(r)
	return r
}

func (c *client) get(path string, opts ...reqOpt) *response { return c.do("GET", path, nil, opts...) }

// want fails the test unless the response has the status; it returns r.
func (r *response) want(t *testing.T, status int) *response {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body: %s", r.status, status, r.body)
	}
	return r
}

// decode unmarshals the body into a new V.
func decode[V any](t *testing.T, r *response) V {
	t.Helper()
	var v V
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("decode %T: %v; body: %s", v, err, r.body)
	}
	return v
}

// problemOf decodes a problem response, checking its media type.
func problemOf(t *testing.T, r *response) problem {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q, want application/problem+json; body: %s", ct, r.body)
	}
	return decode[problem](t, r)
}

// ticketIn is a valid registration body for an agent.
func ticketIn(title string) map[string]any {
	return map[string]any{"type": "incident", "title": title, "description": "Describe " + title,
		"requester": map[string]any{"name": "Alice Requester", "email": "alice@example.com"}}
}

// createTicket registers a ticket as c and returns it.
func (c *client) createTicket(body map[string]any) ticketJSON {
	c.t.Helper()
	return decode[ticketJSON](c.t, c.do("POST", "/api/v1/tickets", body).want(c.t, http.StatusCreated))
}

func ticketURL(t ticketJSON, suffix string) string {
	return fmt.Sprintf("/api/v1/tickets/%d%s", t.ID, suffix)
}

func etag(v int) string { return fmt.Sprintf("%q", fmt.Sprint(v)) }
