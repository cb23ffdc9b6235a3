package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/tierdesk/tierdesk/internal/devgen"
)

func newDevCmd() *cobra.Command {
	c := &cobra.Command{Use: "dev", Short: "Developer tools"}
	c.AddCommand(newDevGenerateCmd())
	return c
}

// newDevGenerateCmd fills a database with a synthetic desk so that anyone
// can reproduce the benchmark figures in docs/benchmarks.md.
func newDevGenerateCmd() *cobra.Command {
	var (
		db         dbFlags
		tickets    int
		requesters int
		seed       int64
		total      int
		from       int
	)
	c := &cobra.Command{
		Use:   "generate --tickets N",
		Short: "Add N realistic synthetic tickets (with groups, agents, requesters, categories) to a database",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if tickets <= 0 || requesters <= 0 {
				return usagef("--tickets and --requesters must be positive")
			}
			if from < 0 || (total > 0 && from+tickets > total) || (total == 0 && from > 0) {
				return usagef("--from and --tickets must fit within --total")
			}
			store, err := db.open(cmd.Context(), true)
			if err != nil {
				return err
			}
			defer store.Close()
			start := time.Now()
			bar := newGenProgress(cmd.ErrOrStderr(), tickets)
			err = devgen.Generate(cmd.Context(), store, devgen.Options{
				Tickets: tickets, Requesters: requesters, Seed: seed, Bulk: true, Progress: bar.update,
				Total: total, From: from, NoAnalyze: total > 0 && from+tickets < total,
			})
			bar.finish()
			if err != nil {
				return err
			}
			size, err := store.DatabaseSize(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "generated %d tickets in %s into %s (%s on disk)\n", tickets,
				time.Since(start).Round(time.Second), db.describe(), humanBytes(size))
			return nil
		},
	}
	db.register(c)
	c.Flags().IntVar(&tickets, "tickets", 0, "number of tickets to add (required)")
	c.Flags().IntVar(&requesters, "requesters", 10000, "number of distinct requesters")
	c.Flags().Int64Var(&seed, "seed", 1, "random seed: the same seed gives the same desk")
	c.Flags().IntVar(&total, "total", 0, "generate in parts: the whole desk's tickets (default --tickets)")
	c.Flags().IntVar(&from, "from", 0, "generate in parts: the tickets of earlier parts (this part's first is the next); the last part analyses")
	return c
}
