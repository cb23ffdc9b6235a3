package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/knowledge"
	"github.com/tierdesk/tierdesk/internal/testclock"
)

// kbFixture is the fixture with a knowledge base over it, an admin and a
// knowledge editor.
type kbFixture struct {
	*fixture
	kn            *knowledge.Service
	st            knowledge.Store
	clock         *testclock.Clock
	admin, editor *desk.User
}

func newKBFixture(t *testing.T, open Opener) *kbFixture {
	t.Helper()
	f := newFixture(t, open)
	st, ok := f.s.(knowledge.Store)
	if !ok {
		t.Fatalf("%T is not a knowledge.Store", f.s)
	}
	clock := testclock.New(base)
	d := desk.New(f.s, clock, desk.DefaultConfig)
	k := &kbFixture{fixture: f, kn: knowledge.New(st, d, clock), st: st, clock: clock}
	k.admin = f.user(t, "admin@example.com", "Ada Admin", desk.RoleAdmin)
	k.editor = f.user(t, "kb@example.com", "Kira Editor", desk.RoleAgent)
	must(t, k.kn.SetEditor(desk.WithActor(ctx(t), k.admin), k.editor.ID, true))
	return k
}

func (k *kbFixture) as(t *testing.T, u *desk.User) context.Context { return desk.WithActor(ctx(t), u) }

// article creates and optionally publishes an article as the editor.
func (k *kbFixture) article(t *testing.T, in knowledge.Input, publish bool) *knowledge.Article {
	t.Helper()
	a, err := k.kn.Create(k.as(t, k.editor), in)
	must(t, err)
	if publish {
		a, err = k.kn.SetState(k.as(t, k.editor), a.ID, knowledge.Published, a.Version, "")
		must(t, err)
	}
	return a
}

func en(title, body string) []knowledge.Translation {
	return []knowledge.Translation{{Lang: "en", Title: title, Body: body}}
}

func testKnowledge(t *testing.T, open Opener) {
	t.Run("VersionsAndConcurrency", func(t *testing.T) { t.Parallel(); testKBVersions(t, open) })
	t.Run("Search", func(t *testing.T) { t.Parallel(); testKBSearch(t, open) })
	t.Run("SearchRanking", func(t *testing.T) { t.Parallel(); testKBSearchRanking(t, open) })
	t.Run("AnyWordFiltered", func(t *testing.T) { t.Parallel(); testKBAnyFiltered(t, open) })
	t.Run("Visibility", func(t *testing.T) { t.Parallel(); testKBVisibility(t, open) })
	t.Run("LinksAndReport", func(t *testing.T) { t.Parallel(); testKBLinks(t, open) })
}

func testKBVersions(t *testing.T, open Opener) {
	k := newKBFixture(t, open)
	c := k.as(t, k.editor)
	a := k.article(t, knowledge.Input{Key: "vpn-drops", Translations: []knowledge.Translation{
		{Lang: "ru", Title: "VPN отключается", Body: "Переподключитесь."}, {Lang: "en", Title: "VPN drops", Body: "Reconnect."}},
		CategoryID: k.printers.ID, ServiceIDs: []int64{k.mail.ID}, Keywords: []string{"vpn", " tunnel "}, Audience: knowledge.Public}, false)
	if a.Version != 1 || a.State != knowledge.Draft || a.Translations[0].Lang != "en" || a.Owner == nil || a.Owner.ID != k.editor.ID {
		t.Fatalf("created article = %+v", a)
	}
	got, err := k.st.Article(c, a.ID)
	must(t, err)
	diff(t, "stored article", a, got)

	k.clock.Advance(time.Hour)
	in := knowledge.Input{Key: "vpn-drops", Translations: []knowledge.Translation{{Lang: "en", Title: "VPN drops", Body: "Reconnect.\nThen restart."}},
		Audience: knowledge.Public, Note: "add the restart", IfVersion: 1}
	b, err := k.kn.Update(c, a.ID, in)
	must(t, err)
	if b.Version != 2 || len(b.Translations) != 1 || b.Category != nil {
		t.Errorf("updated article = %+v", b)
	}
	in.IfVersion = 1
	_, err = k.kn.Update(c, a.ID, in)
	wantCode(t, "edit of version 1 after version 2", err, desk.ESTALE)
	_, err = k.kn.SetState(c, a.ID, knowledge.Published, 1, "")
	wantCode(t, "publish of a stale version", err, desk.ESTALE)
	_, err = k.kn.SetState(c, a.ID, knowledge.Draft, 2, "")
	wantCode(t, "draft to draft", err, desk.ECONFLICT)

	vs, err := k.kn.Versions(c, a.ID)
	must(t, err)
	if len(vs) != 2 || vs[0].Number != 2 || vs[0].Note != "add the restart" || vs[1].Note != "created" || vs[0].Author.Name != "Kira Editor" {
		t.Fatalf("versions = %+v", vs)
	}
	if vs[1].Content.Translations[1].Title != "VPN отключается" || vs[1].Content.Category.Name != "Printers" {
		t.Errorf("version 1 lost its content: %+v", vs[1].Content)
	}
	d, err := k.kn.Diff(c, a.ID, 1, 2)
	must(t, err)
	added, removed := knowledge.DiffStats(d)
	if added != 4 || !strings.Contains(joinDiff(d), "+Then restart.") || !strings.Contains(joinDiff(d), "-category: Printers") || removed != 7 {
		t.Errorf("diff 1→2 (+%d -%d):\n%s", added, removed, joinDiff(d))
	}

	_, err = k.kn.Create(c, knowledge.Input{Key: "vpn-drops", Translations: en("Other", "x")})
	wantField(t, "a second article with the key", err, desk.ECONFLICT, "key")
	_, err = k.kn.Create(c, knowledge.Input{Translations: en("Other", "x"), CategoryID: 9999})
	wantField(t, "an unknown category", err, desk.EINVALID, "category_id")
	byKey, err := k.st.ArticleByKey(c, "vpn-drops")
	must(t, err)
	if byKey.ID != a.ID {
		t.Errorf("ArticleByKey = %d, want %d", byKey.ID, a.ID)
	}
}

func joinDiff(d []knowledge.DiffLine) string {
	var b strings.Builder
	for _, l := range d {
		b.WriteString(map[knowledge.Op]string{knowledge.Same: " ", knowledge.Add: "+", knowledge.Del: "-"}[l.Op] + l.Text + "\n")
	}
	return b.String()
}

func testKBSearch(t *testing.T, open Opener) {
	k := newKBFixture(t, open)
	c := k.as(t, k.agent)
	printer := k.article(t, knowledge.Input{Translations: en("Printer shows offline", "Restart the print spooler service."), Audience: knowledge.Public}, true)
	ru := k.article(t, knowledge.Input{Translations: []knowledge.Translation{{Lang: "ru", Title: "Принтер не печатает",
		Body: "Проверьте, что принтер включён и в лотке есть бумага."}}, Audience: knowledge.Public}, true)
	vpn := k.article(t, knowledge.Input{Translations: en("VPN drops", "The tunnel to the office drops every few minutes; the printer is fine."),
		Keywords: []string{"remote access"}, Audience: knowledge.Internal}, true)
	for i := range 5 {
		k.article(t, knowledge.Input{Translations: en(fmt.Sprintf("Mail rule %d", i), "Outlook rules and filters."), Audience: knowledge.Public}, true)
	}
	tests := []struct {
		q    string
		want []int64
	}{
		{"printing", []int64{printer.ID, vpn.ID}}, // printer in the title ranks above printer in the body
		{"принтеры", []int64{ru.ID}},
		{"PRINTERS offline", []int64{printer.ID}},
		{"remote access", []int64{vpn.ID}},
		{"spooler tunnel", nil}, // every word must match
		{"the", nil},
	}
	for _, tc := range tests {
		hits, err := k.kn.Search(c, knowledge.Query{Text: tc.q, Lang: "en"})
		must(t, err)
		var got []int64
		for _, h := range hits {
			got = append(got, h.Article.ID)
		}
		diff(t, "search "+tc.q, tc.want, got)
	}
	hits, err := k.kn.Search(c, knowledge.Query{Text: "<script> printer", Lang: "en"})
	must(t, err)
	if len(hits) != 0 {
		t.Errorf("a word in no article still matched: %d hits", len(hits))
	}
	hits, err = k.kn.Search(c, knowledge.Query{Text: "printer tunnel", Any: true, Lang: "en"})
	must(t, err)
	if len(hits) != 2 || hits[0].Article.ID != vpn.ID {
		t.Fatalf("any-word search = %d hits, first %v", len(hits), hits)
	}
	if got := knowledge.FragmentsHTML(hits[0].Snippet); !strings.Contains(got, "<mark>tunnel</mark>") || !strings.Contains(got, "<mark>printer</mark>") {
		t.Errorf("snippet = %s", got)
	}
	if got := knowledge.FragmentsHTML(hits[0].Title); got != "VPN drops" {
		t.Errorf("title = %s", got)
	}
	// An edit reindexes: the old words no longer find the article.
	_, err = k.kn.Update(k.as(t, k.editor), printer.ID, knowledge.Input{Translations: en("Scanner shows offline", "Restart the scan service."), Audience: knowledge.Public})
	must(t, err)
	hits, err = k.kn.Search(c, knowledge.Query{Text: "spooler"})
	must(t, err)
	if len(hits) != 0 {
		t.Errorf("the edited-out word still finds %d articles", len(hits))
	}
}

func testKBVisibility(t *testing.T, open Opener) {
	k := newKBFixture(t, open)
	pub := k.article(t, knowledge.Input{Translations: en("Reset password", "Use the self-service page."), Audience: knowledge.Public}, true)
	internal := k.article(t, knowledge.Input{Translations: en("Reset password in AD", "Open ADUC."), Audience: knowledge.Internal}, true)
	draft := k.article(t, knowledge.Input{Translations: en("Reset password draft", "Not ready."), Audience: knowledge.Public}, false)
	retired := k.article(t, knowledge.Input{Translations: en("Reset password old", "Old way."), Audience: knowledge.Public}, true)
	_, err := k.kn.SetState(k.as(t, k.editor), retired.ID, knowledge.Retired, 0, "outdated")
	must(t, err)

	req := k.as(t, k.req1)
	hits, err := k.kn.Search(req, knowledge.Query{Text: "password", States: []knowledge.State{knowledge.Draft, knowledge.Retired}})
	must(t, err)
	if len(hits) != 1 || hits[0].Article.ID != pub.ID {
		t.Errorf("a requester's search finds %d articles, want only the published public one", len(hits))
	}
	page, err := k.kn.List(req, knowledge.Filter{States: []knowledge.State{knowledge.Draft}})
	must(t, err)
	if len(page.Articles) != 1 || page.Articles[0].ID != pub.ID {
		t.Errorf("a requester's list has %d articles", len(page.Articles))
	}
	for _, a := range []*knowledge.Article{internal, draft, retired} {
		_, err := k.kn.Article(req, a.ID)
		wantCode(t, "requester reads "+a.Translations[0].Title, err, desk.ENOTFOUND)
	}
	_, err = k.kn.Versions(req, pub.ID)
	wantCode(t, "requester reads versions", err, desk.EFORBIDDEN)
	staff, err := k.kn.Search(k.as(t, k.agent), knowledge.Query{Text: "password"})
	must(t, err)
	if len(staff) != 4 {
		t.Errorf("staff search finds %d articles, want all 4", len(staff))
	}
	_, err = k.kn.Create(k.as(t, k.agent), knowledge.Input{Translations: en("x", "y")})
	wantCode(t, "an agent without the permission writes", err, desk.EFORBIDDEN)
	_, err = k.kn.Create(k.as(t, k.req1), knowledge.Input{Translations: en("x", "y")})
	wantCode(t, "a requester writes", err, desk.EFORBIDDEN)
	must(t, k.kn.SetEditor(k.as(t, k.admin), k.editor.ID, false))
	_, err = k.kn.Create(k.as(t, k.editor), knowledge.Input{Translations: en("x", "y")})
	wantCode(t, "an editor whose permission was withdrawn writes", err, desk.EFORBIDDEN)
	_, err = k.kn.Create(k.as(t, k.admin), knowledge.Input{Translations: en("x", "y")})
	must(t, err)
	wantCode(t, "an agent grants the permission", k.kn.SetEditor(k.as(t, k.agent), k.agent.ID, true), desk.EFORBIDDEN)
}

func testKBLinks(t *testing.T, open Opener) {
	k := newKBFixture(t, open)
	staff := k.as(t, k.agent)
	pub := k.article(t, knowledge.Input{Translations: en("Printer jam", "Open tray 2."), Audience: knowledge.Public, CategoryID: k.printers.ID}, true)
	internal := k.article(t, knowledge.Input{Translations: en("Printer firmware", "Flash it."), Audience: knowledge.Internal}, true)
	t1 := k.create(t, k.ticket("Printer jams", 0))
	t2 := k.create(t, k.ticket("Paper stuck", 5))
	_, err := k.kn.Link(staff, t1.Number, pub.ID, knowledge.SolvedBy)
	must(t, err)
	_, err = k.kn.Link(staff, t1.Number, internal.ID, knowledge.Relevant)
	must(t, err)
	_, err = k.kn.Link(staff, t1.Number, pub.ID, "duplicate")
	wantField(t, "an unknown link kind", err, desk.EINVALID, "kind")
	must(t, k.kn.KeepShown(k.as(t, k.req1), t2.Number, []int64{pub.ID, internal.ID, 9999}))
	must(t, k.kn.Deflect(k.as(t, k.req2), pub.ID, "paper jam in tray"))
	wantCode(t, "deflect by an internal article", k.kn.Deflect(k.as(t, k.req2), internal.ID, ""), desk.ENOTFOUND)

	got, err := k.kn.TicketArticles(staff, t1.Number)
	must(t, err)
	if len(got) != 2 || got[0].Kind != knowledge.SolvedBy || got[1].Article.ID != internal.ID {
		t.Errorf("ticket articles = %+v", got)
	}
	mine, err := k.kn.TicketArticles(k.as(t, k.req1), t1.Number)
	must(t, err)
	if len(mine) != 1 || mine[0].Article.ID != pub.ID {
		t.Errorf("the requester sees %d linked articles, want only the public one", len(mine))
	}
	shown, err := k.kn.TicketArticles(staff, t2.Number)
	must(t, err)
	if len(shown) != 1 || shown[0].Kind != knowledge.Shown || shown[0].Article.ID != pub.ID {
		t.Errorf("shown articles kept = %+v", shown)
	}
	must(t, k.kn.Unlink(staff, t1.Number, internal.ID))
	wantCode(t, "unlink twice", k.kn.Unlink(staff, t1.Number, internal.ID), desk.ENOTFOUND)

	_, err = k.kn.Report(k.as(t, k.req1), base.Add(-time.Hour), base.Add(time.Hour))
	wantCode(t, "a requester reads the report", err, desk.EFORBIDDEN)
	r, err := k.kn.Report(staff, base.Add(-time.Hour), base.Add(time.Hour))
	must(t, err)
	if r.SolvedBy != 1 || r.Shown != 1 || r.Relevant != 0 || r.Deflections != 1 || r.TicketsCreated != 2 || r.Published != 2 {
		t.Errorf("report counts = %+v", r)
	}
	if want := 2.0 / 3.0; r.ReuseRate < want-1e-9 || r.ReuseRate > want+1e-9 {
		t.Errorf("reuse rate = %v, want (1 solved + 1 deflected) / (2 tickets + 1 deflected)", r.ReuseRate)
	}
	if len(r.Articles) != 1 || r.Articles[0].ID != pub.ID || r.Articles[0].SolvedBy != 1 || r.Articles[0].Deflections != 1 || r.Articles[0].Shown != 1 {
		t.Errorf("article use = %+v", r.Articles)
	}
	if len(r.Uncovered) != 1 || r.Uncovered[0].Name != "Hardware" {
		t.Errorf("uncovered categories = %+v, want Hardware only (Printers has an article)", r.Uncovered)
	}
	later, err := k.kn.Report(staff, base.Add(time.Hour), base.Add(2*time.Hour))
	must(t, err)
	if later.SolvedBy+later.Shown+later.Deflections+later.TicketsCreated != 0 || later.ReuseRate != 0 {
		t.Errorf("a later period counts %+v", later)
	}
}
