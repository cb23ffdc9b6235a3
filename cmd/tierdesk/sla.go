package main

import (
	"fmt"

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
		db    dbFlags
		rules deskFlags
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
			d := desk.New(store, desk.SystemClock{}, rules.config())
			n, err := d.RescheduleTimers(desk.AsSystem(cmd.Context()))
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "rescheduled the SLA timers of %d tickets\n", n)
			return nil
		},
	}
	db.register(c)
	rules.register(c) // as given to serve: the timers depend on them
	return c
}
