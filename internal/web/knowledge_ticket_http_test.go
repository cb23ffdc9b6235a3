package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/knowledge"
)

// kbArticles are a published public, a published internal and a draft
// article about printers in the env's category.
type kbArticles struct{ public, internal, draft *knowledge.Article }

func (e *kbEnv) printerArticles(t *testing.T) kbArticles {
	t.Helper()
	ctx := desk.WithActor(context.Background(), e.admin)
	mk := func(title string, aud knowledge.Audience, publish bool) *knowledge.Article {
		a, err := e.kb.Create(ctx, knowledge.Input{Audience: aud, CategoryID: e.cat.ID,
			Translations: []knowledge.Translation{{Lang: "ru", Title: title, Body: "Перезапустите диспетчер печати принтера."}}})
		if err != nil {
			t.Fatal(err)
		}
		if publish {
			if a, err = e.kb.SetState(ctx, a.ID, knowledge.Published, 0, ""); err != nil {
				t.Fatal(err)
			}
		}
		return a
	}
	return kbArticles{mk("Принтер не печатает", knowledge.Public, true), mk("Служебное: драйверы принтеров", knowledge.Internal, true),
		mk("Черновик про принтеры", knowledge.Public, false)}
}

// ticket registers a ticket for Sam as Lena, restricted or not, and moves
// it through the states given.
func (e *kbEnv) ticket(t *testing.T, title string, restricted bool, to ...desk.TransitionInput) *desk.Ticket {
	t.Helper()
	ctx := desk.WithActor(context.Background(), e.lena)
	tk, _, err := e.d.CreateTicket(ctx, desk.NewTicket{Type: desk.TypeIncident, Title: title, Channel: desk.ChannelPhone,
		Restricted: restricted, Requester: desk.PersonInput{Email: "sam@example.com"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range to {
		if tk, err = e.d.Transition(ctx, tk.Number, in); err != nil {
			t.Fatal(err)
		}
	}
	return tk
}

func (e *kbEnv) resolved() []desk.TransitionInput {
	return []desk.TransitionInput{{To: desk.StateAssigned, AssigneeID: e.lena.ID}, {To: desk.StateInProgress},
		{To: desk.StateResolved, ResolutionCode: desk.ResolutionCodes[0], ResolutionNotes: "Перезапущен диспетчер печати."}}
}

func href(id int64) string { return fmt.Sprintf(`href="/kb/%d"`, id) }

// TestWeb_KnowledgeOnTicket: the agent's ticket page shows matching
// published articles (public and internal, never drafts) once the ticket
// has a category; the agent links one and sends a public one to the
// requester as a public comment in one action; the requester's page shows
// only the public published articles linked; a writer turns a resolution
// into a draft linked to the ticket, and a restricted ticket is refused.
func TestWeb_KnowledgeOnTicket(t *testing.T) {
	e := newKBEnv(t)
	arts := e.printerArticles(t)
	tk := e.ticket(t, "Принтеры на третьем этаже не печатают", false)
	lena := e.signedIn("lena@example.com")
	page := lena.get("/tickets/"+tk.Number, "Accept-Language", "ru").body
	if !strings.Contains(page, `id="kb-no-category"`) || strings.Contains(page, href(arts.public.ID)) {
		t.Fatal("articles are suggested before the ticket has a category")
	}
	cat := e.cat.ID
	if _, err := e.d.UpdateTicket(desk.WithActor(context.Background(), e.lena), tk.Number, desk.TicketPatch{CategoryID: &cat}); err != nil {
		t.Fatal(err)
	}
	page = lena.get("/tickets/"+tk.Number, "Accept-Language", "ru").body
	if !strings.Contains(page, href(arts.public.ID)) || !strings.Contains(page, href(arts.internal.ID)) || strings.Contains(page, href(arts.draft.ID)) {
		t.Fatalf("the suggestions once categorised are wrong:\n%s", page[strings.Index(page, `id="kb-h"`):])
	}
	if !strings.Contains(page, `data-key="i"`) || strings.Contains(page, `id="kb-draft"`) {
		t.Error("the panel's shortcut is missing, or an open ticket offers a draft from its resolution")
	}
	csrf := lena.csrf("/tickets/" + tk.Number)
	post := func(c *client, path string, f url.Values) response {
		f.Set("csrf", csrf)
		return c.post(path, f)
	}
	if p := post(lena, "/tickets/"+tk.Number+"/kb/link", url.Values{"article_id": {fmt.Sprint(arts.internal.ID)}, "kind": {"relevant"}}); p.status != 303 {
		t.Fatalf("link: %d", p.status)
	}
	if p := post(lena, "/tickets/"+tk.Number+"/kb/link", url.Values{"article_id": {fmt.Sprint(arts.public.ID)}, "kind": {"shown"}}); p.status != 422 {
		t.Errorf("an agent links as shown: %d", p.status)
	}
	if p := post(lena, "/tickets/"+tk.Number+"/kb/send", url.Values{"article_id": {fmt.Sprint(arts.internal.ID)}}); p.status != 409 {
		t.Errorf("an internal article sent to the requester: %d", p.status)
	}
	if p := post(lena, "/tickets/"+tk.Number+"/kb/send", url.Values{"article_id": {fmt.Sprint(arts.public.ID)}}); p.status != 303 {
		t.Fatalf("send: %d", p.status)
	}
	links, err := e.kb.TicketArticles(desk.WithActor(context.Background(), e.lena), tk.Number)
	if err != nil || len(links) != 2 {
		t.Fatalf("links after link and send: %v %v", links, err)
	}
	sam := e.signedIn("sam@example.com")
	mine := sam.get("/tickets/"+tk.Number, "Accept-Language", "ru").body
	if !strings.Contains(mine, "Перезапустите диспетчер печати принтера.") {
		t.Error("the sent article is not a public comment the requester reads")
	}
	box := mine[strings.Index(mine, `id="kb-ticket-articles"`):]
	if !strings.Contains(box, href(arts.public.ID)) || strings.Contains(mine, href(arts.internal.ID)) || strings.Contains(mine, "Служебное") {
		t.Errorf("the requester's page shows the wrong articles:\n%s", box)
	}

	// From a resolution to a draft: writers only, resolved tickets only, never a restricted one.
	done := e.ticket(t, "Принтер зажёвывает бумагу", false, e.resolved()...)
	if strings.Contains(lena.get("/tickets/"+done.Number).body, `id="kb-draft"`) {
		t.Error("an agent who is not a knowledge editor is offered a draft")
	}
	ada := e.signedIn("ada@example.com")
	if !strings.Contains(ada.get("/tickets/"+done.Number).body, `id="kb-draft"`) {
		t.Fatal("a resolved ticket offers no draft to an administrator")
	}
	p := ada.post("/tickets/"+done.Number+"/kb/draft", url.Values{"csrf": {ada.csrf("/tickets/" + done.Number)}})
	m := kbEditRE.FindStringSubmatch(p.header.Get("Location"))
	if p.status != 303 || m == nil {
		t.Fatalf("draft from a resolution: %d %s", p.status, p.header.Get("Location"))
	}
	edit := ada.get(p.header.Get("Location"), "Accept-Language", "ru").body
	for _, want := range []string{`value="Принтер зажёвывает бумагу"`, "Перезапущен диспетчер печати.", "Черновик по решению создан"} {
		if !strings.Contains(edit, want) {
			t.Errorf("the draft's editor lacks %q", want)
		}
	}
	restricted := e.ticket(t, "Утечка пароля администратора", true, e.resolved()...)
	rpage := ada.get("/tickets/" + restricted.Number).body
	if strings.Contains(rpage, `id="kb-draft"`) {
		t.Error("a restricted ticket offers a draft")
	}
	p = ada.post("/tickets/"+restricted.Number+"/kb/draft", url.Values{"csrf": {ada.csrf("/tickets/" + restricted.Number)}})
	if p.status != 409 || !strings.Contains(p.body, "restricted ticket") {
		t.Errorf("a restricted ticket's resolution made into an article: %d", p.status)
	}
	page2, err := e.kb.List(desk.WithActor(context.Background(), e.admin), knowledge.Filter{})
	if err != nil || len(page2.Articles) != 4 {
		t.Errorf("articles after one draft and one refusal: %d %v", len(page2.Articles), err)
	}
}

// TestWeb_KnowledgePortal: beside the report form the requester gets the
// matching published public articles (without JavaScript on "Find
// answers", with it from /report/suggest), never drafts or internal ones;
// "This solved it" records a deflected contact and creates no ticket;
// a report sent anyway keeps the articles shown on the new ticket.
func TestWeb_KnowledgePortal(t *testing.T) {
	e := newKBEnv(t)
	arts := e.printerArticles(t)
	sam := e.signedIn("sam@example.com")
	form := sam.get("/report", "Accept-Language", "ru").body
	if !strings.Contains(form, `id="kb-find"`) || !strings.Contains(form, "здесь появляются статьи") {
		t.Fatal("the report form has no articles beside it")
	}
	csrf := sam.csrf("/report")
	typed := url.Values{"csrf": {csrf}, "key": {"k1"}, "title": {"Принтеры не печатают"}, "description": {"Очередь печати зависла"},
		"find": {"1"}}
	found := sam.post("/report", typed, "Accept-Language", "ru")
	if found.status != 200 || !strings.Contains(found.body, href(arts.public.ID)) || !strings.Contains(found.body, `value="Принтеры не печатают"`) {
		t.Fatalf("Find answers: %d\n%s", found.status, found.body)
	}
	for _, hidden := range []*knowledge.Article{arts.internal, arts.draft} {
		if strings.Contains(found.body, href(hidden.ID)) {
			t.Errorf("the portal suggests %q", hidden.Translations[0].Title)
		}
	}
	if !strings.Contains(found.body, fmt.Sprintf(`name="shown" value="%d"`, arts.public.ID)) {
		t.Error("the articles shown do not go with the report")
	}
	js := sam.get("/report/suggest?" + url.Values{"title": {"принтеры"}, "description": {"печать"}}.Encode())
	var sug struct{ Articles []struct{ ID int64 } }
	if err := json.Unmarshal([]byte(js.body), &sug); err != nil || len(sug.Articles) != 1 || sug.Articles[0].ID != arts.public.ID {
		t.Errorf("suggest: %s %v", js.body, err)
	}
	tickets := func() int {
		rid := e.sam.ID
		page, err := e.d.ListTickets(desk.WithActor(context.Background(), e.lena), desk.TicketFilter{RequesterID: &rid, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		return len(page.Tickets)
	}
	if p := sam.post("/report/solved", url.Values{"csrf": {csrf}, "article_id": {fmt.Sprint(arts.internal.ID)}, "q": {"x"}}); p.status != 404 {
		t.Errorf("a deflection by an internal article: %d", p.status)
	}
	p := sam.post("/report/solved", url.Values{"csrf": {csrf}, "article_id": {fmt.Sprint(arts.public.ID)}, "q": {"Принтеры не печатают"}})
	if p.status != 303 || tickets() != 0 {
		t.Fatalf("this solved it: %d, %d tickets", p.status, tickets())
	}
	ctx := desk.WithActor(context.Background(), e.admin)
	if r, err := e.kb.Report(ctx, arts.public.CreatedAt.AddDate(0, 0, -1), arts.public.CreatedAt.AddDate(0, 0, 1)); err != nil || r.Deflections != 1 {
		t.Errorf("deflections counted: %+v %v", r, err)
	}
	typed.Del("find")
	typed.Set("kind", "broken")
	typed.Set("people", "me")
	typed.Set("soon", "today")
	typed.Set("shown", fmt.Sprint(arts.public.ID))
	typed.Add("shown", fmt.Sprint(arts.internal.ID)) // a forged id the requester may not read is skipped
	p = sam.post("/report", typed)
	if p.status != 303 || tickets() != 1 {
		t.Fatalf("still need help: %d %s", p.status, p.body)
	}
	mine := sam.get(p.header.Get("Location")).body
	if !strings.Contains(mine, `id="kb-ticket-articles"`) || !strings.Contains(mine, href(arts.public.ID)) || strings.Contains(mine, href(arts.internal.ID)) {
		t.Error("the new ticket does not keep the articles shown")
	}
}

// TestWeb_KnowledgeReport: the reports page counts, for its days, the
// tickets solved by an article and the contacts answered in the portal,
// their reuse rate, the articles used, and the categories with no
// published article.
func TestWeb_KnowledgeReport(t *testing.T) {
	e := newKBEnv(t)
	arts := e.printerArticles(t)
	ctx := desk.WithActor(context.Background(), e.admin)
	if _, err := e.d.CreateCategory(ctx, desk.CategoryInput{Name: "Телефония"}); err != nil {
		t.Fatal(err)
	}
	solved := e.ticket(t, "Принтер не печатает", false, e.resolved()...)
	e.ticket(t, "Не работает телефон", false)
	if _, err := e.kb.Link(desk.WithActor(context.Background(), e.lena), solved.Number, arts.public.ID, knowledge.SolvedBy); err != nil {
		t.Fatal(err)
	}
	if err := e.kb.Deflect(desk.WithActor(context.Background(), e.sam), arts.public.ID, "принтер"); err != nil {
		t.Fatal(err)
	}
	lena := e.signedIn("lena@example.com")
	page := lena.get("/reports", "Accept-Language", "ru").body
	i := strings.Index(page, `id="kb-report"`)
	if i < 0 {
		t.Fatal("the reports page has no knowledge-base section")
	}
	section := page[i:]
	// (1 solved + 1 deflected) / (2 tickets + 1 deflected)
	for _, want := range []string{`id="kb-reuse">66,7 %`, `id="kb-deflected">1<`, href(arts.public.ID) + ">Принтер не печатает</a></th><td>1</td><td>1</td>",
		"<li>Телефония</li>"} {
		if !strings.Contains(section, want) {
			t.Errorf("the knowledge report lacks %q:\n%s", want, section)
		}
	}
	if strings.Contains(section, "<li>Принтеры</li>") {
		t.Error("a category with a published article is listed as without one")
	}
}
