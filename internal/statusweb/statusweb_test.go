package statusweb_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/langcheck"
	"github.com/tierdesk/tierdesk/internal/major"
	"github.com/tierdesk/tierdesk/internal/statuspage"
	"github.com/tierdesk/tierdesk/internal/statusweb"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

var start = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)

type fixture struct {
	t      testing.TB
	clock  *testdb.Clock
	st     *sqlstore.Store
	d      *desk.Desk
	majors *major.Service
	page   *statuspage.Service
	srv    *statusweb.Server
	http   *httptest.Server
	admin  context.Context
	agent  context.Context
	agentU *desk.User
	mail   *desk.Service
	ops    *desk.Group
}

func newFixture(t testing.TB, open testdb.Opener) *fixture {
	t.Helper()
	f := &fixture{t: t, clock: testdb.NewClock(start)}
	st, _ := open(t, sqlstore.WithClock(f.clock))
	f.st = st
	f.d = desk.New(st, f.clock, desk.DefaultConfig)
	f.majors = major.New(f.d, st, st, f.clock, major.DefaultConfig)
	var srv *statusweb.Server
	f.page = statuspage.New(f.d, st, st, f.clock, "https://desk.example.com", func() { srv.Changed() })
	var err error
	srv, err = statusweb.New(st, f.page, f.clock, slog.New(slog.DiscardHandler), statusweb.Options{Name: "Example Corp", BaseURL: "https://desk.example.com"})
	f.must(err)
	f.srv = srv
	f.http = httptest.NewServer(srv)
	t.Cleanup(f.http.Close)
	u, _, err := f.d.Bootstrap(context.Background(), desk.UserInput{Email: "admin@example.com", Name: "Admin", Role: desk.RoleAdmin}, false)
	f.must(err)
	f.admin = desk.WithActor(context.Background(), u)
	g, err := f.d.CreateGroup(f.admin, desk.GroupInput{Name: "Operations", Line: desk.Line2})
	f.must(err)
	f.ops = g
	f.agentU, err = f.d.CreateUser(f.admin, desk.UserInput{Email: "zinaida.secret@example.com", Name: "Zinaida Internalname", Role: desk.RoleAgent, Groups: []int64{g.ID}})
	f.must(err)
	f.agentU, _ = f.d.User(f.admin, f.agentU.ID)
	f.agent = desk.WithActor(context.Background(), f.agentU)
	f.mail, err = f.d.CreateService(f.admin, desk.ServiceInput{Name: "E-mail", OwnerGroupID: g.ID})
	f.must(err)
	return f
}

func (f *fixture) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) refresh() {
	f.t.Helper()
	f.must(f.srv.Refresh(context.Background(), true))
}

func (f *fixture) get(path string, hdr ...string) (*http.Response, string) {
	f.t.Helper()
	req, _ := http.NewRequest("GET", f.http.URL+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	f.must(err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func (f *fixture) post(path string, form url.Values, hdr ...string) (*http.Response, string) {
	f.t.Helper()
	req, _ := http.NewRequest("POST", f.http.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	f.must(err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// incident registers an incident with internal details that must never
// reach the page.
func (f *fixture) incident(restricted bool) *desk.Ticket {
	f.t.Helper()
	tk, _, err := f.d.CreateTicket(f.agent, desk.NewTicket{Type: desk.TypeIncident, Title: "Relay mx3 disk full INTERNALTITLE",
		Description: "root password in /etc/INTERNALDESC", Channel: desk.ChannelPhone,
		Requester: desk.PersonInput{Email: "requester.private@example.com", Name: "Pyotr Requesterov"},
		Impact:    desk.LevelHigh, Urgency: desk.LevelHigh, ServiceID: f.mail.ID, GroupID: f.ops.ID, Restricted: restricted}, "")
	f.must(err)
	_, _, err = f.d.Comment(f.agent, tk.Number, desk.CommentInput{Body: "INTERNALNOTE: blame the vendor", Internal: true})
	f.must(err)
	return tk
}

func (f *fixture) outbox(kind desk.OutboxKind) []desk.OutboxMessage {
	f.t.Helper()
	all, err := f.st.Outbox(context.Background(), 0)
	f.must(err)
	var out []desk.OutboxMessage
	for _, m := range all {
		if m.Kind == kind {
			out = append(out, m)
		}
	}
	return out
}

// TestStatusPage_PublishNothingInternal publishes a major incident and
// reads every public representation: the public wording is there, nothing
// internal is, in both languages, with caching headers.
func TestStatusPage_PublishNothingInternal(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		comp, err := f.page.SaveComponent(f.admin, statuspage.Component{Name: "Mail delivery", Group: "Communication", ServiceIDs: []int64{f.mail.ID}})
		f.must(err)
		tk := f.incident(false)
		m, err := f.majors.Declare(f.agent, tk.Number, major.DeclareInput{CommanderID: f.agentU.ID})
		f.must(err)
		f.clock.Advance(5 * time.Minute)
		_, err = f.page.Publish(f.agent, m.ID, statuspage.PublishInput{Name: "Mail is delayed", Body: "Some messages arrive late.",
			Components: map[int64]statuspage.ComponentStatus{comp.ID: statuspage.PartialOutage}})
		f.must(err)
		f.refresh()
		res, en := f.get("/status", "Accept-Language", "en-GB,en;q=0.9")
		if res.StatusCode != 200 || !strings.Contains(en, "Mail is delayed") || !strings.Contains(en, "Partial outage") {
			t.Fatalf("en page %d:\n%s", res.StatusCode, en)
		}
		if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age") {
			t.Errorf("Cache-Control %q", cc)
		}
		_, ru := f.get("/status", "Accept-Language", "ru-RU,ru;q=0.9,en;q=0.5")
		if !strings.Contains(ru, "Частичный сбой") || !strings.Contains(ru, "Выясняем причину") {
			t.Errorf("ru page lacks Russian states:\n%s", ru)
		}
		if words := langcheck.LatinWords(pageText(ru), "Mail is delayed", "Some messages arrive late.", "Mail delivery", "Communication", "Example Corp"); len(words) > 0 {
			t.Errorf("English on the Russian page: %v", words)
		}
		var bodies []string
		for _, p := range []string{"/status/api/v2/summary.json", "/status/api/v2/components.json", "/status/api/v2/incidents.json", "/status/history.atom", "/status/badge.svg"} {
			res, b := f.get(p)
			if res.StatusCode != 200 {
				t.Errorf("%s: %d", p, res.StatusCode)
			}
			bodies = append(bodies, b)
		}
		for _, b := range append(bodies, en, ru) {
			for _, secret := range []string{"INTERNAL", "Zinaida", "zinaida", "Pyotr", "requester.private", tk.Number, "mx3"} {
				if strings.Contains(b, secret) {
					t.Errorf("public output leaks %q", secret)
				}
			}
		}
		var sum struct {
			Page       struct{ ID, Name string }
			Components []struct{ ID, Name, Status string }
			Incidents  []struct {
				Name, Status, Impact string
				IncidentUpdates      []struct{ Body, Status string } `json:"incident_updates"`
			}
			Status struct{ Indicator, Description string }
		}
		f.must(json.Unmarshal([]byte(bodies[0]), &sum))
		if sum.Status.Indicator != "major" || len(sum.Incidents) != 1 || sum.Incidents[0].IncidentUpdates[0].Body != "Some messages arrive late." {
			t.Errorf("summary %+v", sum)
		}
		if len(sum.Components) != 2 || sum.Components[1].Status != "partial_outage" {
			t.Errorf("components (group and its member) %+v", sum.Components)
		}
	})
}

// TestStatusPage_RestrictedNeverPublished: a restricted parent (and a
// security case) is refused by construction.
func TestStatusPage_RestrictedNeverPublished(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		tk := f.incident(true)
		m, err := f.majors.Declare(f.agent, tk.Number, major.DeclareInput{CommanderID: f.agentU.ID})
		f.must(err)
		_, err = f.page.Publish(f.agent, m.ID, statuspage.PublishInput{Name: "Anything", Body: "Anything"})
		if desk.ErrorCode(err) != desk.EFORBIDDEN {
			t.Fatalf("publishing a restricted incident: %v, want forbidden", err)
		}
		if _, err := statuspage.NewSource(statuspage.Publishable{MajorID: 1, Parent: &desk.Ticket{Type: "security"}}); err == nil {
			t.Error("a security case makes a source")
		}
		if _, err := f.page.Incidents(f.admin); err != nil {
			t.Fatal(err)
		}
		f.refresh()
		_, b := f.get("/status/api/v2/incidents.json")
		if strings.Contains(b, "Anything") {
			t.Error("restricted incident on the page")
		}
	})
}

func pageText(html string) string {
	if i, j := strings.Index(html, "<style>"), strings.Index(html, "</style>"); i >= 0 && j > i {
		html = html[:i] + html[j+len("</style>"):]
	}
	var b strings.Builder
	in := false
	for _, r := range html {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
			b.WriteRune(' ')
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}
