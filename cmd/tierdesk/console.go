package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/spf13/cobra"
)

// The agent console's work queues and ticket links from the command line.

func newTicketQueueCmd(f *clientFlags) *cobra.Command {
	var within, sort string
	var limit int
	var all, total bool
	c := &cobra.Command{
		Use:   "queue mine|groups|unassigned|about_to_breach|breached|on_hold",
		Short: "List one of your work queues, most urgent SLA deadline first",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			v := url.Values{}
			for name, val := range map[string]string{"within": within, "sort": sort} {
				if val != "" {
					v.Set(name, val)
				}
			}
			if limit != 0 {
				v.Set("limit", strconv.Itoa(limit))
			}
			if total {
				v.Set("total", "true")
			}
			return listTickets(cmd, f, "/queues/"+url.PathEscape(args[0]), v, all)
		},
	}
	c.Flags().StringVar(&within, "within", "", "about_to_breach window, such as 30m or 2h (default 1h)")
	c.Flags().StringVar(&sort, "sort", "", "sla (default), priority, created or updated; - for descending")
	c.Flags().IntVar(&limit, "limit", 0, "page size (default 50, at most 500)")
	c.Flags().BoolVar(&all, "all", false, "follow the cursor through every page")
	c.Flags().BoolVar(&total, "total", false, "also count the whole queue")
	return c
}

func newTicketLinkCmd(f *clientFlags) *cobra.Command {
	var to, kind string
	c := &cobra.Command{
		Use:   "link ID|NUMBER --to ID|NUMBER --kind related|duplicate_of|duplicated_by|child_of|parent_of",
		Short: "Link a ticket to another (shown on both)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if to == "" || kind == "" {
				return usagef("--to and --kind are required")
			}
			cl, err := f.client()
			if err != nil {
				return err
			}
			var l struct {
				Kind   string `json:"kind"`
				Ticket struct {
					Number string `json:"number"`
				} `json:"ticket"`
			}
			raw, err := cl.do(cmd.Context(), http.MethodPost, ticketPath(args[0])+"/links",
				map[string]any{"kind": kind, "ticket": to}, &l, nil)
			if err != nil {
				return err
			}
			if f.json {
				return printJSON(cmd.OutOrStdout(), raw)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s is now %s %s\n", args[0], l.Kind, l.Ticket.Number)
			return nil
		},
	}
	c.Flags().StringVar(&to, "to", "", "the other ticket")
	c.Flags().StringVar(&kind, "kind", "", "how this ticket relates to the other")
	return c
}

func newTicketUnlinkCmd(f *clientFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "unlink ID|NUMBER OTHER",
		Short: "Remove the link between two tickets",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, err := f.client()
			if err != nil {
				return err
			}
			if _, err := cl.do(cmd.Context(), http.MethodDelete, ticketPath(args[0])+"/links/"+url.PathEscape(args[1]), nil, nil, nil); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s and %s are no longer linked\n", args[0], args[1])
			return nil
		},
	}
}
