package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/web"
)

// registerForm is what the register form posts, with the CSRF token.
func registerForm(csrf string, kv ...string) url.Values {
	f := url.Values{"csrf": {csrf}, "key": {"k-" + strconv.Itoa(len(kv))}, "type": {"incident"}, "channel": {"phone"},
		"impact": {"medium"}, "urgency": {"medium"}, "visibility": {"public"}}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Set(kv[i], kv[i+1])
	}
	return f
}

// TestWeb_Register_Errors: a wrong registration comes back 422 with every
// input kept and each error by its field; nothing is stored.
func TestWeb_Register_Errors(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	c := e.client()
	c.signIn("lena@example.com")
	p := c.get("/console/register")
	if p.status != 200 || !strings.Contains(p.body, `<option value="phone" selected>`) ||
		!strings.Contains(p.body, `class="prio prio-P3">P3<`) {
		t.Fatalf("the empty form: %d, phone by default and P3 for medium × medium expected\n%.2000s", p.status, p.body)
	}
	csrf := c.csrf("/console/register")
	p = c.post("/console/register", registerForm(csrf, "op", "register", "requester.name", "Kim Walker",
		"requester.email", "kim@", "requester.organization", "Initech", "description", "The screen stays black",
		"channel", "walk_in", "impact", "high", "fcr", "on", "resolution_notes", "Replugged the cable"))
	wantForm(t, p, "requester.email", "Please enter an e-mail address such as name@example.com.",
		`value="Kim Walker"`, `value="Initech"`, "The screen stays black", `<option value="walk_in" selected>`,
		`<option value="high" selected>`, `name="fcr" value="on" checked`, "Replugged the cable")
	wantForm(t, p, "title", "Please fill this in.")
	wantForm(t, p, "resolution_code", "Please fill this in.")
	if page, _ := e.d.ListUsers(desk.WithActor(context.Background(), e.lena), desk.UserFilter{Query: "kim"}); len(page.Users) != 0 {
		t.Error("a refused registration stored its requester")
	}
	// Without CSRF nothing happens.
	if p := c.post("/console/register", registerForm("", "op", "register")); p.status != http.StatusForbidden {
		t.Errorf("no CSRF token: %d", p.status)
	}
	// A requester has no such page.
	s := e.client()
	s.signIn("sam@example.com")
	if p := s.get("/console/register"); p.status != http.StatusNotFound {
		t.Errorf("requester: %d", p.status)
	}
	if p := s.get("/console/requesters?q=lena"); p.status != http.StatusNotFound {
		t.Errorf("requester looks up users: %d", p.status)
	}
}

// TestWeb_Register_WithoutScript: every step by plain form posts: the
// priority preview, the lookup, choosing the caller, their tickets, adding
// the call to one, and registering a new ticket resolved on first contact.
func TestWeb_Register_WithoutScript(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	lena := desk.WithActor(context.Background(), e.lena)
	old, _, err := e.d.CreateTicket(lena, desk.NewTicket{Type: desk.TypeIncident, Title: "VPN drops", Channel: desk.ChannelPhone,
		Requester: desk.PersonInput{Email: "sam@example.com"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	c := e.client()
	c.signIn("lena@example.com")
	csrf := c.csrf("/console/register")

	p := c.post("/console/register", registerForm(csrf, "op", "preview", "impact", "high", "urgency", "high", "title", "Kept"))
	if p.status != 200 || !strings.Contains(p.body, `class="prio prio-P1">P1<`) || !strings.Contains(p.body, `value="Kept"`) {
		t.Fatalf("preview: %d\n%.3000s", p.status, p.body)
	}
	p = c.post("/console/register", registerForm(csrf, "op", "search", "q", "SAM", "title", "VPN again"))
	pick := `name="pick" value="` + strconv.FormatInt(e.sam.ID, 10) + `"`
	if p.status != 200 || !strings.Contains(p.body, pick) || !strings.Contains(p.body, `value="VPN again"`) {
		t.Fatalf("lookup: %d\n%.3000s", p.status, p.body)
	}
	if p = c.post("/console/register", registerForm(csrf, "op", "search", "q", "nobody-here")); !strings.Contains(p.body, "Nobody matches") {
		t.Errorf("lookup without matches says so")
	}
	p = c.post("/console/register", registerForm(csrf, "pick", strconv.FormatInt(e.sam.ID, 10), "q", "sam", "title", "VPN again"))
	add := `name="add" value="` + old.Number + `"`
	if p.status != 200 || !strings.Contains(p.body, `id="caller"`) || !strings.Contains(p.body, add) {
		t.Fatalf("caller chosen: %d\n%.3000s", p.status, p.body)
	}
	// Nothing to say: refused by the title.
	p = c.post("/console/register", registerForm(csrf, "requester_id", strconv.FormatInt(e.sam.ID, 10), "add", old.Number))
	wantForm(t, p, "title", "Say what the caller reports")
	p = c.post("/console/register", registerForm(csrf, "requester_id", strconv.FormatInt(e.sam.ID, 10), "add", old.Number,
		"title", "VPN again", "description", "Drops every 5 minutes", "visibility", "internal"))
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/tickets/"+old.Number+"?done=call_added" {
		t.Fatalf("add the call: %d %s", p.status, p.header.Get("Location"))
	}
	evs, err := e.d.Events(lena, old.Number, desk.EventFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	last := evs.Events[len(evs.Events)-1]
	if last.Kind != desk.EventWorkNote || !strings.Contains(last.Body, "Drops every 5 minutes") || !strings.Contains(last.Body, "Call (Phone)") {
		t.Errorf("the call on the ticket: %+v", last)
	}

	// A new caller, resolved on first contact.
	p = c.post("/console/register", registerForm(csrf, "op", "register", "requester.name", "Kim Walker",
		"requester.email", "kim@example.com", "requester.phone", "+7 812 555-01-02", "requester.organization", "Initech",
		"title", "Password expired", "channel", "chat", "type", "request",
		"fcr", "on", "resolution_code", "user_instructed", "resolution_notes", "Changed it together"))
	if p.status != http.StatusSeeOther || !strings.HasSuffix(p.header.Get("Location"), "?done=registered_resolved") {
		t.Fatalf("register resolved: %d %s\n%.2000s", p.status, p.header.Get("Location"), p.body)
	}
	ref := strings.TrimSuffix(strings.TrimPrefix(p.header.Get("Location"), "/tickets/"), "?done=registered_resolved")
	tk, err := e.d.Ticket(lena, ref)
	if err != nil || tk.State != desk.StateResolved || tk.Channel != desk.ChannelChat || tk.Requester.Organization != "Initech" {
		t.Fatalf("registered: %+v %v", tk, err)
	}
	if p := c.get("/tickets/" + ref); !strings.Contains(p.body, "Resolved on first contact") {
		t.Errorf("the timeline does not say the ticket was resolved on first contact")
	}

	// The lookup as the script asks for it.
	p = c.get("/console/requesters?q=initech")
	var m struct {
		Users []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"users"`
		More bool `json:"more"`
	}
	if err := json.Unmarshal([]byte(p.body), &m); err != nil || len(m.Users) != 1 || m.Users[0].Name != "Kim Walker" ||
		p.header.Get("Content-Type") != "application/json" {
		t.Errorf("lookup JSON: %s %v", p.body, err)
	}
}
