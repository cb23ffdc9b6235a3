package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func newUserCmd() *cobra.Command {
	c := &cobra.Command{Use: "user", Short: "Manage users directly in the database"}
	c.AddCommand(newUserAddCmd())
	c.AddCommand(newUserPasswdCmd())
	c.AddCommand(newUserPrefsCmd())
	return c
}

// newUserAddCmd bootstraps users from the shell, with or without a running
// server on the same data (the database arbitrates concurrent writers).
func newUserAddCmd() *cobra.Command {
	var (
		db                            dbFlags
		email, name, phone, role, org string
		token, vip                    bool
		groups                        []int64
		pwFile                        string
	)
	c := &cobra.Command{
		Use:   "add --email E --name N [--role admin] [--organization O] [--vip] [--token]",
		Short: "Create a user; with --token, print a new API token as the last line",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if email == "" || name == "" {
				return usagef("--email and --name are required")
			}
			pw := ""
			if pwFile != "" {
				var err error
				if pw, err = readPasswordFile(pwFile, cmd.InOrStdin()); err != nil {
					return err
				}
				if err := desk.CheckPassword(pw); err != nil {
					return err
				}
			}
			store, err := db.open(cmd.Context(), true)
			if err != nil {
				return err
			}
			defer store.Close()
			d := desk.New(store, desk.SystemClock{}, desk.DefaultConfig)
			u, secret, err := d.Bootstrap(cmd.Context(), desk.UserInput{
				Email: email, Name: name, Phone: phone, Organization: org, VIP: vip, Role: desk.Role(role),
			}, token, groups...)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "created user %d %s (%s)\n", u.ID, u.Email, u.Role)
			if pw != "" {
				if err := d.SetPassword(desk.AsSystem(cmd.Context()), u.ID, pw); err != nil {
					return fmt.Errorf("user %d created, but setting the password failed: %w", u.ID, err)
				}
			}
			if token {
				fmt.Fprintln(out, secret)
			}
			return nil
		},
	}
	db.register(c)
	c.Flags().StringVar(&email, "email", "", "e-mail address (required)")
	c.Flags().StringVar(&name, "name", "", "full name (required)")
	c.Flags().StringVar(&phone, "phone", "", "phone number")
	c.Flags().StringVar(&org, "organization", "", "organisation (company or department) that SLA policies can match")
	c.Flags().BoolVar(&vip, "vip", false, "a VIP requester, for SLA policies that apply to VIPs only")
	c.Flags().StringVar(&role, "role", string(desk.RoleAgent), "requester, agent, manager or admin")
	c.Flags().BoolVar(&token, "token", false, "also create an API token and print it as the last line")
	c.Flags().Int64SliceVar(&groups, "group", nil, "id of a support group to join (repeatable)")
	c.Flags().StringVar(&pwFile, "password-file", "", "file whose first line is the web sign-in password, or - for standard input")
	return c
}
