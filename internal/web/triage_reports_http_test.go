package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/web"
)

// TestWeb_ReportsTriage: the reports page has triage's part for the same
// days, in English and Russian: the reuse of earlier resolutions (one of
// two resolved tickets copied the other's: 50 %), and, with no field set
// by the desk yet, says so.
func TestWeb_ReportsTriage(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	ctx := desk.WithActor(context.Background(), e.lena)
	resolve := func(title, from string) *desk.Ticket {
		t.Helper()
		tk, _, err := e.d.CreateTicket(ctx, desk.NewTicket{Type: desk.TypeIncident, Title: title, Channel: desk.ChannelPhone,
			Requester: desk.PersonInput{Email: "sam@example.com"}}, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range []desk.TransitionInput{{To: desk.StateInProgress},
			{To: desk.StateResolved, ResolutionCode: "workaround", ResolutionNotes: "Rebooted the printer", ReusedFrom: from}} {
			if tk, err = e.d.Transition(ctx, tk.Number, in); err != nil {
				t.Fatal(err)
			}
		}
		return tk
	}
	first := resolve("Printer offline", "")
	resolve("Printer offline again", first.Number)
	l := e.client()
	l.signIn("lena@example.com")
	for lang, want := range map[string][]string{
		"en": {"Triage and reused resolutions", "Resolutions reused", `id="triage-reused">1<`, "The desk set no field by itself in these days."},
		"ru": {"Разбор и повторно использованные решения", "Доля взятых решений", `id="triage-reused">1<`, "За эти дни система не проставила ни одного поля."},
	} {
		p := l.get("/reports", "Accept-Language", lang)
		if p.status != 200 {
			t.Fatalf("%s: %d", lang, p.status)
		}
		for _, w := range want {
			if !strings.Contains(p.body, w) {
				t.Errorf("%s: the reports page lacks %q", lang, w)
			}
		}
		if !strings.Contains(p.body, `id="triage-reuse">50`) {
			t.Errorf("%s: reuse rate not 50 %%: %s", lang, p.body[strings.Index(p.body, `id="triage-reuse"`):][:60])
		}
	}
}
