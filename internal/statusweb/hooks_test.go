package statusweb_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/tierdesk/tierdesk/internal/major"
	"github.com/tierdesk/tierdesk/internal/pager"
	"github.com/tierdesk/tierdesk/internal/statuspage"
	"github.com/tierdesk/tierdesk/internal/statusweb"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestStatusWebhook_SignedOnce posts a publication to a webhook that fails
// once: it arrives signed, once, on the retry, though two workers run.
func TestStatusWebhook_SignedOnce(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		var mu sync.Mutex
		var bodies [][]byte
		calls := 0
		recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			defer mu.Unlock()
			calls++
			if calls == 1 {
				w.WriteHeader(503)
				return
			}
			if !pager.Verify([]byte("0123456789abcdef-secret"), r.Header.Get(pager.HeaderTimestamp), b, r.Header.Get(pager.HeaderSignature)) {
				t.Error("signature does not verify")
			}
			bodies = append(bodies, b)
		}))
		defer recv.Close()
		_, err := f.page.AddWebhook(f.admin, statuspage.Webhook{URL: recv.URL, Secret: "0123456789abcdef-secret"})
		f.must(err)
		tk := f.incident(false)
		m, err := f.majors.Declare(f.agent, tk.Number, major.DeclareInput{CommanderID: f.agentU.ID})
		f.must(err)
		_, err = f.page.Publish(f.agent, m.ID, statuspage.PublishInput{Name: "Mail is delayed", Body: "Looking into it."})
		f.must(err)
		w1 := statusweb.NewHookWorker(f.st, f.clock, slog.New(slog.DiscardHandler))
		w2 := statusweb.NewHookWorker(f.st, f.clock, slog.New(slog.DiscardHandler))
		for range 3 {
			for _, w := range []*statusweb.HookWorker{w1, w2} {
				if _, err := w.RunDue(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			f.clock.Advance(w1.Backoff * 2)
		}
		if len(bodies) != 1 || calls != 2 {
			t.Fatalf("%d accepted of %d calls, want 1 of 2", len(bodies), calls)
		}
	})
}
