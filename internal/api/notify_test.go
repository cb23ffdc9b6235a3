package api

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

func TestPreferences_API(t *testing.T) {
	e := newEnv(t)
	p := decode[preferencesJSON](t, e.alice.get("/api/v1/users/me/preferences").want(t, 200))
	if p.UserID != e.alice.userID || p.Language != "en" || p.TimeZone != "UTC" || !p.Notifications[desk.OutboxComment] ||
		len(p.Mandatory) != 3 {
		t.Errorf("defaults: %+v", p)
	}
	p = decode[preferencesJSON](t, e.alice.do("PATCH", "/api/v1/users/me/preferences", map[string]any{
		"language": "ru", "time_zone": "Europe/Moscow", "notifications": map[string]bool{"comment": false},
		"grammatical_gender": "feminine"}).want(t, 200))
	if p.Language != "ru" || p.TimeZone != "Europe/Moscow" || p.Notifications[desk.OutboxComment] || p.Gender != desk.GenderFeminine {
		t.Errorf("after patch: %+v", p)
	}
	if pr := problemOf(t, e.alice.do("PATCH", "/api/v1/users/me/preferences", map[string]any{"grammatical_gender": "neuter"}).
		want(t, 422)); len(pr.Errors) != 1 || pr.Errors[0].Field != "grammatical_gender" || pr.Errors[0].Rule != desk.RuleOneOf {
		t.Errorf("an unknown gender: %+v", pr)
	}
	// Admins see and change anyone's; null returns to the default.
	url := "/api/v1/users/" + itoa(e.alice.userID) + "/preferences"
	p = decode[preferencesJSON](t, e.admin.do("PATCH", url, map[string]any{"time_zone": nil}).want(t, 200))
	if p.TimeZone != "UTC" || p.Language != "ru" {
		t.Errorf("admin reset the zone: %+v", p)
	}
	e.bob.get(url).want(t, 403)
	e.anon.get(url).want(t, 401)
	e.admin.get("/api/v1/users/999999/preferences").want(t, 404)
	pr := problemOf(t, e.agent.do("PATCH", "/api/v1/users/me/preferences", map[string]any{
		"notifications": map[string]bool{"sla_breached": false}}).want(t, 422))
	if len(pr.Errors) != 1 || pr.Errors[0].Field != "notifications.sla_breached" || !strings.Contains(pr.Errors[0].Message, "cannot be turned off") {
		t.Errorf("turning breaches off: %+v", pr)
	}
	e.alice.do("PATCH", "/api/v1/users/me/preferences", map[string]any{"language": "de", "time_zone": "Nowhere/Land"}).want(t, 422)
	e.alice.do("PATCH", "/api/v1/users/me/preferences", map[string]any{"colour": "red"}, invalid).want(t, 400)
}

func TestCalls_API(t *testing.T) {
	e := newEnv(t)
	tk := e.agent.createTicket(ticketIn("Outlook profile broken"))
	start := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	body := map[string]any{"start": start.Format(time.RFC3339), "duration_minutes": 30, "kind": "video",
		"meeting_url": "https://meet.example.com/abc", "note": "Please be at your desk"}
	e.alice.do("POST", ticketURL(tk, "/calls"), body).want(t, 403)
	bad := map[string]any{"start": start.Format(time.RFC3339), "duration_minutes": 30, "kind": "video", "meeting_url": "ftp://x"}
	pr := problemOf(t, e.l2.do("POST", "/api/v1/tickets/"+tk.Number+"/calls", bad).want(t, 422))
	if len(pr.Errors) != 1 || pr.Errors[0].Field != "meeting_url" {
		t.Errorf("ftp link: %+v", pr)
	}
	r := e.agent.do("POST", ticketURL(tk, "/calls"), body, withHeader("If-Match", etag(tk.Version))).want(t, 201)
	c := decode[callJSON](t, r)
	if c.State != "scheduled" || c.Start != rfc3339(start) || c.End != rfc3339(start.Add(30*time.Minute)) || c.MeetingURL == nil {
		t.Errorf("call: %+v", c)
	}
	if r.header.Get("ETag") != etag(tk.Version+1) {
		t.Errorf("ETag %s, want %s", r.header.Get("ETag"), etag(tk.Version+1))
	}
	e.agent.do("POST", ticketURL(tk, "/calls"), body, withHeader("If-Match", etag(tk.Version))).want(t, 412)

	got := decode[ticketJSON](t, e.alice.get(ticketURL(tk, "")).want(t, 200))
	if len(got.Calls) != 1 || got.Calls[0].ID != c.ID {
		t.Errorf("ticket calls: %+v", got.Calls)
	}
	list := decode[struct{ Calls []callJSON }](t, e.alice.get(ticketURL(tk, "/calls")).want(t, 200))
	if len(list.Calls) != 1 {
		t.Errorf("list: %+v", list)
	}
	e.bob.get(ticketURL(tk, "/calls")).want(t, 404)
	cancel := ticketURL(tk, "/calls/"+itoa(c.ID)+"/cancel")
	e.alice.do("POST", cancel, nil).want(t, 403)
	c = decode[callJSON](t, e.agent.do("POST", cancel, nil).want(t, 200))
	if c.State != "canceled" || c.CanceledBy == nil || c.CanceledAt == nil {
		t.Errorf("canceled: %+v", c)
	}
	e.agent.do("POST", cancel, nil).want(t, 409)
	e.agent.do("POST", ticketURL(tk, "/calls/99999/cancel"), nil).want(t, 404)
}

func TestOutbox_Retry(t *testing.T) {
	e := newEnv(t)
	st := e.store.(*sqlstore.Store)
	ctx := context.Background()
	e.agent.createTicket(ticketIn("Bounced"))
	claimed, err := st.ClaimOutbox(ctx, time.Now(), time.Minute, 1)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim: %v %v", claimed, err)
	}
	if err := st.OutboxRetry(ctx, claimed[0], "550 5.1.1 no such user", nil, time.Now()); err != nil {
		t.Fatal(err)
	}
	url := "/api/v1/outbox/" + itoa(claimed[0].ID) + "/retry"
	e.agent.do("POST", url, nil).want(t, 403)
	m := decode[outboxJSON](t, e.admin.do("POST", url, nil).want(t, http.StatusOK))
	if m.State != desk.OutboxQueued || m.Attempts != 0 || m.FailedAt != nil {
		t.Errorf("retried: %+v", m)
	}
	e.admin.do("POST", url, nil).want(t, 409)
	e.admin.do("POST", "/api/v1/outbox/99999/retry", nil).want(t, 404)
}
