package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// readPasswordFile reads a password from the first line of a file ("-" is
// standard input), so that it never appears in the process list or the
// shell history.
func readPasswordFile(path string, stdin io.Reader) (string, error) {
	var r io.Reader = stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return "", fmt.Errorf("password file: %w", err)
		}
		defer f.Close()
		r = f
	}
	line, err := bufio.NewReader(io.LimitReader(r, desk.MaxPasswordLen+2)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("password file: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", usagef("the password file %s is empty", path)
	}
	return pw, nil
}

// newUserPasswdCmd sets a user's web sign-in password from the shell.
func newUserPasswdCmd() *cobra.Command {
	var (
		db           dbFlags
		email, pwSrc string
	)
	c := &cobra.Command{
		Use:   "passwd --email E --password-file F",
		Short: "Set a user's password for signing in to the web UI (ends their sessions)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if email == "" || pwSrc == "" {
				return usagef("--email and --password-file are required")
			}
			pw, err := readPasswordFile(pwSrc, cmd.InOrStdin())
			if err != nil {
				return err
			}
			store, err := db.open(cmd.Context(), true)
			if err != nil {
				return err
			}
			defer store.Close()
			u, err := store.GetUserByEmail(cmd.Context(), email)
			if err != nil {
				return err
			}
			d := desk.New(store, desk.SystemClock{}, desk.DefaultConfig)
			if err := d.SetPassword(desk.AsSystem(cmd.Context()), u.ID, pw); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "password set for user %d %s\n", u.ID, u.Email)
			return nil
		},
	}
	db.register(c)
	c.Flags().StringVar(&email, "email", "", "the user's e-mail address (required)")
	c.Flags().StringVar(&pwSrc, "password-file", "", "file whose first line is the password, or - for standard input (required)")
	return c
}
