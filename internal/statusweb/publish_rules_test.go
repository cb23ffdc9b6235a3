package statusweb_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/major"
	"github.com/tierdesk/tierdesk/internal/statuspage"
	"github.com/tierdesk/tierdesk/internal/statusweb"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// declared declares a major incident on a new unrestricted ticket.
func (f *fixture) declared() (*desk.Ticket, *major.Incident) {
	f.t.Helper()
	tk := f.incident(false)
	m, err := f.majors.Declare(f.agent, tk.Number, major.DeclareInput{CommanderID: f.agentU.ID})
	f.must(err)
	return tk, m
}

// published publishes a declared major incident with one affected
// component.
func (f *fixture) published() (*desk.Ticket, *statuspage.Incident, *statuspage.Component) {
	f.t.Helper()
	comp, err := f.page.SaveComponent(f.admin, statuspage.Component{Name: "Mail delivery", ServiceIDs: []int64{f.mail.ID}})
	f.must(err)
	tk, m := f.declared()
	inc, err := f.page.Publish(f.agent, m.ID, statuspage.PublishInput{Name: "Mail is delayed", Body: "Some messages arrive late.",
		Components: map[int64]statuspage.ComponentStatus{comp.ID: statuspage.PartialOutage}})
	f.must(err)
	return tk, inc, comp
}

// TestStatusPage_UpdateRefusedOnceRestricted: a parent ticket restricted
// after its incident was published takes no more public updates (the
// check is made at every update, not only at the first publication).
func TestStatusPage_UpdateRefusedOnceRestricted(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		tk, inc, _ := f.published()
		f.clock.Advance(5 * time.Minute)
		if _, err := f.page.Update(f.agent, inc.ID, statuspage.PublishInput{Status: statuspage.Identified, Body: "The cause is found."}); err != nil {
			t.Fatalf("an update of an unrestricted incident: %v", err)
		}
		yes := true
		_, err := f.d.UpdateTicket(f.admin, tk.Number, desk.TicketPatch{Restricted: &yes})
		f.must(err)
		f.clock.Advance(5 * time.Minute)
		_, err = f.page.Update(f.agent, inc.ID, statuspage.PublishInput{Status: statuspage.Monitoring, Body: "SECRETUPDATE"})
		if desk.ErrorCode(err) != desk.EFORBIDDEN {
			t.Fatalf("an update after the parent was restricted: %v, want forbidden", err)
		}
		f.refresh()
		if _, b := f.get("/status/api/v2/incidents.json"); strings.Contains(b, "SECRETUPDATE") {
			t.Error("the refused update is on the page")
		}
	})
}

// TestStatusPage_PublicationShownAtOnce: a publication and each update
// reach the served page at once, not at the next poll for other
// instances' changes (here an hour away): the service nudges the page of
// its instance after every change it stores.
func TestStatusPage_PublicationShownAtOnce(t *testing.T) {
	f := newFixture(t, testdb.SQLiteInstances)
	var srv *statusweb.Server
	page := statuspage.New(f.d, f.st, f.st, f.clock, "https://desk.example.com", func() { srv.Changed() })
	srv, err := statusweb.New(f.st, page, f.clock, slog.New(slog.DiscardHandler), statusweb.Options{Name: "Example Corp", Poll: time.Hour})
	f.must(err)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { cancel(); srv.Stop() })
	f.must(srv.Start(ctx))
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	shows := func(text string) bool {
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			res, err := http.Get(hs.URL + "/status/api/v2/incidents.json")
			f.must(err)
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if strings.Contains(string(b), text) {
				return true
			}
		}
		return false
	}
	_, m := f.declared()
	inc, err := page.Publish(f.agent, m.ID, statuspage.PublishInput{Name: "Mail is delayed", Body: "Some messages arrive late."})
	f.must(err)
	if !shows("Some messages arrive late.") {
		t.Fatal("the publication is not on the page 10 s later")
	}
	f.clock.Advance(5 * time.Minute)
	_, err = page.Update(f.agent, inc.ID, statuspage.PublishInput{Status: statuspage.Identified, Body: "The relay's disk is full."})
	f.must(err)
	if !shows("The relay's disk is full.") {
		t.Fatal("the update is not on the page 10 s later")
	}
}

// TestStatusWebhook_OnlyItsComponents: a webhook registered for some
// components is told of incidents that affect them and of no other; one
// registered for none is told of every incident.
func TestStatusWebhook_OnlyItsComponents(t *testing.T) {
	f := newFixture(t, testdb.SQLiteInstances)
	mailComp, err := f.page.SaveComponent(f.admin, statuspage.Component{Name: "Mail delivery"})
	f.must(err)
	vpnComp, err := f.page.SaveComponent(f.admin, statuspage.Component{Name: "VPN"})
	f.must(err)
	var mu sync.Mutex
	got := map[string]int{}
	hook := func(name string, comps ...int64) {
		recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			got[name]++
		}))
		t.Cleanup(recv.Close)
		_, err := f.page.AddWebhook(f.admin, statuspage.Webhook{URL: recv.URL, Secret: "0123456789abcdef-secret", ComponentIDs: comps})
		f.must(err)
	}
	hook("mail", mailComp.ID)
	hook("vpn", vpnComp.ID)
	hook("all")
	_, m := f.declared()
	_, err = f.page.Publish(f.agent, m.ID, statuspage.PublishInput{Name: "Mail is delayed", Body: "Looking into it.",
		Components: map[int64]statuspage.ComponentStatus{mailComp.ID: statuspage.PartialOutage}})
	f.must(err)
	w := statusweb.NewHookWorker(f.st, f.clock, slog.New(slog.DiscardHandler))
	if _, err := w.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if got["mail"] != 1 || got["all"] != 1 || got["vpn"] != 0 {
		t.Errorf("deliveries %v, want mail and all told once, vpn not at all", got)
	}
}

// TestStatusPage_IncidentListStaffOnly: the status incidents as the desk
// lists them (with the major incident each came from) are read by staff
// only; a requester is refused, and staff see what was published.
func TestStatusPage_IncidentListStaffOnly(t *testing.T) {
	f := newFixture(t, testdb.SQLiteInstances)
	_, inc, _ := f.published()
	list, err := f.page.Incidents(f.agent)
	if err != nil || len(list) != 1 || list[0].Name != "Mail is delayed" {
		t.Fatalf("staff list %+v, %v; want the published incident", list, err)
	}
	got, err := f.page.IncidentOfMajor(f.agent, inc.MajorID)
	if err != nil || got.ID != inc.ID {
		t.Fatalf("staff read of the major's incident: %+v, %v", got, err)
	}
	req, err := f.d.CreateUser(f.admin, desk.UserInput{Email: "reader@example.com", Name: "Reader", Role: desk.RoleRequester})
	f.must(err)
	req, _ = f.d.User(f.admin, req.ID)
	rctx := desk.WithActor(context.Background(), req)
	if list, err := f.page.Incidents(rctx); desk.ErrorCode(err) != desk.EFORBIDDEN {
		t.Errorf("a requester's list: %d incidents, %v; want forbidden", len(list), err)
	}
	if _, err := f.page.IncidentOfMajor(rctx, inc.MajorID); desk.ErrorCode(err) != desk.EFORBIDDEN {
		t.Errorf("a requester's read of the major's incident: %v; want forbidden", err)
	}
}

// TestStatusPage_PublishBadStates: a status, impact or component state
// that is not one of the page's is refused with the field named, and nothing is
// published; each of the page's own is taken.
func TestStatusPage_PublishBadStates(t *testing.T) {
	f := newFixture(t, testdb.SQLiteInstances)
	comp, err := f.page.SaveComponent(f.admin, statuspage.Component{Name: "Mail delivery"})
	f.must(err)
	_, m := f.declared()
	for _, tc := range []struct {
		field string
		in    statuspage.PublishInput
	}{
		{"status", statuspage.PublishInput{Status: "fixed"}},
		{"status", statuspage.PublishInput{Status: "Investigating"}},
		{"components", statuspage.PublishInput{Components: map[int64]statuspage.ComponentStatus{comp.ID: "down"}}},
		{"components", statuspage.PublishInput{Components: map[int64]statuspage.ComponentStatus{comp.ID: ""}}},
		{"impact", statuspage.PublishInput{Impact: "severe"}},
		{"impact", statuspage.PublishInput{Impact: "Minor"}},
	} {
		tc.in.Name, tc.in.Body = "Mail is delayed", "Looking into it."
		_, err := f.page.Publish(f.agent, m.ID, tc.in)
		var fe *desk.Error
		if !errors.As(err, &fe) || fe.Code != desk.EINVALID || len(fe.Fields) != 1 || fe.Fields[0].Field != tc.field {
			t.Errorf("publish %+v: %v, want invalid %s", tc.in, err, tc.field)
		}
	}
	if list, _ := f.page.Incidents(f.agent); len(list) != 0 {
		t.Fatalf("%d incidents published by refused requests", len(list))
	}
	inc, err := f.page.Publish(f.agent, m.ID, statuspage.PublishInput{Name: "Mail is delayed", Body: "Looking into it.",
		Status: statuspage.Investigating, Components: map[int64]statuspage.ComponentStatus{comp.ID: statuspage.Operational}})
	f.must(err)
	for _, cs := range statuspage.ComponentStatuses {
		f.clock.Advance(time.Minute)
		if _, err := f.page.Update(f.agent, inc.ID, statuspage.PublishInput{Status: statuspage.Identified, Body: "Component " + string(cs),
			Components: map[int64]statuspage.ComponentStatus{comp.ID: cs}}); err != nil {
			t.Errorf("component state %s: %v", cs, err)
		}
	}
	for _, st := range statuspage.IncidentStatuses[1:] {
		f.clock.Advance(time.Minute)
		if _, err := f.page.Update(f.agent, inc.ID, statuspage.PublishInput{Status: st, Body: "Now " + string(st)}); err != nil {
			t.Errorf("update to %s: %v", st, err)
		}
	}
}
