package web_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/web"
)

// TestWeb_RegisterAssist: while line 1 registers a call, the register form
// shows the model's suggestions with the words behind them, the similar
// earlier tickets (resolved ones first, with their resolution; a security
// case never, even one the agent may read), and each suggestion is
// accepted with its button; "Use this resolution" copies a resolved
// ticket's resolution into the first-contact resolution, and registering
// records the reuse. In English and Russian; requesters are refused.
func TestWeb_RegisterAssist(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	ctx := context.Background()
	printers, _, svc := trainTriage(t, e)
	at := time.Now().Add(-24 * time.Hour).UTC()
	file := func(title, notes string, state desk.State, security bool) *desk.Ticket {
		t.Helper()
		tk := &desk.Ticket{Type: desk.TypeIncident, Title: title, Description: "Тонер закончился, принтер пишет ошибку",
			State: state, Impact: desk.LevelMedium, Urgency: desk.LevelMedium, Priority: desk.P3, Security: security,
			Group: desk.GroupRef{ID: 1}, Requester: desk.Person{ID: e.sam.ID}, Channel: desk.ChannelPhone,
			ReportedAt: at, CreatedAt: at, UpdatedAt: at}
		if state == desk.StateResolved {
			done := at.Add(2 * time.Hour)
			tk.ResolvedAt, tk.ResolutionCode, tk.ResolutionNotes = &done, desk.ResolutionCodes[0], notes
		}
		if _, err := e.st.CreateTicket(ctx, tk, []desk.Event{{At: at, Kind: desk.EventCreated}}, nil); err != nil {
			t.Fatal(err)
		}
		return tk
	}
	toner := file("Принтер в бухгалтерии: тонер закончился", "Заменили <картридж> тонера", desk.StateResolved, false)
	open := file("Принтер на третьем этаже: тонер закончился", "", desk.StateInProgress, false)
	secret := file("Принтер печатает чужие документы: тонер закончился", "Отключили принтер от сети", desk.StateResolved, true)

	lena := e.client()
	lena.signIn("lena@example.com")
	q := url.Values{"title": {"Тонер закончился в принтере"}, "description": {"принтер пишет ошибку"}}
	for lang, want := range map[string][]string{
		"en": {"Suggested from earlier tickets", "Category: <strong>Printers</strong>", "because of", "Use this resolution",
			"Заменили &lt;картридж&gt; тонера", `value="category_id:` + itoa(printers.ID) + `"`,
			"Impact: <strong>low</strong>", "Urgency: <strong>low</strong>", `value="impact:low"`, `Priority: <strong class="prio prio-P4">P4</strong>`,
			"the suggested impact × urgency"},
		"ru": {"Предложено по прежним заявкам", "Категория: <strong>Printers</strong>", "по словам", "Взять это решение",
			"Влияние: <strong>низкое</strong>", "Срочность: <strong>низкая</strong>", `Приоритет: <strong class="prio prio-P4">P4</strong>`},
	} {
		p := lena.get("/console/register/assist?"+q.Encode(), "Accept-Language", lang)
		if p.status != 200 {
			t.Fatalf("%s: assist %d", lang, p.status)
		}
		for _, w := range want {
			if !strings.Contains(p.body, w) {
				t.Errorf("%s: the assist panel lacks %q:\n%s", lang, w, p.body)
			}
		}
		if strings.Contains(p.body, "«в»") {
			t.Errorf("%s: a stop word is given as a reason for a suggestion", lang)
		}
		if strings.Contains(p.body, secret.Number) || strings.Contains(p.body, "чужие") {
			t.Errorf("%s: the panel shows a security case as a similar ticket", lang)
		}
		if i, j := strings.Index(p.body, toner.Number), strings.Index(p.body, open.Number); i < 0 || j < 0 || i > j {
			t.Errorf("%s: resolved %s (at %d) should come before open %s (at %d)", lang, toner.Number, i, open.Number, j)
		}
	}
	// The form's level options agree with their field in Russian:
	// «Влияние» is neuter, «Срочность» feminine.
	regForm := lena.get("/console/register", "Accept-Language", "ru").body
	for _, w := range []string{`<option value="high">Высокое</option>`, `<option value="high">Высокая</option>`, `<option value="low">Низкая</option>`} {
		if !strings.Contains(regForm, w) {
			t.Errorf("ru: the registration form lacks %s", w)
		}
	}
	if p := lena.get("/console/register/assist"); !strings.Contains(p.body, `id="assist-lead"`) {
		t.Errorf("an empty call should say what the panel is for:\n%s", p.body)
	}

	token := lena.csrf("/console/register")
	form := url.Values{"csrf": {token}, "key": {"k1"}, "type": {"incident"}, "channel": {"phone"}, "impact": {"medium"},
		"urgency": {"medium"}, "title": q["title"], "description": q["description"], "requester.email": {"sam@example.com"}}
	with := func(k, v string) url.Values {
		out := url.Values{}
		for a, b := range form {
			out[a] = append([]string(nil), b...)
		}
		out.Set(k, v)
		return out
	}
	p := lena.post("/console/register", with("accept", "all"))
	if !strings.Contains(p.body, `<option value="`+itoa(printers.ID)+`" selected>Printers</option>`) {
		t.Errorf("accept all left the category unset:\n%s", pageText(p.body))
	}
	p = lena.post("/console/register", with("accept", "category_id:"+itoa(printers.ID)))
	if !strings.Contains(p.body, `<option value="`+itoa(printers.ID)+`" selected>Printers</option>`) || !strings.Contains(p.body, "assist-applied") {
		t.Errorf("accepting the category left it unset")
	}
	p = lena.post("/console/register", with("reuse", toner.Number))
	if !strings.Contains(p.body, `name="reused_from" id="reused_from" value="`+toner.Number+`"`) ||
		!strings.Contains(p.body, "Заменили &lt;картридж&gt; тонера</textarea>") || !strings.Contains(p.body, `id="fcr" name="fcr" value="on" checked`) {
		t.Errorf("use this resolution did not fill the first-contact resolution:\n%s", pageText(p.body))
	}
	if p := lena.post("/console/register", with("reuse", secret.Number)); strings.Contains(p.body, "Отключили") {
		t.Error("a security case's resolution was copied")
	}
	reg := with("op", "register")
	reg.Set("fcr", "on")
	reg.Set("resolution_code", string(desk.ResolutionCodes[0]))
	reg.Set("resolution_notes", toner.ResolutionNotes)
	reg.Set("reused_from", open.Number)
	if p := lena.post("/console/register", reg); p.status != 422 || !strings.Contains(pageText(p.body), open.Number) {
		t.Errorf("reusing an open ticket's resolution: %d", p.status)
	}
	reg.Set("reused_from", toner.Number)
	p = lena.post("/console/register", reg)
	if p.status != 303 {
		t.Fatalf("register: %d\n%s", p.status, pageText(p.body))
	}
	number := strings.TrimPrefix(strings.SplitN(p.header.Get("Location"), "?", 2)[0], "/tickets/")
	// What Lena did with the suggestions is recorded: the type (incident)
	// and impact and urgency (medium, not the low suggested) as she left
	// them, the category and service not chosen (the group is not learnt:
	// every earlier ticket has the same).
	acc, err := svc.Acceptance(desk.WithActor(ctx, e.lena), at, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	wantAcc := map[string][3]int{"type": {1, 1, 0}, "category": {1, 0, 0}, "service": {1, 0, 0}, "impact": {1, 0, 1}, "urgency": {1, 0, 1}}
	for _, a := range acc {
		if w := wantAcc[a.Field]; [3]int{a.Suggested, a.Accepted, a.Overridden} != w {
			t.Errorf("%s after registering %s: suggested %d accepted %d overridden %d, want %v", a.Field, number, a.Suggested, a.Accepted, a.Overridden, w)
		}
	}
	for lang, want := range map[string][]string{
		"en": {"Suggestions on the register form", `<tr data-field="type"><th scope="row">Type</th><td>1</td><td>1</td><td>0</td><td>100.0 %</td>`,
			`<tr data-field="impact"><th scope="row">Impact</th><td>1</td><td>0</td><td>1</td><td>0.0 %</td>`},
		"ru": {"Предложения в форме регистрации", "Доля принятых", `<th scope="row">Срочность</th><td>1</td><td>0</td><td>1</td>`},
	} {
		p := lena.get("/reports", "Accept-Language", lang)
		for _, w := range want {
			if !strings.Contains(p.body, w) {
				t.Errorf("%s: the reports page lacks %q", lang, w)
			}
		}
	}
	rs, err := e.d.ResolutionReuses(desk.WithActor(ctx, e.lena), number)
	if err != nil || len(rs) != 1 || rs[0].SourceNumber != toner.Number {
		t.Errorf("registered %s reused %+v, %v; want %s", number, rs, err, toner.Number)
	}

	sam := e.client()
	sam.signIn("sam@example.com")
	if p := sam.get("/console/register/assist?" + q.Encode()); p.status == 200 {
		t.Errorf("a requester reads the register assistant: %d", p.status)
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
