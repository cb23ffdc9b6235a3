package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/web"
)

// policyNamed finds a stored policy by name.
func policyNamed(t *testing.T, e *httpEnv, ctx context.Context, name string) *desk.SLAPolicy {
	t.Helper()
	ps, err := e.d.SLAPolicies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// policiesText is every policy's fields, for comparing before and after.
func policiesText(ps []*desk.SLAPolicy) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "%+v\n", *p)
	}
	return b.String()
}

// listedBefore: the page shows both texts, first before second (a text
// missing from the page is not "before" anything).
func listedBefore(body, first, second string) bool {
	i, j := strings.Index(body, first), strings.Index(body, second)
	return i >= 0 && j >= 0 && i < j
}

func TestWeb_AdminSLAPolicyRoundTrip(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	a, root := adminClient(t, e)
	ctx := desk.WithActor(context.Background(), root)
	payroll, err := e.d.CreateService(ctx, desk.ServiceInput{Name: "Payroll"})
	if err != nil {
		t.Fatal(err)
	}
	pid := fmt.Sprint(payroll.ID)
	// The seeded policies in match order, their targets in words.
	p := a.get("/admin/sla")
	if p.status != 200 || !strings.Contains(p.body, "15 minutes") || !strings.Contains(p.body, "4 hours") ||
		!listedBefore(p.body, "P1 incidents", "Service requests") {
		t.Fatalf("list: %d", p.status)
	}
	csrf := a.csrf("/admin/sla")

	form := url.Values{"csrf": {csrf}, "name": {" "}, "position": {"first"}, "types": {"incident"}, "priorities": {"P2"},
		"services": {pid}, "organizations": {"Acme\r\nGlobex"}, "vip_only": {"on"}, "calendar": {"business"},
		"response": {"4 hours and a bit"}, "resolution": {""}, "next_update": {"4ч"}, "pause_on": {"awaiting_vendor"}, "active": {"on"}}
	// Every mistake at once, each by its field; the choices come back.
	p = a.post("/admin/sla", form)
	wantForm(t, p, "name", "Give the policy a name", `id="types-incident" name="types" value="incident" checked`,
		`<option value="`+pid+`" selected>Payroll</option>`, "Acme\r\nGlobex</textarea>", `value="4 hours and a bit"`,
		`id="vip_only" name="vip_only" checked`, `value="awaiting_vendor" checked`, `<option value="business" selected>`)
	for field, msg := range map[string]string{"position": "Write a whole number", "response": "Write hours and minutes",
		"resolution": "Give a target of at least one minute"} {
		if !strings.Contains(p.body, `id="`+field+`-error">`+msg) {
			t.Errorf("no error %q by %s", msg, field)
		}
	}
	if policyNamed(t, e, ctx, "") != nil {
		t.Fatal("a refused policy was stored")
	}
	form.Set("name", "Payroll P2")
	form.Set("position", "5")
	form.Set("response", "1h 30m")
	form.Set("resolution", "8 h")
	if p = a.post("/admin/sla", form); p.status != http.StatusSeeOther {
		t.Fatalf("create: %d %.300s", p.status, p.body)
	}
	got := policyNamed(t, e, ctx, "Payroll P2")
	want := &desk.SLAPolicy{ID: got.ID, Name: "Payroll P2", Position: 5, Types: []desk.TicketType{desk.TypeIncident},
		Priorities: []desk.Priority{desk.P2}, ServiceIDs: []int64{payroll.ID}, Calendar: "business", Response: 90 * time.Minute,
		Resolution: 8 * time.Hour, NextUpdate: 4 * time.Hour, PauseOn: []desk.HoldReason{desk.HoldAwaitingVendor}, Active: true,
		Organizations: []string{"Acme", "Globex"}, VIPOnly: true}
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Fatalf("stored\n%+v\nwant\n%+v", got, want)
	}
	p = a.get("/admin/sla?done=policy_saved")
	for _, w := range []string{"The SLA policy is saved.", "1 hour 30 minutes", "8 hours", "Payroll", "Acme, Globex", "VIP requesters only",
		"Waiting for a supplier"} {
		if !strings.Contains(p.body, w) {
			t.Errorf("the list lacks %q", w)
		}
	}
	if !listedBefore(p.body, "Payroll P2", "P1 incidents") {
		t.Error("position 5 is not listed before position 10")
	}

	// Edit: the stored targets come back as typed; a taken name and an
	// unknown calendar keep the input.
	path := fmt.Sprintf("/admin/sla/%d", got.ID)
	p = a.get(path)
	if !strings.Contains(p.body, `id="response" name="response" autocomplete="off" value="1h 30m"`) ||
		!strings.Contains(p.body, `value="4h"`) || !strings.Contains(p.body, `value="P2" checked`) {
		t.Errorf("the edit form does not show the stored policy")
	}
	form.Set("name", "P1 incidents")
	wantForm(t, a.post(path, form), "name", "Another policy already has this name.", `value="1h 30m"`)
	form.Set("name", "Payroll")
	form.Set("calendar", "nowhere")
	wantForm(t, a.post(path, form), "calendar", "Choose a calendar from the list.", `value="Payroll"`)
	form.Set("calendar", "24x7")
	form.Set("position", "50")
	form.Set("resolution", "2:15")
	form.Del("active")
	form.Del("vip_only")
	form.Set("next_update", "")
	if p = a.post(path, form); p.status != http.StatusSeeOther {
		t.Fatalf("save: %d %.300s", p.status, p.body)
	}
	if got, _ = e.d.SLAPolicy(ctx, got.ID); got.Name != "Payroll" || got.Active || got.VIPOnly || got.Position != 50 ||
		got.Resolution != 2*time.Hour+15*time.Minute || got.NextUpdate != 0 || got.Calendar != "24x7" {
		t.Fatalf("after edit: %+v", got)
	}

	// Delete asks first, then goes.
	if p = a.get(path + "/delete"); !strings.Contains(p.body, "Delete the policy “Payroll”?") || !strings.Contains(p.body, `action="`+path+`/delete"`) {
		t.Fatalf("no confirmation: %d", p.status)
	}
	if p = a.post(path+"/delete", url.Values{"csrf": {csrf}}); p.status != http.StatusSeeOther {
		t.Fatalf("delete: %d", p.status)
	}
	if _, err := e.d.SLAPolicy(ctx, got.ID); desk.ErrorCode(err) != desk.ENOTFOUND {
		t.Fatalf("the deleted policy is still there: %v", err)
	}
}

// TestWeb_AdminSLARussian: the pages, the targets in words and the errors
// are Russian for a Russian browser.
func TestWeb_AdminSLARussian(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	a, _ := adminClient(t, e)
	ru := []string{"Accept-Language", "ru"}
	p := a.get("/admin/sla", ru...)
	for _, w := range []string{"<h1>Политики SLA</h1>", "15 минут", "4 часа", "45 часов", "Ожидается ответ заявителя", "Создать политику"} {
		if !strings.Contains(p.body, w) {
			t.Errorf("/admin/sla lacks %q", w)
		}
	}
	form := url.Values{"csrf": {a.csrf("/admin/sla")}, "name": {"Срочно"}, "position": {"1"}, "calendar": {"24x7"},
		"response": {"полчаса"}, "resolution": {"4ч 30м"}}
	p = a.post("/admin/sla", form, ru...)
	wantForm(t, p, "response", "Укажите часы и минуты", `value="4ч 30м"`, `value="Срочно"`)
	p = a.get("/admin/calendars/business", ru...)
	for _, w := range []string{"Рабочие часы", "Понедельник", "Проверка календаря", "истекает"} {
		if !strings.Contains(p.body, w) {
			t.Errorf("/admin/calendars/business lacks %q", w)
		}
	}
	p = a.post("/admin/calendars", url.Values{"csrf": {form.Get("csrf")}, "name": {"Москва"}, "zone": {"Europe/Moskva"},
		"week.monday": {"09:00-18:00"}}, ru...)
	wantForm(t, p, "zone", "Укажите часовой пояс по базе IANA", `value="Москва"`)
}

// TestWeb_AdminSLAAgentRefused: an agent may neither see nor change
// policies and calendars.
func TestWeb_AdminSLAAgentRefused(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	ctx := desk.WithActor(context.Background(), e.lena)
	before, _ := e.d.SLAPolicies(ctx)
	lena := e.client()
	lena.signIn("lena@example.com")
	csrf := lena.csrf("/agent")
	id := fmt.Sprint(before[0].ID)
	for _, path := range []string{"/admin/sla", "/admin/sla/" + id, "/admin/sla/" + id + "/delete", "/admin/calendars",
		"/admin/calendars/business", "/admin/calendars/business/delete"} {
		if p := lena.get(path); p.status != http.StatusForbidden {
			t.Errorf("GET %s: %d", path, p.status)
		}
	}
	policy := url.Values{"csrf": {csrf}, "name": {"Mine"}, "position": {"1"}, "calendar": {"24x7"}, "response": {"1m"},
		"resolution": {"2m"}, "active": {"on"}}
	calendar := url.Values{"csrf": {csrf}, "name": {"Mine"}, "zone": {"UTC"}, "week.monday": {"00:00-01:00"}}
	for path, form := range map[string]url.Values{"/admin/sla": policy, "/admin/sla/" + id: policy,
		"/admin/sla/" + id + "/delete": {"csrf": {csrf}}, "/admin/calendars": calendar, "/admin/calendars/business": calendar,
		"/admin/calendars/business/delete": {"csrf": {csrf}}} {
		if p := lena.post(path, form); p.status != http.StatusForbidden {
			t.Errorf("POST %s: %d", path, p.status)
		}
	}
	after, _ := e.d.SLAPolicies(ctx)
	cals, _ := e.d.Calendars(ctx)
	if policiesText(after) != policiesText(before) || len(cals) != 2 || len(cals[1].Week[time.Monday]) != 1 ||
		cals[1].Week[time.Monday][0].Start != desk.HM(9, 0) {
		t.Fatalf("the agent changed something: %d policies, calendars %v", len(after), cals)
	}
}

// TestWeb_AdminSLACSRF: the forms are refused without the session's token.
func TestWeb_AdminSLACSRF(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	a, root := adminClient(t, e)
	ctx := desk.WithActor(context.Background(), root)
	before, _ := e.d.SLAPolicies(ctx)
	id := fmt.Sprint(before[0].ID)
	other := e.client()
	other.signIn("lena@example.com")
	for _, token := range []string{"", "forged", other.csrf("/agent")} {
		for _, path := range []string{"/admin/sla", "/admin/sla/" + id, "/admin/sla/" + id + "/delete", "/admin/calendars",
			"/admin/calendars/business", "/admin/calendars/business/delete"} {
			form := url.Values{"name": {"Forged"}, "position": {"1"}, "calendar": {"24x7"}, "response": {"1m"}, "resolution": {"2m"},
				"zone": {"UTC"}, "week.monday": {"00:00-01:00"}}
			if token != "" {
				form.Set("csrf", token)
			}
			if p := a.post(path, form); p.status != http.StatusForbidden {
				t.Errorf("POST %s with token %q: %d", path, token, p.status)
			}
		}
	}
	after, _ := e.d.SLAPolicies(ctx)
	cals, _ := e.d.Calendars(ctx)
	if policiesText(after) != policiesText(before) || len(cals) != 2 {
		t.Fatalf("a forged form changed something: %d policies, %d calendars", len(after), len(cals))
	}
}
