package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// russian switches the browser's language with the footer's button.
func (b *browser) russian() {
	b.t.Helper()
	b.submit("button[name=lang][value=ru]")
}

// TestBrowser_KnowledgeArticleRu: an administrator makes an agent a
// knowledge editor on the user page; the agent, in Russian, opens the
// editor with n, writes an article in Markdown (with a script that must
// not run), saves a draft, publishes it with u and finds it by another
// form of a word, highlighted; its versions compare.
func TestBrowser_KnowledgeArticleRu(t *testing.T) {
	s := newSite(t)
	lena := s.user("lena@example.com", "Лена Первова", "agent", pw, 1)
	s.user("root@example.com", "Rita Root", "admin", pw)
	s.api("POST", "/api/v1/categories", map[string]any{"name": "Принтеры"})
	bs := newBrowsers(t)

	admin := bs.browser(s)
	admin.signIn("root@example.com", pw)
	admin.open(fmt.Sprintf("/admin/users/%d", lena))
	admin.submit("#kb-editor-grant")
	admin.wantText("Now a knowledge editor.", "Writes and publishes articles (knowledge editor).")

	b := bs.browser(s)
	b.signIn("lena@example.com", pw)
	b.open("/kb")
	b.russian()
	b.wantText("База знаний", "Статей пока нет.")
	b.pressSubmit("n")
	if b.page() != "kb_edit" {
		t.Fatalf("n opened %q, want the editor", b.page())
	}
	b.fill("#title_ru", "Принтер не печатает после обновления")
	b.fill("#body_ru", "## Решение\n\n1. Удалите **драйвер**.\n2. Перезапустите службу печати.\n\n<script>alert('xss')</script>\n[ссылка](javascript:alert(1))")
	b.choose("#kb-category", eval[string](b, "[...document.querySelectorAll('#kb-category option')].find(o => o.text === 'Принтеры').value"))
	b.do("audience", chromedpClick("input[name=audience][value=public]"))
	b.fill("#kb-keywords", "печать, драйвер")
	b.submit("#kb-save")
	if b.page() != "kb_article" {
		t.Fatalf("saving went to %q:\n%s", b.page(), b.bodyText())
	}
	b.wantText("Статья сохранена.", "Принтер не печатает после обновления", "черновик", "Перезапустите службу печати.")
	if n := eval[int](b, "document.querySelectorAll('.kb-body strong, .kb-body ol li, .kb-body h2').length"); n != 4 {
		t.Errorf("the Markdown rendered %d elements, want 4 (bold, two list items, heading)", n)
	}
	if eval[bool](b, "!!document.querySelector('.kb-body script, .kb-body a[href^=javascript]')") {
		t.Error("the article keeps a script or a javascript: link")
	}
	b.screenshot("draft")
	b.key("u") // focuses Publish; Enter presses it
	b.pressSubmit("\r")
	b.wantText("Статья опубликована.", "опубликована")
	if b.dialogs.Load() != 0 {
		t.Error("a script in the article ran")
	}

	b.open("/kb")
	b.key("/")
	if id := eval[string](b, "document.activeElement.id"); id != "kb-q" {
		t.Fatalf("/ focused %q, want the search field", id)
	}
	b.fill("#kb-q", "принтеры")
	b.pressSubmit("\r")
	b.wantText("Найдена 1 статья.")
	if got := b.text(".kb-title mark"); got != "Принтер" {
		t.Errorf("the hit highlighted is %q, want Принтер", got)
	}
	b.screenshot("search")
	b.submit(".kb-title")
	b.open(eval[string](b, "location.pathname") + "/versions")
	b.wantText("Версии", "создана", "опубликована")
	b.submit("#kb-compare")
	b.wantText("Изменения с версии 1 по 2", "состояние: черновик", "состояние: опубликована")
	b.screenshot("diff")
}

// TestBrowser_KnowledgeDeflection: a requester types a problem into the
// report form and a published article appears beside it as they type;
// "This solved it" ends the contact with no ticket. Typing again and
// sending the report anyway keeps the article on the new ticket. A draft
// and an internal article on the same words never appear.
func TestBrowser_KnowledgeDeflection(t *testing.T) {
	s := newSite(t)
	s.user("sam@example.com", "Сэм Петров", "requester", pw)
	article := func(title, audience string, publish bool) int64 {
		id := s.id(s.api("POST", "/api/v1/articles", map[string]any{"audience": audience, "translations": []any{
			map[string]any{"lang": "ru", "title": title, "body": "Очередь печати зависла: перезапустите диспетчер печати."}}}))
		if publish {
			s.api("POST", fmt.Sprintf("/api/v1/articles/%d/publish", id), nil)
		}
		return id
	}
	// The requester types "Принтеры не печатают": «принтеры» and «печатают»
	// stem to the article's «принтер» and «печатает» (textan's Snowball).
	public := article("Принтер не печатает", "public", true)
	draft := article("Принтер не печатает: черновик", "public", false)
	internal := article("Принтер не печатает: для сотрудников", "internal", true)
	b := newBrowsers(t).browser(s)
	b.signIn("sam@example.com", pw)
	b.open("/report")
	b.russian()
	typeReport := func() {
		b.fill("#title", "Принтеры не печатают")
		b.waitFor("the article beside the form", fmt.Sprintf("!!document.querySelector('#kb-suggest-list a[href=\"/kb/%d\"]')", public))
	}
	typeReport()
	for _, id := range []int64{draft, internal} {
		if b.has(fmt.Sprintf("#kb-suggest a[href='/kb/%d']", id)) {
			t.Errorf("the portal suggests article %d", id)
		}
	}
	b.wantText("Ответы, которые могут помочь", "Это помогло")
	b.screenshot("suggested")
	b.submit("#kb-suggest-list .kb-solved")
	b.wantText("Рады, что помогло", "Очередь печати зависла")
	b.open("/my")
	b.wantText("У вас 0 открытых заявок.")

	b.open("/report")
	typeReport()
	b.fill("#description", "Очередь печати стоит с утра.")
	b.do("choose", chromedpClick("input[name=kind][value=broken]"), chromedpClick("input[name=people][value=me]"),
		chromedpClick("input[name=soon][value=today]"))
	b.submit("#kb-still-help")
	if b.page() != "portal_ticket" {
		t.Fatalf("still need help went to %q:\n%s", b.page(), b.bodyText())
	}
	b.wantText("Статьи по этой заявке", "Принтер не печатает")
	if !b.has(fmt.Sprintf("#kb-ticket-articles a[href='/kb/%d']", public)) {
		t.Error("the new ticket does not keep the article shown")
	}
	b.screenshot("kept")
	day := time.Now().UTC()
	rep := s.api("GET", "/api/v1/reports/knowledge?from="+day.AddDate(0, 0, -1).Format(time.DateOnly)+"&to="+day.AddDate(0, 0, 1).Format(time.DateOnly), nil)
	if rep["deflections"] != float64(1) {
		t.Errorf("deflections reported: %v", rep["deflections"])
	}
}

// TestBrowser_KnowledgeFromResolution: an agent who is a knowledge editor
// takes a ticket (t), resolves it (r), and turns the resolution into an
// article with w: the draft is prefilled from the ticket and linked to it
// as having solved it; she publishes it from the editor.
func TestBrowser_KnowledgeFromResolution(t *testing.T) {
	s := newSite(t)
	lena := s.user("lena@example.com", "Lena Lineone", "agent", pw, 1)
	s.api("PUT", fmt.Sprintf("/api/v1/knowledge-editors/%d", lena), nil)
	number := s.phoneTicket("VPN drops every ten minutes", "medium", "medium", time.Now())
	b := newBrowsers(t).browser(s)
	b.signIn("lena@example.com", pw)
	b.open("/tickets/" + number)
	if b.has("#kb-draft") {
		t.Error("an open ticket offers an article from its resolution")
	}
	b.key("t")
	b.pressSubmit("\r")
	b.wantText("You are working on this ticket now.")
	b.key("r")
	b.choose("#resolution-code", eval[string](b, "document.querySelector('#resolution-code option:nth-child(2)').value"))
	b.fill("#resolution-notes", "Switched the VPN client to TCP on port 443.")
	b.submit("#act-resolve button[type=submit]")
	b.wantText("Resolved")
	b.key("w")
	b.pressSubmit("\r")
	if b.page() != "kb_edit" {
		t.Fatalf("w went to %q:\n%s", b.page(), b.bodyText())
	}
	b.wantText("Draft made from the resolution")
	if v := eval[string](b, "document.querySelector('#title_en').value"); v != "VPN drops every ten minutes" {
		t.Errorf("the draft's title is %q", v)
	}
	body := eval[string](b, "document.querySelector('#body_en').value")
	if !strings.Contains(body, "Switched the VPN client to TCP on port 443.") || !strings.Contains(body, number) {
		t.Errorf("the draft's text:\n%s", body)
	}
	b.choose("#kb-state-sel", "published")
	b.do("audience", chromedpClick("input[name=audience][value=public]"))
	b.submit("#kb-save")
	b.wantText("Article saved.", "published")
	b.screenshot("published")
	b.open("/tickets/" + number)
	if got := b.text("#kb-linked"); !strings.Contains(got, "solved it") || !strings.Contains(got, "VPN drops every ten minutes") {
		t.Errorf("the ticket's linked articles: %q", got)
	}
}
