package web_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/knowledge"
	"github.com/tierdesk/tierdesk/internal/testdb"
	"github.com/tierdesk/tierdesk/internal/web"
)

// kbEnv is the web handler with a knowledge base over a real SQLite desk:
// an administrator, an agent (no knowledge_editor yet) and a requester.
type kbEnv struct {
	*httpEnv
	kb    *knowledge.Service
	admin *desk.User
	cat   *desk.Category
}

func newKBEnv(t *testing.T) *kbEnv {
	t.Helper()
	st := testdb.SQLite(t)
	d := desk.New(st, desk.SystemClock{}, desk.DefaultConfig)
	kb := knowledge.New(st, d, desk.SystemClock{})
	h, err := web.New(d, nil, web.Options{Knowledge: kb})
	if err != nil {
		t.Fatal(err)
	}
	e := &kbEnv{httpEnv: &httpEnv{t: t, d: d, st: st, srv: httptest.NewServer(h)}, kb: kb}
	t.Cleanup(e.srv.Close)
	ctx := context.Background()
	mk := func(email, name string, role desk.Role, groups ...int64) *desk.User {
		u, _, err := d.Bootstrap(ctx, desk.UserInput{Email: email, Name: name, Role: role}, false, groups...)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.SetPassword(desk.AsSystem(ctx), u.ID, pw); err != nil {
			t.Fatal(err)
		}
		return u
	}
	e.admin = mk("ada@example.com", "Ada", desk.RoleAdmin)
	e.lena = mk("lena@example.com", "Lena", desk.RoleAgent, 1)
	e.sam = mk("sam@example.com", "Sam", desk.RoleRequester)
	if e.cat, err = d.CreateCategory(desk.WithActor(ctx, e.admin), desk.CategoryInput{Name: "Принтеры"}); err != nil {
		t.Fatal(err)
	}
	return e
}

// signedIn is a client signed in as email.
func (e *kbEnv) signedIn(email string) *client {
	e.t.Helper()
	c := e.client()
	if p := c.signIn(email); p.status != 303 {
		e.t.Fatalf("%s cannot sign in: %d", email, p.status)
	}
	return c
}

var (
	kbIDRE   = regexp.MustCompile(`^/kb/(\d+)\?done=`)
	kbEditRE = regexp.MustCompile(`^/kb/(\d+)/edit\?done=kb_drafted$`)
)

// kbSave posts the editor and returns the article's id from the redirect.
func (c *client) kbSave(t *testing.T, path string, form url.Values) int64 {
	t.Helper()
	form.Set("csrf", c.csrf("/kb"))
	p := c.post(path, form)
	m := kbIDRE.FindStringSubmatch(p.header.Get("Location"))
	if p.status != 303 || m == nil {
		t.Fatalf("saving %s: %d %s\n%s", path, p.status, p.header.Get("Location"), p.body)
	}
	var id int64
	fmt.Sscan(m[1], &id)
	return id
}

// TestWeb_KnowledgeEditor: only administrators and knowledge editors
// write; an administrator grants the permission on the user page; an
// article written in the editor in both languages is rendered safely,
// found by a stemmed search with the hit highlighted, versioned, and its
// versions compared; a stale edit comes back with the other change shown
// and the writer's text kept.
func TestWeb_KnowledgeEditor(t *testing.T) {
	e := newKBEnv(t)
	lena := e.signedIn("lena@example.com")
	if p := lena.get("/kb/new"); p.status != 403 {
		t.Fatalf("an agent without knowledge_editor opens the editor: %d", p.status)
	}
	if p := lena.post("/kb", url.Values{"csrf": {lena.csrf("/kb")}, "title_en": {"x"}, "body_en": {"y"}}); p.status != 403 {
		t.Fatalf("an agent without knowledge_editor writes: %d", p.status)
	}
	if p := lena.post(fmt.Sprintf("/admin/users/%d/knowledge-editor", e.lena.ID), url.Values{"csrf": {lena.csrf("/kb")}, "on": {"1"}}); p.status != 403 {
		t.Fatalf("an agent grants herself knowledge_editor: %d", p.status)
	}
	ada := e.signedIn("ada@example.com")
	userPage := fmt.Sprintf("/admin/users/%d", e.lena.ID)
	if body := ada.get(userPage).body; !strings.Contains(body, `id="kb-editor-grant"`) {
		t.Fatal("the admin user page has no knowledge_editor control")
	}
	p := ada.post(userPage+"/knowledge-editor", url.Values{"csrf": {ada.csrf(userPage)}, "on": {"1"}})
	if p.status != 303 || !strings.Contains(ada.get(userPage).body, `id="kb-editor-revoke"`) {
		t.Fatalf("granting knowledge_editor: %d", p.status)
	}

	form := url.Values{"title_ru": {"Принтер не печатает"}, "body_ru": {"Перезапустите **службу** печати.\n\n<script>alert(1)</script>[ссылка](javascript:alert(2))"},
		"title_en": {"Printer prints nothing"}, "body_en": {"Restart the print spooler."}, "audience": {"public"},
		"state": {"published"}, "category_id": {fmt.Sprint(e.cat.ID)}, "keywords": {"печать, spooler"},
		"owner_id": {fmt.Sprint(e.lena.ID)}, "review_at": {"2027-03-31"}}
	id := lena.kbSave(t, "/kb", form)
	page := lena.get(fmt.Sprintf("/kb/%d", id), "Accept-Language", "ru").body
	for _, want := range []string{"<strong>службу</strong>", "опубликована", "Принтеры", "31 мар. 2027"} {
		if !strings.Contains(page, want) {
			t.Errorf("the article page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script>alert(1)", "javascript:"} {
		if strings.Contains(page, bad) {
			t.Errorf("the article page keeps %q", bad)
		}
	}
	found := lena.get("/kb?q="+url.QueryEscape("принтеры"), "Accept-Language", "ru").body
	if !strings.Contains(found, "<mark>Принтер</mark>") || !strings.Contains(found, fmt.Sprintf(`href="/kb/%d"`, id)) {
		t.Errorf("a search for «принтеры» does not find «принтер» highlighted:\n%s", found)
	}
	if en := lena.get("/kb?q=printing", "Accept-Language", "en").body; !strings.Contains(en, "<mark>Printer</mark>") {
		t.Error(`a search for "printing" does not find "Printer" highlighted`)
	}

	// Two writers edit version 2 (created, published); the second is stale.
	edit := lena.get(fmt.Sprintf("/kb/%d/edit", id)).body
	if !strings.Contains(edit, `name="version" value="2"`) || !strings.Contains(edit, "Restart the print spooler.") {
		t.Fatalf("the editor is not filled from the article:\n%s", edit)
	}
	form.Set("version", "2")
	form.Set("body_en", "Restart the print spooler, then print a test page.")
	form.Set("note", "a test page")
	lena.kbSave(t, fmt.Sprintf("/kb/%d", id), form)
	form.Set("body_en", "Reinstall the printer driver.")
	form.Set("csrf", ada.csrf("/kb"))
	p = ada.post(fmt.Sprintf("/kb/%d", id), form)
	if p.status != 409 || !strings.Contains(p.body, "Someone saved this article while you were editing it") ||
		!strings.Contains(p.body, "Reinstall the printer driver.") || !strings.Contains(p.body, "then print a test page.") ||
		!strings.Contains(p.body, `name="version" value="3"`) {
		t.Fatalf("a stale edit: %d\n%s", p.status, p.body)
	}
	if a, _ := e.kb.Article(desk.WithActor(context.Background(), e.admin), id); a.Version != 3 {
		t.Fatalf("the stale edit was stored: version %d", a.Version)
	}

	versions := lena.get(fmt.Sprintf("/kb/%d/versions", id), "Accept-Language", "ru").body
	for _, want := range []string{"создана", "опубликована", "a test page", fmt.Sprintf(`href="/kb/%d/versions/1"`, id)} {
		if !strings.Contains(versions, want) {
			t.Errorf("the versions page lacks %q", want)
		}
	}
	diff := lena.get(fmt.Sprintf("/kb/%d/diff?from=1&to=3", id), "Accept-Language", "ru").body
	for _, want := range []string{`<span class="kb-del">− состояние: черновик</span>`, `<span class="kb-add">+ состояние: опубликована</span>`,
		`<span class="kb-add">+ Restart the print spooler, then print a test page.</span>`} {
		if !strings.Contains(diff, want) {
			t.Errorf("the diff lacks %q:\n%s", want, diff)
		}
	}
	if old := lena.get(fmt.Sprintf("/kb/%d/versions/1?lang=en", id)).body; !strings.Contains(old, "<p>Restart the print spooler.</p>") {
		t.Errorf("version 1 does not read as it did:\n%s", old)
	}
}

// TestWeb_KnowledgeRequesters: requesters read published public articles
// only: drafts, internal and retired articles are not found, nor listed,
// nor found by a search, and the editor and versions are closed to them.
func TestWeb_KnowledgeRequesters(t *testing.T) {
	e := newKBEnv(t)
	ctx := desk.WithActor(context.Background(), e.admin)
	mk := func(title string, aud knowledge.Audience, states ...knowledge.State) int64 {
		a, err := e.kb.Create(ctx, knowledge.Input{Audience: aud, Translations: []knowledge.Translation{{Lang: "en", Title: title, Body: "About the printer."}}})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range states {
			if a, err = e.kb.SetState(ctx, a.ID, s, 0, ""); err != nil {
				t.Fatal(err)
			}
		}
		return a.ID
	}
	pub := mk("Public printer answer", knowledge.Public, knowledge.Published)
	hidden := map[string]int64{
		"Draft printer answer":    mk("Draft printer answer", knowledge.Public),
		"Internal printer answer": mk("Internal printer answer", knowledge.Internal, knowledge.Published),
		"Retired printer answer":  mk("Retired printer answer", knowledge.Public, knowledge.Published, knowledge.Retired),
	}
	sam := e.signedIn("sam@example.com")
	list, search := sam.get("/kb").body, sam.get("/kb?q=printer").body
	for _, body := range []string{list, search} {
		if !strings.Contains(body, fmt.Sprintf(`href="/kb/%d"`, pub)) {
			t.Error("a requester does not see the published public article")
		}
		for title, id := range hidden {
			if strings.Contains(body, fmt.Sprintf(`href="/kb/%d"`, id)) {
				t.Errorf("a requester sees %q", title)
			}
		}
	}
	for title, id := range hidden {
		if p := sam.get(fmt.Sprintf("/kb/%d", id)); p.status != 404 || strings.Contains(p.body, title) {
			t.Errorf("a requester opens %q: %d", title, p.status)
		}
	}
	if p := sam.get(fmt.Sprintf("/kb/%d", pub)); p.status != 200 || strings.Contains(p.body, "kb-edit") {
		t.Errorf("a requester reading the public article: %d", p.status)
	}
	for _, path := range []string{"/kb/new", fmt.Sprintf("/kb/%d/edit", pub), fmt.Sprintf("/kb/%d/versions", pub), fmt.Sprintf("/kb/%d/diff", pub)} {
		if p := sam.get(path); p.status != 404 {
			t.Errorf("a requester opens %s: %d", path, p.status)
		}
	}
	// An agent without knowledge_editor reads everything but changes nothing.
	lena := e.signedIn("lena@example.com")
	csrf := lena.csrf("/kb")
	for path, form := range map[string]url.Values{
		fmt.Sprintf("/kb/%d/state", pub): {"csrf": {csrf}, "to": {"retired"}},
		fmt.Sprintf("/kb/%d", pub):       {"csrf": {csrf}, "title_en": {"Taken over"}, "body_en": {"x"}, "audience": {"public"}},
	} {
		if p := lena.post(path, form); p.status != 403 {
			t.Errorf("an agent without knowledge_editor posts %s: %d", path, p.status)
		}
	}
	if p := lena.get(fmt.Sprintf("/kb/%d/versions", hidden["Draft printer answer"])); p.status != 200 || strings.Contains(p.body, "kb-edit") {
		t.Errorf("an agent reading a draft's versions: %d", p.status)
	}
	if a, _ := e.kb.Article(desk.WithActor(context.Background(), e.admin), pub); a.State != knowledge.Published || a.Version != 2 {
		t.Errorf("the article changed: %s, version %d", a.State, a.Version)
	}
}
