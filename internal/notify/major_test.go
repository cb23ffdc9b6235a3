package notify_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/langcheck"
	"github.com/tierdesk/tierdesk/internal/major"
	"github.com/tierdesk/tierdesk/internal/notify"
	"github.com/tierdesk/tierdesk/internal/statuspage"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestStatusNotice_SMTP sends a status page's confirmation and notice to a
// Russian subscriber through a real SMTP server: the notice carries the
// one-click unsubscribe headers (RFC 8058) and no English; a 550 for an
// address counts as its bounce, and MaxBounces of them unsubscribe it.
func TestStatusNotice_SMTP(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		page := statuspage.New(f.d, f.store, f.store, f.clock, "https://desk.example.com", nil)
		majors := major.New(f.d, f.store, f.store, f.clock, major.DefaultConfig)
		comp, err := page.SaveComponent(f.admin, statuspage.Component{Name: "Почта"})
		must(t, err)
		_, err = page.Subscribe(context.Background(), "10.0.0.1", "chitatel@example.com", "ru", nil)
		must(t, err)
		_, err = page.Subscribe(context.Background(), "10.0.0.1", "gone@example.com", "en", nil)
		must(t, err)
		subs, err := page.Subscribers(f.admin)
		must(t, err)
		for _, s := range subs {
			_, err := page.Confirm(context.Background(), s.Token)
			must(t, err)
		}
		tr := &notify.SMTP{Relay: f.smtp.Addr, TLS: notify.TLSNone, Timeout: 5 * time.Second}
		w := notify.New(f.store, f.store, tr, f.clock, notify.Config{Domain: "desk.example.com", From: "desk@example.com",
			OnRejected: func(ctx context.Context, addr string) { _, _ = page.RecordBounce(ctx, addr) }}, nil)
		_, err = w.RunDue(context.Background(), f.clock.Now())
		must(t, err)
		confirms := f.smtp.messages()
		if len(confirms) != 2 || !strings.Contains(confirms[0].Env.Text, "https://desk.example.com/status/confirm/") {
			t.Fatalf("confirmations %d: %v", len(confirms), confirms)
		}
		tk, _, err := f.d.CreateTicket(f.l1, desk.NewTicket{Type: desk.TypeIncident, Title: "Mail relay down", Channel: desk.ChannelPhone,
			Requester: desk.PersonInput{Email: "sam@example.com"}, Impact: desk.LevelHigh, Urgency: desk.LevelHigh}, "")
		must(t, err)
		m, err := majors.Declare(f.l1, tk.Number, major.DeclareInput{CommanderID: desk.ActorFrom(f.l1).ID})
		must(t, err)
		_, err = page.Publish(f.l1, m.ID, statuspage.PublishInput{Name: "Почта задерживается", Body: "Письма доходят с опозданием.",
			Components: map[int64]statuspage.ComponentStatus{comp.ID: statuspage.PartialOutage}})
		must(t, err)
		_, err = w.RunDue(context.Background(), f.clock.Now())
		must(t, err)
		var got []received
		for _, g := range f.smtp.messages() {
			if g.Env.GetHeader("X-Tierdesk-Notification") == string(statuspage.OutboxNotice) {
				got = append(got, g)
			}
		}
		if len(got) != 2 {
			t.Fatalf("%d notices, want 2", len(got))
		}
		var ru received
		for _, g := range got {
			if g.To[0] == "chitatel@example.com" {
				ru = g
			}
		}
		h := ru.Env.Root.Header
		if lu := h.Get("List-Unsubscribe"); !strings.HasPrefix(lu, "<https://desk.example.com/status/unsubscribe/") {
			t.Errorf("List-Unsubscribe %q", lu)
		}
		if h.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
			t.Errorf("List-Unsubscribe-Post %q", h.Get("List-Unsubscribe-Post"))
		}
		if !strings.Contains(ru.Env.GetHeader("Subject"), "выясняем причину") || !strings.Contains(ru.Env.Text, "Письма доходят с опозданием.") {
			t.Errorf("notice: %s\n%s", ru.Env.GetHeader("Subject"), ru.Env.Text)
		}
		if words := langcheck.LatinWords(ru.Env.GetHeader("Subject")+"\n"+ru.Env.Text, "Tierdesk"); len(words) > 0 {
			t.Errorf("English in the Russian notice: %v\n%s", words, ru.Env.Text)
		}
	})
}

// TestStatusNotice_Bounces refuses every message to an address with 550:
// each refusal counts as a bounce, and the address is unsubscribed after
// MaxBounces.
func TestStatusNotice_Bounces(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		page := statuspage.New(f.d, f.store, f.store, f.clock, "https://desk.example.com", nil)
		tr := &notify.SMTP{Relay: f.smtp.Addr, TLS: notify.TLSNone, Timeout: 5 * time.Second}
		w := notify.New(f.store, f.store, tr, f.clock, notify.Config{Domain: "desk.example.com", From: "desk@example.com",
			OnRejected: func(ctx context.Context, addr string) { _, _ = page.RecordBounce(ctx, addr) }}, nil)
		for i := range statuspage.MaxBounces {
			f.clock.Advance(2 * time.Hour) // past ResendAfter: a new confirmation each time
			_, err := page.Subscribe(context.Background(), "10.0.0.1", "gone@example.com", "en", nil)
			must(t, err)
			f.smtp.failNext(550)
			_, err = w.RunDue(context.Background(), f.clock.Now())
			must(t, err)
			subs, err := page.Subscribers(f.admin)
			must(t, err)
			if subs[0].Bounces != i+1 {
				t.Fatalf("after %d refusals: %d bounces", i+1, subs[0].Bounces)
			}
			if last := i+1 == statuspage.MaxBounces; last != (subs[0].UnsubscribedAt != nil) {
				t.Errorf("after %d bounces unsubscribed = %v", i+1, subs[0].UnsubscribedAt != nil)
			}
		}
	})
}
