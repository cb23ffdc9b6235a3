package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/problem"
	"github.com/tierdesk/tierdesk/internal/testclock"
)

// prbFixture is the fixture with problem management over it: an admin,
// the agent a member of the Service Desk group.
type prbFixture struct {
	*fixture
	d     *desk.Desk
	pm    *problem.Service
	st    problem.Store
	clock *testclock.Clock
	admin *desk.User
}

func newPrbFixture(t *testing.T, open Opener) *prbFixture {
	t.Helper()
	f := newFixture(t, open)
	st, ok := f.s.(problem.Store)
	if !ok {
		t.Skipf("%T keeps no problems", f.s)
	}
	clock := testclock.New(base.Add(time.Hour))
	d := desk.New(f.s, clock, desk.DefaultConfig)
	p := &prbFixture{fixture: f, d: d, pm: problem.New(st, d, clock), st: st, clock: clock}
	p.admin = f.user(t, "admin@example.com", "Ada Admin", desk.RoleAdmin)
	must(t, d.SetGroupMember(desk.WithActor(ctx(t), p.admin), f.desk.ID, f.agent.ID, true))
	u, err := f.s.GetUser(ctx(t), f.agent.ID)
	must(t, err)
	p.agent = u
	return p
}

func (p *prbFixture) as(t *testing.T, u *desk.User) context.Context { return desk.WithActor(ctx(t), u) }

// working creates an incident and takes it into progress as the agent.
func (p *prbFixture) working(t *testing.T, title string, minutes int) *desk.Ticket {
	t.Helper()
	tk := p.create(t, p.ticket(title, minutes))
	tk, err := p.d.Take(p.as(t, p.agent), tk.Number, 0)
	must(t, err)
	return tk
}

func testProblems(t *testing.T, open Opener) {
	t.Run("RecordAndRules", func(t *testing.T) { t.Parallel(); testProblemRecord(t, open) })
	t.Run("LinkAndHold", func(t *testing.T) { t.Parallel(); testProblemLink(t, open) })
	t.Run("LinkOneWrite", func(t *testing.T) { t.Parallel(); testProblemLinkAtomic(t, open) })
	t.Run("Broadcast", func(t *testing.T) { t.Parallel(); testProblemBroadcast(t, open) })
	t.Run("BroadcastChunks", func(t *testing.T) { t.Parallel(); testProblemBroadcastChunks(t, open) })
	t.Run("ResolveEveryOpenState", func(t *testing.T) { t.Parallel(); testProblemResolveEveryOpenState(t, open) })
	t.Run("CandidatesAndReport", func(t *testing.T) { t.Parallel(); testProblemCandidates(t, open) })
}

func testProblemRecord(t *testing.T, open Opener) {
	p := newPrbFixture(t, open)
	c := p.as(t, p.agent)
	_, err := p.pm.Create(c, problem.Input{Title: "  "})
	wantField(t, "empty title", err, desk.EINVALID, "title")
	_, err = p.pm.Create(c, problem.Input{Title: "x", References: []problem.Reference{{URL: "javascript:alert(1)"}}})
	wantField(t, "javascript reference", err, desk.EINVALID, "references")
	_, err = p.pm.Create(c, problem.Input{Title: "x", GroupID: 9999})
	wantField(t, "unknown group", err, desk.EINVALID, "group_id")
	_, err = p.pm.Create(p.as(t, p.req1), problem.Input{Title: "Printers"})
	wantCode(t, "requester creates", err, desk.EFORBIDDEN)
	pr, err := p.pm.Create(c, problem.Input{Title: "Принтеры отваливаются", Impact: desk.LevelHigh, CategoryID: p.printers.ID,
		References: []problem.Reference{{Text: "CHG-12"}, {Text: "vendor note", URL: "https://example.com/kb/1"}}})
	must(t, err)
	if pr.Number() != fmt.Sprintf("PRB-%06d", pr.ID) || pr.State != problem.StateNew || pr.Group == nil || pr.Group.ID != p.desk.ID || pr.Version != 1 {
		t.Fatalf("created %+v", pr)
	}
	got, err := p.pm.Problem(c, pr.Number())
	must(t, err)
	diff(t, "read back", pr.References, got.References)
	if got.Category == nil || got.Category.ID != p.printers.ID {
		t.Errorf("category %+v", got.Category)
	}
	_, err = p.pm.Problem(p.as(t, p.req1), pr.Number())
	wantCode(t, "requester reads", err, desk.EFORBIDDEN)
	_, err = p.pm.Problem(c, "PRB-999999")
	wantCode(t, "unknown problem", err, desk.ENOTFOUND)

	page, err := p.pm.List(c, problem.Filter{Text: "ПРИНТЕРЫ"})
	must(t, err)
	if len(page.Problems) != 1 {
		t.Errorf("search in Russian, any case: %d problems", len(page.Problems))
	}
	page, err = p.pm.List(c, problem.Filter{Text: pr.Number()})
	must(t, err)
	if len(page.Problems) != 1 {
		t.Errorf("search by number: %d problems", len(page.Problems))
	}

	rc := "Firmware 2.1 drops the spooler"
	pr, err = p.pm.Update(c, pr.Number(), problem.Patch{RootCause: &rc, IfVersion: 1})
	must(t, err)
	_, err = p.pm.Update(c, pr.Number(), problem.Patch{RootCause: &rc, IfVersion: 1})
	wantCode(t, "stale edit", err, desk.ESTALE)
	_, err = p.pm.Move(c, pr.Number(), problem.StateKnownError, 0)
	wantField(t, "known error without workaround", err, desk.EINVALID, "workaround")
	_, err = p.pm.Move(c, pr.Number(), problem.StateResolved, 0)
	wantField(t, "resolved without fix", err, desk.EINVALID, "fix")
	pr, err = p.pm.Move(c, pr.Number(), problem.StateClosed, 0)
	must(t, err)
	if pr.ClosedAt == nil {
		t.Error("closed without a time")
	}
	_, err = p.pm.Move(c, pr.Number(), problem.StateInvestigating, 0)
	wantCode(t, "closed is final", err, desk.ECONFLICT)
}

func testProblemLink(t *testing.T, open Opener) {
	p := newPrbFixture(t, open)
	c := p.as(t, p.agent)
	working := p.working(t, "Printer offline", 1)
	fresh := p.create(t, p.ticket("Printer offline too", 2))
	res, err := p.pm.CreateFromIncident(c, working.Number, problem.Input{})
	must(t, err)
	pr := res.Problem
	if pr.Title != "Printer offline" || pr.Incidents != 1 || len(res.Held) != 1 {
		t.Fatalf("from incident: %+v %+v", pr, res)
	}
	held, err := p.d.Ticket(c, working.Number)
	must(t, err)
	if held.State != desk.StateOnHold || held.HoldReason != desk.HoldAwaitingProblem {
		t.Fatalf("linked incident in progress is %s/%s", held.State, held.HoldReason)
	}
	sla, err := p.d.TicketSLA(c, held.Number)
	must(t, err)
	for _, ck := range sla.Clocks {
		if ck.Kind == desk.SLAResolution && ck.State != desk.ClockPaused {
			t.Errorf("resolution clock under the shipped P3 policy (%v) is %s", sla.Policy, ck.State)
		}
	}
	evs, err := p.s.ListEvents(ctx(t), held.ID, desk.EventFilter{Limit: 50})
	must(t, err)
	last := evs.Events[len(evs.Events)-1]
	if last.ReasonCode != desk.ReasonAwaitingProblem || last.ReasonParams["problem"] != pr.Number() {
		t.Errorf("hold entry: code %q params %v reason %q", last.ReasonCode, last.ReasonParams, last.Reason)
	}
	_, err = p.pm.Link(c, pr.Number(), []string{working.Number})
	wantCode(t, "linked twice", err, desk.ECONFLICT)
	other, err := p.pm.Create(c, problem.Input{Title: "Other"})
	must(t, err)
	_, err = p.pm.Link(c, other.Number(), []string{working.Number})
	wantCode(t, "linked to a second problem", err, desk.ECONFLICT)
	req := p.ticket("New laptop", 3)
	req.Type = desk.TypeRequest
	req = p.create(t, req)
	res, err = p.pm.Link(c, pr.Number(), []string{fresh.Number, req.Number, "INC-999999"})
	must(t, err)
	if len(res.Linked) != 1 || len(res.Held) != 0 || len(res.Skipped) != 2 {
		t.Errorf("link three: %+v", res)
	}
	if tk, _ := p.d.Ticket(c, fresh.Number); tk.State != desk.StateNew {
		t.Errorf("a new incident linked is %s", tk.State)
	}
	_, err = p.pm.Link(p.as(t, p.req1), pr.Number(), []string{fresh.Number})
	wantCode(t, "requester links", err, desk.EFORBIDDEN)

	// Restricted tickets are not listed to whoever may not see them.
	secret := p.ticket("Secret printer", 4)
	secret.Restricted, secret.Group = true, desk.GroupRef{ID: p.dba.ID}
	secret = p.create(t, secret)
	_, err = p.pm.Link(p.as(t, p.admin), pr.Number(), []string{secret.Number})
	must(t, err)
	page, err := p.pm.Incidents(c, pr.Number(), 0, 10)
	must(t, err)
	if len(page.Incidents) != 2 || page.Hidden != 1 {
		t.Errorf("agent sees %d incidents, %d hidden", len(page.Incidents), page.Hidden)
	}
	page, err = p.pm.Incidents(p.as(t, p.admin), pr.Number(), 0, 10)
	must(t, err)
	if len(page.Incidents) != 3 || page.Hidden != 0 {
		t.Errorf("admin sees %d incidents, %d hidden", len(page.Incidents), page.Hidden)
	}

	// A security case linked by a member of the security group is told to
	// nobody else: not listed, not counted as hidden, not in the problem's
	// count of incidents.
	sys := desk.AsSystem(ctx(t))
	sg, err := p.d.CreateGroup(sys, desk.GroupInput{Name: "Security", Line: desk.Line2, Security: true})
	must(t, err)
	sid := p.user(t, "sid@example.com", "Sid Sec", desk.RoleAgent)
	must(t, p.d.SetGroupMember(sys, sg.ID, sid.ID, true))
	if sid, err = p.s.GetUser(ctx(t), sid.ID); err != nil {
		t.Fatal(err)
	}
	breach := p.create(t, p.ticket("Stolen token", 5))
	_, err = p.d.MarkSecurity(c, breach.Number, desk.SecurityInput{Reason: "token stolen"})
	must(t, err)
	before, err := p.pm.Problem(c, pr.Number())
	must(t, err)
	_, err = p.pm.Link(p.as(t, sid), pr.Number(), []string{breach.Number})
	must(t, err)
	for who, u := range map[string]*desk.User{"agent": p.agent, "admin": p.admin} {
		page, err = p.pm.Incidents(p.as(t, u), pr.Number(), 0, 10)
		must(t, err)
		for _, in := range page.Incidents {
			if in.Ticket.ID == breach.ID {
				t.Errorf("%s sees the security case among the problem's incidents", who)
			}
		}
		if want := map[string]int{"agent": 1, "admin": 0}[who]; page.Hidden != want {
			t.Errorf("%s: %d hidden incidents with a security case linked, want %d", who, page.Hidden, want)
		}
	}
	if page, err = p.pm.Incidents(p.as(t, sid), pr.Number(), 0, 10); err != nil || len(page.Incidents) == 0 || page.Incidents[len(page.Incidents)-1].Ticket.ID != breach.ID {
		t.Errorf("the security group's member does not see the case linked: %v", err)
	}
	after, err := p.pm.Problem(c, pr.Number())
	must(t, err)
	if after.Incidents != before.Incidents {
		t.Errorf("the problem counts %d incidents after a security case was linked, %d before", after.Incidents, before.Incidents)
	}
	list, err := p.pm.List(c, problem.Filter{})
	must(t, err)
	for _, lp := range list.Problems {
		if lp.ID == pr.ID && lp.Incidents != before.Incidents {
			t.Errorf("the list counts %d incidents of the problem, want %d", lp.Incidents, before.Incidents)
		}
	}
	must(t, p.pm.Unlink(p.as(t, sid), pr.Number(), breach.Number))

	must(t, p.pm.Unlink(c, pr.Number(), working.Number))
	back, _ := p.d.Ticket(c, working.Number)
	if back.State != desk.StateInProgress {
		t.Errorf("unlinked incident is %s", back.State)
	}
	wantCode(t, "unlink again", p.pm.Unlink(c, pr.Number(), working.Number), desk.ENOTFOUND)

	_, err = p.pm.Move(c, other.Number(), problem.StateClosed, 0)
	must(t, err)
	_, err = p.pm.Link(c, other.Number(), []string{working.Number})
	wantCode(t, "link to a closed problem", err, desk.ECONFLICT)
}

// withIncidents creates a problem titled title with n incidents in
// progress (and extra ones) linked to it, as the agent.
func (p *prbFixture) withIncidents(t *testing.T, title string, n int, extra ...*desk.Ticket) (*problem.Problem, []string) {
	t.Helper()
	c := p.as(t, p.agent)
	pr, err := p.pm.Create(c, problem.Input{Title: title})
	must(t, err)
	var numbers []string
	for i := range n {
		numbers = append(numbers, p.working(t, fmt.Sprintf("%s %d", title, i), i).Number)
	}
	for _, tk := range extra {
		numbers = append(numbers, p.create(t, tk).Number)
	}
	_, err = p.pm.Link(c, pr.Number(), numbers)
	must(t, err)
	return pr, numbers
}

func testProblemBroadcast(t *testing.T, open Opener) {
	p := newPrbFixture(t, open)
	c := p.as(t, p.agent)
	pr, numbers := p.withIncidents(t, "VPN drops", 7, p.ticket("VPN new", 20))
	// One incident is closed meanwhile (canceled): it gets nothing.
	_, err := p.d.Transition(c, numbers[0], desk.TransitionInput{To: desk.StateCanceled, Reason: "duplicate"})
	must(t, err)

	pr, b, err := p.pm.PublishWorkaround(c, pr.Number(), problem.WorkaroundInput{Text: "Reconnect with the IKEv2 profile.", Public: true, IfVersion: pr.Version})
	must(t, err)
	if pr.State != problem.StateKnownError || pr.KnownErrorAt == nil || b == nil {
		t.Fatalf("published: %+v %+v", pr, b)
	}
	_, _, err = p.pm.PublishWorkaround(c, pr.Number(), problem.WorkaroundInput{Text: "x", IfVersion: 1})
	wantCode(t, "stale workaround", err, desk.ESTALE)
	r := problem.NewRunner(p.pm, problem.RunnerConfig{Batch: 3}, nil)
	n, err := r.RunDue(ctx(t))
	must(t, err)
	if n != 1 {
		t.Fatalf("finished %d broadcasts", n)
	}
	n, err = r.RunDue(ctx(t))
	must(t, err)
	if n != 0 {
		t.Errorf("a finished broadcast ran again")
	}
	bs, err := p.pm.Broadcasts(c, pr.Number())
	must(t, err)
	// Batches of at most three, sized by their time (see
	// testProblemBroadcastChunks): three to seven of them.
	if len(bs) != 1 || bs[0].Done != 7 || bs[0].Batches < 3 || bs[0].Batches > 8 || bs[0].FinishedAt == nil || bs[0].MaxTx <= 0 {
		t.Errorf("broadcast %+v", bs[0])
	}
	for i, num := range numbers {
		tk, err := p.d.Ticket(c, num)
		must(t, err)
		evs, err := p.s.ListEvents(ctx(t), tk.ID, desk.EventFilter{Limit: 100})
		must(t, err)
		notes, comments := 0, 0
		for _, e := range evs.Events {
			if e.ReasonCode == desk.ReasonWorkaround && e.Kind == desk.EventWorkNote && !e.Public {
				notes++
			}
			if e.Kind == desk.EventComment && e.Public && e.Body == "Reconnect with the IKEv2 profile." {
				comments++
			}
		}
		want := 1
		if i == 0 {
			want = 0
		}
		if notes != want || comments != want {
			t.Errorf("%s: %d notes, %d comments; want %d", num, notes, comments, want)
		}
	}

	fix := "Gateway firmware 5.2"
	pr, b, err = p.pm.Resolve(c, pr.Number(), problem.ResolveInput{Fix: fix, Incidents: true})
	must(t, err)
	if pr.State != problem.StateResolved || b == nil {
		t.Fatalf("resolved %+v", pr)
	}
	_, err = r.RunDue(ctx(t))
	must(t, err)
	resolved := 0
	for _, num := range numbers {
		tk, _ := p.d.Ticket(c, num)
		if tk.State == desk.StateResolved && tk.ResolutionNotes == fix {
			resolved++
		}
	}
	// Six were in progress (on hold) and one new: the fix resolves them
	// all; the canceled one is final.
	if resolved != 7 {
		t.Errorf("%d incidents resolved, want 7", resolved)
	}
	bs, _ = p.pm.Broadcasts(c, pr.Number())
	if bs[0].Kind != problem.BroadcastResolve || bs[0].Done != 7 || bs[0].Skipped != 0 {
		t.Errorf("resolve broadcast %+v", bs[0])
	}
}

// testProblemBroadcastChunks: batches that take longer than the runner's
// hold shrink the next ones, down to one incident a transaction, so the
// desk's writer is never held for long; each incident still gets its note
// exactly once.
func testProblemBroadcastChunks(t *testing.T, open Opener) {
	p := newPrbFixture(t, open)
	c := p.as(t, p.agent)
	pr, numbers := p.withIncidents(t, "Proxy slow", 12)
	_, _, err := p.pm.PublishWorkaround(c, pr.Number(), problem.WorkaroundInput{Text: "Bypass the proxy for the intranet."})
	must(t, err)
	// Every batch takes longer than a nanosecond: after the first (a
	// quarter of 20), one incident a batch, then the empty last one.
	_, err = problem.NewRunner(p.pm, problem.RunnerConfig{Batch: 20, Hold: time.Nanosecond}, nil).RunDue(ctx(t))
	must(t, err)
	bs, err := p.pm.Broadcasts(c, pr.Number())
	must(t, err)
	if bs[0].Done != 12 || bs[0].Batches != 1+7+1 || bs[0].FinishedAt == nil {
		t.Errorf("broadcast: %d done in %d batches (want 12 in 9), finished %v", bs[0].Done, bs[0].Batches, bs[0].FinishedAt)
	}
	for _, num := range numbers {
		tk, err := p.d.Ticket(c, num)
		must(t, err)
		evs, err := p.s.ListEvents(ctx(t), tk.ID, desk.EventFilter{Limit: 100})
		must(t, err)
		notes := 0
		for _, e := range evs.Events {
			if e.ReasonCode == desk.ReasonWorkaround {
				notes++
			}
		}
		if notes != 1 {
			t.Errorf("%s: %d workaround notes, want 1", num, notes)
		}
	}
}

// testProblemResolveEveryOpenState resolves a problem with its incidents
// in each open state (new, assigned, in progress, on hold awaiting the
// problem): each is resolved with the fix, in one history entry worded by
// the desk, and its requester gets one resolution notice.
func testProblemResolveEveryOpenState(t *testing.T, open Opener) {
	p := newPrbFixture(t, open)
	c := p.as(t, p.agent)
	pr, err := p.pm.Create(c, problem.Input{Title: "Mail queue stuck"})
	must(t, err)
	fresh := p.create(t, p.ticket("Mail stuck (new)", 1))
	assigned := p.create(t, p.ticket("Mail stuck (assigned)", 2))
	_, err = p.d.Transition(c, assigned.Number, desk.TransitionInput{To: desk.StateAssigned})
	must(t, err)
	working := p.working(t, "Mail stuck (in progress)", 3)
	held := p.working(t, "Mail stuck (on hold)", 4)
	_, err = p.d.Transition(c, held.Number, desk.TransitionInput{To: desk.StateOnHold, HoldReason: desk.HoldAwaitingOther, Reason: "vendor"})
	must(t, err)
	numbers := []string{fresh.Number, assigned.Number, working.Number, held.Number}
	_, err = p.pm.Link(c, pr.Number(), numbers)
	must(t, err)
	states := map[string]desk.State{}
	for _, num := range numbers {
		tk, err := p.d.Ticket(c, num)
		must(t, err)
		states[num] = tk.State
	}
	if states[fresh.Number] != desk.StateNew || states[assigned.Number] != desk.StateAssigned {
		t.Fatalf("set-up: states %v", states)
	}
	fix := "Queue worker restarted with the patched build"
	pr, b, err := p.pm.Resolve(c, pr.Number(), problem.ResolveInput{Fix: fix, Incidents: true})
	must(t, err)
	if b == nil {
		t.Fatal("no broadcast queued")
	}
	_, err = problem.NewRunner(p.pm, problem.RunnerConfig{Batch: 3}, nil).RunDue(ctx(t))
	must(t, err)
	for _, num := range numbers {
		tk, err := p.d.Ticket(c, num)
		must(t, err)
		if tk.State != desk.StateResolved || tk.ResolutionNotes != fix || tk.ResolvedAt == nil {
			t.Errorf("%s (was %s): %s, notes %q", num, states[num], tk.State, tk.ResolutionNotes)
			continue
		}
		evs, err := p.s.ListEvents(ctx(t), tk.ID, desk.EventFilter{Limit: 100})
		must(t, err)
		entries := 0
		for _, e := range evs.Events {
			if e.ReasonCode == desk.ReasonProblemResolved && e.Kind == desk.EventTransition && e.Public {
				entries++
			}
		}
		out, err := p.s.Outbox(ctx(t), tk.ID)
		must(t, err)
		notices := 0
		for _, m := range out {
			if m.Kind == desk.OutboxResolved && m.UserID == p.req1.ID {
				notices++
			}
		}
		if entries != 1 || notices != 1 {
			t.Errorf("%s (was %s): %d resolving entries, %d resolution notices; want one each", num, states[num], entries, notices)
		}
	}
	bs, err := p.pm.Broadcasts(c, pr.Number())
	must(t, err)
	if bs[0].Done != 4 || bs[0].Skipped != 0 {
		t.Errorf("resolve broadcast %+v", bs[0])
	}
}

func testProblemCandidates(t *testing.T, open Opener) {
	p := newPrbFixture(t, open)
	c := p.as(t, p.agent)
	var nums []string
	for i := range 4 {
		tk := p.ticket(fmt.Sprintf("Printer jam %d", i), i)
		tk.Category, tk.Service = &desk.Ref{ID: p.printers.ID}, &desk.Ref{ID: p.mail.ID}
		nums = append(nums, p.create(t, tk).Number)
	}
	lone := p.ticket("Other", 5)
	lone.Category = &desk.Ref{ID: p.hardware.ID}
	p.create(t, lone)
	got, err := p.pm.Candidates(c, 24*time.Hour, 3)
	must(t, err)
	if len(got) != 1 || got[0].Incidents != 4 || got[0].Category.ID != p.printers.ID || got[0].Service == nil || len(got[0].Tickets) != 4 {
		t.Fatalf("candidates %+v", got)
	}
	_, err = p.pm.Candidates(p.as(t, p.req1), 0, 0)
	wantCode(t, "requester", err, desk.EFORBIDDEN)
	res, err := p.pm.CreateFromIncident(c, nums[0], problem.Input{})
	must(t, err)
	_, err = p.pm.Link(c, res.Problem.Number(), nums[1:3])
	must(t, err)
	got, _ = p.pm.Candidates(c, 24*time.Hour, 3)
	if len(got) != 0 {
		t.Errorf("clusters with a problem stay candidates: %+v", got)
	}
	p.clock.Advance(3 * time.Hour)
	_, err = p.pm.Update(c, res.Problem.Number(), problem.Patch{})
	must(t, err)
	_, _, err = p.pm.PublishWorkaround(c, res.Problem.Number(), problem.WorkaroundInput{Text: "Open the tray."})
	must(t, err)
	rep, err := p.pm.Report(c, base, base.Add(24*time.Hour))
	must(t, err)
	if rep.Opened != 1 || rep.KnownErrors != 1 || rep.Linked != 3 || len(rep.Problems) != 1 || rep.Problems[0].Incidents != 3 {
		t.Fatalf("report %+v", rep)
	}
	// First incident at base, known error at base+1h+3h.
	if rep.MedianToKnownError != 4*time.Hour {
		t.Errorf("median time to known error %v", rep.MedianToKnownError)
	}
}
