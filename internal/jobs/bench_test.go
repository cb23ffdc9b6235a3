package jobs_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/jobs"
	"github.com/tierdesk/tierdesk/internal/store/postgres"
	"github.com/tierdesk/tierdesk/internal/store/sqlite"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// BenchmarkSweep measures one sweep that finds 1,000 due timers among
// TIERDESK_BENCH_PENDING (default 1,000,000) pending ones: the claim goes
// through the partial index on due_at, so the pending rows that are not due
// cost nothing but index depth. Each iteration registers 1,000 P1 incidents
// (untimed), moves the clock 12 minutes so that their response clocks pass
// 75 %, and times RunDue: 1,000 warnings, each with its event and two
// outbox rows, in its own transaction.
func BenchmarkSweep(b *testing.B) {
	pending := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("TIERDESK_BENCH_PENDING")); err == nil {
		pending = v
	}
	opens := []struct {
		name string
		open func(b *testing.B, c desk.Clock) *sqlstore.Store
	}{
		{"sqlite", func(b *testing.B, c desk.Clock) *sqlstore.Store {
			s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "t.db"), sqlstore.WithClock(c))
			must(b, err)
			return s
		}},
		{"postgres", func(b *testing.B, c desk.Clock) *sqlstore.Store {
			s, err := postgres.Open(context.Background(), testdb.PostgresSchema(b), sqlstore.WithClock(c))
			must(b, err)
			return s
		}},
	}
	for _, o := range opens {
		b.Run(o.name, func(b *testing.B) {
			clk := testdb.NewClock(start)
			s := o.open(b, clk)
			b.Cleanup(func() { s.Close() })
			must(b, s.Migrate(context.Background()))
			benchSweep(b, s, clk, pending)
		})
	}
}

func benchSweep(b *testing.B, s *sqlstore.Store, clk *testdb.Clock, pending int) {
	ctx := context.Background()
	d := desk.New(s, clk, desk.DefaultConfig)
	agent, _, err := d.Bootstrap(ctx, desk.UserInput{Email: "bench@example.com", Name: "Bench", Role: desk.RoleAgent}, false, 1)
	must(b, err)
	actx := desk.WithActor(ctx, agent)
	create := func() *desk.Ticket {
		tk, _, err := d.CreateTicket(actx, desk.NewTicket{Type: desk.TypeIncident, Title: "Payments down", Channel: desk.ChannelPhone,
			Requester: desk.PersonInput{Email: "sam@example.com"}, Impact: desk.LevelHigh, Urgency: desk.LevelHigh}, "")
		must(b, err)
		return tk
	}
	anchor := create()
	_, err = s.DB().ExecContext(ctx, "UPDATE sla_timers SET done_at = 0 WHERE ticket_id = $1", anchor.ID)
	must(b, err)
	seedPending(b, s, anchor.ID, pending)
	must(b, s.Dialect().Analyze(ctx, s.DB()))
	r := jobs.New(s, d, clk, jobs.Config{}, nil)
	const due = 1000
	var claimed time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		// Settle what earlier iterations left, so that exactly 1,000 are due.
		_, err := s.DB().ExecContext(ctx, "UPDATE sla_timers SET done_at = 0 WHERE done_at IS NULL AND ticket_id <> $1", anchor.ID)
		must(b, err)
		clk.Advance(24 * time.Hour)
		for range due {
			create()
		}
		clk.Advance(12 * time.Minute)
		t0 := time.Now()
		probe, err := s.ClaimTimers(ctx, clk.Now(), 0, 1) // the claim query alone, on a due set; released below
		must(b, err)
		claimed += time.Since(t0)
		_, err = s.DB().ExecContext(ctx, "UPDATE sla_timers SET claimed_until = NULL, attempts = 0 WHERE id = $1", probe[0].ID)
		must(b, err)
		b.StartTimer()
		res, err := r.RunDue(ctx, clk.Now())
		must(b, err)
		if res.Fired != due || res.Claimed != due {
			b.Fatalf("sweep %+v, want %d fired", res, due)
		}
	}
	b.ReportMetric(float64(claimed.Microseconds())/float64(b.N)/1000, "ms/claim")
	b.ReportMetric(due, "due/sweep")
}

// seedPending adds n pending timers due a year or more ahead, as a desk
// with n/6 open tickets would hold (six thresholds each). They hang off one
// ticket, with distinct cycles, since only the due_at index matters here.
func seedPending(b *testing.B, s *sqlstore.Store, ticketID int64, n int) {
	b.Helper()
	far := start.AddDate(1, 0, 0).UnixMicro()
	q := fmt.Sprintf(`INSERT INTO sla_timers (ticket_id, kind, percent, cycle, due_at)
		SELECT %d, 'next_update', 100, i, %d + i::bigint * 1000 FROM generate_series(1, %d) AS g(i)`, ticketID, far, n)
	if s.Dialect().Name() == "sqlite" {
		q = fmt.Sprintf(`WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < %d)
		INSERT INTO sla_timers (ticket_id, kind, percent, cycle, due_at)
		SELECT %d, 'next_update', 100, i, %d + i * 1000 FROM g`, n, ticketID, far)
	}
	t0 := time.Now()
	if _, err := s.DB().ExecContext(context.Background(), q); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d pending timers in %s", n, time.Since(t0).Round(time.Millisecond))
}
