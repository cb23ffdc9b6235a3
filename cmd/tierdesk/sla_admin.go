package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

// apiPolicy is an SLA policy as the API sends and takes it.
type apiPolicy struct {
	ID                int64    `json:"id,omitempty"`
	Name              string   `json:"name"`
	Position          int      `json:"position"`
	Types             []string `json:"types"`
	Priorities        []string `json:"priorities"`
	ServiceIDs        []int64  `json:"service_ids"`
	Calendar          string   `json:"calendar"`
	ResponseMinutes   int64    `json:"response_minutes"`
	ResolutionMinutes int64    `json:"resolution_minutes"`
	NextUpdateMinutes int64    `json:"next_update_minutes"`
	PauseOn           []string `json:"pause_on"`
	Active            *bool    `json:"active"`
}

// newSLAPolicyCmd manages SLA policies through the API (admins).
func newSLAPolicyCmd() *cobra.Command {
	var f clientFlags
	c := &cobra.Command{Use: "policy", Short: "List, create, change or delete SLA policies through the API"}
	f.register(c)
	c.AddCommand(&cobra.Command{
		Use: "list", Short: "List the policies in the order they are tried", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return listPolicies(cmd, &f) },
	})
	c.AddCommand(policyWriteCmd(&f, "create", "Create a policy", cobra.NoArgs))
	c.AddCommand(policyWriteCmd(&f, "update ID", "Change a policy: flags given replace those fields", cobra.ExactArgs(1)))
	c.AddCommand(&cobra.Command{
		Use: "delete ID", Short: "Delete a policy", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, err := f.client()
			if err != nil {
				return err
			}
			_, err = cl.do(cmd.Context(), http.MethodDelete, "/sla-policies/"+url.PathEscape(args[0]), nil, nil, nil)
			if err == nil {
				fmt.Fprintf(cmd.OutOrStdout(), "deleted SLA policy %s\n", args[0])
			}
			return err
		},
	})
	return c
}

func listPolicies(cmd *cobra.Command, f *clientFlags) error {
	cl, err := f.client()
	if err != nil {
		return err
	}
	var page struct {
		Policies []apiPolicy `json:"policies"`
	}
	raw, err := cl.do(cmd.Context(), http.MethodGet, "/sla-policies", nil, &page, nil)
	if err != nil || f.json {
		if err == nil {
			err = printJSON(cmd.OutOrStdout(), raw)
		}
		return err
	}
	w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tPOS\tNAME\tMATCHES\tCALENDAR\tRESPONSE\tRESOLUTION\tNEXT UPDATE\tPAUSES ON\tACTIVE")
	for _, p := range page.Policies {
		match := strings.Trim(strings.Join(p.Types, ",")+" "+strings.Join(p.Priorities, ","), " ")
		if match == "" {
			match = "any"
		}
		fmt.Fprintf(w, "%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%v\n", p.ID, p.Position, p.Name, match, p.Calendar,
			minutes(p.ResponseMinutes), minutes(p.ResolutionMinutes), minutes(p.NextUpdateMinutes),
			strings.Join(p.PauseOn, ","), p.Active == nil || *p.Active)
	}
	return w.Flush()
}

func minutes(m int64) string {
	if m == 0 {
		return "-"
	}
	return (time.Duration(m) * time.Minute).String()
}

// policyWriteCmd creates a policy, or (with an ID) reads it and replaces the
// fields whose flags were given.
func policyWriteCmd(f *clientFlags, use, short string, args cobra.PositionalArgs) *cobra.Command {
	var (
		p                                apiPolicy
		types, prios, pauses, services   string
		response, resolution, nextUpdate time.Duration
		inactive, vipOnly                bool
		orgs                             string
	)
	c := &cobra.Command{Use: use, Short: short, Args: args}
	fl := c.Flags()
	fl.StringVar(&p.Name, "name", "", "policy name")
	fl.IntVar(&p.Position, "position", 0, "lower positions are tried first")
	fl.StringVar(&types, "types", "", "incident,request (empty: any)")
	fl.StringVar(&prios, "priorities", "", "P1,P2,... (empty: any)")
	fl.StringVar(&services, "services", "", "service ids, comma-separated (empty: any)")
	fl.StringVar(&p.Calendar, "calendar", "", "calendar name (24x7 is built in)")
	fl.DurationVar(&response, "response", 0, "first-response target, e.g. 15m")
	fl.DurationVar(&resolution, "resolution", 0, "resolution target in working time, e.g. 8h")
	fl.DurationVar(&nextUpdate, "next-update", 0, "longest time without a public update (0: none)")
	fl.StringVar(&pauses, "pause-on", "", "hold reasons that pause the resolution clock, comma-separated")
	fl.BoolVar(&inactive, "inactive", false, "keep the policy but do not apply it")
	fl.StringVar(&orgs, "organizations", "", "requester organisations, comma-separated (empty: any)")
	fl.BoolVar(&vipOnly, "vip-only", false, "match VIP requesters only")
	c.RunE = func(cmd *cobra.Command, a []string) error {
		cl, err := f.client()
		if err != nil {
			return err
		}
		// The body is kept as a map so that an update sends back every field
		// the server has, including ones this client does not know.
		method, path := http.MethodPost, "/sla-policies"
		body := map[string]any{"calendar": "business", "pause_on": []string{"awaiting_requester"}}
		if len(a) == 1 {
			method, path = http.MethodPut, "/sla-policies/"+url.PathEscape(a[0])
			if _, err := cl.do(cmd.Context(), http.MethodGet, path, nil, &body, nil); err != nil {
				return err
			}
			delete(body, "id")
		}
		set := cmd.Flags().Changed
		for flag, v := range map[string]any{
			"name": p.Name, "position": p.Position, "types": splitList(types), "priorities": splitList(prios),
			"calendar": p.Calendar, "pause-on": splitList(pauses), "response": int64(response / time.Minute),
			"resolution": int64(resolution / time.Minute), "next-update": int64(nextUpdate / time.Minute),
			"inactive": !inactive, "organizations": splitList(orgs), "vip-only": vipOnly,
		} {
			if set(flag) {
				body[policyField[flag]] = v
			}
		}
		if set("services") {
			ids, err := parseIDs(services)
			if err != nil {
				return err
			}
			body["service_ids"] = ids
		}
		var out apiPolicy
		raw, err := cl.do(cmd.Context(), method, path, body, &out, nil)
		if err != nil || f.json {
			if err == nil {
				err = printJSON(cmd.OutOrStdout(), raw)
			}
			return err
		}
		fmt.Fprintf(cmd.OutOrStdout(), "saved SLA policy %d %s\n", out.ID, out.Name)
		return nil
	}
	return c
}

// policyField names the API field each flag sets.
var policyField = map[string]string{
	"name": "name", "position": "position", "types": "types", "priorities": "priorities", "calendar": "calendar",
	"pause-on": "pause_on", "response": "response_minutes", "resolution": "resolution_minutes",
	"next-update": "next_update_minutes", "inactive": "active", "organizations": "organizations", "vip-only": "vip_only",
}

func splitList(s string) []string {
	out := []string{}
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func parseIDs(s string) ([]int64, error) {
	ids := []int64{}
	for _, part := range splitList(s) {
		id, err := strconv.ParseInt(part, 10, 64)
		if err != nil || id <= 0 {
			return nil, usagef("--services takes ids such as 3,7, not %q", part)
		}
		ids = append(ids, id)
	}
	return ids, nil
}
