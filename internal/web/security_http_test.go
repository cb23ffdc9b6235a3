package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/web"
)

const secWord = "zanzibarquux"

// TestSecurityAuthz_WebNonMembersFindNothing is the web half of the API's
// TestSecurityAuthz_NonMembersFindNothing: sam reports "my account sends
// spam" on the portal, lena (line 1) marks it a security case, a member of
// the security group works it; then every page an administrator who is not
// a member and lena may open shows nothing of it, sam sees it with its
// public comment only, and a report with the portal's "compromised" box
// goes straight to the security group. The administrator grants themselves
// access on the web page and then reads it.
func TestSecurityAuthz_WebNonMembersFindNothing(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	ctx := context.Background()
	sys := desk.AsSystem(ctx)
	g, err := e.d.CreateGroup(sys, desk.GroupInput{Name: "Security", Line: desk.Line2, Security: true})
	if err != nil {
		t.Fatal(err)
	}
	bootstrap(t, e, "ada@example.com", desk.RoleAdmin)
	sid := bootstrap(t, e, "sid@example.com", desk.RoleAgent, g.ID)

	sam, lena, admin, sec := e.client(), e.client(), e.client(), e.client()
	sam.signIn("sam@example.com")
	lena.signIn("lena@example.com")
	admin.signIn("ada@example.com")
	sec.signIn("sid@example.com")

	tk, _, err := e.d.CreateTicket(desk.WithActor(ctx, e.sam), desk.NewTicket{Type: desk.TypeIncident,
		Title: "My account sends spam " + secWord, Description: "Mail I never wrote " + secWord, Channel: desk.ChannelPortal}, "")
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := e.d.CreateTicket(desk.WithActor(ctx, e.lena), desk.NewTicket{Type: desk.TypeIncident, Title: "Printer jam",
		Channel: desk.ChannelPhone, Requester: desk.PersonInput{Email: "sam@example.com"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	// Line 1 marks it on the ticket page and lands on a page saying so.
	page := "/tickets/" + tk.Number
	r := lena.post(page+"/security", url.Values{"csrf": {lena.csrf(page)}, "reason": {"the requester's account is compromised"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/security/marked/"+tk.Number {
		t.Fatalf("marking: %d %s", r.status, r.header.Get("Location"))
	}
	if b := lena.get("/security/marked/" + tk.Number).body; !strings.Contains(b, tk.Number+" is now a security case") {
		t.Errorf("the marked page says: %s", b)
	}
	secCtx := desk.WithActor(ctx, sid)
	if _, _, err := e.d.Comment(secCtx, tk.Number, desk.CommentInput{Body: "We reset your password " + secWord}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.d.Comment(secCtx, tk.Number, desk.CommentInput{Body: "Attacker IP 203.0.113.7 " + secWord, Internal: true}); err != nil {
		t.Fatal(err)
	}
	atts, _, err := e.d.Attach(secCtx, tk.Number, desk.AttachInput{Files: []desk.FileInput{{Name: "headers-" + secWord + ".txt",
		Content: []byte("Received: from evil " + secWord)}}})
	if err != nil || len(atts) != 1 {
		t.Fatalf("attach: %v", err)
	}
	if _, err := e.d.LinkTickets(secCtx, tk.Number, desk.LinkInput{Kind: desk.LinkRelated, Ticket: other.Number}); err != nil {
		t.Fatal(err)
	}
	if b := sec.get(page).body; !strings.Contains(b, secWord) || !strings.Contains(b, "Security case") {
		t.Error("the security member's ticket page lacks the case")
	}
	r = sec.postFile(page+"/evidence", url.Values{"csrf": {sec.csrf(page + "/evidence")}, "title": {"Headers " + secWord},
		"collected_from": {"sam's mailbox"}}, "evidence-"+secWord+".eml", []byte("From: "+secWord))
	if r.status != http.StatusSeeOther {
		t.Fatalf("evidence: %d %s", r.status, r.body)
	}
	evPath := strings.TrimSuffix(r.header.Get("Location"), "?done=evidence_added")

	for name, c := range map[string]*client{"non-member admin": admin, "line-1 agent": lena} {
		t.Run(name, func(t *testing.T) {
			webFindsNothing(t, c, tk, atts[0].ID, other)
			evidenceFindsNothing(t, c, tk, evPath)
		})
	}
	t.Run("requester", func(t *testing.T) {
		b := sam.get(page).body
		if !strings.Contains(b, "We reset your password") || strings.Contains(b, "203.0.113.7") || strings.Contains(b, "compromised") {
			t.Errorf("the requester's page shows internal history or misses the public comment: %s", b)
		}
		if !strings.Contains(sam.get("/my").body, tk.Number) {
			t.Error("the requester's own list lacks the case")
		}
		evidenceFindsNothing(t, sam, tk, evPath)
	})
	t.Run("portal intake", func(t *testing.T) {
		r := sam.postFile("/report", url.Values{"csrf": {sam.csrf("/report")}, "kind": {"broken"}, "title": {"Strange logins " + secWord},
			"people": {"me"}, "soon": {"now"}, "compromised": {"yes"}, "key": {"k1"}}, "note.txt", []byte("seen at 03:00"))
		if r.status != http.StatusSeeOther {
			t.Fatalf("report: %d %s", r.status, r.body)
		}
		num := strings.TrimSuffix(strings.TrimPrefix(r.header.Get("Location"), "/tickets/"), "?done=reported")
		if got := lena.get("/tickets/" + num).status; got != http.StatusNotFound {
			t.Errorf("line 1 opens the compromised report %s: %d", num, got)
		}
		if b := sec.get("/tickets/" + num).body; !strings.Contains(b, "Strange logins") {
			t.Errorf("the security group misses the compromised report %s", num)
		}
	})
	t.Run("audit page", func(t *testing.T) {
		// The entries about the case are listed, their details withheld:
		// where the evidence came from is not shown to a non-member admin.
		for lang, want := range map[string]string{"en": "details withheld: a security case you are not on",
			"ru": "подробности скрыты: дело о безопасности, к которому у вас нет доступа"} {
			p := admin.get("/admin/audit", "Accept-Language", lang)
			if text := pageText(p.body); p.status != 200 || !strings.Contains(text, want) || strings.Contains(p.body, secWord) ||
				strings.Contains(text, "sam's mailbox") {
				t.Errorf("%s: the audit page shows the case to a non-member admin (%d):\n%s", lang, p.status, text)
			}
		}
	})
	t.Run("self-grant", func(t *testing.T) {
		form := "/security/access?ticket=" + tk.Number
		r := admin.post("/security/access", url.Values{"csrf": {admin.csrf(form)}, "ticket": {tk.Number}, "reason": {""}})
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("a grant without a reason: %d", r.status)
		}
		r = lena.post("/security/access", url.Values{"csrf": {lena.csrf("/agent")}, "ticket": {tk.Number}, "reason": {"curious"}})
		if r.status != http.StatusForbidden {
			t.Errorf("line 1 granting themselves access: %d", r.status)
		}
		r = admin.post("/security/access", url.Values{"csrf": {admin.csrf(form)}, "ticket": {tk.Number}, "reason": {"legal hold"}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != page {
			t.Fatalf("grant: %d %s %s", r.status, r.header.Get("Location"), r.body)
		}
		if b := admin.get(page).body; !strings.Contains(b, secWord) || !strings.Contains(b, "self-granted") {
			t.Error("after the grant the admin's page lacks the case or the grant")
		}
		if b := sec.get(page).body; !strings.Contains(b, "legal hold") {
			t.Error("the grant and its reason are not on the case's timeline")
		}
	})
}

func bootstrap(t *testing.T, e *httpEnv, email string, role desk.Role, groups ...int64) *desk.User {
	t.Helper()
	u, _, err := e.d.Bootstrap(context.Background(), desk.UserInput{Email: email, Name: strings.Split(email, "@")[0], Role: role}, false, groups...)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.d.SetPassword(desk.AsSystem(context.Background()), u.ID, pw); err != nil {
		t.Fatal(err)
	}
	return u
}

// evidenceFindsNothing: c finds none of the case's evidence, and cannot
// record any on it or touch its item, each as if nothing were there.
func evidenceFindsNothing(t *testing.T, c *client, tk *desk.Ticket, evPath string) {
	t.Helper()
	list := "/tickets/" + tk.Number + "/evidence"
	for _, p := range []string{list, evPath, evPath + "/file"} {
		if r := c.get(p); r.status != http.StatusNotFound || strings.Contains(r.body, secWord) {
			t.Errorf("GET %s: %d, want 404", p, r.status)
		}
	}
	csrf := c.csrf("/settings")
	for p, f := range map[string]url.Values{
		list:                 {"title": {"x"}, "collected_from": {"y"}, "location": {"z"}},
		evPath + "/handover": {"to_name": {"me"}, "note": {"mine"}},
		evPath + "/transfer": {"location": {"home"}, "transfer_note": {"mine"}},
		evPath + "/verify":   {},
	} {
		f.Set("csrf", csrf)
		if r := c.post(p, f); r.status != http.StatusNotFound {
			t.Errorf("POST %s: %d, want 404", p, r.status)
		}
	}
}

// webFindsNothing opens every page that lists, counts, searches or shows
// tickets and fails on any trace of the case.
func webFindsNothing(t *testing.T, c *client, tk *desk.Ticket, attID int64, other *desk.Ticket) {
	for _, p := range []string{"/tickets/" + tk.Number, fmt.Sprintf("/tickets/%d", tk.ID), fmt.Sprintf("/attachments/%d", attID)} {
		if r := c.get(p); r.status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, r.status)
		}
	}
	q := url.QueryEscape(secWord)
	pages := []string{"/agent", "/tickets", "/tickets?q=" + q, "/tickets?state=new&state=assigned&state=resolved",
		"/tickets/export.csv?q=" + q, "/tickets/export.csv", "/console", "/console/dashboard",
		"/console/requesters?q=sam", "/reports", "/reports/tat.csv", "/tickets/" + other.Number,
		"/tickets/" + other.Number + "?lang=ru"}
	for _, name := range desk.Queues {
		pages = append(pages, "/console/queues/"+string(name))
	}
	for _, p := range pages {
		r := c.get(p)
		if r.status != http.StatusOK {
			t.Errorf("GET %s: %d", p, r.status)
			continue
		}
		body := r.body
		if strings.Contains(p, "q=") { // the page echoes the query: look for the rest of the case
			body = strings.ReplaceAll(body, secWord, "")
		}
		if strings.Contains(body, secWord) || strings.Contains(body, "sends spam") || strings.Contains(body, tk.Number) || strings.Contains(body, ">Security<") {
			i := max(strings.Index(body, tk.Number), strings.Index(body, secWord), strings.Index(body, "sends spam"))
			t.Errorf("GET %s shows the case: …%s…", p, body[max(0, i-300):min(len(body), i+200)])
		}
	}
}
