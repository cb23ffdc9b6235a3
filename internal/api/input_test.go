package api

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// TestInput_Bodies checks how malformed, oversized and invalid bodies are
// refused: the status, and the field named when there is one.
func TestInput_Bodies(t *testing.T) {
	e := newEnvOpts(t, Options{MaxBodyBytes: 4 << 10})
	valid := `{"type":"incident","title":"t","requester":{"email":"a@example.com"}}`
	future := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	cases := []struct {
		name        string
		body        string
		contentType string
		status      int
		field       string
	}{
		{"malformed JSON", `{"type":"incident",`, "application/json", 400, ""},
		{"not JSON at all", `type=incident`, "application/json", 400, ""},
		{"empty body", ``, "application/json", 400, ""},
		{"array instead of object", `[1,2]`, "application/json", 400, ""},
		{"unknown field", `{"type":"incident","title":"t","colour":"red"}`, "application/json", 400, "colour"},
		{"unknown nested field", `{"type":"incident","title":"t","requester":{"mail":"x"}}`, "application/json", 400, "mail"},
		{"trailing object", valid + `{"type":"request"}`, "application/json", 400, ""},
		{"trailing garbage", valid + ` xyz`, "application/json", 400, ""},
		{"oversize", `{"type":"incident","title":"` + strings.Repeat("a", 5<<10) + `"}`, "application/json", 413, ""},
		{"text/plain", valid, "text/plain", 415, ""},
		{"form", valid, "application/x-www-form-urlencoded", 415, ""},
		{"no content type", valid, "", 415, ""},
		{"wrong JSON type", `{"type":"incident","title":42}`, "application/json", 422, "title"},
		{"wrong nested type", `{"type":"incident","title":"t","requester":{"email":7}}`, "application/json", 422, "requester.email"},
		{"bad timestamp", `{"type":"incident","title":"t","reported_at":"yesterday"}`, "application/json", 422, "reported_at"},
		{"future timestamp", `{"type":"incident","title":"t","requester":{"email":"a@example.com"},"reported_at":"` + future + `"}`, "application/json", 422, "reported_at"},
		{"missing title", `{"type":"incident","requester":{"email":"a@example.com"}}`, "application/json", 422, "title"},
		{"blank title", `{"type":"incident","title":"   ","requester":{"email":"a@example.com"}}`, "application/json", 422, "title"},
		{"missing type", `{"title":"t","requester":{"email":"a@example.com"}}`, "application/json", 422, "type"},
		{"wrong type enum", `{"type":"problem","title":"t","requester":{"email":"a@example.com"}}`, "application/json", 422, "type"},
		{"wrong impact enum", `{"type":"incident","title":"t","impact":"huge","requester":{"email":"a@example.com"}}`, "application/json", 422, "impact"},
		{"wrong channel", `{"type":"incident","title":"t","channel":"fax","requester":{"email":"a@example.com"}}`, "application/json", 422, "channel"},
		{"missing requester", `{"type":"incident","title":"t"}`, "application/json", 422, "requester.email"},
		{"bad e-mail", `{"type":"incident","title":"t","requester":{"email":"not an address"}}`, "application/json", 422, "requester.email"},
		{"raw bytes not UTF-8", "{\"type\":\"incident\",\"title\":\"bad \xff\xfe\",\"requester\":{\"email\":\"a@example.com\"}}", "application/json", 400, "title"},
		{"lone surrogate escape", `{"type":"incident","title":"bad \ud800","requester":{"email":"a@example.com"}}`, "application/json", 400, "title"},
		{"lone low surrogate", `{"type":"incident","title":"t","description":"x\uDC00y","requester":{"email":"a@example.com"}}`, "application/json", 400, "description"},
		{"high surrogate without its pair", `{"type":"incident","title":"\ud83d\u0041","requester":{"email":"a@example.com"}}`, "application/json", 400, "title"},
		{"nested not UTF-8", "{\"type\":\"incident\",\"title\":\"t\",\"requester\":{\"email\":\"a\xc3@example.com\"}}", "application/json", 400, "requester.email"},
		{"key not UTF-8", "{\"type\":\"incident\",\"ti\xfftle\":\"t\"}", "application/json", 400, "ti\ufffdtle"},
		{"title too long", `{"type":"incident","title":"` + strings.Repeat("я", desk.MaxTitleLen+1) + `","requester":{"email":"a@example.com"}}`, "application/json", 422, "title"},
		{"unknown group", `{"type":"incident","title":"t","group_id":999,"requester":{"email":"a@example.com"}}`, "application/json", 422, "group_id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.agent.do("POST", "/api/v1/tickets", nil, rawBody([]byte(tc.body), tc.contentType)).want(t, tc.status)
			p := problemOf(t, r)
			if p.Status != tc.status || !strings.HasPrefix(p.Type, problemTypePrefix) || p.Title == "" {
				t.Errorf("problem %+v", p)
			}
			if tc.field != "" && !hasField(p, tc.field) {
				t.Errorf("errors %v do not name %q (detail %q)", p.Errors, tc.field, p.Detail)
			}
		})
	}
	if n := e.countTickets(); n != 0 {
		t.Errorf("%d tickets stored by refused requests", n)
	}
}

func hasField(p problem, field string) bool {
	for _, f := range p.Errors {
		if f.Field == field {
			return true
		}
	}
	return false
}

// TestInput_DefaultBodyLimit sends just over 1 MiB.
func TestInput_DefaultBodyLimit(t *testing.T) {
	e := newEnv(t)
	big := []byte(`{"type":"incident","title":"t","description":"` + strings.Repeat("x", 1<<20) + `"}`)
	problemOf(t, e.agent.do("POST", "/api/v1/tickets", nil, rawBody(big, "application/json")).want(t, http.StatusRequestEntityTooLarge))
	// Without Content-Length the limit holds too.
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/tickets", struct{ *bytes.Reader }{bytes.NewReader(big)})
	req.Header.Set("Authorization", "Bearer "+e.agent.token)
	req.Header.Set("Content-Type", "application/json")
	res, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge || req.ContentLength != 0 {
		t.Errorf("chunked oversize body: status %d (Content-Length %d)", res.StatusCode, req.ContentLength)
	}
}

// TestInput_ListParameters checks that bad query parameters are 422 naming
// the parameter.
func TestInput_ListParameters(t *testing.T) {
	e := newEnv(t)
	cases := []struct{ query, param string }{
		{"limit=501", "limit"},
		{"limit=0", "limit"},
		{"limit=ten", "limit"},
		{"state=open,done", "state"},
		{"type=problem", "type"},
		{"priority=P0", "priority"},
		{"line=4", "line"},
		{"line=one", "line"},
		{"channel=fax", "channel"},
		{"group=abc", "group"},
		{"assignee=someone", "assignee"},
		{"requester=-1", "requester"},
		{"category=x", "category"},
		{"service=1.5", "service"},
		{"created_from=yesterday", "created_from"},
		{"updated_to=2026-13-01T00:00:00Z", "updated_to"},
		{"sort=title", "sort"},
		{"total=maybe", "total"},
		{"stat=open", "stat"},
		{"cursor=garbage", "cursor"},
		{"q=" + strings.Repeat("x", 501), "q"},
		{"sort=created;DROP", "sort"},
		{"evil=1;x", "evil"},
		{"state=new&limit=5;6", "limit"},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			p := problemOf(t, e.agent.get("/api/v1/tickets?"+tc.query, invalid).want(t, http.StatusUnprocessableEntity))
			if !hasField(p, tc.param) {
				t.Errorf("errors %v do not name %q", p.Errors, tc.param)
			}
		})
	}
	problemOf(t, e.agent.get("/api/v1/tickets/1/events?limit=1000", invalid).want(t, http.StatusUnprocessableEntity))
}

// TestInput_Filters checks that each filter narrows the list.
func TestInput_Filters(t *testing.T) {
	e := newEnv(t)
	inc := e.agent.createTicket(ticketIn("Router down"))
	req := ticketIn("Need a mouse")
	req["type"], req["impact"], req["urgency"] = "request", "low", "low"
	req["requester"] = map[string]any{"email": "bob@example.com"}
	rq := e.agent.createTicket(req)
	rq = e.agent.move(rq, map[string]any{"to": "assigned", "assignee_id": e.agent2.userID})
	since := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	cases := []struct {
		query string
		want  []int64
	}{
		{"state=open", []int64{rq.ID, inc.ID}},
		{"state=new", []int64{inc.ID}},
		{"state=assigned,in_progress", []int64{rq.ID}},
		{"type=request", []int64{rq.ID}},
		{"priority=P4", []int64{rq.ID}},
		{"priority=P3,P4&type=incident", []int64{inc.ID}},
		{"line=1", []int64{rq.ID, inc.ID}},
		{"line=2", nil},
		{"channel=api", []int64{rq.ID, inc.ID}},
		{"channel=phone,email", nil},
		{"group=" + itoa(e.sd.ID), []int64{rq.ID, inc.ID}},
		{"assignee=none", []int64{inc.ID}},
		{"assignee=" + itoa(e.agent2.userID), []int64{rq.ID}},
		{"assignee=me", nil},
		{"requester=" + itoa(e.bob.userID), []int64{rq.ID}},
		{"created_from=" + since, []int64{rq.ID, inc.ID}},
		{"created_to=" + since, nil},
		{"updated_from=" + since + "&sort=-updated", []int64{rq.ID, inc.ID}},
		{"q=router", []int64{inc.ID}},
		{"q=mouse&state=open", []int64{rq.ID}},
		{"sort=created", []int64{inc.ID, rq.ID}},
		{"sort=priority", []int64{inc.ID, rq.ID}},
		{"sort=-priority", []int64{rq.ID, inc.ID}},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			list := decode[ticketListJSON](t, e.agent.get("/api/v1/tickets?"+tc.query).want(t, http.StatusOK))
			var got []int64
			for _, tk := range list.Tickets {
				got = append(got, tk.ID)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got tickets %v, want %v", got, tc.want)
			}
			if list.Total != nil {
				t.Error("total present without total=true")
			}
		})
	}
	if me := decode[ticketListJSON](t, e.agent2.get("/api/v1/tickets?assignee=me").want(t, http.StatusOK)); len(me.Tickets) != 1 {
		t.Errorf("assignee=me for agent2: %d tickets", len(me.Tickets))
	}
}

// TestInput_RoutingProblems checks unknown routes and wrong methods.
func TestInput_RoutingProblems(t *testing.T) {
	e := newEnv(t)
	p := problemOf(t, e.agent.get("/api/v1/nothing").want(t, http.StatusNotFound))
	if p.Status != 404 {
		t.Errorf("problem %+v", p)
	}
	r := e.agent.do("DELETE", "/api/v1/tickets", nil).want(t, http.StatusMethodNotAllowed)
	problemOf(t, r)
	if allow := r.header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
		t.Errorf("Allow = %q, want GET and POST", allow)
	}
	problemOf(t, e.agent.do("PUT", "/api/v1/priority-matrix/x", nil).want(t, http.StatusNotFound))
}

func TestRecoverPanics(t *testing.T) {
	logs := &syncBuffer{}
	s := &server{log: slog.New(slog.NewTextHandler(logs, nil))}
	h := s.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/tickets", nil))
	if rec.Code != http.StatusInternalServerError || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Errorf("status %d, Content-Type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	if strings.Contains(rec.Body.String(), "boom") || !strings.Contains(logs.String(), "boom") {
		t.Errorf("panic value must be logged, not shown: body %s", rec.Body)
	}
}

// TestInput_TextKeptExactly checks the other side of the UTF-8 refusal:
// valid text, escaped surrogate pairs and escaped backslashes before a
// "u" are stored as sent, and a ';' written as %3B in a query value is
// an ordinary character.
func TestInput_TextKeptExactly(t *testing.T) {
	e := newEnv(t)
	body := `{"type":"incident","title":"Принтер \ud83d\ude00 \\ud800 ok","requester":{"email":"a@example.com"}}`
	tk := decode[ticketJSON](t, e.agent.do("POST", "/api/v1/tickets", nil, rawBody([]byte(body), "application/json")).want(t, http.StatusCreated))
	if want := "Принтер 😀 \\ud800 ok"; tk.Title != want {
		t.Errorf("title %q, want %q", tk.Title, want)
	}
	e.agent.get("/api/v1/tickets?q=a%3Bb").want(t, http.StatusOK)
}

// TestInput_AlertBodyNotUTF8 checks that the alert webhook refuses text
// that is not UTF-8 instead of storing replacement characters.
func TestInput_AlertBodyNotUTF8(t *testing.T) {
	e := newEnv(t)
	ig := e.integration("generic", "nas", nil)
	r := ig.sender.do("POST", "/api/v1/alerts", nil, rawBody([]byte("{\"summary\":\"disk \xff full\"}"), "application/json"))
	p := problemOf(t, r.want(t, http.StatusBadRequest))
	if !hasField(p, "summary") {
		t.Errorf("errors %v do not name summary", p.Errors)
	}
	if st := e.stats(ig); st.IncidentsOpened != 0 || st.AlertsReceived != 0 {
		t.Errorf("stats %+v after a refused notification", st)
	}
}
