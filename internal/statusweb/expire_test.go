package statusweb_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/statuspage"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestStatusPage_SweepExpiresRequestCounts: the hourly subscription
// counters of past hours go with the sweep, those of the current and the
// previous hour stay (a flood is still refused after a sweep), and two
// instances expiring at once neither fail nor delete a row twice.
func TestStatusPage_SweepExpiresRequestCounts(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		ctx := context.Background()
		count := func(client string, hour time.Time) int {
			t.Helper()
			n, err := f.st.CountRequest(ctx, client, hour.Truncate(time.Hour))
			f.must(err)
			return n
		}
		now := f.clock.Now()
		for range 3 {
			count("old", now.Add(-3*time.Hour))
			count("old", now.Add(-2*time.Hour))
			count("previous", now.Add(-time.Hour))
		}
		for range statuspage.RequestsPerHour {
			_, err := f.page.Subscribe(ctx, "flooder", "x@example.com", "en", nil)
			f.must(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		gone := 0
		for range 2 { // two instances expiring at once
			wg.Go(func() {
				n, err := f.page.ExpireRequestCounts(ctx)
				f.must(err)
				mu.Lock()
				gone += n
				mu.Unlock()
			})
		}
		wg.Wait()
		if gone != 2 {
			t.Errorf("%d counts deleted by two instances at once, want 2 (each old hour once)", gone)
		}
		if n := count("old", now.Add(-3*time.Hour)); n != 1 {
			t.Errorf("count of three hours ago after expiry: %d, want a fresh 1", n)
		}
		if _, err := f.page.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if n := count("old", now.Add(-3*time.Hour)); n != 1 {
			t.Errorf("count of three hours ago after the sweep: %d, want a fresh 1 (the sweep expires)", n)
		}
		if n := count("previous", now.Add(-time.Hour)); n != 4 {
			t.Errorf("count of the previous hour after the sweep: %d, want 4 (kept)", n)
		}
		if _, err := f.page.Subscribe(ctx, "flooder", "x@example.com", "en", nil); err == nil {
			t.Error("the flooder's next request after a sweep was taken; the current hour's count must stay")
		}
	})
}
