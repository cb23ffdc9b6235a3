package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/web"
)

// TestWeb_TimelineGender: in Russian, the verb after a person's name in a
// ticket's history agrees with the gender they chose in My settings
// («Lena оставила комментарий»); before they choose, the entry reads
// without a gendered verb («Lena: комментарий»), and never with «(а)». An
// unknown gender is refused with the choice kept; English reads the same
// for everyone.
func TestWeb_TimelineGender(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	tk := e.resolvedTicket("Принтер не печатает")
	if _, _, err := e.d.Comment(desk.WithActor(context.Background(), e.lena), tk.Number, desk.CommentInput{Body: "Проверила."}); err != nil {
		t.Fatal(err)
	}
	lena := e.client()
	lena.signIn("lena@example.com")
	csrf := lena.csrf("/settings")
	save := func(gender string) response {
		return lena.post("/settings", url.Values{"csrf": {csrf}, "language": {"ru"}, "time_zone": {""},
			"grammatical_gender": {gender}})
	}
	timeline := func() string {
		t.Helper()
		p := lena.get("/tickets/" + tk.Number)
		if p.status != 200 {
			t.Fatalf("ticket page: %d", p.status)
		}
		if strings.Contains(p.body, "(а)") {
			t.Errorf("the timeline writes «(а)»: %s", p.body)
		}
		return strings.Join(strings.Fields(p.body), " ")
	}
	if p := save(""); p.status != http.StatusSeeOther {
		t.Fatalf("save without gender: %d %s", p.status, p.body)
	}
	if body := timeline(); !strings.Contains(body, "<strong>Lena</strong>: <span>комментарий</span>") ||
		!strings.Contains(body, "<strong>Sam</strong>: <span>заявка зарегистрирована</span>") {
		t.Errorf("unknown gender: want the entry without a gendered verb: %s", body)
	}
	if p := save("neuter"); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="grammatical_gender-error"`) {
		t.Errorf("an unknown gender: %d %s", p.status, p.body)
	}
	for gender, verb := range map[string]string{"feminine": "оставила комментарий", "masculine": "оставил комментарий"} {
		if p := save(gender); p.status != http.StatusSeeOther {
			t.Fatalf("save %s: %d %s", gender, p.status, p.body)
		}
		if body := timeline(); !strings.Contains(body, "<strong>Lena</strong> <span>"+verb+"</span>") {
			t.Errorf("%s: want «Lena %s»: %s", gender, verb, body)
		}
		if p := lena.get("/settings"); !strings.Contains(p.body, `<option value="`+gender+`" selected>`) {
			t.Errorf("settings do not show %s chosen", gender)
		}
	}
	save("feminine")
	lena.post("/language", url.Values{"csrf": {csrf}, "lang": {"en"}, "back": {"/settings"}})
	if p := lena.get("/tickets/" + tk.Number); !strings.Contains(strings.Join(strings.Fields(p.body), " "), "<strong>Lena</strong> <span>commented</span>") {
		t.Errorf("English: %s", p.body)
	}
}

// TestWeb_AutoResolveNotesWorded: resolution notes the alert intake wrote
// (desk.AutoResolveNotes) read in the viewer's language on the portal and
// in the timeline; English readers see them as stored.
func TestWeb_AutoResolveNotesWorded(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	ctx := context.Background()
	tk, _, err := e.d.CreateTicket(desk.WithActor(ctx, e.sam), desk.NewTicket{Type: desk.TypeIncident,
		Title: "Диск заполнен", Description: "Оповещение.", Channel: desk.ChannelPortal}, "")
	if err != nil {
		t.Fatal(err)
	}
	as := desk.WithActor(ctx, e.lena)
	for _, in := range []desk.TransitionInput{{To: desk.StateAssigned}, {To: desk.StateInProgress},
		{To: desk.StateResolved, ResolutionCode: desk.ResolutionCodes[0], ResolutionNotes: desk.AutoResolveNotes}} {
		if _, err := e.d.Transition(as, tk.Number, in); err != nil {
			t.Fatal(err)
		}
	}
	sam := e.client()
	sam.signIn("sam@example.com")
	sam.post("/language", url.Values{"csrf": {sam.csrf("/settings")}, "lang": {"ru"}, "back": {"/settings"}})
	p := sam.get("/tickets/" + tk.Number)
	if p.status != 200 || strings.Contains(p.body, "Resolved automatically") ||
		!strings.Contains(p.body, "Решена автоматически: все оповещения инцидента сняты.") {
		t.Errorf("the portal in Russian: %d %s", p.status, p.body)
	}
}
