package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// secEnv is env with a security group, one of its members (sec) and a
// security case that alice reported and line 1 marked.
type secEnv struct {
	*env
	secGroup *desk.Group
	sec      *client // member of the security group
	tk       ticketJSON
	other    ticketJSON // an ordinary ticket linked to the case
	attID    int64
	evID     int64 // an evidence item of the case
	taskID   int64 // a playbook task of the case
	markedAt int64 // the last outbox message before the marking
}

func (e *secEnv) lastOutboxID(t *testing.T) int64 {
	t.Helper()
	page, err := e.desk.Outbox(desk.AsSystem(context.Background()), desk.OutboxQueued, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Messages) == 0 {
		return 0
	}
	return page.Messages[0].ID
}

// secWord is in the case's title, its comments and its attachment's name:
// any read path that shows it leaks the case.
const secWord = "zanzibarquux"

func newSecEnv(t *testing.T) *secEnv {
	t.Helper()
	e := &secEnv{env: newEnv(t)}
	sys := desk.AsSystem(context.Background())
	g, err := e.desk.CreateGroup(sys, desk.GroupInput{Name: "Security", Line: desk.Line2, Security: true})
	if err != nil {
		t.Fatalf("security group: %v", err)
	}
	e.secGroup = g
	e.sec = e.user("sec@example.com", "Sasha Security", desk.RoleAgent, g.ID)
	// The requester reports it; line 1 marks it.
	e.tk = decode[ticketJSON](t, e.alice.do("POST", "/api/v1/tickets", map[string]any{"type": "incident",
		"title": "My account sends spam " + secWord, "description": "Strange mail " + secWord}).want(t, http.StatusCreated))
	e.other = e.agent.createTicket(ticketIn("Printer jam"))
	return e
}

// mark has line 1 mark the case, then the security member works it: a
// public comment, a work note, an attachment, a link, and the resolution.
func (e *secEnv) mark(t *testing.T) {
	t.Helper()
	rec := decode[ticketReceipt](t, e.agent.do("POST", ticketURL(e.tk, "/security"),
		map[string]any{"reason": "requester says the account is compromised"}).want(t, http.StatusOK))
	if rec.Visible || rec.Number != e.tk.Number {
		t.Fatalf("marking answered %+v, want a receipt", rec)
	}
	e.sec.do("POST", ticketURL(e.tk, "/comments"), map[string]any{"body": "We reset your password " + secWord}).want(t, http.StatusCreated)
	e.sec.do("POST", ticketURL(e.tk, "/comments"), map[string]any{"body": "Internal: attacker IP 203.0.113.7 " + secWord, "internal": true}).want(t, http.StatusCreated)
	e.attID = e.uploadAs(t, e.sec, e.tk)
	e.evID = decode[evidenceOut](t, e.addEvidenceFile(t, e.sec, "evidence-"+secWord+".eml", []byte("From: "+secWord),
		map[string]string{"title": "Headers " + secWord}).want(t, http.StatusCreated)).ID
	e.taskID = e.applyPlaybook(t)
	e.sec.do("POST", ticketURL(e.tk, "/links"), map[string]any{"ticket": e.other.Number, "kind": "related"}).want(t, http.StatusCreated)
	e.sec.do("POST", ticketURL(e.tk, "/transitions"), map[string]any{"to": "in_progress"}).want(t, http.StatusOK)
	e.sec.do("POST", ticketURL(e.tk, "/transitions"), map[string]any{"to": "resolved", "resolution_code": "solved",
		"resolution_notes": "Password reset, sessions revoked " + secWord}).want(t, http.StatusOK)
}

func (e *secEnv) uploadAs(t *testing.T, c *client, tk ticketJSON) int64 {
	t.Helper()
	r := c.do("POST", ticketURL(tk, "/attachments"), nil, multipartBody(t, []upload{{name: "headers-" + secWord + ".txt",
		contentType: "text/plain", content: []byte("Received: from evil " + secWord)}}, nil)).want(t, http.StatusCreated)
	atts := decode[struct {
		Attachments []struct {
			ID int64 `json:"id"`
		} `json:"attachments"`
	}](t, r)
	if len(atts.Attachments) != 1 {
		t.Fatalf("uploaded %d attachments", len(atts.Attachments))
	}
	return atts.Attachments[0].ID
}

// TestSecurityAuthz_NonMembersFindNothing tries every read path of the API
// as an administrator who is not a member, a line-1 agent (who marked the
// case) and the requester: the first two find nothing of the case, the
// requester finds it with its public comments only. Then the administrator
// grants themselves access and the owner is told.
func TestSecurityAuthz_NonMembersFindNothing(t *testing.T) {
	e := newSecEnv(t)
	before := openTotal(t, e.admin)
	e.markedAt = e.lastOutboxID(t)
	e.mark(t)
	if got := openTotal(t, e.admin); got != before-1 {
		t.Errorf("admin's dashboard counts %d open tickets after marking, want %d (the case left out)", got, before-1)
	}
	e.sec.get(ticketURL(e.tk, "")).want(t, http.StatusOK) // the security group sees it

	for name, c := range map[string]*client{"non-member admin": e.admin, "line-1 agent": e.agent} {
		t.Run(name, func(t *testing.T) { e.staffFindsNothing(t, c) })
	}
	t.Run("requester", func(t *testing.T) { e.requesterSeesPublicOnly(t) })
	t.Run("mail", func(t *testing.T) { e.mailSaysOpenedOnly(t) })
	t.Run("refused", func(t *testing.T) { e.refusals(t) })
	t.Run("back doors", func(t *testing.T) { e.backDoorsShut(t) })
	t.Run("self-grant", func(t *testing.T) { e.selfGrant(t) })
	t.Run("named member", func(t *testing.T) {
		problemOf(t, e.agent.do("POST", ticketURL(e.tk, "/security/members"), map[string]any{"reason": "help", "user_id": e.agent.userID}).want(t, http.StatusNotFound))
		got := decode[ticketJSON](t, e.sec.do("POST", ticketURL(e.tk, "/security/members"),
			map[string]any{"reason": "network forensics", "user_id": e.l2.userID}).want(t, http.StatusOK))
		if n := len(got.SecurityMembers); n != 2 {
			t.Errorf("%d members, want the admin and l2", n)
		}
		// The requester is told it is a security case, never who works it
		// or why they were named.
		mine := e.alice.get(ticketURL(e.tk, "")).want(t, http.StatusOK)
		if got := decode[ticketJSON](t, mine); len(got.SecurityMembers) != 0 || strings.Contains(string(mine.body), "network forensics") {
			t.Errorf("the requester sees the case's members: %s", mine.body)
		}
		e.l2.get(ticketURL(e.tk, "")).want(t, http.StatusOK)
		if r := e.l2.get("/api/v1/tickets?q="+secWord).want(t, http.StatusOK); !strings.Contains(string(r.body), e.tk.Number) {
			t.Error("the named member's search misses the case")
		}
		if r := e.l3.get(ticketURL(e.tk, "")); r.status != http.StatusNotFound {
			t.Errorf("line 3 reads the case: %d", r.status)
		}
		// Members read the case, yet it is never offered as a similar
		// ticket beside another one (deny by default).
		for _, c := range []*client{e.l2, e.sec} {
			for _, open := range []string{"false", "true"} {
				r := c.get("/api/v1/similar-tickets?include_open="+open+"&title="+url.QueryEscape(secWord)).want(t, http.StatusOK)
				if leaks(r.body, e.tk) {
					t.Errorf("a member is offered the case as a similar ticket (include_open=%s): %s", open, r.body)
				}
			}
		}
	})
}

func (e *secEnv) staffFindsNothing(t *testing.T, c *client) {
	notFound := []string{
		ticketURL(e.tk, ""), ticketURL(e.tk, "/events"), ticketURL(e.tk, "/attachments"),
		ticketURL(e.tk, "/links"), ticketURL(e.tk, "/similar"), ticketURL(e.tk, "/calls"),
		ticketURL(e.tk, "/articles"), ticketURL(e.tk, "/rating"),
		fmt.Sprintf("/api/v1/tickets/%s", e.tk.Number), fmt.Sprintf("/api/v1/attachments/%d", e.attID),
	}
	notFound = append(notFound, e.evidencePaths()...)
	notFound = append(notFound, e.playbookPaths()...)
	for _, p := range notFound {
		if r := c.get(p); r.status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404: %s", p, r.status, r.body)
		}
	}
	e.evidenceWritesRefused(t, c)
	e.playbookWritesRefused(t, c)
	q := url.QueryEscape(secWord)
	lists := []string{
		"/api/v1/tickets", "/api/v1/tickets?q=" + q, "/api/v1/tickets?state=resolved",
		"/api/v1/tickets?group=" + fmt.Sprint(e.secGroup.ID),
		"/api/v1/similar-tickets?title=" + q + "&description=" + q,
		"/api/v1/similar-tickets?include_open=true&title=" + q + "&description=" + q,
		ticketURL(e.other, "/links"), ticketURL(e.other, "/similar"),
		"/api/v1/requesters?q=alice",
	}
	for _, name := range desk.Queues {
		lists = append(lists, "/api/v1/queues/"+string(name))
	}
	for _, p := range lists {
		r := c.get(p).want(t, http.StatusOK)
		if leaks(r.body, e.tk) {
			t.Errorf("GET %s shows the case: %s", p, r.body)
		}
	}
	csv := c.get("/api/v1/tickets?q="+q, withHeader("Accept", "text/csv"))
	if csv.status != http.StatusOK || leaks(csv.body, e.tk) {
		t.Errorf("CSV export: %d %s", csv.status, csv.body)
	}
	from := time.Now().UTC().AddDate(0, 0, -1).Format("2006-01-02")
	to := time.Now().UTC().AddDate(0, 0, 2).Format("2006-01-02")
	for _, by := range []string{"group", "none"} {
		r := c.get("/api/v1/reports/tat?from="+from+"&to="+to+"&group_by="+by).want(t, http.StatusOK)
		rep := decode[reportJSON](t, r)
		if strings.Contains(string(r.body), "Security") || rep.Total.Tickets != 1 {
			t.Errorf("report by %s counts %d tickets (want 1, the case left out): %s", by, rep.Total.Tickets, r.body)
		}
	}
	if r := c.get("/api/v1/dashboard").want(t, http.StatusOK); strings.Contains(string(r.body), "Security") {
		t.Errorf("dashboard names the security group: %s", r.body)
	}
}

// evidencePaths are the read paths of the case's evidence.
func (e *secEnv) evidencePaths() []string {
	ev := fmt.Sprintf("/api/v1/evidence/%d", e.evID)
	return []string{ticketURL(e.tk, "/evidence"), ev, ev + "/file"}
}

// evidenceWritesRefused: c can neither add evidence to the case nor touch
// its item (each 404, as if neither existed), and nothing was recorded.
func (e *secEnv) evidenceWritesRefused(t *testing.T, c *client) {
	t.Helper()
	ev := fmt.Sprintf("/api/v1/evidence/%d", e.evID)
	before := len(e.custody(t, e.sec, e.evID).Custody)
	for _, r := range []*response{
		c.do("POST", ticketURL(e.tk, "/evidence"), map[string]any{"title": "x", "collected_from": "y", "location": "z"}),
		c.do("POST", ev+"/handovers", map[string]any{"to_user_id": c.userID, "note": "mine"}),
		c.do("POST", ev+"/transfers", map[string]any{"location": "home", "note": "mine"}),
		c.do("POST", ev+"/verifications", nil),
		c.do("POST", ev+"/file", nil, multipartBody(t, []upload{{name: "x", content: []byte("x")}}, nil)),
	} {
		if r.status != http.StatusNotFound || leaks(r.body, e.tk) {
			t.Errorf("a write of the case's evidence answered %d: %s", r.status, r.body)
		}
	}
	// The security member's own look adds one view; the refusals none.
	if after := len(e.custody(t, e.sec, e.evID).Custody); after != before+1 {
		t.Errorf("refused requests changed the chain of custody: %d → %d entries", before, after)
	}
}

// leaks reports whether a body shows the case.
func leaks(body []byte, tk ticketJSON) bool {
	s := string(body)
	return strings.Contains(s, secWord) || strings.Contains(s, tk.Number) || strings.Contains(s, fmt.Sprintf(`"id":%d,"number"`, tk.ID))
}

func (e *secEnv) requesterSeesPublicOnly(t *testing.T) {
	got := decode[ticketJSON](t, e.alice.get(ticketURL(e.tk, "")).want(t, http.StatusOK))
	if !got.Security {
		t.Error("the requester's view does not say security")
	}
	ev := e.alice.get(ticketURL(e.tk, "/events")).want(t, http.StatusOK)
	if strings.Contains(string(ev.body), "203.0.113.7") || strings.Contains(string(ev.body), "compromised") {
		t.Errorf("the requester sees internal history: %s", ev.body)
	}
	if !strings.Contains(string(ev.body), "We reset your password") {
		t.Errorf("the requester misses the public comment: %s", ev.body)
	}
	list := e.alice.get("/api/v1/tickets").want(t, http.StatusOK)
	if !strings.Contains(string(list.body), e.tk.Number) {
		t.Error("the requester's list lacks their own case")
	}
	// Other requesters find nothing.
	if r := e.bob.get(ticketURL(e.tk, "")); r.status != http.StatusNotFound {
		t.Errorf("another requester: %d", r.status)
	}
	// The requester finds none of the case's evidence, nor its playbook.
	for _, p := range append(e.evidencePaths(), e.playbookPaths()...) {
		if r := e.alice.get(p); r.status != http.StatusNotFound || leaks(r.body, e.tk) {
			t.Errorf("the requester: GET %s: %d %s", p, r.status, r.body)
		}
	}
	e.evidenceWritesRefused(t, e.alice)
	e.playbookWritesRefused(t, e.alice)
}

// mailSaysOpenedOnly: after the marking the outbox holds, about the case,
// only "a security case was opened" to its owners, naming the number.
func (e *secEnv) mailSaysOpenedOnly(t *testing.T) {
	// The admin's outbox list names the case by number only.
	if r := e.admin.get("/api/v1/outbox?limit=500").want(t, http.StatusOK); strings.Contains(string(r.body), secWord) {
		t.Errorf("the admin's outbox shows the case: %s", r.body)
	}
	page, err := e.desk.Outbox(desk.AsSystem(context.Background()), desk.OutboxQueued, "", 500)
	if err != nil {
		t.Fatal(err)
	}
	opened := 0
	for _, m := range page.Messages {
		if m.TicketID != e.tk.ID || m.ID <= e.markedAt {
			continue // written when alice reported it, before it was marked
		}
		switch m.Kind {
		case desk.OutboxSecurityOpened:
			opened++
			if m.UserID != e.sec.userID {
				t.Errorf("security_opened to %v, want the security member", m.UserID)
			}
			for k := range m.Payload {
				if k != "ticket" && k != "actor" {
					t.Errorf("security_opened carries %q", k)
				}
			}
		default:
			t.Errorf("mail %s about the case: %v", m.Kind, m.Payload)
		}
	}
	if opened != 1 {
		t.Errorf("%d security_opened mails, want 1", opened)
	}
}

func (e *secEnv) refusals(t *testing.T) {
	// Nothing moves it out of the security group, nor publishes it.
	e.sec.do("POST", ticketURL(e.tk, "/transitions"), map[string]any{"to": "in_progress", "reason": "reopened to test"}).want(t, http.StatusOK)
	p := problemOf(t, e.sec.do("PATCH", ticketURL(e.tk, ""), map[string]any{"group_id": e.sd.ID, "reason": "wrong"}).want(t, http.StatusConflict))
	if p.Rule != desk.RuleSecurityCase {
		t.Errorf("reassign out: %+v", p)
	}
	problemOf(t, e.sec.do("PATCH", ticketURL(e.tk, ""), map[string]any{"restricted": false}).want(t, http.StatusConflict))
	problemOf(t, e.sec.do("POST", ticketURL(e.tk, "/major-incident"), map[string]any{"commander_id": e.sec.userID}).want(t, http.StatusConflict))
	problemOf(t, e.sec.do("POST", ticketURL(e.tk, "/security"), map[string]any{"reason": "again"}).want(t, http.StatusConflict))
	problemOf(t, e.agent.do("POST", ticketURL(e.other, "/security"), map[string]any{"reason": " "}).want(t, http.StatusUnprocessableEntity))
}

// backDoorsShut: an administrator cannot reach the case through group
// administration, nor by acting as a member.
func (e *secEnv) backDoorsShut(t *testing.T) {
	sg := fmt.Sprintf("/api/v1/groups/%d", e.secGroup.ID)
	for _, r := range []*response{
		e.admin.do("PUT", fmt.Sprintf("%s/members/%d", sg, e.admin.userID), nil),
		e.admin.do("PATCH", fmt.Sprintf("/api/v1/users/%d", e.admin.userID), map[string]any{"groups": []int64{e.secGroup.ID}}),
		e.admin.do("PATCH", fmt.Sprintf("/api/v1/groups/%d", e.net.ID), map[string]any{"security": true}),
		e.admin.do("POST", "/api/v1/groups", map[string]any{"name": "Sec 2", "line": 2, "security": true}),
		e.admin.do("PUT", fmt.Sprintf("/api/v1/users/%d/password", e.sec.userID), map[string]any{"password": "a-long-enough-passphrase-1"}),
		e.admin.do("POST", fmt.Sprintf("/api/v1/users/%d/tokens", e.sec.userID), map[string]any{"name": "mine"}),
		e.admin.do("PATCH", fmt.Sprintf("/api/v1/users/%d", e.agent.userID), map[string]any{"groups": []int64{e.sd.ID, e.secGroup.ID}}),
	} {
		if r.status != http.StatusForbidden {
			t.Errorf("back door answered %d: %s", r.status, r.body)
		}
	}
	if r := e.admin.get(ticketURL(e.tk, "")); r.status != http.StatusNotFound {
		t.Errorf("after the attempts the admin reads the case: %d", r.status)
	}
	// The case is open again (refusals reopened it): the admin's dashboard
	// counts only the printer jam, the security member's both.
	if got := openTotal(t, e.admin); got != 1 {
		t.Errorf("admin's dashboard counts %d open tickets, want 1 (the case left out)", got)
	}
	if got := openTotal(t, e.sec); got != 2 {
		t.Errorf("the security member's dashboard counts %d open tickets, want 2", got)
	}
	// A manager of the security group is no member either.
	e.admin.do("PATCH", sg, map[string]any{"manager_id": e.mgr.userID}).want(t, http.StatusOK)
	if r := e.mgr.get(ticketURL(e.tk, "")); r.status != http.StatusNotFound {
		t.Errorf("the security group's manager reads the case: %d", r.status)
	}
}

func (e *secEnv) selfGrant(t *testing.T) {
	problemOf(t, e.agent.do("POST", ticketURL(e.tk, "/security/access"), map[string]any{"reason": "curious"}).want(t, http.StatusForbidden))
	problemOf(t, e.admin.do("POST", ticketURL(e.tk, "/security/access"), map[string]any{"reason": ""}, invalid).want(t, http.StatusUnprocessableEntity))
	problemOf(t, e.admin.do("POST", ticketURL(e.other, "/security/access"), map[string]any{"reason": "x"}).want(t, http.StatusConflict))
	got := decode[ticketJSON](t, e.admin.do("POST", ticketURL(e.tk, "/security/access"),
		map[string]any{"reason": "legal hold requested by counsel"}).want(t, http.StatusOK))
	if len(got.SecurityMembers) != 1 || got.SecurityMembers[0].Kind != desk.SecurityGranted || got.SecurityMembers[0].Reason != "legal hold requested by counsel" {
		t.Errorf("members after the grant: %+v", got.SecurityMembers)
	}
	e.admin.get(ticketURL(e.tk, "/events")).want(t, http.StatusOK)
	if r := e.admin.get("/api/v1/tickets?q="+secWord).want(t, http.StatusOK); !strings.Contains(string(r.body), e.tk.Number) {
		t.Error("after the grant the admin's search still misses the case")
	}
	ev := e.sec.get(ticketURL(e.tk, "/events?limit=100")).want(t, http.StatusOK)
	if !strings.Contains(string(ev.body), "legal hold requested by counsel") {
		t.Errorf("the grant is not on the case's timeline: %s", ev.body)
	}
	out := e.admin.get("/api/v1/outbox?limit=500").want(t, http.StatusOK)
	if !strings.Contains(string(out.body), `"security_access"`) {
		t.Errorf("the owner was not told of the grant: %s", out.body)
	}
	// The line-1 agent still sees nothing.
	if r := e.agent.get(ticketURL(e.tk, "")); r.status != http.StatusNotFound {
		t.Errorf("the agent reads the case after the admin's grant: %d", r.status)
	}
}

// openTotal is the sum of the dashboard's open tickets by state.
func openTotal(t *testing.T, c *client) int {
	t.Helper()
	d := decode[dashboardJSON](t, c.get("/api/v1/dashboard").want(t, http.StatusOK))
	n := 0
	for _, k := range d.OpenByState {
		n += k.N
	}
	return n
}
