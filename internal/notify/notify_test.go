package notify_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/testdb"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/notify"
)

func TestWorker_DeliversBreach(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		tk := f.breach(`Payments <down> & "out"`)
		queued := f.list(desk.OutboxQueued)
		if len(queued) != 2 {
			t.Fatalf("queued = %+v, want a breach notice and a page", queued)
		}
		res := f.run(f.worker(nil))
		if res.Sent != 2 || res.Claimed != 2 {
			t.Fatalf("result = %+v, want 2 sent", res)
		}
		got := f.smtp.messages()
		if len(got) != 2 {
			t.Fatalf("server got %d messages, want 2", len(got))
		}
		byRcpt := map[string]received{}
		for _, m := range got {
			byRcpt[strings.Join(m.To, ",")] = m
		}
		m, ok := byRcpt["boss@example.com"]
		if !ok {
			t.Fatalf("no breach notice to the manager; recipients: %v", byRcpt)
		}
		if _, ok := byRcpt["kim@example.com"]; !ok {
			t.Errorf("no page to line 3's member; recipients: %v", byRcpt)
		}
		env := m.Env
		if m.From != "desk@example.com" {
			t.Errorf("MAIL FROM = %q", m.From)
		}
		subj := env.GetHeader("Subject")
		if !strings.HasPrefix(subj, "["+tk.Number+"] SLA breached") || !strings.Contains(subj, `Payments <down> & "out"`) {
			t.Errorf("Subject = %q", subj)
		}
		if h := env.GetHeader("Auto-Submitted"); h != "auto-generated" {
			t.Errorf("Auto-Submitted = %q", h)
		}
		if !strings.Contains(env.Text, "has breached its response target") || !strings.Contains(env.Text, tk.Number) {
			t.Errorf("text part = %q", env.Text)
		}
		if !strings.Contains(env.HTML, "Payments &lt;down&gt; &amp; &#34;out&#34;") || strings.Contains(env.HTML, "<down>") {
			t.Errorf("HTML part not escaped: %q", env.HTML)
		}
		msgID := strings.Trim(env.GetHeader("Message-Id"), "<>")
		if !strings.HasSuffix(msgID, "@desk.example.com") {
			t.Errorf("Message-ID = %q", msgID)
		}
		if len(f.list(desk.OutboxQueued)) != 0 || len(f.list(desk.OutboxSent)) != 2 {
			t.Errorf("after delivery: queued %d, sent %d", len(f.list(desk.OutboxQueued)), len(f.list(desk.OutboxSent)))
		}
		sent := f.list(desk.OutboxSent)
		if !slices.ContainsFunc(sent, func(d desk.Delivery) bool { return d.MessageID == msgID && d.Attempts == 1 }) {
			t.Errorf("sent rows %+v do not carry Message-ID %s", sent, msgID)
		}
		// The Message-ID is the ticket's: a reply threads back to it.
		id, err := f.store.MailTicket(context.Background(), msgID)
		must(t, err)
		if id != tk.ID {
			t.Fatalf("MailTicket(%s) = %d, want %d", msgID, id, tk.ID)
		}
		out, err := f.d.ReceiveMail(context.Background(), desk.InboundMail{MessageID: "reply-1@example.com",
			ThreadIDs: []string{msgID}, FromName: "Boss", FromAddress: "boss@example.com", Subject: "Re: " + subj,
			ReplyText: "On it.", Text: "On it.", Kind: desk.MailNormal, ReceivedAt: f.clock.Now()})
		must(t, err)
		if out.Action != desk.MailCommented || out.Ticket == nil || out.Ticket.ID != tk.ID {
			t.Errorf("reply to the notification: %+v, want a comment on %s", out, tk.Number)
		}
		// The manager's reply is the ticket's first response: Sam hears of
		// it, nobody else does.
		if res := f.run(f.worker(nil)); res.Claimed != 1 || res.Sent != 1 {
			t.Errorf("second run %+v, want the first-response notice only", res)
		}
		if all := f.smtp.messages(); len(all) != 3 || all[2].To[0] != "sam@example.com" ||
			!strings.Contains(all[2].Env.Text, "On it.") {
			t.Errorf("after the reply: %d messages, last %+v", len(all), all[len(all)-1])
		}
	})
}

func TestWorker_TemporaryFailureBacksOff(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		f.breach("Mail relay busy")
		w := f.worker(nil)
		f.smtp.failNext(451, 451, 451, 451)
		if res := f.run(w); res.Retried != 2 || res.Sent != 0 {
			t.Fatalf("first run = %+v, want 2 retried", res)
		}
		q := f.list(desk.OutboxQueued)
		for _, d := range q {
			if d.NextAttemptAt == nil || !d.NextAttemptAt.Equal(f.clock.Now().Add(time.Minute)) || !strings.Contains(d.LastError, "451") {
				t.Errorf("after a 451: %+v, want next attempt in 1m with the error", d)
			}
		}
		f.clock.Advance(30 * time.Second)
		if res := f.run(w); res.Claimed != 0 {
			t.Fatalf("claimed before the backoff ended: %+v", res)
		}
		f.clock.Advance(31 * time.Second)
		if res := f.run(w); res.Retried != 2 {
			t.Fatalf("second run = %+v, want 2 retried", res)
		}
		for _, d := range f.list(desk.OutboxQueued) {
			if d.Attempts != 2 || !d.NextAttemptAt.Equal(f.clock.Now().Add(2*time.Minute)) {
				t.Errorf("after the second 451: %+v, want attempt 2 and a 2m wait", d)
			}
		}
		f.clock.Advance(2 * time.Minute)
		if res := f.run(w); res.Sent != 2 {
			t.Fatalf("third run = %+v, want 2 sent", res)
		}
		if n := len(f.smtp.messages()); n != 2 {
			t.Errorf("server got %d messages, want 2", n)
		}
	})
}

func TestWorker_PermanentFailureAndAttemptLimit(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		f.breach("Mailbox gone")
		f.smtp.failNext(550, 550)
		if res := f.run(f.worker(nil)); res.Failed != 2 {
			t.Fatalf("run = %+v, want 2 failed at once", res)
		}
		failed := f.list(desk.OutboxFailed)
		if len(failed) != 2 || failed[0].FailedAt == nil || !strings.Contains(failed[0].LastError, "550") || failed[0].Attempts != 1 {
			t.Fatalf("failed = %+v, want both failed after one attempt with the 550", failed)
		}
		f.clock.Advance(24 * time.Hour)
		if res := f.run(f.worker(nil)); res.Claimed != 0 {
			t.Errorf("a failed message was claimed again: %+v", res)
		}
	})
	t.Run("limit", func(t *testing.T) {
		testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
			f := newFixture(t, open)
			f.breach("Relay down for days")
			f.smtp.failNext(slices.Repeat([]int{421}, 16)...)
			w := f.worker(nil)
			waits := []time.Duration{}
			for range 8 {
				f.run(w)
				q := f.list(desk.OutboxQueued)
				if len(q) == 0 {
					break
				}
				waits = append(waits, q[0].NextAttemptAt.Sub(f.clock.Now()))
				f.clock.Advance(q[0].NextAttemptAt.Sub(f.clock.Now()))
			}
			want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute, 32 * time.Minute, time.Hour}
			if !slices.Equal(waits, want) {
				t.Errorf("waits = %v, want %v", waits, want)
			}
			failed := f.list(desk.OutboxFailed)
			if len(failed) != 2 || failed[0].Attempts != 8 {
				t.Errorf("failed = %+v, want both after 8 attempts", failed)
			}
		})
	})
}

func TestWorker_TwoInstancesSendOnce(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		for i := range 10 {
			f.breach("Outage " + string(rune('A'+i)))
		}
		workers := []*fixture{f, f}
		var wg sync.WaitGroup
		results := make([]int, len(workers))
		for i := range workers {
			store := f.store
			if i > 0 {
				store = f.second()
			}
			// One message per claim, so that the workers interleave.
			w := notify.New(store, store, &notify.SMTP{Relay: f.smtp.Addr, TLS: notify.TLSNone}, f.clock,
				notify.Config{Domain: "desk.example.com", Batch: 1}, nil)
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := w.RunDue(context.Background(), f.clock.Now())
				if err != nil {
					t.Error(err)
				}
				results[i] = res.Sent
			}()
		}
		wg.Wait()
		got := f.smtp.messages()
		ids := map[string]int{}
		for _, m := range got {
			ids[m.Env.GetHeader("Message-Id")]++
		}
		if len(got) != 20 || len(ids) != 20 || results[0]+results[1] != 20 {
			t.Errorf("server got %d messages (%d distinct), workers sent %v; want 20 once each", len(got), len(ids), results)
		}
	})
}

// A claim is a lease: a worker that stalls past it loses the message to
// another, and can then neither mark it sent nor release it.
func TestOutboxStore_LeaseExpires(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		f.breach("Lease test")
		ctx := context.Background()
		first, err := f.store.ClaimOutbox(ctx, f.clock.Now(), time.Minute, 10)
		must(t, err)
		if len(first) != 2 {
			t.Fatalf("claimed %d, want 2", len(first))
		}
		again, err := f.second().ClaimOutbox(ctx, f.clock.Now().Add(30*time.Second), time.Minute, 10)
		must(t, err)
		if len(again) != 0 {
			t.Fatalf("claimed under a live lease: %+v", again)
		}
		f.clock.Advance(2 * time.Minute)
		second, err := f.second().ClaimOutbox(ctx, f.clock.Now(), time.Minute, 10)
		must(t, err)
		if len(second) != 2 || second[0].Attempts != 2 {
			t.Fatalf("after the lease: %+v, want both with attempt 2", second)
		}
		if err := f.store.OutboxSent(ctx, first[0], "stale@x", f.clock.Now()); desk.ErrorCode(err) != desk.ECONFLICT {
			t.Errorf("sent under an expired claim: %v, want ECONFLICT", err)
		}
		if err := f.store.OutboxRetry(ctx, first[1], "x", nil, f.clock.Now()); desk.ErrorCode(err) != desk.ECONFLICT {
			t.Errorf("released under an expired claim: %v, want ECONFLICT", err)
		}
		must(t, f.store.OutboxSent(ctx, second[0], "fresh@desk.example.com", f.clock.Now()))
		if id, err := f.store.MailTicket(ctx, "stale@x"); err != nil || id != 0 {
			t.Errorf("the stale Message-ID was recorded: %d %v", id, err)
		}
		if id, err := f.store.MailTicket(ctx, "fresh@desk.example.com"); err != nil || id != second[0].TicketID {
			t.Errorf("MailTicket(fresh) = %d %v, want %d", id, err, second[0].TicketID)
		}
	})
}

// slowTransport is a relay connection that takes d of the test clock.
type slowTransport struct {
	notify.Transport
	clock *testdb.Clock
	d     time.Duration
}

func (s slowTransport) Send(ctx context.Context, m notify.Mail) error {
	s.clock.Advance(s.d)
	return s.Transport.Send(ctx, m)
}

// Sends that eat the lease stop before the claim runs out: the rest wait
// for the lease to expire rather than risk a second worker sending them too.
func TestWorker_StopsBeforeLeaseRunsOut(t *testing.T) {
	f := newFixture(t, testdb.SQLiteInstances)
	f.breach("Slow relay")
	tr := slowTransport{&notify.SMTP{Relay: f.smtp.Addr, TLS: notify.TLSNone}, f.clock, 100 * time.Second}
	w := notify.New(f.store, f.store, tr, f.clock, notify.Config{Lease: 2 * time.Minute, SendBudget: 30 * time.Second}, nil)
	if res := f.run(w); res.Sent != 1 || res.Deferred != 1 {
		t.Fatalf("slow run = %+v, want 1 sent and 1 deferred", res)
	}
	if res := f.run(w); res.Claimed != 0 {
		t.Fatalf("claimed again under the lease: %+v", res)
	}
	f.clock.Advance(time.Minute)
	if res := f.run(w); res.Sent != 1 {
		t.Fatalf("after the lease = %+v, want the deferred one sent", res)
	}
	if n := len(f.smtp.messages()); n != 2 {
		t.Errorf("server got %d, want 2", n)
	}
}
