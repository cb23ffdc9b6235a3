package statusweb_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/major"
	"github.com/tierdesk/tierdesk/internal/statuspage"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestStatusPage_SubscribeConfirmNotifyUnsubscribe walks a visitor through
// double opt-in: no notice before confirming, one after, none after the
// one-click unsubscribe.
func TestStatusPage_SubscribeConfirmNotifyUnsubscribe(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		comp, err := f.page.SaveComponent(f.admin, statuspage.Component{Name: "Mail delivery", ServiceIDs: []int64{f.mail.ID}})
		f.must(err)
		other, err := f.page.SaveComponent(f.admin, statuspage.Component{Name: "Printing"})
		f.must(err)
		f.refresh()
		res, body := f.post("/status/subscribe", url.Values{"email": {"Reader@Example.com"}}, "Accept-Language", "ru")
		if res.StatusCode != 200 || !strings.Contains(body, "письмо для подтверждения") {
			t.Fatalf("subscribe: %d\n%s", res.StatusCode, body)
		}
		f.post("/status/subscribe", url.Values{"email": {"reader@example.com"}}) // again at once: no second mail
		if _, err := f.page.Subscribe(context.Background(), "10.0.0.9", "printing-only@example.com", "en", []int64{other.ID}); err != nil {
			t.Fatal(err)
		}
		confirms := f.outbox(statuspage.OutboxConfirm)
		if len(confirms) != 2 || confirms[0].Payload["to"] != "reader@example.com" || confirms[0].Payload["lang"] != "ru" {
			t.Fatalf("confirmations %+v", confirms)
		}
		tk := f.incident(false)
		m, err := f.majors.Declare(f.agent, tk.Number, major.DeclareInput{CommanderID: f.agentU.ID})
		f.must(err)
		inc, err := f.page.Publish(f.agent, m.ID, statuspage.PublishInput{Name: "Mail is delayed", Body: "Investigating.",
			Components: map[int64]statuspage.ComponentStatus{comp.ID: statuspage.MajorOutage}})
		f.must(err)
		if n := len(f.outbox(statuspage.OutboxNotice)); n != 0 {
			t.Fatalf("%d notices before anyone confirmed", n)
		}
		link, _ := url.Parse(confirms[0].Payload["confirm_url"])
		if res, body := f.get(link.Path); res.StatusCode != 200 || !strings.Contains(body, `method="post"`) {
			t.Fatalf("confirm page %d", res.StatusCode)
		}
		if res, body := f.post(link.Path, nil); res.StatusCode != 200 || !strings.Contains(body, "confirmed") {
			t.Fatalf("confirm %d\n%s", res.StatusCode, body)
		}
		link2, _ := url.Parse(confirms[1].Payload["confirm_url"])
		f.post(link2.Path, nil)
		f.clock.Advance(10 * time.Minute)
		_, err = f.page.Update(f.agent, inc.ID, statuspage.PublishInput{Status: statuspage.Identified, Body: "A relay is full."})
		f.must(err)
		notices := f.outbox(statuspage.OutboxNotice)
		if len(notices) != 1 || notices[0].Payload["to"] != "reader@example.com" || !strings.Contains(notices[0].Payload["unsubscribe_url"], "/status/unsubscribe/") {
			t.Fatalf("notices %+v, want one to the mail subscriber only", notices)
		}
		unsub, _ := url.Parse(notices[0].Payload["unsubscribe_url"])
		res, _ = f.post(unsub.Path, url.Values{"List-Unsubscribe": {"One-Click"}}, "Origin", "https://mail.example.net", "Sec-Fetch-Site", "cross-site")
		if res.StatusCode != 200 {
			t.Fatalf("one-click unsubscribe from a mail provider: %d", res.StatusCode)
		}
		_, err = f.page.Update(f.agent, inc.ID, statuspage.PublishInput{Status: statuspage.Resolved, Body: "Fixed."})
		f.must(err)
		if n := len(f.outbox(statuspage.OutboxNotice)); n != 1 {
			t.Errorf("%d notices after unsubscribing, want still 1", n)
		}
		if _, err := f.page.Update(f.agent, inc.ID, statuspage.PublishInput{Status: statuspage.Monitoring, Body: "Again?"}); desk.ErrorCode(err) != desk.ECONFLICT {
			t.Errorf("update on a resolved incident: %v, want conflict", err)
		}
		if _, err := f.page.Update(f.agent, inc.ID, statuspage.PublishInput{Status: statuspage.Postmortem, Body: "What we learnt."}); err != nil {
			t.Errorf("postmortem after resolution: %v", err)
		}
		if res, _ := f.get("/status/unsubscribe/not-a-token"); res.StatusCode != 200 {
			t.Errorf("unsubscribe page %d", res.StatusCode)
		}
		if res, _ := f.post("/status/unsubscribe/not-a-token", nil); res.StatusCode != 404 {
			t.Errorf("unknown token %d, want 404", res.StatusCode)
		}
	})
}

// TestStatusPage_FloodBouncesDeletedComponent: a flood of requests is
// refused after the hourly limit with no more mail; bounces unsubscribe;
// a component deleted under an incident leaves the page whole.
func TestStatusPage_FloodBouncesDeletedComponent(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		comp, err := f.page.SaveComponent(f.admin, statuspage.Component{Name: "Mail delivery"})
		f.must(err)
		f.refresh()
		limited := 0
		for i := range 30 {
			res, _ := f.post("/status/subscribe", url.Values{"email": {strings.Repeat("x", i%3+1) + "@example.com"}})
			if res.StatusCode == 429 {
				limited++
			}
		}
		if limited != 30-statuspage.RequestsPerHour {
			t.Errorf("%d requests refused, want %d", limited, 30-statuspage.RequestsPerHour)
		}
		if n := len(f.outbox(statuspage.OutboxConfirm)); n != 3 {
			t.Errorf("%d confirmation mails for 3 addresses, want 3", n)
		}
		if res, _ := f.post("/status/subscribe", url.Values{"email": {"not an address"}}, "X-Forwarded-For", "1.2.3.4"); res.StatusCode != 429 {
			t.Errorf("same client after the limit: %d", res.StatusCode)
		}
		sub, err := f.page.Subscribe(context.Background(), "10.1.1.1", "bouncy@example.com", "en", nil)
		f.must(err)
		_ = sub
		for range statuspage.MaxBounces {
			_, err := f.page.RecordBounce(context.Background(), "bouncy@example.com")
			f.must(err)
		}
		subs, err := f.page.Subscribers(f.admin)
		f.must(err)
		for _, s := range subs {
			if s.Email == "bouncy@example.com" && (s.UnsubscribedAt == nil || s.Reason != "bounces") {
				t.Errorf("bounced subscriber %+v", s)
			}
		}
		tk := f.incident(false)
		m, err := f.majors.Declare(f.agent, tk.Number, major.DeclareInput{CommanderID: f.agentU.ID})
		f.must(err)
		inc, err := f.page.Publish(f.agent, m.ID, statuspage.PublishInput{Name: "Mail is delayed", Body: "Looking.",
			Components: map[int64]statuspage.ComponentStatus{comp.ID: statuspage.DegradedPerformance}})
		f.must(err)
		f.must(f.page.DeleteComponent(f.admin, comp.ID))
		f.refresh()
		for _, p := range []string{"/status", "/status/api/v2/summary.json", "/status/api/v2/incidents.json"} {
			res, b := f.get(p)
			if res.StatusCode != 200 || strings.Contains(b, "Mail delivery") || !strings.Contains(b, "Mail is delayed") {
				t.Errorf("%s after deleting the component: %d", p, res.StatusCode)
			}
		}
		if _, err := f.page.Update(f.agent, inc.ID, statuspage.PublishInput{Status: statuspage.Identified, Body: "x",
			Components: map[int64]statuspage.ComponentStatus{comp.ID: statuspage.Operational}}); desk.ErrorCode(err) != desk.EINVALID {
			t.Errorf("update naming a deleted component: %v, want invalid", err)
		}
	})
}
