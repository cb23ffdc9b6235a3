package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/web"
)

// TestWeb_ReportAssist: while a requester writes a report, the portal
// reads what it looks like and which service (Use these answers fills
// them in) and lists the requester's own earlier tickets like it, never
// another requester's ticket and never a security case, even their own.
// In English and Russian.
func TestWeb_ReportAssist(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	ctx := context.Background()
	trainTriage(t, e)
	kim, err := e.d.CreateUser(desk.AsSystem(ctx), desk.UserInput{Email: "kim@example.com", Name: "Kim", Role: desk.RoleRequester})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(-24 * time.Hour).UTC()
	file := func(who *desk.User, title string, security bool) *desk.Ticket {
		t.Helper()
		done := at.Add(time.Hour)
		tk := &desk.Ticket{Type: desk.TypeIncident, Title: title, Description: "тонер закончился", State: desk.StateResolved,
			Impact: desk.LevelMedium, Urgency: desk.LevelMedium, Priority: desk.P3, Security: security,
			Group: desk.GroupRef{ID: 1}, Requester: desk.Person{ID: who.ID}, Channel: desk.ChannelPortal,
			ReportedAt: at, CreatedAt: at, UpdatedAt: at, ResolvedAt: &done, ResolutionCode: desk.ResolutionCodes[0],
			ResolutionNotes: "Картридж заменён"}
		if _, err := e.st.CreateTicket(ctx, tk, []desk.Event{{At: at, Kind: desk.EventCreated}}, nil); err != nil {
			t.Fatal(err)
		}
		return tk
	}
	own := file(e.sam, "Тонер закончился в принтере", false)
	theirs := file(kim, "Тонер закончился в принтере Кима", false)
	secret := file(e.sam, "Тонер закончился, принтер печатает чужие письма", true)

	sam := e.client()
	sam.signIn("sam@example.com")
	q := url.Values{"title": {"Принтер не печатает, тонер закончился"}}
	for lang, want := range map[string][]string{
		"en": {"this looks like", "Something is broken", "service <strong>Printing</strong>", "Use these answers", "You reported something like this before"},
		"ru": {"Судя по описанию", "сервис <strong>Printing</strong>", "Подставить эти ответы", "Вы уже сообщали о похожем"},
	} {
		p := sam.get("/report/assist?"+q.Encode(), "Accept-Language", lang)
		if p.status != 200 {
			t.Fatalf("%s: %d", lang, p.status)
		}
		for _, w := range want {
			if !strings.Contains(p.body, w) {
				t.Errorf("%s: the report's reading lacks %q:\n%s", lang, w, p.body)
			}
		}
		if !strings.Contains(p.body, own.Number) {
			t.Errorf("%s: the requester's own similar ticket %s is missing", lang, own.Number)
		}
		if strings.Contains(p.body, theirs.Number) || strings.Contains(p.body, "Кима") {
			t.Errorf("%s: another requester's ticket is shown", lang)
		}
		if strings.Contains(p.body, secret.Number) || strings.Contains(p.body, "чужие") {
			t.Errorf("%s: a security case is shown as a similar ticket", lang)
		}
	}
	token := sam.csrf("/report")
	p := sam.post("/report", url.Values{"csrf": {token}, "key": {"r1"}, "title": q["title"], "accept": {"all"}})
	if p.status != 200 || !strings.Contains(p.body, `value="broken" checked`) || !strings.Contains(p.body, `name="service" list="services" autocomplete="off" value="Printing"`) {
		t.Errorf("Use these answers: %d, the kind and service not filled in:\n%s", p.status, pageText(p.body))
	}
	if strings.Contains(p.body, `id="report-accept"`) {
		t.Error("the suggestion is still offered once it is used")
	}
	if p := sam.get("/report/assist"); strings.TrimSpace(p.body) != "" {
		t.Errorf("an empty report should read nothing: %q", p.body)
	}
}
