package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func newTicketListCmd(f *clientFlags) *cobra.Command {
	q := map[string]*string{}
	params := []struct{ name, usage string }{
		{"state", "states, comma-separated, or open"}, {"type", "incident or request"},
		{"priority", "P1..P4, comma-separated"}, {"group", "group id"}, {"assignee", "user id, me or none"},
		{"requester", "requester user id"}, {"category", "category id"}, {"service", "service id"},
		{"line", "1, 2 or 3, comma-separated"}, {"q", "free text"}, {"sort", "created, updated, priority or sla; - for descending"},
		{"created-from", "RFC 3339"}, {"created-to", "RFC 3339"}, {"updated-from", "RFC 3339"}, {"updated-to", "RFC 3339"},
		{"cursor", "continue after a previous page"},
	}
	var limit int
	var all, total bool
	c := &cobra.Command{
		Use: "list [filters]", Short: "List tickets, one page at a time (or --all)", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v := url.Values{}
			for name, val := range q {
				if *val != "" {
					v.Set(strings.ReplaceAll(name, "-", "_"), *val)
				}
			}
			if limit != 0 {
				v.Set("limit", strconv.Itoa(limit))
			}
			if total {
				v.Set("total", "true")
			}
			return listTickets(cmd, f, "/tickets", v, all)
		},
	}
	for _, p := range params {
		q[p.name] = new(string)
		c.Flags().StringVar(q[p.name], p.name, "", p.usage)
	}
	c.Flags().IntVar(&limit, "limit", 0, "page size (default 50, at most 500)")
	c.Flags().BoolVar(&all, "all", false, "follow the cursor through every page")
	c.Flags().BoolVar(&total, "total", false, "also count every match")
	return c
}

type ticketPage struct {
	Tickets    []apiTicket `json:"tickets"`
	NextCursor *string     `json:"next_cursor"`
	Total      *int        `json:"total"`
}

func listTickets(cmd *cobra.Command, f *clientFlags, path string, v url.Values, all bool) error {
	cl, err := f.client()
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
	if !f.json {
		fmt.Fprintln(w, "NUMBER\tPRI\tSTATE\tLINE\tGROUP\tASSIGNEE\tUPDATED\tTITLE")
	}
	for {
		var page ticketPage
		raw, err := cl.do(cmd.Context(), http.MethodGet, path+"?"+v.Encode(), nil, &page, nil)
		if err != nil {
			return err
		}
		if f.json {
			if err := printJSON(cmd.OutOrStdout(), raw); err != nil {
				return err
			}
		}
		for _, t := range page.Tickets {
			if !f.json {
				fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", t.Number, t.Priority, t.State, t.Group.Line,
					t.Group.Name, refText(t.Assignee), t.UpdatedAt, truncate(t.Title, 60))
			}
		}
		if !f.json {
			if page.Total != nil {
				fmt.Fprintf(w, "(%d matching)\n", *page.Total)
			}
			if page.NextCursor != nil && *page.NextCursor != "" && !all {
				fmt.Fprintf(w, "(more: --cursor %s)\n", *page.NextCursor)
			}
		}
		if !all || page.NextCursor == nil || *page.NextCursor == "" {
			break
		}
		v.Set("cursor", *page.NextCursor)
		v.Del("total")
	}
	return w.Flush()
}

func truncate(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}

func newTicketHistoryCmd(f *clientFlags) *cobra.Command {
	return &cobra.Command{
		Use: "history ID|NUMBER", Short: "Show a ticket's full history, oldest first", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, err := f.client()
			if err != nil {
				return err
			}
			v := url.Values{"limit": {"500"}}
			for {
				var page struct {
					Events     []apiEvent `json:"events"`
					NextCursor *string    `json:"next_cursor"`
				}
				raw, err := cl.do(cmd.Context(), http.MethodGet, ticketPath(args[0])+"/events?"+v.Encode(), nil, &page, nil)
				if err != nil {
					return err
				}
				if f.json {
					if err := printJSON(cmd.OutOrStdout(), raw); err != nil {
						return err
					}
				} else {
					for _, e := range page.Events {
						printEvent(cmd, e)
					}
				}
				if page.NextCursor == nil || *page.NextCursor == "" {
					return nil
				}
				v.Set("cursor", *page.NextCursor)
			}
		},
	}
}

func printEvent(cmd *cobra.Command, e apiEvent) {
	w := cmd.OutOrStdout()
	who := "system"
	if e.Actor != nil {
		who = e.Actor.Name
	}
	vis := ""
	if !e.Public {
		vis = " (internal)"
	}
	fmt.Fprintf(w, "%s  %s  %s%s\n", e.At, who, e.Kind, vis)
	for _, ch := range e.Changes {
		fmt.Fprintf(w, "    %s: %q → %q\n", ch.Field, ch.Old, ch.New)
	}
	if e.Reason != "" {
		fmt.Fprintf(w, "    reason: %s\n", e.Reason)
	}
	if e.Body != "" {
		fmt.Fprintf(w, "    %s\n", strings.ReplaceAll(e.Body, "\n", "\n    "))
	}
}
