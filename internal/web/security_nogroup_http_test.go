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

// TestSecurityAuthz_PortalCompromisedNoGroup: on a desk with no security
// group, a requester's "my data or account is compromised" report still
// opens a hidden case: the requester reads their own ticket, line 1 (whose
// group holds it) and the administrator find nothing of it, line 1 gets no
// mail of it, every active administrator is told a case was opened that
// no group takes, and an administrator who grants themselves access reads it.
func TestSecurityAuthz_PortalCompromisedNoGroup(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	ctx := context.Background()
	ada := bootstrap(t, e, "ada@example.com", desk.RoleAdmin)
	sam, lena, admin := e.client(), e.client(), e.client()
	sam.signIn("sam@example.com")
	lena.signIn("lena@example.com")
	admin.signIn("ada@example.com")
	before := lastOutbox(t, e)

	r := sam.postFile("/report", url.Values{"csrf": {sam.csrf("/report")}, "kind": {"broken"}, "title": {"Strange logins " + secWord},
		"people": {"me"}, "soon": {"now"}, "compromised": {"yes"}, "key": {"k1"}}, "note.txt", []byte("seen at 03:00"))
	if r.status != http.StatusSeeOther {
		t.Fatalf("report: %d %s", r.status, r.body)
	}
	num := strings.TrimSuffix(strings.TrimPrefix(r.header.Get("Location"), "/tickets/"), "?done=reported")
	if b := sam.get("/tickets/" + num).body; !strings.Contains(b, "Strange logins "+secWord) {
		t.Errorf("the requester cannot read their own report %s", num)
	}
	for name, c := range map[string]*client{"line 1": lena, "admin": admin} {
		if got := c.get("/tickets/" + num).status; got != http.StatusNotFound {
			t.Errorf("%s opens the hidden case %s: %d", name, num, got)
		}
		for _, p := range []string{"/agent", "/tickets?q=" + secWord, "/tickets"} {
			if b := c.get(p).body; strings.Contains(b, "Strange logins") || strings.Contains(b, num) {
				t.Errorf("%s finds the hidden case on %s", name, p)
			}
		}
	}
	tk, err := e.d.Ticket(desk.AsSystem(ctx), num)
	if err != nil || !tk.Security || !tk.Restricted {
		t.Fatalf("the report is not a security case: %+v %v", tk, err)
	}
	opened := 0
	for _, m := range outboxSince(t, e, before) {
		if m.UserID == e.lena.ID && m.TicketID == tk.ID {
			t.Errorf("line 1 is mailed about the hidden case: %s", m.Kind)
		}
		if m.Kind == desk.OutboxSecurityOpened {
			opened++
			if m.UserID != ada.ID || m.Payload["no_group"] != "true" || m.Payload["title"] != "" {
				t.Errorf("opening notice %+v, want one to the admin saying no group takes it", m.OutboxMessage)
			}
		}
	}
	if opened != 1 {
		t.Errorf("%d opening notices, want 1 (to the admin)", opened)
	}
	form := "/security/access?ticket=" + num
	r = admin.post("/security/access", url.Values{"csrf": {admin.csrf(form)}, "ticket": {num}, "reason": {"no security group yet"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("grant: %d %s", r.status, r.body)
	}
	if b := admin.get("/tickets/" + num).body; !strings.Contains(b, secWord) {
		t.Error("after the grant the admin still cannot read the case")
	}
}

func lastOutbox(t *testing.T, e *httpEnv) int64 {
	t.Helper()
	all := outboxSince(t, e, 0)
	if len(all) == 0 {
		return 0
	}
	return all[len(all)-1].ID
}

// outboxSince lists the queued messages after id, oldest first.
func outboxSince(t *testing.T, e *httpEnv, id int64) []desk.Delivery {
	t.Helper()
	page, err := e.d.Outbox(desk.AsSystem(context.Background()), desk.OutboxQueued, "", desk.MaxPageSize)
	if err != nil {
		t.Fatal(err)
	}
	var out []desk.Delivery
	for i := len(page.Messages) - 1; i >= 0; i-- {
		if m := page.Messages[i]; m.ID > id {
			out = append(out, m)
		}
	}
	return out
}
