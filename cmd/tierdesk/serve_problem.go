package main

import (
	"context"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/tierdesk/tierdesk/internal/desk"
	prb "github.com/tierdesk/tierdesk/internal/problem"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// problemFlags tune the broadcasts of problem management (workarounds and
// resolutions written to every linked incident in the background).
type problemFlags struct {
	batch int
	lease time.Duration
	poll  time.Duration
}

func (f *problemFlags) register(c *cobra.Command) {
	c.Flags().IntVar(&f.batch, "problem-batch", prb.DefaultBatch,
		"incidents a workaround or resolution broadcast writes per transaction (env TIERDESK_PROBLEM_BATCH)")
	c.PreRunE = chainPreRun(c.PreRunE, func(cmd *cobra.Command, _ []string) error {
		v := os.Getenv("TIERDESK_PROBLEM_BATCH")
		if v == "" || cmd.Flags().Changed("problem-batch") {
			return nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return usagef("TIERDESK_PROBLEM_BATCH=%q is not a number from 1 to 1000", v)
		}
		f.batch = n
		return nil
	})
	durationFlag(c, &f.lease, "problem-lease", "TIERDESK_PROBLEM_LEASE", prb.DefaultLease,
		"how long a claimed broadcast waits before another instance goes on with it (the delay when an instance dies)")
	durationFlag(c, &f.poll, "problem-poll", "TIERDESK_PROBLEM_POLL", prb.DefaultPoll,
		"how often an instance looks for broadcasts to carry out")
}

// start builds problem management and starts its broadcast runner; stop
// waits for the batch in progress.
func (f *problemFlags) start(ctx context.Context, db *sqlstore.Store, d *desk.Desk, log *slog.Logger) (*prb.Service, func()) {
	pm := prb.New(db, d, desk.SystemClock{})
	r := prb.NewRunner(pm, prb.RunnerConfig{Batch: f.batch, Lease: f.lease, Poll: f.poll}, log)
	r.Start(ctx)
	return pm, r.Stop
}
