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

// TestWeb_RussianValidationMessages: a Russian requester's report whose
// title is too long comes back with the desk's refusal in Russian next to
// the field; a refused transition on the agent's page is in Russian too,
// and in English for an English reader.
func TestWeb_RussianValidationMessages(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	ru := "ru"
	for _, u := range []*desk.User{e.sam, e.lena} {
		if _, err := e.d.SetUserPreferences(desk.WithActor(context.Background(), u), u.ID,
			desk.PreferencesPatch{Language: &ru}); err != nil {
			t.Fatal(err)
		}
	}
	sam := e.client()
	sam.signIn("sam@example.com")
	long := strings.Repeat("я", desk.MaxTitleLen+1)
	p := sam.post("/report", url.Values{"csrf": {sam.csrf("/report")}, "key": {"k1"}, "kind": {"broken"},
		"people": {"me"}, "soon": {"today"}, "title": {long}, "description": {"Не печатает."}})
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("too long a title: %d", p.status)
	}
	want := `<p class="field-error" id="title-error">Не длиннее 250 символов.</p>`
	if !strings.Contains(p.body, want) || !strings.Contains(p.body, `aria-invalid="true" aria-errormessage="title-error"`) {
		t.Errorf("the Russian error should sit by the title: %s", p.body)
	}
	if strings.Contains(p.body, "must be at most") {
		t.Error("the desk's English message reached a Russian page")
	}

	tk, _, err := e.d.CreateTicket(desk.WithActor(context.Background(), e.sam), desk.NewTicket{Type: desk.TypeIncident,
		Title: "Printer", Description: "Jammed.", Channel: desk.ChannelPortal}, "")
	if err != nil {
		t.Fatal(err)
	}
	lena := e.client()
	lena.signIn("lena@example.com")
	p = lena.post("/tickets/"+tk.Number+"/close", url.Values{"csrf": {lena.csrf("/tickets/" + tk.Number)}})
	if p.status != http.StatusConflict || !strings.Contains(p.body, "Заявку нельзя перевести из состояния «Новая» в «Закрыта».") {
		t.Errorf("refused close in Russian: %d %s", p.status, p.body)
	}
	en := "en"
	if _, err := e.d.SetUserPreferences(desk.WithActor(context.Background(), e.lena), e.lena.ID,
		desk.PreferencesPatch{Language: &en}); err != nil {
		t.Fatal(err)
	}
	p = lena.post("/tickets/"+tk.Number+"/close", url.Values{"csrf": {lena.csrf("/tickets/" + tk.Number)}}, "Accept-Language", "en")
	if !strings.Contains(p.body, "A ticket cannot go from “New” to “Closed”.") {
		t.Errorf("refused close in English: %s", p.body)
	}
}
