package notify_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/devgen"
	"github.com/tierdesk/tierdesk/internal/jobs"
	"github.com/tierdesk/tierdesk/internal/langcheck"
	"github.com/tierdesk/tierdesk/internal/notify"
	"github.com/tierdesk/tierdesk/internal/pager"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestShowcase_RussianMail: a desk that went through every flow
// (devgen.Showcase: the lifecycle, holds, SLA breaches and escalations,
// replies, a merge, calls, alerts, pages) sends every queued message in
// Russian over real SMTP, and none says an English word beyond the
// allow-list and the data it quotes; the history the desk wrote itself
// carries reason codes, not English sentences alone.
func TestShowcase_RussianMail(t *testing.T) {
	ctx := context.Background()
	st := testdb.SQLite(t)
	d := desk.New(st, desk.SystemClock{}, desk.DefaultConfig)
	runDue := func(ctx context.Context) error {
		if _, err := jobs.New(st, d, desk.SystemClock{}, jobs.Config{}, nil).RunDue(ctx, time.Now()); err != nil {
			return err
		}
		_, err := pager.NewEngine(st, d, desk.SystemClock{}, pager.Config{}, nil).RunDue(ctx, time.Now())
		return err
	}
	sc, err := devgen.Showcase(ctx, d, st, devgen.ShowcaseOptions{Password: "showcase-password", RunDue: runDue})
	must(t, err)
	codes := showcaseReasons(t, d, sc)
	for _, want := range []desk.ReasonCode{desk.ReasonRequesterReplied, desk.ReasonRequesterReopened,
		desk.ReasonDuplicateOf, desk.ReasonResolutionBreached, desk.ReasonPageStarted, desk.ReasonPaged, desk.ReasonEndedBy} {
		if !slices.Contains(codes, want) {
			t.Errorf("the showcase wrote no %q reason (it wrote %v)", want, codes)
		}
	}

	srv := newServer(t)
	w := notify.New(st, st, &notify.SMTP{Relay: srv.Addr, TLS: notify.TLSNone, Timeout: 5 * time.Second}, desk.SystemClock{},
		notify.Config{Domain: "desk.example.com", From: "desk@example.com", Language: "ru", BaseURL: "https://desk.example.com"}, nil)
	for range 20 {
		res, err := w.RunDue(ctx, time.Now())
		must(t, err)
		if res.Sent == 0 && res.Failed == 0 && res.Retried == 0 {
			break
		}
	}
	msgs := srv.messages()
	if len(msgs) < 20 {
		t.Fatalf("the showcase sent %d messages", len(msgs))
	}
	data := append(slices.Clone(sc.English), "partner@example.com")
	for _, m := range msgs {
		subject := m.Env.GetHeader("Subject")
		for part, text := range map[string]string{"subject": subject, "text": m.Env.Text} {
			if bad := langcheck.LatinWords(text, data...); len(bad) > 0 {
				t.Errorf("%s of %q has English %q:\n%s", part, subject, bad, text)
			}
		}
	}
}

// showcaseReasons checks every event of the showcase's tickets: a reason
// the desk wrote itself has its code stored; it returns the codes seen.
func showcaseReasons(t *testing.T, d *desk.Desk, sc *devgen.ShowcaseDesk) []desk.ReasonCode {
	t.Helper()
	admin := desk.WithActor(context.Background(), sc.People["admin"])
	// Security cases are hidden even from administrators: their history is
	// read as the security group's member.
	security := desk.WithActor(context.Background(), sc.People["security"])
	var seen []desk.ReasonCode
	for _, tk := range sc.Tickets {
		reader := admin
		if strings.HasPrefix(tk.Kind, "security/") {
			reader = security
		}
		for cursor := ""; ; {
			page, err := d.Events(reader, tk.Number, desk.EventFilter{Cursor: cursor})
			must(t, err)
			for _, e := range page.Events {
				if code, _, ok := desk.ParseReason(e.Reason); ok && e.ReasonCode == "" && tk.Kind != "servicenow" {
					t.Errorf("%s: %s event says %q without its code %q", tk.Number, e.Kind, e.Reason, code)
				}
				if e.ReasonCode != "" && !slices.Contains(seen, e.ReasonCode) {
					seen = append(seen, e.ReasonCode)
				}
			}
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
	}
	return seen
}
