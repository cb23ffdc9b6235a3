package desk_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/jobs"
	"github.com/tierdesk/tierdesk/internal/pager"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// pagingDesk is a desk on SQLite with its SLA runner and paging engine,
// at Monday 2026-03-02 09:00 UTC, with an administrator.
type pagingDesk struct {
	t      *testing.T
	clock  *testdb.Clock
	store  *sqlstore.Store
	d      *desk.Desk
	runner *jobs.Runner
	engine *pager.Engine
	admin  context.Context
}

func newPagingDesk(t *testing.T) *pagingDesk {
	t.Helper()
	p := &pagingDesk{t: t, clock: testdb.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))}
	p.store = testdb.SQLite(t, sqlstore.WithClock(p.clock))
	p.d = desk.New(p.store, p.clock, desk.Config{PublicURL: "https://desk.example.com", PageSecret: []byte("test paging key")})
	p.runner = jobs.New(p.store, p.d, p.clock, jobs.Config{}, nil)
	p.engine = pager.NewEngine(p.store, p.d, p.clock, pager.Config{}, nil)
	admin, _, err := p.d.Bootstrap(context.Background(), desk.UserInput{Email: "admin@example.com", Name: "Admin", Role: desk.RoleAdmin}, false)
	if err != nil {
		t.Fatal(err)
	}
	p.admin = desk.WithActor(context.Background(), admin)
	return p
}

// line3 creates a line-3 group with one agent, name@example.com.
func (p *pagingDesk) line3(group, name string) (*desk.Group, *desk.User) {
	p.t.Helper()
	g, err := p.d.CreateGroup(p.admin, desk.GroupInput{Name: group, Line: desk.Line3})
	if err != nil {
		p.t.Fatal(err)
	}
	u, err := p.d.CreateUser(p.admin, desk.UserInput{Email: name + "@example.com", Name: name, Role: desk.RoleAgent})
	if err != nil {
		p.t.Fatal(err)
	}
	if err := p.d.SetGroupMember(p.admin, g.ID, u.ID, true); err != nil {
		p.t.Fatal(err)
	}
	return g, u
}

func (p *pagingDesk) policy(g *desk.Group, active bool, repeat int, steps ...desk.EscalationStep) {
	p.t.Helper()
	if err := p.d.PutEscalationPolicy(p.admin, &desk.EscalationPolicy{GroupID: g.ID, Name: g.Name + " on-call",
		Active: active, Repeat: repeat, Steps: steps}); err != nil {
		p.t.Fatal(err)
	}
}

// p1 registers a P1 incident into group g (0: line 1's default group).
func (p *pagingDesk) p1(title string, g int64) *desk.Ticket {
	p.t.Helper()
	tk, _, err := p.d.CreateTicket(p.admin, desk.NewTicket{Type: desk.TypeIncident, Title: title, Channel: desk.ChannelMonitoring,
		Requester: desk.PersonInput{Email: "mon@example.com", Name: "Monitoring"}, Impact: desk.LevelHigh,
		Urgency: desk.LevelHigh, GroupID: g}, "")
	if err != nil {
		p.t.Fatal(err)
	}
	return tk
}

// sweep runs the SLA runner and the paging engine once at the clock's time.
func (p *pagingDesk) sweep() {
	p.t.Helper()
	ctx := context.Background()
	if res, err := p.runner.RunDue(ctx, p.clock.Now()); err != nil || res.Failed != 0 {
		p.t.Fatalf("timers: %+v %v", res, err)
	}
	if res, err := p.engine.RunDue(ctx, p.clock.Now()); err != nil || res.Failed != 0 {
		p.t.Fatalf("pages: %+v %v", res, err)
	}
}

// pages returns the ticket's pages as the API and the ticket page show them.
func (p *pagingDesk) pages(tk *desk.Ticket) []desk.PageWithDeliveries {
	p.t.Helper()
	pages, err := p.d.TicketPages(p.admin, tk.Number)
	if err != nil {
		p.t.Fatal(err)
	}
	return pages
}

// pagedGroups lists the groups whose page of the ticket started.
func (p *pagingDesk) pagedGroups(tk *desk.Ticket) []int64 {
	p.t.Helper()
	var out []int64
	for _, pg := range p.pages(tk) {
		out = append(out, pg.GroupID)
	}
	return out
}

// mailedGroups lists the groups e-mailed a page about the ticket.
func (p *pagingDesk) mailedGroups(tk *desk.Ticket) []int64 {
	p.t.Helper()
	msgs, err := p.store.Outbox(context.Background(), tk.ID)
	if err != nil {
		p.t.Fatal(err)
	}
	var out []int64
	for _, m := range msgs {
		if m.Kind == desk.OutboxPage {
			out = append(out, m.GroupID)
		}
	}
	return out
}

// TestPaging_ResponseBreachPagesEveryLine3Group: a P1 that breaches its
// response target pages every line-3 group through its own policy, also a
// group other than the one whose page already runs for the ticket; a
// line-3 group with no policy, or with its policy turned off, is e-mailed
// instead (and the breach does not fail).
func TestPaging_ResponseBreachPagesEveryLine3Group(t *testing.T) {
	p := newPagingDesk(t)
	core, ann := p.line3("Core", "Ann")
	dba, bob := p.line3("DBA", "Bob")
	net, _ := p.line3("Network", "Nia")
	old, cid := p.line3("Legacy", "Cid")
	step := func(u *desk.User) desk.EscalationStep {
		return desk.EscalationStep{UserIDs: []int64{u.ID}, Delay: 30 * time.Minute}
	}
	p.policy(core, true, 0, step(ann))
	p.policy(dba, true, 0, step(bob))
	p.policy(old, false, 0, step(cid))

	tk := p.p1("ERP down", core.ID)
	p.sweep()
	if got := p.pagedGroups(tk); !slices.Equal(got, []int64{core.ID}) {
		t.Fatalf("before the breach: pages of groups %v, want Core's (%d) alone", got, core.ID)
	}
	p.clock.Advance(15 * time.Minute) // the P1 response target
	p.sweep()
	got := p.pagedGroups(tk)
	slices.Sort(got)
	if !slices.Equal(got, []int64{core.ID, dba.ID}) {
		t.Errorf("after the breach: pages of groups %v, want Core (%d) once and DBA (%d)", got, core.ID, dba.ID)
	}
	mailed := p.mailedGroups(tk)
	slices.Sort(mailed)
	if !slices.Equal(mailed, []int64{net.ID, old.ID}) {
		t.Errorf("after the breach: groups e-mailed %v, want Network (%d) and Legacy (%d)", mailed, net.ID, old.ID)
	}
}

// TestPaging_PolicyTurnedOffBeforeTheFirstSweep: a P1 registered into a
// covered group just before an administrator turns the group's policy off
// is not paged when the runner gets to it.
func TestPaging_PolicyTurnedOffBeforeTheFirstSweep(t *testing.T) {
	p := newPagingDesk(t)
	core, ann := p.line3("Core", "Ann")
	step := desk.EscalationStep{UserIDs: []int64{ann.ID}, Delay: 5 * time.Minute}
	p.policy(core, true, 0, step)
	tk := p.p1("Disk full", core.ID)
	p.policy(core, false, 0, step)
	p.sweep()
	if got := p.pages(tk); len(got) != 0 {
		t.Errorf("paged under a policy turned off: %+v", got[0].Page)
	}
}

// TestPaging_NobodyToPageEndsAtOnce: a policy whose every step has nobody
// to page (its only user left) ends its page as exhausted in the first
// sweep, every round gone through, with no acknowledgement recorded: also
// the largest policy (20 steps, 10 more rounds), which the paging engine's
// sweep (at most 100 claims) finishes only if one step of the page goes
// through all of its rounds.
func TestPaging_NobodyToPageEndsAtOnce(t *testing.T) {
	p := newPagingDesk(t)
	core, ann := p.line3("Core", "Ann")
	step := desk.EscalationStep{UserIDs: []int64{ann.ID}, Delay: 5 * time.Minute}
	steps := make([]desk.EscalationStep, desk.MaxEscalationSteps)
	for i := range steps {
		steps[i] = step
	}
	p.policy(core, true, desk.MaxEscalationRepeat, steps...) // 220 steps to go through
	off := false
	if _, err := p.d.UpdateUser(p.admin, ann.ID, desk.UserPatch{Active: &off}); err != nil {
		t.Fatal(err)
	}
	tk := p.p1("Disk full", core.ID)
	p.sweep()
	pages := p.pages(tk)
	if len(pages) != 1 {
		t.Fatalf("%d pages, want 1", len(pages))
	}
	pg := pages[0].Page
	if pg.State != desk.PageExhausted || pg.EndedAt == nil {
		t.Errorf("after one sweep: page %s (round %d, step %d), want exhausted", pg.State, pg.RoundNumber(), pg.Step)
	}
	if pg.AckedAt != nil || pg.AckedBy != nil {
		t.Errorf("an exhausted page shows an acknowledgement: at %v by %+v", pg.AckedAt, pg.AckedBy)
	}
}

// TestPaging_EndOnePage: staff end one running page by its id, as
// acknowledged or resolved only; the page's row and the ticket's timeline
// then name who acknowledged it. Another end state and a page id that is
// not one are refused naming the field, and ending the page again is a
// conflict.
func TestPaging_EndOnePage(t *testing.T) {
	p := newPagingDesk(t)
	core, ann := p.line3("Core", "Ann")
	p.policy(core, true, 0, desk.EscalationStep{UserIDs: []int64{ann.ID}, Delay: 5 * time.Minute})
	tk := p.p1("Disk full", core.ID)
	p.sweep()
	pages := p.pages(tk)
	if len(pages) != 1 || pages[0].State != desk.PageActive {
		t.Fatalf("pages %+v, want one running", pages)
	}
	id := pages[0].ID
	as := desk.WithActor(context.Background(), ann)

	for _, c := range []struct {
		id    int64
		state desk.PageState
		field string
	}{{id, desk.PageExhausted, "action"}, {id, desk.PageActive, "action"}, {0, desk.PageAcknowledged, "page"}, {-1, desk.PageResolved, "page"}} {
		_, err := p.d.EndPage(as, tk.Number, c.id, c.state)
		e := wantCode(t, err, desk.EINVALID)
		if len(e.Fields) != 1 || e.Fields[0].Field != c.field {
			t.Errorf("page %d to %s refused for %+v, want the field %s", c.id, c.state, e.Fields, c.field)
		}
	}
	if got := p.pages(tk); got[0].State != desk.PageActive {
		t.Fatalf("after the refusals the page is %s", got[0].State)
	}

	ended, err := p.d.EndPage(as, tk.Number, id, desk.PageAcknowledged)
	if err != nil {
		t.Fatal(err)
	}
	if len(ended) != 1 || ended[0].ID != id || ended[0].State != desk.PageAcknowledged ||
		ended[0].AckedBy == nil || ended[0].AckedBy.ID != ann.ID || ended[0].AckedAt == nil {
		t.Errorf("ended %+v, want page %d acknowledged by Ann", ended, id)
	}
	page, err := p.d.Events(p.admin, tk.Number, desk.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(page.Events, func(e *desk.Event) bool { return e.Kind == desk.EventPageAcknowledged })
	if i < 0 || page.Events[i].Actor == nil || page.Events[i].Actor.ID != ann.ID {
		t.Errorf("the timeline's acknowledgement: %+v, want one by Ann", page.Events)
	}
	_, err = p.d.EndPage(as, tk.Number, id, desk.PageResolved)
	wantCode(t, err, desk.ECONFLICT)

	// resolving is the other end a page may be given
	tk2 := p.p1("Disk full again", core.ID)
	p.sweep()
	if _, err := p.d.EndPage(as, tk2.Number, p.pages(tk2)[0].ID, desk.PageResolved); err != nil {
		t.Errorf("resolving a running page: %v", err)
	}
}

// TestPaging_ActivePagesList: the list of pages in progress shows staff
// each running page with its ticket and the people it paged; a requester
// may not read it.
func TestPaging_ActivePagesList(t *testing.T) {
	p := newPagingDesk(t)
	core, ann := p.line3("Core", "Ann")
	p.policy(core, true, 0, desk.EscalationStep{UserIDs: []int64{ann.ID}, Delay: 5 * time.Minute})
	tk := p.p1("Disk full", core.ID)
	p.sweep()
	list, err := p.d.ActivePages(desk.WithActor(context.Background(), ann))
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Ticket == nil || list[0].Ticket.Number != tk.Number ||
		len(list[0].Paged) != 1 || list[0].Paged[0].ID != ann.ID {
		t.Errorf("active pages %+v, want %s's page with Ann paged", list, tk.Number)
	}
	req, err := p.d.CreateUser(p.admin, desk.UserInput{Email: "rita@example.com", Name: "Rita", Role: desk.RoleRequester})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.d.ActivePages(desk.WithActor(context.Background(), req))
	wantCode(t, err, desk.EFORBIDDEN)
}

// TestContactMethod_Limits: a webhook address of 2,000 characters and a
// delay of one hour are the longest a contact method takes; one more is
// refused naming the field. A webhook keeps the signing secret its owner
// gave; only one given none gets a random one, and an e-mail contact none.
func TestContactMethod_Limits(t *testing.T) {
	p := newPagingDesk(t)
	_, ann := p.line3("Core", "Ann")
	url := func(n int) string {
		return "https://hooks.example.com/" + strings.Repeat("a", n-len("https://hooks.example.com/"))
	}
	for _, c := range []struct {
		name  string
		m     desk.ContactMethod
		field string
	}{
		{"LongestURL", desk.ContactMethod{Kind: desk.ContactWebhook, Target: url(2000), Secret: "s3cret"}, ""},
		{"URLTooLong", desk.ContactMethod{Kind: desk.ContactWebhook, Target: url(2001)}, "target"},
		{"HourDelay", desk.ContactMethod{Kind: desk.ContactEmail, Target: "ann.phone@example.com", Delay: desk.MaxContactDelay}, ""},
		{"DelayTooLong", desk.ContactMethod{Kind: desk.ContactEmail, Target: "ann.phone@example.com",
			Delay: desk.MaxContactDelay + time.Minute}, "delay_minutes"},
		{"WebhookWithoutSecret", desk.ContactMethod{Kind: desk.ContactWebhook, Target: url(40)}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := c.m
			m.UserID = ann.ID
			err := p.d.AddContactMethod(p.admin, &m)
			if c.field != "" {
				e := wantCode(t, err, desk.EINVALID)
				if len(e.Fields) != 1 || e.Fields[0].Field != c.field {
					t.Errorf("refused for %+v, want the field %s", e.Fields, c.field)
				}
				return
			}
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			switch {
			case c.m.Secret != "" && m.Secret != c.m.Secret:
				t.Errorf("the webhook's secret %q, want the one given", m.Secret)
			case c.m.Kind == desk.ContactWebhook && c.m.Secret == "" && len(m.Secret) < 32:
				t.Errorf("a webhook given no secret got %q", m.Secret)
			case c.m.Kind == desk.ContactEmail && m.Secret != "":
				t.Errorf("an e-mail contact got a secret %q", m.Secret)
			}
		})
	}
}

// TestPaging_FailedDeliveriesListBounds: the administrators' list of page
// deliveries that failed for good takes a page size from 1 to MaxPageSize
// and only a cursor it returned (a positive id); anything else is refused
// naming the field.
func TestPaging_FailedDeliveriesListBounds(t *testing.T) {
	p := newPagingDesk(t)
	for _, c := range []struct {
		cursor string
		limit  int
		field  string
	}{
		{"", 1, ""}, {"", desk.MaxPageSize, ""}, {"5", 10, ""},
		{"", 0, "limit"}, {"", -1, "limit"}, {"", desk.MaxPageSize + 1, "limit"},
		{"0", 10, "cursor"}, {"-3", 10, "cursor"}, {"abc", 10, "cursor"},
	} {
		ds, next, err := p.d.FailedPageDeliveries(p.admin, c.cursor, c.limit)
		if c.field == "" {
			if err != nil || len(ds) != 0 || next != "" {
				t.Errorf("cursor %q limit %d: %v %q %v, want an empty list", c.cursor, c.limit, ds, next, err)
			}
			continue
		}
		var e *desk.Error
		if !errors.As(err, &e) || e.Code != desk.EINVALID || len(e.Fields) != 1 || e.Fields[0].Field != c.field {
			t.Errorf("cursor %q limit %d: %v, want refused for %s", c.cursor, c.limit, err, c.field)
		}
	}
}
