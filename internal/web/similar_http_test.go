package web_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/web"
)

// TestWeb_SimilarTickets: the agent's ticket page lists resolved tickets
// like it, with their resolution notes (escaped) and how long they took, in
// English and Russian; with none it says so.
func TestWeb_SimilarTickets(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	ctx := desk.WithActor(context.Background(), e.lena)
	create := func(title string) *desk.Ticket {
		t.Helper()
		tk, _, err := e.d.CreateTicket(ctx, desk.NewTicket{Type: desk.TypeIncident, Title: title, Channel: desk.ChannelPhone,
			Requester: desk.PersonInput{Email: "sam@example.com"}}, "")
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	old := create("Принтеры в бухгалтерии не печатают")
	for _, in := range []desk.TransitionInput{{To: desk.StateAssigned, AssigneeID: e.lena.ID}, {To: desk.StateInProgress},
		{To: desk.StateResolved, ResolutionCode: desk.ResolutionCodes[0], ResolutionNotes: "Replaced the <b>toner</b>"}} {
		if _, err := e.d.Transition(ctx, old.Number, in); err != nil {
			t.Fatal(err)
		}
	}
	tk := create("Принтер не печатает")
	lonely := create("Кофемашина сломалась")
	l := e.client()
	l.signIn("lena@example.com")
	for lang, want := range map[string][]string{
		"en": {"Similar resolved tickets", "resolved in ", "Replaced the &lt;b&gt;toner&lt;/b&gt;", `href="/tickets/` + old.Number + `"`},
		"ru": {"Похожие решённые заявки", "решена за ", "Replaced the &lt;b&gt;toner&lt;/b&gt;"},
	} {
		body := l.get("/tickets/"+tk.Number, "Accept-Language", lang).body
		section := body[strings.Index(body, `id="similar-h"`):]
		for _, w := range want {
			if !strings.Contains(section, w) {
				t.Errorf("%s: the similar tickets lack %q:\n%s", lang, w, section[:min(len(section), 800)])
			}
		}
	}
	body := l.get("/tickets/"+lonely.Number, "Accept-Language", "ru").body
	if !strings.Contains(body, "Похожих решённых заявок нет.") || strings.Contains(body, `class="plain similar"`) {
		t.Error("a ticket like no resolved one should say there are none")
	}
}

// TestWeb_UseThisResolution: on the agent's ticket page "Use this
// resolution" beside a similar resolved ticket opens the resolve form
// with that resolution copied in; resolving records where it came from,
// and the resolved ticket says so, in English and Russian.
func TestWeb_UseThisResolution(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	ctx := desk.WithActor(context.Background(), e.lena)
	create := func(title string) *desk.Ticket {
		t.Helper()
		tk, _, err := e.d.CreateTicket(ctx, desk.NewTicket{Type: desk.TypeIncident, Title: title, Channel: desk.ChannelPhone,
			Requester: desk.PersonInput{Email: "sam@example.com"}}, "")
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	old := create("Принтеры в бухгалтерии не печатают")
	for _, in := range []desk.TransitionInput{{To: desk.StateInProgress},
		{To: desk.StateResolved, ResolutionCode: "workaround", ResolutionNotes: "Replaced the <b>toner</b>"}} {
		if _, err := e.d.Transition(ctx, old.Number, in); err != nil {
			t.Fatal(err)
		}
	}
	tk := create("Принтер не печатает")
	tk, err := e.d.Transition(ctx, tk.Number, desk.TransitionInput{To: desk.StateInProgress})
	if err != nil {
		t.Fatal(err)
	}
	l := e.client()
	l.signIn("lena@example.com")
	page := l.get("/tickets/" + tk.Number).body
	link := `href="/tickets/` + tk.Number + `?reuse=` + old.Number + `#act-resolve"`
	if !strings.Contains(page, link) {
		t.Fatalf("no Use this resolution link %s", link)
	}
	page = l.get("/tickets/" + tk.Number + "?reuse=" + old.Number).body
	for _, want := range []string{`id="act-resolve" data-key="r" open`, `>Replaced the &lt;b&gt;toner&lt;/b&gt;</textarea>`,
		`<option value="workaround" selected>`, `name="reused_from" value="` + old.Number + `"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the resolve form lacks %q", want)
		}
	}
	if p := l.get("/tickets/" + tk.Number + "?reuse=" + tk.Number).body; strings.Contains(p, `name="reused_from"`) {
		t.Error("a ticket offers its own resolution")
	}
	form := url.Values{"csrf": {l.csrf("/tickets/" + tk.Number)}, "version": {strconv.Itoa(tk.Version)},
		"resolution_code": {"workaround"}, "resolution_notes": {"Replaced the toner"}, "reused_from": {old.Number}}
	if p := l.post("/tickets/"+tk.Number+"/resolve", form); p.status != 303 {
		t.Fatalf("resolve: %d\n%s", p.status, pageText(p.body))
	}
	rs, err := e.d.ResolutionReuses(ctx, tk.Number)
	if err != nil || len(rs) != 1 || rs[0].SourceNumber != old.Number {
		t.Fatalf("reuses %+v, %v", rs, err)
	}
	for lang, want := range map[string]string{"en": "The resolution was copied from", "ru": "Решение взято из заявки"} {
		if p := l.get("/tickets/"+tk.Number, "Accept-Language", lang).body; !strings.Contains(p, want) || !strings.Contains(p, `id="reused-from"`) {
			t.Errorf("%s: the resolved ticket does not say where its resolution came from", lang)
		}
	}
}
