package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func newSLACmd() *cobra.Command {
	c := &cobra.Command{Use: "sla", Short: "SLA policies, business calendars and timers"}
	c.AddCommand(newSLAPolicyCmd(), newSLACalendarCmd(), newSLARescheduleCmd())
	return c
}

// newSLARescheduleCmd recomputes the durable SLA timers of every open or
// resolved ticket: after editing policies or calendars, so that warnings and
// breaches follow the new targets before the tickets next change, and after
// a bulk import.
func newSLARescheduleCmd() *cobra.Command {
	var (
		db           dbFlags
		reopenWindow time.Duration
	)
	c := &cobra.Command{
		Use:   "reschedule",
		Short: "Recompute the SLA timers of every open or resolved ticket (directly in the database)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			store, err := db.open(cmd.Context(), true)
			if err != nil {
				return err
			}
			defer store.Close()
			d := desk.New(store, desk.SystemClock{}, desk.Config{ReopenWindow: reopenWindow})
			n, err := d.RescheduleTimers(desk.AsSystem(cmd.Context()))
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "rescheduled the SLA timers of %d tickets\n", n)
			return nil
		},
	}
	db.register(c)
	durationFlag(c, &reopenWindow, "reopen-window", "TIERDESK_REOPEN_WINDOW", desk.DefaultConfig.ReopenWindow,
		"how long a resolved ticket may be reopened (as given to serve)")
	return c
}
