package pager_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/pager"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// received is one request a test webhook server got.
type received struct {
	header http.Header
	body   []byte
}

// hookServer answers with the statuses in order (then 200) and records
// every request.
func hookServer(t *testing.T, statuses ...int) (*httptest.Server, func() []received) {
	var mu sync.Mutex
	var got []received
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, received{r.Header.Clone(), body})
		n := len(got)
		mu.Unlock()
		if n <= len(statuses) {
			w.WriteHeader(statuses[n-1])
		}
	}))
	t.Cleanup(srv.Close)
	return srv, func() []received {
		mu.Lock()
		defer mu.Unlock()
		return append([]received(nil), got...)
	}
}

// A generic webhook gets signed JSON after its delay; a 503 is retried
// with backoff, a 410 fails for good and is listed as failed.
func TestDelivery_WebhookSignedAndRetried(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		srv, got := hookServer(t, http.StatusServiceUnavailable)
		ann := desk.WithActor(context.Background(), f.ann)
		hook := &desk.ContactMethod{UserID: f.ann.ID, Kind: desk.ContactWebhook, Target: srv.URL + "/hook", Delay: 2 * time.Minute}
		must(t, f.d.AddContactMethod(ann, hook))
		if len(hook.Secret) != 64 {
			t.Fatalf("generated secret %q", hook.Secret)
		}
		f.policy(0, desk.EscalationStep{UserIDs: []int64{f.ann.ID}, Delay: 30 * time.Minute})
		tk := f.incident("DB replication lag")
		f.sweep()
		if n := len(got()); n != 0 {
			t.Fatalf("%d requests before the method's delay", n)
		}
		f.clock.Advance(2 * time.Minute)
		f.sweep() // 503: retried after the backoff
		f.clock.Advance(pager.DefaultBackoff - time.Second)
		f.sweep()
		if n := len(got()); n != 1 {
			t.Fatalf("%d requests before the backoff ended, want 1", n)
		}
		f.clock.Advance(time.Second)
		f.sweep()
		reqs := got()
		if len(reqs) != 2 {
			t.Fatalf("%d requests, want 2", len(reqs))
		}
		r := reqs[1]
		ts := r.header.Get(pager.HeaderTimestamp)
		if !pager.Verify([]byte(hook.Secret), ts, r.body, r.header.Get(pager.HeaderSignature)) {
			t.Fatalf("signature %q does not verify", r.header.Get(pager.HeaderSignature))
		}
		if pager.Verify([]byte("another secret"), ts, r.body, r.header.Get(pager.HeaderSignature)) ||
			pager.Verify([]byte(hook.Secret), ts, append(r.body, ' '), r.header.Get(pager.HeaderSignature)) {
			t.Fatal("signature verifies with another secret or body")
		}
		if sec, _ := strconv.ParseInt(ts, 10, 64); sec != f.clock.Now().Unix() {
			t.Errorf("timestamp %s, want %d", ts, f.clock.Now().Unix())
		}
		var body pager.WebhookPayload
		must(t, json.Unmarshal(r.body, &body))
		if body.Event != "page" || body.Ticket != tk.Number || body.Priority != "P1" || body.User != "Ann" ||
			!strings.HasPrefix(body.AckURL, "https://desk.example.com/api/v1/page-links/") || !strings.HasSuffix(body.AckURL, "?action=acknowledge") {
			t.Errorf("body %+v", body)
		}
		pages, err := f.d.TicketPages(f.admin, tk.Number)
		must(t, err)
		var states []string
		for _, d := range pages[0].Deliveries {
			states = append(states, string(d.Kind)+" "+d.State())
		}
		diff(t, "deliveries", []string{"webhook sent"}, states)
		if pages[0].Deliveries[0].Attempts != 2 {
			t.Errorf("attempts %d, want 2", pages[0].Deliveries[0].Attempts)
		}
	})
}

func TestDelivery_PermanentFailureVisible(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		srv, got := hookServer(t, http.StatusGone)
		must(t, f.d.AddContactMethod(f.admin, &desk.ContactMethod{UserID: f.ann.ID, Kind: desk.ContactSlack, Target: srv.URL}))
		f.policy(0, desk.EscalationStep{UserIDs: []int64{f.ann.ID}, Delay: 30 * time.Minute})
		f.incident("Broken hook")
		f.sweep()
		f.clock.Advance(time.Hour)
		f.sweep()
		if n := len(got()); n != 1 {
			t.Fatalf("%d requests to a gone hook, want 1", n)
		}
		failed, _, err := f.d.FailedPageDeliveries(f.admin, "", 10)
		must(t, err)
		if len(failed) != 1 || failed[0].Kind != desk.ContactSlack || !strings.Contains(failed[0].LastError, "410") {
			t.Fatalf("failed deliveries %+v", failed)
		}
	})
}

// The Slack/Mattermost payload: text with the links, one attachment.
func TestDelivery_SlackPayload(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		srv, got := hookServer(t)
		must(t, f.d.AddContactMethod(f.admin, &desk.ContactMethod{UserID: f.bob.ID, Kind: desk.ContactSlack, Target: srv.URL}))
		f.policy(0, desk.EscalationStep{ScheduleIDs: []int64{f.week}, Delay: 30 * time.Minute})
		tk := f.incident("Login <fails> & more")
		f.sweep()
		reqs := got()
		if len(reqs) != 1 {
			t.Fatalf("%d slack requests", len(reqs))
		}
		var msg map[string]any
		must(t, json.Unmarshal(reqs[0].body, &msg))
		text, _ := msg["text"].(string)
		if !strings.Contains(text, "Bob, you are paged: P1 "+tk.Number+" Login &lt;fails&gt; &amp; more") ||
			!strings.Contains(text, "|Acknowledge>") || !strings.Contains(text, "<https://desk.example.com/api/v1/page-links/") {
			t.Errorf("text %q", text)
		}
		atts, _ := msg["attachments"].([]any)
		if len(atts) != 1 {
			t.Fatalf("attachments %v", msg["attachments"])
		}
		att := atts[0].(map[string]any)
		if att["title_link"] != "https://desk.example.com/tickets/"+tk.Number || att["color"] != "#d00000" || len(att["fields"].([]any)) != 3 {
			t.Errorf("attachment %v", att)
		}
		if reqs[0].header.Get(pager.HeaderSignature) != "" {
			t.Error("slack messages carry no signature")
		}
		if ct := reqs[0].header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("content type %q", ct)
		}
	})
}

// The signed link: shown without change, acted on once, refused when
// forged, expired or for a page that ended.
func TestPageLink(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		f.policy(0, desk.EscalationStep{UserIDs: []int64{f.ann.ID}, Delay: 5 * time.Minute},
			desk.EscalationStep{UserIDs: []int64{f.bob.ID}, Delay: 5 * time.Minute})
		tk := f.incident("Storage array")
		f.sweep()
		pages, err := f.d.TicketPages(f.admin, tk.Number)
		must(t, err)
		ack := pages[0].Deliveries[0].Payload["ack_url"]
		token := strings.TrimSuffix(strings.TrimPrefix(ack, "https://desk.example.com/api/v1/page-links/"), "?action=acknowledge")
		ctx := context.Background()
		v, err := f.d.PageLink(ctx, token)
		must(t, err)
		if v.Done || v.User.ID != f.ann.ID || v.Ticket.Number != tk.Number {
			t.Fatalf("link view %+v", v)
		}
		forged := token[:len(token)-2] + "AA"
		if _, err := f.d.PageLink(ctx, forged); desk.ErrorCode(err) != desk.EUNAUTHENTICATED {
			t.Errorf("forged link: %v", err)
		}
		if _, err := f.d.ActOnPageLink(ctx, forged, desk.PageAcknowledged); desk.ErrorCode(err) != desk.EUNAUTHENTICATED {
			t.Errorf("forged act: %v", err)
		}
		v, err = f.d.ActOnPageLink(ctx, token, desk.PageAcknowledged)
		must(t, err)
		if !v.Done || v.Page.State != desk.PageAcknowledged || v.Page.AckedBy.ID != f.ann.ID {
			t.Fatalf("after acting: %+v", v.Page)
		}
		if _, err := f.d.ActOnPageLink(ctx, token, desk.PageResolved); desk.ErrorCode(err) != desk.ECONFLICT {
			t.Errorf("second act: %v", err)
		}
		f.clock.Advance(10 * time.Minute)
		f.sweep()
		diff(t, "no step 2", []int64{f.ann.ID}, f.mails(tk))
		f.clock.Advance(desk.DefaultPageLinkTTL)
		if _, err := f.d.PageLink(ctx, token); desk.ErrorCode(err) != desk.EUNAUTHENTICATED {
			t.Errorf("expired link: %v", err)
		}
	})
}
