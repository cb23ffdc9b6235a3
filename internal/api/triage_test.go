package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/triage"
)

// testTriageConfig is a smaller model than the default, quick to train.
func testTriageConfig() triage.Config {
	c := triage.DefaultConfig()
	c.Bits = 16
	return c
}

// triageHistory stores n resolved tickets of two kinds (printers: Field
// support, category Printers; passwords: the service desk, category
// Access) in English and Russian, and trains the model on them.
func (e *env) triageHistory(n int) (printers, access *desk.Category) {
	e.t.Helper()
	t := e.t
	ctx := desk.WithActor(t.Context(), e.mustActor(e.admin))
	var err error
	if printers, err = e.desk.CreateCategory(ctx, desk.CategoryInput{Name: "Printers"}); err != nil {
		t.Fatal(err)
	}
	if access, err = e.desk.CreateCategory(ctx, desk.CategoryInput{Name: "Access"}); err != nil {
		t.Fatal(err)
	}
	st := e.store.(*sqlstore.Store)
	at := time.Now().Add(-48 * time.Hour).UTC()
	kinds := []struct {
		titles []string
		cat    *desk.Category
		group  *desk.Group
	}{
		{[]string{"Printer jams", "Принтер не печатает", "The printer prints blank pages", "Замятие бумаги в принтере"}, printers, e.net},
		{[]string{"Reset my password", "Не могу войти, пароль не подходит", "Account locked", "Учетная запись заблокирована"}, access, e.sd},
	}
	for i := range n {
		k := kinds[i%2]
		resolved := at.Add(time.Hour)
		tk := &desk.Ticket{Type: desk.TypeIncident, Title: k.titles[(i/2)%4], Description: fmt.Sprintf("case %d", i),
			State: desk.StateResolved, Impact: desk.LevelMedium, Urgency: desk.LevelMedium, Priority: desk.P3,
			Group: desk.GroupRef{ID: k.group.ID}, Requester: desk.Person{ID: e.bob.userID}, Channel: desk.ChannelPortal,
			Category: &desk.Ref{ID: k.cat.ID}, ReportedAt: at, CreatedAt: at, UpdatedAt: at, ResolvedAt: &resolved,
			ResolutionCode: desk.ResolutionCodes[0], ResolutionNotes: "Done " + k.titles[0]}
		if _, err := st.CreateTicket(t.Context(), tk, []desk.Event{{At: at, Kind: desk.EventCreated}}, nil); err != nil {
			t.Fatal(err)
		}
	}
	e.admin.do("POST", "/api/v1/triage/training", nil).want(t, http.StatusAccepted)
	if ok, err := e.tri.Sweep(t.Context()); !ok || err != nil {
		t.Fatalf("Sweep: %v, %v", ok, err)
	}
	return printers, access
}

type triageSuggestJSON struct {
	Status string `json:"status"`
	Model  *struct {
		Version int64 `json:"version"`
	} `json:"model"`
	Fields []struct {
		Field   string `json:"field"`
		ID      int64  `json:"id"`
		Value   string `json:"value"`
		Auto    bool   `json:"auto"`
		Reasons []struct {
			Word string `json:"word"`
		} `json:"reasons"`
	} `json:"fields"`
}

// TestTriage_API walks the triage endpoints as users meet them: nothing
// to suggest on a fresh desk, a model once trained, its settings, a
// portal ticket triaged by the desk, confirmed, corrected and reported.
func TestTriage_API(t *testing.T) {
	e := newEnv(t)
	fresh := decode[triageSuggestJSON](t, e.agent.do("POST", "/api/v1/triage/suggest", map[string]any{"title": "Принтер не печатает"}).want(t, http.StatusOK))
	if fresh.Status != "no_model" || len(fresh.Fields) != 0 || fresh.Model != nil {
		t.Fatalf("fresh desk: %+v", fresh)
	}
	printers, access := e.triageHistory(200)
	sg := decode[triageSuggestJSON](t, e.agent.do("POST", "/api/v1/triage/suggest",
		map[string]any{"title": "Принтер снова не печатает", "description": "замятие"}).want(t, http.StatusOK))
	if sg.Status != "ready" || sg.Model == nil || sg.Model.Version != 1 {
		t.Fatalf("suggestions: %+v", sg)
	}
	var cat int64
	for _, f := range sg.Fields {
		if f.Field == "category" {
			cat = f.ID
			if len(f.Reasons) == 0 {
				t.Errorf("category suggested without reasons: %+v", f)
			}
		}
	}
	if cat != printers.ID {
		t.Errorf("suggested category %d, want Printers %d: %+v", cat, printers.ID, sg)
	}
	model := decode[map[string]any](t, e.admin.get("/api/v1/triage/model").want(t, http.StatusOK))
	if m, _ := model["model"].(map[string]any); m == nil || m["version"] != float64(1) {
		t.Errorf("model: %v", model)
	}
	e.admin.do("PUT", "/api/v1/triage/settings", map[string]any{"auto_percent": 50, "retrain_every_hours": 12}).want(t, http.StatusOK)
	e.desk.SetAutoTriager(e.tri)
	tk := e.alice.createTicket(map[string]any{"type": "incident", "title": "Принтер не печатает", "channel": "portal"})
	if tk.Category == nil || tk.Category.ID != printers.ID {
		t.Fatalf("portal ticket category %v, want Printers set by the desk", tk.Category)
	}
	ds := decode[map[string][]map[string]any](t, e.agent.get(ticketURL(tk, "/triage")).want(t, http.StatusOK))
	if len(ds["decisions"]) == 0 {
		t.Fatalf("no decision recorded: %v", ds)
	}
	e.agent.do("POST", ticketURL(tk, "/triage/confirmations"), map[string]any{"fields": []string{"group"}}).want(t, http.StatusOK)
	e.agent.do("PATCH", ticketURL(tk, ""), map[string]any{"category_id": access.ID}).want(t, http.StatusOK)
	day := time.Now().UTC().Format("2006-01-02")
	rep := decode[struct {
		Fields []struct {
			Field     string  `json:"field"`
			Decided   int     `json:"decided"`
			Corrected int     `json:"corrected"`
			Accuracy  float64 `json:"accuracy"`
		} `json:"fields"`
	}](t, e.agent.get("/api/v1/reports/triage?from="+day+"&to="+time.Now().Add(24*time.Hour).UTC().Format("2006-01-02")).want(t, http.StatusOK))
	for _, f := range rep.Fields {
		if f.Field == "category" && (f.Decided != 1 || f.Corrected != 1 || f.Accuracy != 0) {
			t.Errorf("category report %+v, want 1 decided and corrected, accuracy 0", f)
		}
	}
	t.Run("reuse", func(t *testing.T) { e.reuseReported(t) })
}

type reuseJSON struct {
	Reuse struct {
		Resolved  int     `json:"resolved"`
		Reused    int     `json:"reused"`
		ReuseRate float64 `json:"reuse_rate"`
	} `json:"reuse"`
}

// reuseReported resolves a ticket with an earlier ticket's resolution and
// finds it counted in the report's reuse rate; the ticket's own
// resolution is refused naming reused_from.
func (e *env) reuseReported(t *testing.T) {
	tk := e.agent.createTicket(ticketIn("Printer jams again"))
	from, to := time.Now().Add(-24*time.Hour).UTC().Format("2006-01-02"), time.Now().Add(24*time.Hour).UTC().Format("2006-01-02")
	report := func() reuseJSON {
		return decode[reuseJSON](t, e.agent.get("/api/v1/reports/triage?from="+from+"&to="+to).want(t, http.StatusOK))
	}
	before := report()
	src := decode[struct {
		Tickets []ticketJSON `json:"tickets"`
	}](t, e.agent.get("/api/v1/tickets?state=resolved&limit=1").want(t, http.StatusOK)).Tickets[0]
	e.agent.do("POST", ticketURL(tk, "/transitions"), map[string]any{"to": "in_progress"}).want(t, http.StatusOK)
	p := problemOf(t, e.agent.do("POST", ticketURL(tk, "/transitions"), map[string]any{"to": "resolved", "resolution_code": "solved",
		"resolution_notes": "x", "reused_from": tk.Number}).want(t, http.StatusUnprocessableEntity))
	if len(p.Errors) != 1 || p.Errors[0].Field != "reused_from" {
		t.Errorf("reusing the ticket's own resolution: %+v, want an error naming reused_from", p.Errors)
	}
	e.agent.do("POST", ticketURL(tk, "/transitions"), map[string]any{"to": "resolved", "resolution_code": "solved",
		"resolution_notes": "Cleared the jam", "reused_from": src.Number}).want(t, http.StatusOK)
	after := report().Reuse
	if after.Resolved != before.Reuse.Resolved+1 || after.Reused != before.Reuse.Reused+1 ||
		after.ReuseRate != float64(after.Reused)/float64(after.Resolved) {
		t.Errorf("reuse %+v after %+v, want one more resolved and reused", after, before.Reuse)
	}
}

// TestTriage_BadInput: every bad request is a 4xx problem, never a 5xx.
func TestTriage_BadInput(t *testing.T) {
	e := newEnv(t)
	e.triageHistory(200)
	tk := e.alice.createTicket(map[string]any{"type": "incident", "title": "Printer"})
	huge := strings.Repeat("printer ", 1<<17) // 1 MiB
	cases := []struct {
		name         string
		method, path string
		body         any
		status       int
	}{
		{"empty text", "POST", "/api/v1/triage/suggest", map[string]any{"title": " ", "description": ""}, 422},
		{"no body fields", "POST", "/api/v1/triage/suggest", map[string]any{}, 422},
		{"unknown field", "POST", "/api/v1/triage/suggest", map[string]any{"text": "x"}, 400},
		{"1 MiB text", "POST", "/api/v1/triage/suggest", map[string]any{"title": "x", "description": huge}, 413},
		{"threshold above 100", "PUT", "/api/v1/triage/settings", map[string]any{"auto_percent": 101, "retrain_every_hours": 24}, 422},
		{"period of 0 hours", "PUT", "/api/v1/triage/settings", map[string]any{"auto_percent": 90, "retrain_every_hours": 0}, 422},
		{"huge period", "PUT", "/api/v1/triage/settings", map[string]any{"auto_percent": 90, "retrain_every_hours": 1 << 40}, 422},
		{"settings missing", "PUT", "/api/v1/triage/settings", map[string]any{}, 422},
		{"unknown ticket", "GET", "/api/v1/tickets/999999/triage", nil, 404},
		{"bad ticket ref", "GET", "/api/v1/tickets/x!/triage", nil, 404},
		{"nothing to confirm", "POST", ticketURL(tk, "/triage/confirmations"), map[string]any{}, 409},
		{"unknown field to confirm", "POST", ticketURL(tk, "/triage/confirmations"), map[string]any{"fields": []string{"colour"}}, 422},
		{"report without dates", "GET", "/api/v1/reports/triage", nil, 422},
		{"report backwards", "GET", "/api/v1/reports/triage?from=2026-12-02&to=2026-12-01", nil, 422},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			problemOf(t, e.admin.do(tc.method, tc.path, tc.body, invalid).want(t, tc.status))
		})
	}
	for _, text := range []string{"プリンターが印刷できません", "Drucker druckt nicht"} {
		sg := decode[triageSuggestJSON](t, e.agent.do("POST", "/api/v1/triage/suggest", map[string]any{"title": text}).want(t, http.StatusOK))
		if text[0] > 0x7f && (sg.Status != "unreadable" || len(sg.Fields) != 0) {
			t.Errorf("%q: %+v, want unreadable with no fields", text, sg)
		}
	}
}

// TestAuthz_Triage: suggestions and a ticket's decisions are staff's;
// the model, its settings and retraining administrators'; a ticket's
// decisions only for those who may see the ticket.
func TestAuthz_Triage(t *testing.T) {
	e := newEnv(t)
	mine := e.alice.createTicket(map[string]any{"type": "incident", "title": "My printer"})
	secret := e.agent.createTicket(map[string]any{"type": "incident", "title": "Printer", "requester": map[string]any{"email": "bob@example.com"},
		"group_id": e.vendor.ID, "restricted": true, "channel": "phone"})
	_ = secret
	cases := []struct {
		name         string
		c            *client
		method, path string
		body         any
		status       int
	}{
		{"anonymous suggests", e.anon, "POST", "/api/v1/triage/suggest", map[string]any{"title": "x"}, 401},
		{"requester suggests", e.alice, "POST", "/api/v1/triage/suggest", map[string]any{"title": "x"}, 403},
		{"agent reads the model", e.agent, "GET", "/api/v1/triage/model", nil, 403},
		{"manager reads the model", e.mgr, "GET", "/api/v1/triage/model", nil, 403},
		{"agent sets the threshold", e.agent, "PUT", "/api/v1/triage/settings", map[string]any{"auto_percent": 1, "retrain_every_hours": 24}, 403},
		{"agent retrains", e.agent, "POST", "/api/v1/triage/training", nil, 403},
		{"requester reads own ticket's decisions", e.alice, "GET", ticketURL(mine, "/triage"), nil, 403},
		{"requester confirms", e.alice, "POST", ticketURL(mine, "/triage/confirmations"), map[string]any{}, 403},
		{"requester reads the report", e.alice, "GET", "/api/v1/reports/triage?from=2026-01-01&to=2027-01-01", nil, 403},
		{"agent of another group reads a restricted ticket's decisions", e.agent2, "GET", fmt.Sprintf("/api/v1/tickets/%d/triage", secret.ID), nil, 404},
		{"agent of another group confirms on a restricted ticket", e.l2, "POST", fmt.Sprintf("/api/v1/tickets/%d/triage/confirmations", secret.ID), map[string]any{}, 404},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			problemOf(t, tc.c.do(tc.method, tc.path, tc.body).want(t, tc.status))
		})
	}
	e.l3.get(fmt.Sprintf("/api/v1/tickets/%d/triage", secret.ID)).want(t, http.StatusOK)
}
