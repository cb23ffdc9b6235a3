package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/web"
)

// Administrators see that a fresh desk has no triage model, set the
// threshold and the retraining period (a bad value comes back with the
// form and the reason), and ask for a retraining, in their language;
// agents may not open the page.
func TestWeb_AdminTriage(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	ctx := context.Background()
	admin, _, err := e.d.Bootstrap(ctx, desk.UserInput{Email: "ada@example.com", Name: "Ada", Role: desk.RoleAdmin}, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.d.SetPassword(desk.AsSystem(ctx), admin.ID, pw); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	c.signIn("ada@example.com")
	if p := c.get("/admin/triage", "Accept-Language", "ru"); p.status != 200 || !strings.Contains(pageText(p.body), "Модели пока нет") {
		t.Fatalf("fresh desk: %d\n%s", p.status, pageText(p.body))
	}
	token := c.csrf("/admin/triage")
	p := c.post("/admin/triage/settings", url.Values{"csrf": {token}, "auto_percent": {"150"}, "retrain_every_hours": {"12"}}, "Accept-Language", "ru")
	if p.status != 422 || !strings.Contains(p.body, `value="150"`) {
		t.Errorf("threshold 150: %d\n%s", p.status, pageText(p.body))
	}
	p = c.post("/admin/triage/settings", url.Values{"csrf": {token}, "auto_percent": {"70"}, "retrain_every_hours": {"12"}})
	if p.status != 303 {
		t.Fatalf("save: %d\n%s", p.status, pageText(p.body))
	}
	if p := c.get("/admin/triage?done=triage_saved"); !strings.Contains(p.body, `value="70"`) || !strings.Contains(p.body, `value="12"`) {
		t.Errorf("saved settings not shown:\n%s", pageText(p.body))
	}
	if p := c.post("/admin/triage/training", url.Values{"csrf": {token}}); p.status != 303 {
		t.Fatalf("retrain: %d", p.status)
	}
	if p := c.get("/admin/triage", "Accept-Language", "ru"); !strings.Contains(pageText(p.body), "Переобучение запрошено") {
		t.Errorf("the request is not shown:\n%s", pageText(p.body))
	}
	lena := e.client()
	lena.signIn("lena@example.com")
	if p := lena.get("/admin/triage"); p.status != 403 {
		t.Errorf("an agent opened the page: %d", p.status)
	}
}
