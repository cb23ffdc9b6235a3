package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"github.com/tierdesk/tierdesk/internal/triage"
	"github.com/tierdesk/tierdesk/internal/triagedesk"
)

func newTriageTrainCmd() *cobra.Command {
	var f dbFlags
	var asJSON bool
	c := &cobra.Command{
		Use:   "train",
		Short: "Learn the desk's triage model from its resolved and closed tickets and store it",
		Long: `Train the triage model on the desk's own resolved and closed tickets (their
type, category, group and service as people left them), one in five held
back to measure the accuracy, and store it in the database as the newest
version, which every instance then uses. A desk with too little history
gets no model and is told so.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := f.open(cmd.Context(), true)
			if err != nil {
				return err
			}
			defer db.Close()
			start := time.Now()
			m, err := triagedesk.Train(cmd.Context(), db, triage.DefaultConfig(), time.Now())
			if errors.Is(err, triagedesk.ErrTooLittleHistory) {
				return fmt.Errorf("%w\nno model was stored; nothing is suggested until the desk has more resolved tickets", err)
			} else if err != nil {
				return err
			}
			if err := db.SaveTriageModel(cmd.Context(), m); err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return json.NewEncoder(out).Encode(map[string]any{"version": m.Version, "trained_at": m.TrainedAt,
					"model_bytes": len(m.Model), "fields": m.Fields})
			}
			fmt.Fprintf(out, "triage model version %d stored (%.1f MB) in %.1f s\n", m.Version, float64(len(m.Model))/1e6, time.Since(start).Seconds())
			fmt.Fprintf(out, "%-10s %7s %8s %6s %9s\n", "field", "labels", "trained", "held", "accuracy")
			for _, fl := range m.Fields {
				fmt.Fprintf(out, "%-10s %7d %8d %6d %9.4f\n", fl.Field, fl.Labels, fl.Trained, fl.Held, fl.Accuracy)
			}
			return nil
		},
	}
	f.register(c)
	c.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")
	return c
}
