package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

// apiIntegration is an integration as the API sends it.
type apiIntegration struct {
	ID                int64            `json:"id"`
	Kind              string           `json:"kind"`
	Name              string           `json:"name"`
	URL               string           `json:"url"`
	Token             string           `json:"token"`
	Rules             []map[string]any `json:"rules"`
	DefaultRule       map[string]any   `json:"default_rule"`
	RateLimit         int              `json:"rate_limit"`
	FlapWindowSeconds int64            `json:"flap_window_seconds"`
	DedupBy           string           `json:"dedup_by"`
	Stats             struct {
		AlertsReceived     int64      `json:"alerts_received"`
		AlertsDeduplicated int64      `json:"alerts_deduplicated"`
		AlertsOverflow     int64      `json:"alerts_overflow"`
		IncidentsOpened    int64      `json:"incidents_opened"`
		LastAlertAt        *time.Time `json:"last_alert_at"`
	} `json:"stats"`
}

// newIntegrationCmd manages monitoring integrations through the API
// (admins).
func newIntegrationCmd() *cobra.Command {
	var f clientFlags
	c := &cobra.Command{Use: "integration", Short: "Manage monitoring integrations (Alertmanager, Grafana, generic webhooks) through the API"}
	f.register(c)
	c.AddCommand(integrationWriteCmd(&f, "create", "Create an integration and print its webhook URL and token (shown once)", cobra.NoArgs))
	c.AddCommand(integrationWriteCmd(&f, "update ID", "Change an integration's name or limits", cobra.ExactArgs(1)))
	c.AddCommand(&cobra.Command{Use: "list", Short: "List integrations with their counters", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return listIntegrations(cmd, &f) }})
	c.AddCommand(&cobra.Command{Use: "show ID", Short: "Show an integration, its rules and counters", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return integrationCall(cmd, &f, http.MethodGet, "/integrations/"+url.PathEscape(args[0]), nil)
		}})
	c.AddCommand(&cobra.Command{Use: "rotate ID", Short: "Issue a new token; the old one stops working at once", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return integrationCall(cmd, &f, http.MethodPost, "/integrations/"+url.PathEscape(args[0])+"/token", nil)
		}})
	c.AddCommand(&cobra.Command{Use: "delete ID", Short: "Delete an integration (its incidents stay)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, err := f.client()
			if err != nil {
				return err
			}
			_, err = cl.do(cmd.Context(), http.MethodDelete, "/integrations/"+url.PathEscape(args[0]), nil, nil, nil)
			if err == nil {
				fmt.Fprintf(cmd.OutOrStdout(), "deleted integration %s\n", args[0])
			}
			return err
		}})
	c.AddCommand(newIntegrationRuleCmd(&f))
	return c
}

func integrationWriteCmd(f *clientFlags, use, short string, args cobra.PositionalArgs) *cobra.Command {
	var (
		kind, name, dedupBy string
		rateLimit           int
		flap                time.Duration
	)
	c := &cobra.Command{Use: use, Short: short, Args: args}
	fl := c.Flags()
	if use == "create" {
		fl.StringVar(&kind, "kind", "", "alertmanager, grafana or generic")
	}
	fl.StringVar(&name, "name", "", "a name for the integration")
	fl.IntVar(&rateLimit, "rate-limit", 0, "alerts accepted a minute (0: no limit; default 20000)")
	fl.DurationVar(&flap, "flap-window", 0, "how long after a resolve a firing alert reopens the incident (default 30m)")
	fl.StringVar(&dedupBy, "dedup-by", "", "group (one incident per notification group) or alert (per fingerprint)")
	c.RunE = func(cmd *cobra.Command, a []string) error {
		body := map[string]any{}
		set := cmd.Flags().Changed
		for flag, v := range map[string]any{"kind": kind, "name": name, "dedup-by": dedupBy, "rate-limit": rateLimit,
			"flap-window": int64(flap / time.Second)} {
			if set(flag) {
				body[integrationField[flag]] = v
			}
		}
		if len(a) == 0 {
			return integrationCall(cmd, f, http.MethodPost, "/integrations", body)
		}
		return integrationCall(cmd, f, http.MethodPatch, "/integrations/"+url.PathEscape(a[0]), body)
	}
	return c
}

// integrationField names the API field each flag sets.
var integrationField = map[string]string{"kind": "kind", "name": "name", "dedup-by": "dedup_by",
	"rate-limit": "rate_limit", "flap-window": "flap_window_seconds"}

// integrationCall sends one request answered by an integration and prints it.
func integrationCall(cmd *cobra.Command, f *clientFlags, method, path string, body any) error {
	cl, err := f.client()
	if err != nil {
		return err
	}
	var ig apiIntegration
	raw, err := cl.do(cmd.Context(), method, path, body, &ig, nil)
	if err != nil || f.json {
		if err == nil {
			err = printJSON(cmd.OutOrStdout(), raw)
		}
		return err
	}
	printIntegration(cmd.OutOrStdout(), ig)
	return nil
}

func printIntegration(out io.Writer, ig apiIntegration) {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "integration\t%d %s (%s)\n", ig.ID, ig.Name, ig.Kind)
	fmt.Fprintf(w, "url\t%s\n", ig.URL)
	if ig.Token != "" {
		fmt.Fprintf(w, "token\t%s\t(shown once: configure the sender with it now)\n", ig.Token)
	}
	fmt.Fprintf(w, "limits\t%s alerts/min, flap window %s, dedup by %s\n", limitText(ig.RateLimit),
		time.Duration(ig.FlapWindowSeconds)*time.Second, ig.DedupBy)
	s := ig.Stats
	fmt.Fprintf(w, "alerts\t%d received, %d deduplicated, %d overflow; %d incidents opened\n",
		s.AlertsReceived, s.AlertsDeduplicated, s.AlertsOverflow, s.IncidentsOpened)
	for i, r := range ig.Rules {
		fmt.Fprintf(w, "rule %d\t%s\n", i+1, ruleText(r))
	}
	fmt.Fprintf(w, "default rule\t%s\n", ruleText(ig.DefaultRule))
	w.Flush()
}

func limitText(n int) string {
	if n == 0 {
		return "unlimited"
	}
	return strconv.Itoa(n)
}

func listIntegrations(cmd *cobra.Command, f *clientFlags) error {
	cl, err := f.client()
	if err != nil {
		return err
	}
	var page struct {
		Integrations []apiIntegration `json:"integrations"`
	}
	raw, err := cl.do(cmd.Context(), http.MethodGet, "/integrations", nil, &page, nil)
	if err != nil || f.json {
		if err == nil {
			err = printJSON(cmd.OutOrStdout(), raw)
		}
		return err
	}
	w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tKIND\tNAME\tRULES\tRECEIVED\tDEDUPLICATED\tOVERFLOW\tINCIDENTS\tLAST ALERT")
	for _, ig := range page.Integrations {
		last := "-"
		if ig.Stats.LastAlertAt != nil {
			last = ig.Stats.LastAlertAt.Format(time.RFC3339)
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\n", ig.ID, ig.Kind, ig.Name, len(ig.Rules), ig.Stats.AlertsReceived,
			ig.Stats.AlertsDeduplicated, ig.Stats.AlertsOverflow, ig.Stats.IncidentsOpened, last)
	}
	return w.Flush()
}
