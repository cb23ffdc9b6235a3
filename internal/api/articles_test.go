package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

type hitJSON struct {
	Article     articleJSON `json:"article"`
	Lang        string      `json:"lang"`
	TitleHTML   string      `json:"title_html"`
	SnippetHTML string      `json:"snippet_html"`
}

func articleIn(title, body, audience string) map[string]any {
	return map[string]any{"translations": []map[string]any{{"lang": "en", "title": title, "body": body}}, "audience": audience}
}

func (c *client) createArticle(body map[string]any) articleJSON {
	c.t.Helper()
	return decode[articleJSON](c.t, c.do("POST", "/api/v1/articles", body).want(c.t, http.StatusCreated))
}

func articleURL(a articleJSON, suffix string) string {
	return fmt.Sprintf("/api/v1/articles/%d%s", a.ID, suffix)
}

// publishArticle publishes a as c.
func (c *client) publishArticle(a articleJSON) articleJSON {
	c.t.Helper()
	return decode[articleJSON](c.t, c.do("POST", articleURL(a, "/publish"), nil, withHeader("If-Match", etag(a.Version))).want(c.t, http.StatusOK))
}

// An administrator grants an agent knowledge_editor; the agent writes an
// article in English and Russian, edits it, publishes it; everyone reads
// it as their role allows; a stale edit is 412.
func TestArticles_WriteEditPublish(t *testing.T) {
	e := newEnv(t)
	e.agent.do("POST", "/api/v1/articles", articleIn("x", "y", "public")).want(t, http.StatusForbidden)
	e.agent.do("PUT", fmt.Sprintf("/api/v1/knowledge-editors/%d", e.agent.userID), nil).want(t, http.StatusForbidden)
	e.admin.do("PUT", fmt.Sprintf("/api/v1/knowledge-editors/%d", e.alice.userID), nil).want(t, http.StatusUnprocessableEntity)
	e.admin.do("PUT", fmt.Sprintf("/api/v1/knowledge-editors/%d", e.agent.userID), nil).want(t, http.StatusNoContent)
	eds := decode[struct{ Editors []struct{ ID int64 } }](t, e.agent.get("/api/v1/knowledge-editors").want(t, http.StatusOK))
	if len(eds.Editors) != 1 || eds.Editors[0].ID != e.agent.userID {
		t.Errorf("editors = %+v", eds)
	}

	in := map[string]any{"key": "printer-offline", "audience": "public", "keywords": []string{"spooler"}, "review_at": "2027-06-01",
		"translations": []map[string]any{
			{"lang": "en", "title": "Printer shows offline", "body": "Restart the **print spooler**.\n\n<script>alert(1)</script>\n\n[x](javascript:alert(2))"},
			{"lang": "ru", "title": "Принтер не в сети", "body": "Перезапустите диспетчер печати."}}}
	r := e.agent.do("POST", "/api/v1/articles", in).want(t, http.StatusCreated)
	a := decode[articleJSON](t, r)
	if r.header.Get("ETag") != etag(1) || a.State != "draft" || len(a.Translations) != 2 || a.ReviewAt == nil || *a.ReviewAt != "2027-06-01" {
		t.Fatalf("created %+v (ETag %s)", a, r.header.Get("ETag"))
	}
	html := a.Translations[0].BodyHTML
	if !strings.Contains(html, "<strong>print spooler</strong>") || strings.Contains(html, "<script") || strings.Contains(html, "javascript:") {
		t.Errorf("body_html is not rendered safely: %s", html)
	}
	e.alice.get(articleURL(a, "")).want(t, http.StatusNotFound) // a draft

	in["note"] = "mention the queue"
	in["translations"].([]map[string]any)[0]["body"] = "Restart the print spooler, then clear the queue."
	a2 := decode[articleJSON](t, e.agent.do("PUT", articleURL(a, ""), in, withHeader("If-Match", etag(1))).want(t, http.StatusOK))
	if a2.Version != 2 {
		t.Errorf("version after the edit = %d", a2.Version)
	}
	p := problemOf(t, e.agent.do("PUT", articleURL(a, ""), in, withHeader("If-Match", etag(1))).want(t, http.StatusPreconditionFailed))
	if !strings.Contains(p.Detail, "version 2") {
		t.Errorf("stale edit problem = %+v", p)
	}
	e.agent.do("POST", articleURL(a, "/publish"), nil, withHeader("If-Match", etag(1))).want(t, http.StatusPreconditionFailed)
	a3 := e.agent.publishArticle(a2)
	e.agent.do("POST", articleURL(a, "/publish"), map[string]any{"note": "again"}).want(t, http.StatusConflict)
	got := decode[articleJSON](t, e.alice.get(articleURL(a, "")).want(t, http.StatusOK))
	if got.State != "published" || got.Version != a3.Version {
		t.Errorf("the requester reads %+v", got)
	}

	vs := decode[struct{ Versions []versionJSON }](t, e.agent.get(articleURL(a, "/versions")).want(t, http.StatusOK))
	if len(vs.Versions) != 3 || vs.Versions[1].Note != "mention the queue" || vs.Versions[2].Note != "created" {
		t.Errorf("versions = %+v", vs.Versions)
	}
	e.alice.get(articleURL(a, "/versions")).want(t, http.StatusForbidden)
	v1 := decode[versionJSON](t, e.agent.get(articleURL(a, "/versions/1")).want(t, http.StatusOK))
	if v1.Content == nil || !strings.Contains(v1.Content.Translations[0].Body, "<script>") || strings.Contains(v1.Content.Translations[0].BodyHTML, "<script") {
		t.Errorf("version 1 = %+v", v1.Content)
	}
	d := decode[struct {
		Added, Removed int
		Lines          []struct{ Op, Text string }
	}](t, e.agent.get(articleURL(a, "/diff?from=1&to=2")).want(t, http.StatusOK))
	if d.Added != 1 || d.Removed != 5 {
		t.Errorf("diff 1→2: +%d -%d %+v", d.Added, d.Removed, d.Lines)
	}
	e.agent.get(articleURL(a, "/diff?from=1"), invalid).want(t, http.StatusUnprocessableEntity)
	e.agent.get(articleURL(a, "/versions/9")).want(t, http.StatusNotFound)

	retired := decode[articleJSON](t, e.agent.do("POST", articleURL(a, "/retire"), map[string]any{"note": "replaced"}).want(t, http.StatusOK))
	e.alice.get(articleURL(a, "")).want(t, http.StatusNotFound)
	back := decode[articleJSON](t, e.agent.do("POST", articleURL(a, "/draft"), nil, withHeader("If-Match", etag(retired.Version))).want(t, http.StatusOK))
	if back.State != "draft" {
		t.Errorf("state after draft = %s", back.State)
	}
	e.admin.do("DELETE", fmt.Sprintf("/api/v1/knowledge-editors/%d", e.agent.userID), nil).want(t, http.StatusNoContent)
	e.agent.do("POST", articleURL(a, "/publish"), nil).want(t, http.StatusForbidden)
}

// Search is stemmed in both languages, ranked, and escapes its snippets;
// requesters never find drafts or internal articles.
func TestArticles_Search(t *testing.T) {
	e := newEnv(t)
	printer := e.admin.publishArticle(e.admin.createArticle(articleIn("Printer <b>offline</b>", "Restart the print spooler & wait.", "public")))
	internal := e.admin.publishArticle(e.admin.createArticle(articleIn("Printer firmware", "Flash the printer firmware.", "internal")))
	draft := e.admin.createArticle(articleIn("Printer draft", "printer notes", "public"))
	ru := e.admin.publishArticle(e.admin.createArticle(map[string]any{"audience": "public",
		"translations": []map[string]any{{"lang": "ru", "title": "Принтер не печатает", "body": "Проверьте бумагу."}}}))

	search := func(c *client, q string) []hitJSON {
		t.Helper()
		return decode[struct{ Hits []hitJSON }](t, c.get("/api/v1/articles?q="+q).want(t, http.StatusOK)).Hits
	}
	ids := func(hs []hitJSON) (out []int64) {
		for _, h := range hs {
			out = append(out, h.Article.ID)
		}
		return out
	}
	if got := ids(search(e.agent, "printing")); len(got) != 3 || got[0] == draft.ID && got[1] == draft.ID {
		t.Errorf("staff search printing = %v", got)
	}
	hs := search(e.alice, "printing")
	if got := ids(hs); len(got) != 1 || got[0] != printer.ID {
		t.Fatalf("requester search printing = %v, want only %d (not internal %d or draft %d)", got, printer.ID, internal.ID, draft.ID)
	}
	if hs[0].TitleHTML != "<mark>Printer</mark> &lt;b&gt;offline&lt;/b&gt;" || hs[0].SnippetHTML != "Restart the <mark>print</mark> spooler &amp; wait." {
		t.Errorf("hit = %+v", hs[0])
	}
	if got := ids(search(e.alice, "%D0%BF%D1%80%D0%B8%D0%BD%D1%82%D0%B5%D1%80%D1%8B")); len(got) != 1 || got[0] != ru.ID { // принтеры
		t.Errorf("requester search принтеры = %v, want %d", got, ru.ID)
	}
	if got := ids(search(e.alice, "printing&state=draft&audience=internal")); len(got) != 1 {
		t.Errorf("a requester asking for drafts and internal articles gets %v", got)
	}
	list := decode[struct{ Articles []articleJSON }](t, e.alice.get("/api/v1/articles?state=draft").want(t, http.StatusOK))
	for _, a := range list.Articles {
		if a.State != "published" || a.Audience != "public" {
			t.Errorf("a requester's list holds %d (%s, %s)", a.ID, a.State, a.Audience)
		}
	}
	all := decode[struct {
		Articles   []articleJSON
		NextCursor string `json:"next_cursor"`
	}](t, e.agent.get("/api/v1/articles?limit=3").want(t, http.StatusOK))
	if len(all.Articles) != 3 || all.NextCursor == "" {
		t.Fatalf("first page = %d articles, cursor %q", len(all.Articles), all.NextCursor)
	}
	rest := decode[struct{ Articles []articleJSON }](t, e.agent.get("/api/v1/articles?limit=3&cursor="+all.NextCursor).want(t, http.StatusOK))
	if len(rest.Articles) != 1 || rest.Articles[0].ID != printer.ID {
		t.Errorf("second page = %+v", rest.Articles)
	}
	e.agent.get("/api/v1/articles?state=gone").want(t, http.StatusUnprocessableEntity)
	e.anon.get("/api/v1/articles").want(t, http.StatusUnauthorized)
}

// Bad input: a body over the article limit is 422, one over the request
// limit (10 MB) is 413, and neither stores anything.
func TestArticles_BadInput(t *testing.T) {
	e := newEnv(t)
	big := strings.Repeat("printer ", 40_000) // 320 KB
	p := problemOf(t, e.admin.do("POST", "/api/v1/articles", articleIn("Big", big, "public")).want(t, http.StatusUnprocessableEntity))
	if len(p.Errors) != 1 || p.Errors[0].Field != "translations[0].body" || p.Errors[0].Rule != "too_large" {
		t.Errorf("problem = %+v", p)
	}
	huge := strings.Repeat("x", 10<<20)
	e.admin.do("POST", "/api/v1/articles", articleIn("Huge", huge, "public")).want(t, http.StatusRequestEntityTooLarge)
	e.admin.do("POST", "/api/v1/articles", map[string]any{"translations": []map[string]any{{"lang": "de", "title": "x", "body": "y"}}},
		invalid).want(t, http.StatusUnprocessableEntity)
	e.admin.do("POST", "/api/v1/articles", map[string]any{"translations": []map[string]any{}}, invalid).want(t, http.StatusUnprocessableEntity)
	e.admin.do("POST", "/api/v1/articles", map[string]any{"key": "../etc", "translations": []map[string]any{{"lang": "en", "title": "x", "body": "y"}}},
		invalid).want(t, http.StatusUnprocessableEntity)
	e.admin.do("POST", "/api/v1/articles", map[string]any{"category_id": 999, "translations": []map[string]any{{"lang": "en", "title": "x", "body": "y"}}}).want(t, http.StatusUnprocessableEntity)
	e.admin.do("PUT", "/api/v1/articles/1", articleIn("x", "y", "public"), withHeader("If-Match", "W/\"1\"")).want(t, http.StatusNotFound)
	list := decode[struct{ Articles []articleJSON }](t, e.admin.get("/api/v1/articles").want(t, http.StatusOK))
	if len(list.Articles) != 0 {
		t.Errorf("refused articles were stored: %d", len(list.Articles))
	}
}

// Articles on tickets: link, send to the requester as a comment, turn a
// resolution into a draft, the portal's deflection, and the report.
func TestArticles_Tickets(t *testing.T) {
	e := newEnv(t)
	pub := e.admin.publishArticle(e.admin.createArticle(articleIn("Printer jam", "Open tray 2 and pull the sheet.", "public")))
	internal := e.admin.publishArticle(e.admin.createArticle(articleIn("Printer firmware", "Flash it.", "internal")))
	tk := e.agent.createTicket(ticketIn("Printer jams"))
	url := ticketURL(tk, "/articles")
	e.alice.do("POST", url, map[string]any{"article_id": pub.ID, "kind": "solved_by"}).want(t, http.StatusForbidden)
	e.agent.do("POST", url, map[string]any{"article_id": pub.ID, "kind": "solved_by"}).want(t, http.StatusCreated)
	e.agent.do("POST", url, map[string]any{"article_id": internal.ID, "kind": "relevant"}).want(t, http.StatusCreated)
	e.agent.do("POST", url, map[string]any{"article_id": internal.ID, "kind": "bogus"}, invalid).want(t, http.StatusUnprocessableEntity)
	mine := decode[struct{ Articles []articleLinkJSON }](t, e.alice.get(url).want(t, http.StatusOK))
	if len(mine.Articles) != 1 || mine.Articles[0].Article.ID != pub.ID {
		t.Errorf("the requester sees linked %+v, want only the public article", mine.Articles)
	}
	e.agent.do("POST", fmt.Sprintf("%s/%d/send", url, internal.ID), nil).want(t, http.StatusConflict)
	sent := decode[struct{ Body string }](t, e.agent.do("POST", fmt.Sprintf("%s/%d/send", url, pub.ID), map[string]any{"lang": "en"}).want(t, http.StatusCreated))
	if !strings.Contains(sent.Body, "Printer jam") || !strings.Contains(sent.Body, fmt.Sprintf("/kb/%d", pub.ID)) {
		t.Errorf("sent comment = %q", sent.Body)
	}
	evs := string(e.alice.get(ticketURL(tk, "/events")).want(t, http.StatusOK).body)
	if !strings.Contains(evs, "Open tray 2") {
		t.Errorf("the requester's timeline lacks the sent article: %s", evs)
	}
	e.agent.do("DELETE", fmt.Sprintf("%s/%d", url, internal.ID), nil).want(t, http.StatusNoContent)
	e.agent.do("DELETE", fmt.Sprintf("%s/%d", url, internal.ID), nil).want(t, http.StatusNotFound)

	e.admin.do("POST", ticketURL(tk, "/article-draft"), nil).want(t, http.StatusConflict) // not resolved
	tk = e.agent.move(tk, map[string]any{"to": "assigned"})
	tk = e.agent.move(tk, map[string]any{"to": "in_progress"})
	tk = e.agent.move(tk, map[string]any{"to": "resolved", "resolution_code": "solved", "resolution_notes": "Replaced the fuser unit."})
	e.agent.do("POST", ticketURL(tk, "/article-draft"), nil).want(t, http.StatusForbidden) // not an editor
	draft := decode[articleJSON](t, e.admin.do("POST", ticketURL(tk, "/article-draft"), nil).want(t, http.StatusCreated))
	body := draft.Translations[0].Body
	if draft.State != "draft" || draft.Translations[0].Title != "Printer jams" || !strings.Contains(body, "Replaced the fuser unit.") || !strings.Contains(body, "## Symptoms") {
		t.Errorf("draft from the resolution = %+v", draft)
	}

	e.alice.do("POST", articleURL(internal, "/deflections"), map[string]any{"query": "firmware"}).want(t, http.StatusNotFound)
	e.bob.do("POST", articleURL(pub, "/deflections"), map[string]any{"query": "paper stuck"}).want(t, http.StatusNoContent)
	e.alice.get("/api/v1/reports/knowledge?from=2000-01-01&to=2100-01-01").want(t, http.StatusForbidden)
	rep := decode[struct {
		Articles []struct {
			ID          int64
			SolvedBy    int `json:"solved_by"`
			Deflections int
		}
		Links                     map[string]int
		Deflections               int
		TicketsCreated            int     `json:"tickets_created"`
		ReuseRate                 float64 `json:"reuse_rate"`
		CategoriesWithoutArticles []any   `json:"categories_without_articles"`
	}](t, e.agent.get("/api/v1/reports/knowledge?from=2000-01-01&to=2100-01-01").want(t, http.StatusOK))
	if rep.Links["solved_by"] != 2 || rep.Links["relevant"] != 0 || rep.Deflections != 1 || rep.TicketsCreated != 1 || rep.ReuseRate != 1.5 {
		t.Errorf("report = %+v", rep)
	}
	e.agent.get("/api/v1/reports/knowledge?from=2100-01-01&to=2000-01-01").want(t, http.StatusUnprocessableEntity)
}
