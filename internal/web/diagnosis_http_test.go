package web_test

import (
	"context"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/diagnosis"
	"github.com/tierdesk/tierdesk/internal/knowledge"
	"github.com/tierdesk/tierdesk/internal/testdb"
	"github.com/tierdesk/tierdesk/internal/web"
)

// dxEnv is kbEnv with diagnosis checklists, a line-2 group with Nick in
// it, and the printers' checklist.
type dxEnv struct {
	*kbEnv
	dx   *diagnosis.Service
	nick *desk.User
	net  *desk.Group
}

func newDxEnv(t *testing.T) *dxEnv {
	t.Helper()
	st := testdb.SQLite(t)
	d := desk.New(st, desk.SystemClock{}, desk.DefaultConfig)
	kb := knowledge.New(st, d, desk.SystemClock{})
	dx := diagnosis.New(st, d, desk.SystemClock{})
	dx.Guard()
	h, err := web.New(d, nil, web.Options{Knowledge: kb, Diagnosis: dx})
	if err != nil {
		t.Fatal(err)
	}
	e := &dxEnv{kbEnv: &kbEnv{httpEnv: &httpEnv{t: t, d: d, st: st, srv: httptest.NewServer(h)}, kb: kb}, dx: dx}
	t.Cleanup(e.srv.Close)
	ctx := context.Background()
	e.admin = e.bootstrap("ada@example.com", "Ada", desk.RoleAdmin)
	admin := desk.WithActor(ctx, e.admin)
	if e.net, err = d.CreateGroup(admin, desk.GroupInput{Name: "Network", Line: desk.Line2}); err != nil {
		t.Fatal(err)
	}
	e.lena = e.bootstrap("lena@example.com", "Lena", desk.RoleAgent, 1)
	e.nick = e.bootstrap("nick@example.com", "Nick", desk.RoleAgent, e.net.ID)
	e.sam = e.bootstrap("sam@example.com", "Sam", desk.RoleRequester)
	if e.cat, err = d.CreateCategory(admin, desk.CategoryInput{Name: "Printers"}); err != nil {
		t.Fatal(err)
	}
	c := &diagnosis.Checklist{Category: desk.Ref{ID: e.cat.ID}, Items: []diagnosis.Item{
		{Question: map[string]string{"en": "Does a test page print?", "ru": "Печатается ли пробная страница?"}, Kind: diagnosis.YesNo},
		{Question: map[string]string{"en": "What does the panel say?"}, Kind: diagnosis.Text}}}
	if err := dx.Create(admin, c); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *kbEnv) bootstrap(email, name string, role desk.Role, groups ...int64) *desk.User {
	e.t.Helper()
	ctx := context.Background()
	u, _, err := e.d.Bootstrap(ctx, desk.UserInput{Email: email, Name: name, Role: role}, false, groups...)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.d.SetPassword(desk.AsSystem(ctx), u.ID, pw); err != nil {
		e.t.Fatal(err)
	}
	return u
}

// TestWeb_DiagnosisChecklist: the checklist appears on the agent's page
// once the ticket has a category, below the articles; under require an
// unanswered escalation comes back asking why; answered, it goes up and
// line 2 reads the answers on the panel and in the timeline, while the
// requester sees none of it.
func TestWeb_DiagnosisChecklist(t *testing.T) {
	e := newDxEnv(t)
	ctx := desk.WithActor(context.Background(), e.lena)
	tk, _, err := e.d.CreateTicket(ctx, desk.NewTicket{Type: desk.TypeIncident, Title: "Printer offline", Channel: desk.ChannelPhone,
		Requester: desk.PersonInput{Email: "sam@example.com"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	lena := e.signedIn("lena@example.com")
	path := "/tickets/" + tk.Number
	if page := lena.get(path).body; strings.Contains(page, `id="dx"`) {
		t.Errorf("a ticket without a category shows a checklist")
	}
	if _, err := e.d.UpdateTicket(ctx, tk.Number, desk.TicketPatch{CategoryID: &e.cat.ID}); err != nil {
		t.Fatal(err)
	}
	page := lena.get(path).body
	kbAt, dxAt := strings.Index(page, `id="kb-ticket-q"`), strings.Index(page, `id="dx"`)
	if dxAt < 0 || kbAt < 0 || kbAt > dxAt || !strings.Contains(page, "Does a test page print?") || !strings.Contains(page, `data-key="q"`) {
		t.Fatalf("the checklist below the articles: kb at %d, checklist at %d\n%s", kbAt, dxAt, page)
	}
	if err := e.dx.SetMode(desk.WithActor(context.Background(), e.admin), diagnosis.Require); err != nil {
		t.Fatal(err)
	}
	csrf := lena.csrf(path)
	esc := url.Values{"csrf": {csrf}, "group_id": {strconv.FormatInt(e.net.ID, 10)}, "reason": {"Needs the network team"}}
	p := lena.post(path+"/escalate", esc)
	if p.status != 422 || !strings.Contains(p.body, `id="escalate-dx"`) || !strings.Contains(p.body, `aria-invalid="true"`) {
		t.Fatalf("unanswered escalation under require: %d\n%s", p.status, p.body)
	}
	p = lena.post(path+"/diagnosis", url.Values{"csrf": {csrf}, "count": {"2"}, "answer_1": {"E-13"}})
	if p.status != 422 || !strings.Contains(p.body, "E-13") {
		t.Fatalf("a yes/no left unanswered: %d", p.status)
	}
	p = lena.post(path+"/diagnosis", url.Values{"csrf": {csrf}, "count": {"2"}, "answer_0": {"no"}, "answer_1": {"E-13 paper jam"}})
	if p.status != 303 {
		t.Fatalf("answering: %d\n%s", p.status, p.body)
	}
	if p = lena.post(path+"/escalate", esc); p.status != 303 {
		t.Fatalf("answered escalation: %d\n%s", p.status, p.body)
	}
	nick := e.signedIn("nick@example.com")
	page = nick.get(path).body
	answers := page[strings.Index(page, `id="dx-answers"`):]
	if !strings.Contains(answers, "E-13 paper jam") || !strings.Contains(answers, "<dd>No</dd>") || strings.Count(page, "E-13 paper jam") != 2 {
		t.Errorf("line 2's page lacks the answers on the panel and in the timeline:\n%s", page)
	}
	sam := e.signedIn("sam@example.com")
	for _, bad := range []string{"E-13", "test page", `id="dx"`} {
		if strings.Contains(sam.get(path).body, bad) {
			t.Errorf("the requester's page shows %q", bad)
		}
	}
}

// TestWeb_AdminChecklists: an administrator writes a checklist on
// Administration → Diagnosis checklists (a missing category comes back
// marked, the rows kept), edits it (a stale edit is refused), sets the
// mode and deletes it; an agent reads the page with no form, and a post
// made anyway is refused.
func TestWeb_AdminChecklists(t *testing.T) {
	e := newDxEnv(t)
	ada := e.signedIn("ada@example.com")
	csrf := ada.csrf("/admin/checklists")
	form := url.Values{"csrf": {csrf}, "category": {""}, "service": {""},
		"q0_en": {"Is the cable plugged in?"}, "q0_ru": {"Кабель подключён?"}, "q0_kind": {"yes_no"},
		"q1_en": {""}, "q1_ru": {""}, "q1_kind": {"yes_no"},
		"q2_en": {""}, "q2_ru": {"Какая модель?"}, "q2_kind": {"text"}}
	p := ada.post("/admin/checklists", form)
	if p.status != 422 || !strings.Contains(p.body, `id="dx-category" name="category" aria-invalid="true"`) || !strings.Contains(p.body, `value="Какая модель?"`) {
		t.Fatalf("a checklist without a category: %d\n%s", p.status, p.body)
	}
	g, err := e.d.CreateCategory(desk.WithActor(context.Background(), e.admin), desk.CategoryInput{Name: "Network"})
	if err != nil {
		t.Fatal(err)
	}
	form.Set("category", strconv.FormatInt(g.ID, 10))
	if p = ada.post("/admin/checklists", form); p.status != 303 {
		t.Fatalf("create: %d\n%s", p.status, p.body)
	}
	lists, err := e.dx.Checklists(desk.WithActor(context.Background(), e.admin))
	if err != nil || len(lists) != 2 {
		t.Fatalf("checklists: %v %v", lists, err)
	}
	c := lists[0] // Network before Printers
	if c.Category.ID != g.ID || len(c.Items) != 2 || c.Items[1].Kind != diagnosis.Text || c.Items[1].Question["ru"] != "Какая модель?" {
		t.Fatalf("created from the form: %+v", c)
	}
	path := "/admin/checklists/" + strconv.FormatInt(c.ID, 10)
	if page := ada.get(path).body; !strings.Contains(page, `value="Кабель подключён?"`) || !strings.Contains(page, `name="version" value="1"`) {
		t.Fatalf("the editor:\n%s", page)
	}
	form.Set("version", "1")
	form.Set("q1_en", "Does the link light blink?")
	if p = ada.post(path, form); p.status != 303 {
		t.Fatalf("edit: %d", p.status)
	}
	if p = ada.post(path, form); p.status != 422 || !strings.Contains(p.body, "version") {
		t.Errorf("a stale edit: %d", p.status)
	}
	if p = ada.post("/admin/checklists/mode", url.Values{"csrf": {csrf}, "mode": {"require"}}); p.status != 303 {
		t.Errorf("mode: %d", p.status)
	}
	if m, _ := e.dx.Mode(desk.WithActor(context.Background(), e.admin)); m != diagnosis.Require {
		t.Errorf("mode after saving: %s", m)
	}
	lena := e.signedIn("lena@example.com")
	page := lena.get("/admin/checklists").body
	if strings.Contains(page, `<form method="post" action="/admin/checklists`) || !strings.Contains(page, "Network") {
		t.Errorf("an agent's checklists page:\n%s", page)
	}
	if p = lena.post(path+"/delete", url.Values{"csrf": {lena.csrf("/admin/checklists")}}); p.status != 403 {
		t.Errorf("an agent deletes a checklist: %d", p.status)
	}
	if p = ada.post(path+"/delete", url.Values{"csrf": {csrf}}); p.status != 303 {
		t.Errorf("delete: %d", p.status)
	}
	if lists, _ = e.dx.Checklists(desk.WithActor(context.Background(), e.admin)); len(lists) != 1 {
		t.Errorf("after deleting: %d checklists", len(lists))
	}
}
