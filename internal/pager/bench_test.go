package pager_test

import (
	"context"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// BenchmarkPaging measures the paging hot path for a burst of 100 P1
// incidents paged at once: the engine runs each page's first step (a
// user and a schedule's on-call user) and the worker queues their e-mails
// in the outbox. Reported per page; registering the
// incidents and starting their pages is outside the timing.
func BenchmarkPaging(b *testing.B) {
	for _, o := range testdb.Openers {
		b.Run(o.Name, func(b *testing.B) { benchPaging(b, o.Open) })
	}
}

const burst = 100

func benchPaging(b *testing.B, open testdb.Opener) {
	f := newFixture(b, open)
	f.policy(0, desk.EscalationStep{UserIDs: []int64{f.ann.ID}, ScheduleIDs: []int64{f.week}, Delay: 5 * time.Minute})
	ctx := context.Background()
	b.ResetTimer()
	var elapsed time.Duration
	for range b.N {
		b.StopTimer()
		for range burst {
			f.incident("Burst")
		}
		_, err := f.r.RunDue(ctx, f.clock.Now())
		must(b, err)
		b.StartTimer()
		began := time.Now()
		res, err := f.e.RunDue(ctx, f.clock.Now())
		must(b, err)
		sent, err := f.w.RunDue(ctx, f.clock.Now())
		must(b, err)
		elapsed += time.Since(began)
		if res.Done != burst || sent.Done != 2*burst {
			b.Fatalf("steps %+v, deliveries %+v", res, sent)
		}
		b.StopTimer()
		f.clock.Advance(time.Hour) // the pages run out
		_, err = f.e.RunDue(ctx, f.clock.Now())
		must(b, err)
		b.StartTimer()
	}
	b.ReportMetric(float64(elapsed.Microseconds())/float64(b.N*burst), "µs/page")
	b.ReportMetric(0, "ns/op")
}
