package main

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// newSecurityCmd is `tierdesk security`: security groups are set up here,
// on the database directly (nobody on the network may flag a group or
// change who is in one unless they are in a security group themselves),
// and cases are marked or access granted through the API.
func newSecurityCmd() *cobra.Command {
	c := &cobra.Command{Use: "security", Short: "Security groups (directly in the database) and security cases (through the API)"}
	c.AddCommand(newSecurityGroupCmd(), newSecurityMemberCmd())
	var f clientFlags
	api := []struct{ use, short, path string }{
		{"mark ID|NUMBER --reason TEXT", "Make a ticket a security case: only the security group and people named on it see it", "/security"},
		{"grant ID|NUMBER --reason TEXT", "Grant yourself (an administrator) access to a security case; its owners are told", "/security/access"},
	}
	for _, a := range api {
		c.AddCommand(newSecurityActionCmd(&f, a.use, a.short, a.path))
	}
	c.AddCommand(newSecurityCaseCmd(&f), newSecurityAwarenessCmd(&f), newSecurityRegimeCmd(&f), newSecurityNoticeCmd(&f), newSecurityRegisterCmd(&f))
	f.register(c)
	return c
}

func newSecurityGroupCmd() *cobra.Command {
	var (
		db  dbFlags
		off bool
	)
	c := &cobra.Command{
		Use:   "group GROUP_ID [--off]",
		Short: "Flag a support group as a security group (its members see every security case), or --off",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id <= 0 {
				return usagef("GROUP_ID must be a group's number")
			}
			store, err := db.open(cmd.Context(), true)
			if err != nil {
				return err
			}
			defer store.Close()
			d := desk.New(store, desk.SystemClock{}, desk.DefaultConfig)
			on := !off
			g, err := d.UpdateGroup(desk.AsSystem(cmd.Context()), id, desk.GroupPatch{Security: &on})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "group %d %s: security %v\n", g.ID, g.Name, g.Security)
			return nil
		},
	}
	db.register(c)
	c.Flags().BoolVar(&off, "off", false, "take the security flag off")
	return c
}

func newSecurityMemberCmd() *cobra.Command {
	var (
		db     dbFlags
		remove bool
	)
	c := &cobra.Command{
		Use:   "member GROUP_ID USER_ID [--remove]",
		Short: "Add a staff member to a security group, or --remove them",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			gid, err1 := strconv.ParseInt(args[0], 10, 64)
			uid, err2 := strconv.ParseInt(args[1], 10, 64)
			if err1 != nil || err2 != nil || gid <= 0 || uid <= 0 {
				return usagef("GROUP_ID and USER_ID must be numbers")
			}
			store, err := db.open(cmd.Context(), true)
			if err != nil {
				return err
			}
			defer store.Close()
			d := desk.New(store, desk.SystemClock{}, desk.DefaultConfig)
			if err := d.SetGroupMember(desk.AsSystem(cmd.Context()), gid, uid, !remove); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "user %d member of group %d: %v\n", uid, gid, !remove)
			return nil
		},
	}
	db.register(c)
	c.Flags().BoolVar(&remove, "remove", false, "remove the member instead")
	return c
}

func newSecurityActionCmd(f *clientFlags, use, short, path string) *cobra.Command {
	var reason string
	c := &cobra.Command{
		Use: use, Short: short, Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if reason == "" {
				return usagef("--reason is required")
			}
			cl, err := f.client()
			if err != nil {
				return err
			}
			var t struct {
				Number  string `json:"number"`
				Visible *bool  `json:"visible"`
			}
			raw, err := cl.do(cmd.Context(), http.MethodPost, ticketPath(args[0])+path, map[string]any{"reason": reason}, &t, nil)
			if err != nil {
				return err
			}
			if f.json {
				return printJSON(cmd.OutOrStdout(), raw)
			}
			msg := "%s is a security case\n"
			if t.Visible != nil && !*t.Visible {
				msg = "%s is a security case; you no longer see it\n"
			}
			fmt.Fprintf(cmd.OutOrStdout(), msg, t.Number)
			return nil
		},
	}
	c.Flags().StringVar(&reason, "reason", "", "why (required; recorded on the case)")
	return c
}
