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
	"github.com/tierdesk/tierdesk/internal/jobs"
	"github.com/tierdesk/tierdesk/internal/pager"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

func weekSchedule(userID int64) map[string]any {
	return map[string]any{"name": "Vendor week", "zone": "Europe/Berlin", "layers": []any{map[string]any{
		"name": "week", "participants": []int64{userID}, "start_date": "2026-01-05", "hand_off": "09:00", "length": "7d"}}}
}

func TestSchedules_CRUDAndOnCall(t *testing.T) {
	e := newEnv(t)
	created := decode[scheduleJSON](t, e.admin.do("POST", "/api/v1/schedules", weekSchedule(e.l3.userID)).want(t, 201))
	if created.ID == 0 || created.Zone != "Europe/Berlin" || created.Layers[0].Length != "7d" || created.Overrides == nil {
		t.Fatalf("created %+v", created)
	}
	path := fmt.Sprintf("/api/v1/schedules/%d", created.ID)
	got := decode[scheduleJSON](t, e.l2.get(path).want(t, 200))
	if got.Name != "Vendor week" {
		t.Errorf("read %+v", got)
	}
	list := decode[map[string][]scheduleJSON](t, e.agent.get("/api/v1/schedules").want(t, 200))
	if len(list["schedules"]) != 1 {
		t.Errorf("list %+v", list)
	}
	oc := decode[onCallJSON](t, e.agent.get(path+"/on-call?at=2026-11-26T10:00:00Z").want(t, 200))
	if oc.User == nil || oc.User.ID != e.l3.userID || oc.User.Name != "Vera Vendor" {
		t.Errorf("on call %+v", oc)
	}
	before := decode[onCallJSON](t, e.agent.get(path+"/on-call?at=2026-01-05T07:59:00Z").want(t, 200))
	if before.User != nil {
		t.Errorf("on call before the first hand-off (09:00 Berlin = 08:00 UTC): %+v", before.User)
	}
	decode[onCallJSON](t, e.agent.get(path+"/on-call").want(t, 200))
	shifts := decode[map[string][]shiftJSON](t, e.agent.get(path+"/shifts?from=2026-01-01T00:00:00Z&to=2026-01-20T00:00:00Z").want(t, 200))
	if s := shifts["shifts"]; len(s) != 1 || !s[0].Start.Equal(time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)) || s[0].Layer == nil {
		t.Errorf("shifts %+v", shifts)
	}

	// Admin-only writes; bad input named; unknown participants refused.
	e.agent.do("POST", "/api/v1/schedules", weekSchedule(e.l3.userID)).want(t, 403)
	e.anon.get("/api/v1/schedules").want(t, 401)
	e.alice.get("/api/v1/schedules").want(t, 403)
	bad := weekSchedule(e.l3.userID)
	bad["zone"] = "Mars/Olympus"
	bad["layers"].([]any)[0].(map[string]any)["length"] = "3w"
	p := problemOf(t, e.admin.do("POST", "/api/v1/schedules", bad, invalid).want(t, 422))
	if fields := fieldNames(p); !strings.Contains(fields, "zone") || !strings.Contains(fields, "layers[0].length") {
		t.Errorf("fields %s", fields)
	}
	e.admin.do("POST", "/api/v1/schedules", weekSchedule(e.alice.userID)).want(t, 422)
	e.admin.do("POST", "/api/v1/schedules", weekSchedule(e.l3.userID)).want(t, 409)
	e.agent.get(path+"/on-call?at=yesterday", invalid).want(t, 422)
	e.agent.get(path+"/shifts?from=2026-01-01T00:00:00Z", invalid).want(t, 422)
	e.agent.get(path+"/shifts?from=2026-01-01T00:00:00Z&to=2028-01-01T00:00:00Z").want(t, 422)

	upd := weekSchedule(e.l2.userID)
	upd["name"] = "Vendor rota"
	got = decode[scheduleJSON](t, e.admin.do("PUT", path, upd).want(t, 200))
	if got.Name != "Vendor rota" || got.Layers[0].Participants[0] != e.l2.userID {
		t.Errorf("replaced %+v", got)
	}
	e.admin.do("PUT", "/api/v1/schedules/999", upd).want(t, 404)

	// In use by a policy: not deleted.
	e.admin.do("PUT", fmt.Sprintf("/api/v1/groups/%d/escalation-policy", e.vendor.ID), map[string]any{"name": "Vendor",
		"steps": []any{map[string]any{"schedule_ids": []int64{created.ID}, "delay_minutes": 5}}}).want(t, 200)
	e.admin.do("DELETE", path, nil).want(t, 409)
	e.admin.do("DELETE", fmt.Sprintf("/api/v1/groups/%d/escalation-policy", e.vendor.ID), nil).want(t, 204)
	e.admin.do("DELETE", path, nil).want(t, 204)
	e.agent.get(path).want(t, 404)
}

func fieldNames(p problem) string {
	var out []string
	for _, f := range p.Errors {
		out = append(out, f.Field)
	}
	return strings.Join(out, ",")
}

func TestContactMethods(t *testing.T) {
	e := newEnv(t)
	path := fmt.Sprintf("/api/v1/users/%d/contact-methods", e.l3.userID)
	hook := decode[contactJSON](t, e.l3.do("POST", path, map[string]any{"kind": "webhook", "target": "https://hooks.example.com/p", "delay_minutes": 2}).want(t, 201))
	if len(hook.Secret) != 64 || hook.DelayMinutes != 2 {
		t.Fatalf("created %+v", hook)
	}
	e.admin.do("POST", path, map[string]any{"kind": "slack", "target": "https://mattermost.example.com/hooks/x"}).want(t, 201)
	list := decode[map[string][]contactJSON](t, e.l3.get(path).want(t, 200))
	if ms := list["contact_methods"]; len(ms) != 2 || ms[0].Secret != "" {
		t.Errorf("list shows %+v", ms)
	}
	e.agent.get(path).want(t, 403)
	e.agent.do("POST", path, map[string]any{"kind": "email", "target": "x@example.com"}).want(t, 403)
	e.l3.do("POST", path, map[string]any{"kind": "pager", "target": "x"}, invalid).want(t, 422)
	e.l3.do("POST", path, map[string]any{"kind": "webhook", "target": "ftp://x"}).want(t, 422)
	e.l3.do("POST", path, map[string]any{"kind": "email", "target": "not an address"}).want(t, 422)
	e.l3.do("POST", path, map[string]any{"kind": "email", "target": "v@example.com", "delay_minutes": 90}, invalid).want(t, 422)
	e.l3.do("DELETE", fmt.Sprintf("%s/%d", path, hook.ID), nil).want(t, 204)
	e.l3.do("DELETE", fmt.Sprintf("%s/%d", path, hook.ID), nil).want(t, 404)
}

// A P1 in the line-3 group is paged by its policy; the page is listed,
// its signed link shows a form on GET (no change) and acts on POST; the
// API acknowledges and resolves.
func TestPaging_AcknowledgeAndLink(t *testing.T) {
	e := newEnv(t)
	st := e.store.(*sqlstore.Store)
	polPath := fmt.Sprintf("/api/v1/groups/%d/escalation-policy", e.vendor.ID)
	pol := decode[escPolicyJSON](t, e.admin.do("PUT", polPath, map[string]any{"name": "Vendor", "repeat": 1, "priorities": []string{"P1", "P2"},
		"steps": []any{map[string]any{"user_ids": []int64{e.l3.userID}, "delay_minutes": 5}}}).want(t, 200))
	if !pol.Active || pol.Repeat != 1 || pol.Steps[0].DelayMinutes != 5 {
		t.Fatalf("policy %+v", pol)
	}
	decode[escPolicyJSON](t, e.l2.get(polPath).want(t, 200))
	if l := decode[map[string][]escPolicyJSON](t, e.agent.get("/api/v1/escalation-policies").want(t, 200)); len(l["policies"]) != 1 {
		t.Errorf("policies %+v", l)
	}
	e.agent.do("PUT", polPath, map[string]any{"name": "x", "steps": []any{}}).want(t, 403)
	e.admin.do("PUT", polPath, map[string]any{"name": "x", "steps": []any{map[string]any{"delay_minutes": 0}}}, invalid).want(t, 422)
	for _, repeat := range []int{-1, desk.MaxEscalationRepeat + 1} { // the rounds after the first: 0 to 10
		e.admin.do("PUT", polPath, map[string]any{"name": "x", "repeat": repeat,
			"steps": []any{map[string]any{"user_ids": []int64{e.l3.userID}, "delay_minutes": 5}}}, invalid).want(t, 422)
	}
	e.admin.do("PUT", "/api/v1/groups/999/escalation-policy", map[string]any{"name": "x",
		"steps": []any{map[string]any{"user_ids": []int64{e.l3.userID}, "delay_minutes": 5}}}).want(t, 404)

	in := ticketIn("Storage down")
	in["impact"], in["urgency"], in["group_id"] = "high", "high", e.vendor.ID
	tk := e.agent.createTicket(in)
	e.agent.do("POST", ticketURL(tk, "/acknowledge"), nil).want(t, 409)
	runPaging(t, e, st)
	pages := decode[map[string][]pageJSON](t, e.l3.get(ticketURL(tk, "/pages")).want(t, 200))["pages"]
	if len(pages) != 1 || pages[0].State != desk.PageActive || len(pages[0].Deliveries) != 1 || pages[0].Deliveries[0].Kind != desk.ContactEmail {
		t.Fatalf("pages %+v", pages)
	}

	// The link: GET shows, changes nothing.
	ds, err := st.PageDeliveries(context.Background(), pages[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(ds[0].Payload["ack_url"])
	link := u.Path
	show := e.anon.get(link+"?action=acknowledge").want(t, 200)
	if body := string(show.body); !strings.Contains(body, "Storage down") || !strings.Contains(body, `value="acknowledge"`) ||
		show.header.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("link page %s", body)
	}
	if p := decode[map[string][]pageJSON](t, e.l3.get(ticketURL(tk, "/pages")).want(t, 200))["pages"]; p[0].State != desk.PageActive {
		t.Fatalf("GET changed the page: %+v", p[0])
	}
	e.anon.get(link[:len(link)-3]+"xyz").want(t, 401)
	form := func(action string) reqOpt {
		return rawBody([]byte(url.Values{"action": {action}}.Encode()), "application/x-www-form-urlencoded")
	}
	e.anon.do("POST", link, nil, form("snooze")).want(t, 422)
	done := e.anon.do("POST", link, nil, form("acknowledge")).want(t, 200)
	if !strings.Contains(string(done.body), "acknowledged") {
		t.Errorf("after POST %s", done.body)
	}
	e.anon.do("POST", link, nil, form("resolve")).want(t, 409)
	p := decode[map[string][]pageJSON](t, e.l3.get(ticketURL(tk, "/pages")).want(t, 200))["pages"][0]
	if p.State != desk.PageAcknowledged || p.AckedBy == nil || p.AckedBy.ID != e.l3.userID {
		t.Errorf("after the link %+v", p)
	}

	// A new page (reassigned back into the group) is acknowledged by API,
	// then another resolved.
	tk2 := e.agent.createTicket(in)
	runPaging(t, e, st)
	acked := decode[map[string][]pageJSON](t, e.l3.do("POST", ticketURL(tk2, "/acknowledge"), nil).want(t, 200))["pages"]
	if len(acked) != 1 || acked[0].State != desk.PageAcknowledged {
		t.Errorf("acknowledged %+v", acked)
	}
	e.alice.do("POST", ticketURL(tk2, "/acknowledge"), nil).want(t, 403)
	tk3 := e.agent.createTicket(in)
	runPaging(t, e, st)
	e.l3.do("POST", ticketURL(tk3, "/pages/resolve"), nil).want(t, 200)
	e.l3.do("POST", ticketURL(tk3, "/pages/resolve"), nil).want(t, 409)
	events := e.l3.get(ticketURL(tk3, "/events")).want(t, 200)
	if !strings.Contains(string(events.body), `"page_resolved"`) || !strings.Contains(string(events.body), `"paged"`) {
		t.Errorf("timeline %s", events.body)
	}
	failed := decode[map[string]any](t, e.admin.get("/api/v1/page-deliveries").want(t, 200))
	if d := failed["deliveries"].([]any); len(d) != 0 {
		t.Errorf("failed deliveries %v", d)
	}
	e.agent.get("/api/v1/page-deliveries").want(t, 403)

	// The TAT report counts the three paged tickets, two acknowledged.
	day := time.Now().UTC().Truncate(24 * time.Hour)
	rep := decode[reportJSON](t, e.agent.get("/api/v1/reports/tat?from="+day.Format(time.DateOnly)+"&to="+day.AddDate(0, 0, 1).Format(time.DateOnly)).want(t, 200))
	if a := rep.Total.TimeToAcknowledge; a.Paged != 3 || a.Acknowledged != 2 || a.MeanSeconds <= 0 || a.P90Seconds < a.MedianSeconds {
		t.Errorf("time to acknowledge %+v", a)
	}
	csv := e.agent.get("/api/v1/reports/tat?from="+day.Format(time.DateOnly)+"&to="+day.AddDate(0, 0, 1).Format(time.DateOnly),
		withHeader("Accept", "text/csv")).want(t, 200)
	if lines := strings.Split(strings.TrimSpace(string(csv.body)), "\n"); !strings.Contains(lines[0], ",paged,acknowledged,tta_mean_s,tta_median_s,tta_p90_s") ||
		!strings.Contains(lines[len(lines)-1], ",3,2,") {
		t.Errorf("csv %s", csv.body)
	}
}

// runPaging runs the timers, the paging engine and the delivery worker
// once, each at the time it runs (what one step writes is due at once).
func runPaging(t *testing.T, e *env, st *sqlstore.Store) {
	t.Helper()
	if _, err := jobs.New(st, e.desk, desk.SystemClock{}, jobs.Config{}, nil).RunDue(context.Background(), time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := pager.NewEngine(st, e.desk, desk.SystemClock{}, pager.Config{}, nil).RunDue(context.Background(), time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := pager.NewWorker(st, desk.SystemClock{}, pager.Config{}, http.DefaultClient, nil).RunDue(context.Background(), time.Now()); err != nil {
		t.Fatal(err)
	}
}
