package main

import (
	"fmt"
	"net/http"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

// newSSOCmd manages single sign-on's mapping rules and settings through a
// server's API (administrators).
func newSSOCmd() *cobra.Command {
	var f clientFlags
	c := &cobra.Command{Use: "sso", Short: "Single sign-on: the rules mapping claims and directory groups to roles and groups, and the settings"}
	f.register(c)
	rule := &cobra.Command{Use: "rule", Short: "List, add, change or delete mapping rules"}
	rule.AddCommand(newSSORuleListCmd(&f), newSSORuleWriteCmd(&f, "add"), newSSORuleWriteCmd(&f, "set"), newSSORuleDeleteCmd(&f))
	c.AddCommand(rule, newSSOSettingsCmd(&f))
	return c
}

type ssoRule struct {
	ID        int64  `json:"id"`
	Claim     string `json:"claim"`
	Value     string `json:"value"`
	Role      string `json:"role"`
	GroupID   int64  `json:"group_id"`
	GroupName string `json:"group_name"`
}

func newSSORuleListCmd(f *clientFlags) *cobra.Command {
	return &cobra.Command{Use: "list", Short: "List the mapping rules", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cl, err := f.client()
			if err != nil {
				return err
			}
			var out struct {
				Rules []ssoRule `json:"rules"`
			}
			raw, err := cl.do(cmd.Context(), http.MethodGet, "/sso/rules", nil, &out, nil)
			if err != nil || f.json {
				return orNext(err, func() error { return printJSON(cmd.OutOrStdout(), raw) })
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tCLAIM\tVALUE\tROLE\tGROUP")
			for _, r := range out.Rules {
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\n", r.ID, r.Claim, r.Value, dash(r.Role), dash(r.GroupName))
			}
			return w.Flush()
		}}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// newSSORuleWriteCmd is "add" (a new rule) or "set ID" (replace one).
func newSSORuleWriteCmd(f *clientFlags, verb string) *cobra.Command {
	var claim, value, role string
	var group int64
	use, short, args := "add --claim C --value V [--role R] [--group ID]", "Add a mapping rule", cobra.NoArgs
	if verb == "set" {
		use, short, args = "set ID --claim C --value V [--role R] [--group ID]", "Replace a mapping rule", cobra.ExactArgs(1)
	}
	c := &cobra.Command{Use: use, Short: short, Args: args,
		RunE: func(cmd *cobra.Command, a []string) error {
			cl, err := f.client()
			if err != nil {
				return err
			}
			method, path := http.MethodPost, "/sso/rules"
			if verb == "set" {
				id, err := strconv.ParseInt(a[0], 10, 64)
				if err != nil || id < 1 {
					return usagef("ID must be a rule's number, not %q", a[0])
				}
				method, path = http.MethodPut, fmt.Sprintf("/sso/rules/%d", id)
			}
			body := map[string]any{"claim": claim, "value": value, "role": role, "group_id": group}
			var r ssoRule
			raw, err := cl.do(cmd.Context(), method, path, body, &r, nil)
			if err != nil || f.json {
				return orNext(err, func() error { return printJSON(cmd.OutOrStdout(), raw) })
			}
			fmt.Fprintf(cmd.OutOrStdout(), "rule %d: %s = %s -> role %s, group %s\n", r.ID, r.Claim, r.Value, dash(r.Role), dash(r.GroupName))
			return nil
		}}
	c.Flags().StringVar(&claim, "claim", "groups", "claim name (for a directory: groups)")
	c.Flags().StringVar(&value, "value", "", "the value the claim must hold (a group's name or DN)")
	c.Flags().StringVar(&role, "role", "", "role it gives: requester, agent, manager or admin")
	c.Flags().Int64Var(&group, "group", 0, "id of the support group it gives")
	return c
}

func newSSORuleDeleteCmd(f *clientFlags) *cobra.Command {
	return &cobra.Command{Use: "delete ID", Short: "Delete a mapping rule", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, a []string) error {
			cl, err := f.client()
			if err != nil {
				return err
			}
			id, err := strconv.ParseInt(a[0], 10, 64)
			if err != nil || id < 1 {
				return usagef("ID must be a rule's number, not %q", a[0])
			}
			if _, err := cl.do(cmd.Context(), http.MethodDelete, fmt.Sprintf("/sso/rules/%d", id), nil, nil, nil); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "rule %d deleted\n", id)
			return nil
		}}
}

func newSSOSettingsCmd(f *clientFlags) *cobra.Command {
	var staff string
	c := &cobra.Command{Use: "settings [--staff-passwords on|off]", Short: "Show or change the sign-on settings", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cl, err := f.client()
			if err != nil {
				return err
			}
			var set struct {
				StaffPasswordsOff bool `json:"staff_passwords_off"`
			}
			method, body := http.MethodGet, any(nil)
			switch staff {
			case "":
			case "on", "off":
				method, body = http.MethodPut, map[string]any{"staff_passwords_off": staff == "off"}
			default:
				return usagef("--staff-passwords is on or off, not %q", staff)
			}
			raw, err := cl.do(cmd.Context(), method, "/sso/settings", body, &set, nil)
			if err != nil || f.json {
				return orNext(err, func() error { return printJSON(cmd.OutOrStdout(), raw) })
			}
			state := "on"
			if set.StaffPasswordsOff {
				state = "off (staff sign in with single sign-on only)"
			}
			fmt.Fprintf(cmd.OutOrStdout(), "staff passwords: %s\n", state)
			return nil
		}}
	c.Flags().StringVar(&staff, "staff-passwords", "", "on: staff may sign in with passwords; off: single sign-on only")
	return c
}
