package web_test

import (
	"context"
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
