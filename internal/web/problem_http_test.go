package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/problem"
	"github.com/tierdesk/tierdesk/internal/testdb"
	"github.com/tierdesk/tierdesk/internal/web"
)

// prbEnv is a web server with problem management over a real SQLite
// desk: Sam (requester), Lena (line-1 agent), Ada (admin), a category.
type prbEnv struct {
	*httpEnv
	prb   *problem.Service
	admin *desk.User
	cat   *desk.Category
}

func newPrbEnv(t *testing.T) *prbEnv {
	t.Helper()
	st := testdb.SQLite(t)
	d := desk.New(st, desk.SystemClock{}, desk.DefaultConfig)
	prb := problem.New(st, d, desk.SystemClock{})
	h, err := web.New(d, nil, web.Options{Problems: prb})
	if err != nil {
		t.Fatal(err)
	}
	e := &prbEnv{httpEnv: &httpEnv{t: t, d: d, st: st, srv: httptest.NewServer(h)}, prb: prb}
	t.Cleanup(e.srv.Close)
	e.admin = bootstrap(t, e.httpEnv, "ada@example.com", desk.RoleAdmin)
	e.lena = bootstrap(t, e.httpEnv, "lena@example.com", desk.RoleAgent, 1)
	e.sam = bootstrap(t, e.httpEnv, "sam@example.com", desk.RoleRequester)
	if e.cat, err = d.CreateCategory(desk.WithActor(context.Background(), e.admin), desk.CategoryInput{Name: "VPN"}); err != nil {
		t.Fatal(err)
	}
	return e
}

// incident registers an incident of the category for a caller.
func (e *prbEnv) incident(title, caller string) *desk.Ticket {
	e.t.Helper()
	ctx := desk.WithActor(context.Background(), e.lena)
	tk, _, err := e.d.CreateTicket(ctx, desk.NewTicket{Type: desk.TypeIncident, Title: title, Channel: desk.ChannelPhone,
		Requester: desk.PersonInput{Email: caller}, CategoryID: e.cat.ID}, "")
	if err != nil {
		e.t.Fatal(err)
	}
	return tk
}

// broadcast carries out the queued broadcasts, as the runner of serve does.
func (e *prbEnv) broadcast() {
	e.t.Helper()
	if _, err := problem.NewRunner(e.prb, problem.RunnerConfig{}, nil).RunDue(context.Background()); err != nil {
		e.t.Fatal(err)
	}
}

// TestWeb_ProblemFlow drives problem management through its pages: a
// problem created from an incident's page, two more incidents linked on
// the problem's page (the one in progress goes on hold awaiting it), the
// list's filters, a workaround refused empty then published publicly (each
// incident gets the note, its requester the comment; the ticket page shows
// it), a stale edit, the problem resolved with its incidents in one step,
// closed, and then refused as a link target with its reason, in English
// and Russian. A requester reaches none of it; a form without the CSRF
// token is refused.
func TestWeb_ProblemFlow(t *testing.T) {
	e := newPrbEnv(t)
	a, b, c := e.incident("VPN drops at 09:00", "ann@example.com"), e.incident("VPN drops again", "bob@example.com"),
		e.incident("No VPN for sales", "cid@example.com")
	lctx := desk.WithActor(context.Background(), e.lena)
	for _, tk := range []*desk.Ticket{a, b, c} {
		if _, err := e.d.Take(lctx, tk.Number, 0); err != nil {
			t.Fatal(err)
		}
	}
	lena, sam := e.client(), e.client()
	lena.signIn("lena@example.com")
	sam.signIn("sam@example.com")

	page := "/tickets/" + a.Number
	tp := lena.get(page)
	if !strings.Contains(tp.body, `id="prb-create"`) || !strings.Contains(tp.body, `data-key="f"`) {
		t.Fatalf("the incident page offers no problem: %d", tp.status)
	}
	csrf := csrfRE.FindStringSubmatch(tp.body)[1]
	if r := lena.post(page+"/problem", url.Values{"title": {"x"}}); r.status != http.StatusForbidden {
		t.Errorf("creating without the CSRF token: %d", r.status)
	}
	r := lena.post(page+"/problem", url.Values{"csrf": {csrf}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/problems/PRB-000001?done=problem_created" {
		t.Fatalf("create from the incident: %d %s", r.status, r.header.Get("Location"))
	}
	pp := lena.get("/problems/PRB-000001?done=problem_created")
	for _, want := range []string{"VPN drops at 09:00", a.Number, "The problem is recorded.", `id="prb-to-investigating"`} {
		if !strings.Contains(pp.body, want) {
			t.Errorf("the new problem's page lacks %q", want)
		}
	}
	r = lena.post("/problems/PRB-000001/incidents", url.Values{"csrf": {csrf}, "tickets": {b.Number + ", " + c.Number + " INC-999999"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Not linked: INC-999999 (no such ticket you may see)") {
		t.Fatalf("linking with one unknown number: %d", r.status)
	}
	if tk, _ := e.d.Ticket(lctx, c.Number); tk.State != desk.StateOnHold || tk.HoldReason != desk.HoldAwaitingProblem {
		t.Errorf("the incident in progress after linking: %s %s", tk.State, tk.HoldReason)
	}
	pp = lena.get("/problems/PRB-000001")
	for _, want := range []string{b.Number, c.Number, "Waiting for a problem fix", "paused"} {
		if !strings.Contains(pp.body, want) {
			t.Errorf("the problem's incidents lack %q", want)
		}
	}

	// The list and its filters; bad filters are 422.
	for q, want := range map[string]bool{"": true, "?state=new": true, "?state=open": true, "?state=closed": false,
		"?group=1": true, "?group=2": false, "?q=vpn+drops": true, "?q=printer": false} {
		l := lena.get("/problems" + q)
		if l.status != 200 || strings.Contains(l.body, "PRB-000001") != want {
			t.Errorf("/problems%s: %d, lists the problem %v, want %v", q, l.status, !want, want)
		}
	}
	for _, q := range []string{"?state=done", "?group=x"} {
		if l := lena.get("/problems" + q); l.status != http.StatusUnprocessableEntity {
			t.Errorf("/problems%s: %d, want 422", q, l.status)
		}
	}
	if l := lena.get("/problems/candidates?days=0"); l.status != http.StatusUnprocessableEntity {
		t.Errorf("candidates over 0 days: %d", l.status)
	}
	if l := lena.get("/problems/PRB-x"); l.status != http.StatusNotFound {
		t.Errorf("a problem that cannot exist: %d", l.status)
	}

	// The workaround: refused empty, published publicly.
	v := func() string { p, _ := e.prb.Problem(lctx, "1"); return fmt.Sprint(p.Version) }
	r = lena.post("/problems/PRB-000001/workaround", url.Values{"csrf": {csrf}, "version": {v()}, "workaround": {"  "}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="workaround.workaround-error"`) {
		t.Fatalf("an empty workaround: %d", r.status)
	}
	r = lena.post("/problems/PRB-000001/workaround", url.Values{"csrf": {csrf}, "version": {v()}, "workaround": {"Reconnect over port 443."}, "public": {"1"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("publish the workaround: %d %s", r.status, r.body)
	}
	e.broadcast()
	for _, tk := range []*desk.Ticket{a, b, c} {
		evs, err := e.d.Events(lctx, tk.Number, desk.EventFilter{Limit: desk.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		public, note := 0, 0
		for _, ev := range evs.Events {
			if strings.Contains(ev.Body, "Reconnect over port 443.") {
				if !ev.Public {
					note++
				} else {
					public++
				}
			}
		}
		if public != 1 {
			t.Errorf("%s has %d public workaround comments (%d notes), want 1", tk.Number, public, note)
		}
	}
	if tp := lena.get(page); !strings.Contains(tp.body, `id="prb-linked-workaround"`) || !strings.Contains(tp.body, "Reconnect over port 443.") {
		t.Error("the incident page does not show its problem's workaround")
	}
	if pp := lena.get("/problems/PRB-000001"); !strings.Contains(pp.body, "Known error") || !strings.Contains(pp.body, "done: 3 incidents") {
		t.Error("the problem page does not say it is a known error sent to 3 incidents")
	}

	// A stale edit comes back 409 with the text kept.
	r = lena.post("/problems/PRB-000001/edit", url.Values{"csrf": {csrf}, "version": {"1"}, "title": {"VPN concentrator firmware"},
		"impact": {"high"}, "root_cause": {"Firmware 7.2 leaks tunnels"}})
	if r.status != http.StatusConflict || !strings.Contains(r.body, "Someone changed the problem") || !strings.Contains(r.body, "Firmware 7.2 leaks tunnels") {
		t.Errorf("a stale edit: %d", r.status)
	}
	r = lena.post("/problems/PRB-000001/edit", url.Values{"csrf": {csrf}, "version": {v()}, "title": {"VPN concentrator firmware"},
		"impact": {"high"}, "root_cause": {"Firmware 7.2 leaks tunnels"}, "group_id": {"x"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="edit.group-error"`) {
		t.Errorf("an edit with a group that is no id: %d", r.status)
	}
	r = lena.post("/problems/PRB-000001/edit", url.Values{"csrf": {csrf}, "version": {v()}, "title": {"VPN concentrator firmware"},
		"impact": {"high"}, "root_cause": {"Firmware 7.2 leaks tunnels"}, "references": {"CHG-42 https://changes.example.com/42"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("edit: %d", r.status)
	}

	// Resolve with every incident in one step.
	r = lena.post("/problems/PRB-000001/resolve", url.Values{"csrf": {csrf}, "version": {v()}, "fix": {""}, "incidents": {"1"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="resolve.fix-error"`) {
		t.Fatalf("resolving without a fix: %d", r.status)
	}
	r = lena.post("/problems/PRB-000001/resolve", url.Values{"csrf": {csrf}, "version": {v()}, "fix": {"Firmware 7.3 installed."},
		"resolution_code": {"solved"}, "incidents": {"1"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("resolve: %d", r.status)
	}
	e.broadcast()
	for _, tk := range []*desk.Ticket{a, b, c} {
		if got, _ := e.d.Ticket(lctx, tk.Number); got.State != desk.StateResolved || got.ResolutionNotes != "Firmware 7.3 installed." {
			t.Errorf("%s after resolving the problem with its incidents: %s %q", tk.Number, got.State, got.ResolutionNotes)
		}
	}
	r = lena.post("/problems/PRB-000001/state", url.Values{"csrf": {csrf}, "version": {v()}, "to": {"known_error"}})
	if r.status != http.StatusConflict || !strings.Contains(r.body, "Problem PRB-000001 cannot go from “Resolved” to “Known error”.") {
		t.Errorf("a move the state machine forbids: %d", r.status)
	}
	if r := lena.post("/problems/PRB-000001/state", url.Values{"csrf": {csrf}, "version": {v()}, "to": {"closed"}}); r.status != http.StatusSeeOther {
		t.Fatalf("close: %d", r.status)
	}

	// Linking a new incident to the closed problem is refused, with the reason.
	d := e.incident("VPN drops once more", "dan@example.com")
	dpage := "/tickets/" + d.Number
	r = lena.post(dpage+"/problem/link", url.Values{"csrf": {csrf}, "problem": {"PRB-000001"}})
	if r.status != http.StatusConflict || !strings.Contains(r.body, "Problem PRB-000001 is “Closed”: link the incident to an open problem") {
		t.Errorf("linking to a closed problem: %d", r.status)
	}
	r = lena.post(dpage+"/problem/link", url.Values{"csrf": {csrf}, "problem": {"PRB-000001"}}, "Accept-Language", "ru")
	if !strings.Contains(r.body, "Проблема PRB-000001 в состоянии «Закрыта»: свяжите инцидент с открытой проблемой") {
		t.Errorf("the Russian refusal to link to a closed problem: %d", r.status)
	}
	if r := lena.post(dpage+"/problem/link", url.Values{"csrf": {csrf}, "problem": {"PRB-000077"}}); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, `id="problem_link.problem-error"`) {
		t.Errorf("linking to a problem that does not exist: %d", r.status)
	}
	if sp := lena.get(dpage + "?prbq=vpn"); strings.Contains(sp.body, `id="prb-matches"`) {
		t.Error("the ticket page's search offers the closed problem")
	}

	for _, path := range []string{"/problems", "/problems/PRB-000001", "/problems/new", "/problems/candidates"} {
		if r := sam.get(path); r.status != http.StatusNotFound {
			t.Errorf("a requester on %s: %d", path, r.status)
		}
	}
	if r := sam.post("/problems", url.Values{"csrf": {sam.csrf("/my")}, "title": {"x"}}); r.status != http.StatusNotFound {
		t.Errorf("a requester recording a problem: %d", r.status)
	}
}

// TestWeb_ProblemNewAndSearch records a problem on its own form (bad
// input back 422 with the input kept), links incidents named there, and
// finds it from a ticket page's search.
func TestWeb_ProblemNewAndSearch(t *testing.T) {
	e := newPrbEnv(t)
	a := e.incident("Outlook hangs", "ann@example.com")
	lena := e.client()
	lena.signIn("lena@example.com")
	csrf := lena.csrf("/problems/new")
	long := strings.Repeat("x", 201)
	r := lena.post("/problems", url.Values{"csrf": {csrf}, "title": {"x"}, "category_id": {"zz"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="new.category-error"`) {
		t.Fatalf("a new problem with a category that is no id: %d", r.status)
	}
	r = lena.post("/problems", url.Values{"csrf": {csrf}, "title": {long}, "description": {"kept"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="new.title-error"`) || !strings.Contains(r.body, ">kept</textarea>") {
		t.Fatalf("a new problem with a long title: %d", r.status)
	}
	r = lena.post("/problems", url.Values{"csrf": {csrf}, "title": {"x"}, "references": {"CHG-1 ftp://x"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="new.references-error"`) {
		t.Fatalf("a reference that is not http: %d", r.status)
	}
	r = lena.post("/problems", url.Values{"csrf": {csrf}, "title": {"Outlook <b>hangs</b> on start"}, "impact": {"low"},
		"category_id": {fmt.Sprint(e.cat.ID)}, "incidents": {a.Number}})
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/problems/PRB-000001") {
		t.Fatalf("new problem: %d %s", r.status, r.header.Get("Location"))
	}
	pp := lena.get("/problems/PRB-000001")
	if !strings.Contains(pp.body, "Outlook &lt;b&gt;hangs&lt;/b&gt; on start") || !strings.Contains(pp.body, a.Number) {
		t.Error("the new problem's page: title not escaped, or the incident not linked")
	}
	b := e.incident("Outlook again", "bob@example.com")
	sp := lena.get("/tickets/" + b.Number + "?prbq=outlook")
	if !strings.Contains(sp.body, `id="prb-matches"`) || !strings.Contains(sp.body, "PRB-000001") {
		t.Fatal("the ticket page's search does not find the open problem")
	}
	if ru := lena.get("/problems/PRB-000001", "Accept-Language", "ru"); !strings.Contains(ru.body, "Связанные инциденты") {
		t.Error("the problem page in Russian")
	}

	// The reports page's problem section: incidents per problem and the
	// time from the first incident to the known error, as the API's report.
	lctx := desk.WithActor(context.Background(), e.lena)
	if _, _, err := e.prb.PublishWorkaround(lctx, "1", problem.WorkaroundInput{Text: "Start in safe mode."}); err != nil {
		t.Fatal(err)
	}
	rp := lena.get("/reports")
	for _, want := range []string{`id="prb-report-per"`, "PRB-000001", `<dd id="prb-report-opened">1</dd>`, `<dd id="prb-report-linked">1</dd>`,
		"Median time from first incident to known error"} {
		if !strings.Contains(rp.body, want) {
			t.Errorf("the reports page lacks %q", want)
		}
	}
	if strings.Contains(rp.body, `<dd id="prb-report-median">—</dd>`) {
		t.Error("the reports page has no median time to the known error")
	}
	if ru := lena.get("/reports", "Accept-Language", "ru"); !strings.Contains(ru.body, "Инциденты по проблемам") {
		t.Error("the reports page's problem section in Russian")
	}
}

// TestWeb_ProblemSecurityCases: a security case linked to a problem by a
// member of the security group never shows to a non-member on the
// problem's page, in the list's count, in the candidates or in the ticket
// page's problem search; a problem created from a security case copies
// nothing of its text, and needs a title typed.
func TestWeb_ProblemSecurityCases(t *testing.T) {
	e := newPrbEnv(t)
	sys := desk.AsSystem(context.Background())
	g, err := e.d.CreateGroup(sys, desk.GroupInput{Name: "Security", Line: desk.Line2, Security: true})
	if err != nil {
		t.Fatal(err)
	}
	sid := bootstrap(t, e.httpEnv, "sid@example.com", desk.RoleAgent, g.ID)
	var plain []*desk.Ticket
	for i := range 3 {
		plain = append(plain, e.incident(fmt.Sprintf("VPN slow %d", i), fmt.Sprintf("u%d@example.com", i)))
	}
	sec := e.incident("Stolen VPN token "+secWord, "vic@example.com")
	lctx := desk.WithActor(context.Background(), e.lena)
	if _, err := e.d.MarkSecurity(lctx, sec.Number, desk.SecurityInput{Reason: "token stolen"}); err != nil {
		t.Fatal(err)
	}
	lena, sidc, admin := e.client(), e.client(), e.client()
	lena.signIn("lena@example.com")
	sidc.signIn("sid@example.com")
	admin.signIn("ada@example.com")

	cand := lena.get("/problems/candidates")
	if !strings.Contains(cand.body, plain[2].Number) || strings.Contains(cand.body, sec.Number) || !strings.Contains(cand.body, "<td>3</td>") {
		t.Errorf("the candidates count or name the security case: %s", cand.body)
	}
	// The member creates a problem from the case: no title typed is refused,
	// nothing of its text is copied.
	page := "/tickets/" + sec.Number
	csrf := sidc.csrf(page)
	r := sidc.post(page+"/problem", url.Values{"csrf": {csrf}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="problem_new.title-error"`) {
		t.Fatalf("a problem from a security case without a title: %d", r.status)
	}
	r = sidc.post(page+"/problem", url.Values{"csrf": {csrf}, "title": {"VPN tokens"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("a problem from a security case: %d", r.status)
	}
	if _, err := e.prb.Link(desk.WithActor(context.Background(), sid), "1", []string{plain[0].Number}); err != nil {
		t.Fatal(err)
	}
	if b := sidc.get("/problems/PRB-000001").body; !strings.Contains(b, sec.Number) {
		t.Error("the member does not see the case on the problem's page")
	}
	for name, c := range map[string]*client{"line-1 agent": lena, "non-member admin": admin} {
		for _, path := range []string{"/problems/PRB-000001", "/problems", "/problems/candidates", "/problems?q=vpn",
			"/tickets/" + plain[1].Number + "?prbq=vpn", "/problems/PRB-000001?after=0"} {
			b := c.get(path).body
			if strings.Contains(b, sec.Number) || strings.Contains(b, secWord) {
				t.Errorf("%s sees the security case on %s", name, path)
			}
		}
		if b := c.get("/problems").body; !strings.Contains(b, "<td>1</td>") {
			t.Errorf("%s: the list's count of the problem's incidents is not 1 (the security case counted?)", name)
		}
	}
}

// TestWeb_ProblemsLinkedFromConsole: with problem management on, the
// agent's console links to the problems and their candidates; without it
// (a desk served with no problem service), nothing points there.
func TestWeb_ProblemsLinkedFromConsole(t *testing.T) {
	e := newPrbEnv(t)
	lena := e.client()
	lena.signIn("lena@example.com")
	if b := lena.get("/console").body; !strings.Contains(b, `id="problems-link"`) || !strings.Contains(b, `id="candidates-link"`) {
		t.Errorf("the console has no link to the problems")
	}
	off := newHTTPEnv(t, web.Options{})
	c := off.client()
	c.signIn("lena@example.com")
	if b := c.get("/console").body; strings.Contains(b, `id="problems-link"`) {
		t.Errorf("the console links to problems that are not served")
	}
}
