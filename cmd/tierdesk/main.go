// Command tierdesk is the Tierdesk service desk: the server (serve), its
// database tools (migrate, user add, dev generate) and a command-line client
// of its REST API (ticket ...).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	_ "time/tzdata" // calendars name IANA zones; embed them for machines without zoneinfo

	"github.com/spf13/cobra"
)

// Exit codes: 0 ok, 1 error, 2 usage.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// usageError marks a mistake in how the command was called (exit 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// run executes one command line and returns the exit code; it is main
// without the process, so tests can call it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd(stdin, stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "tierdesk:", err)
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(stderr, "run 'tierdesk --help' for usage")
		return exitUsage
	}
	return exitError
}

func newRootCmd(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "tierdesk",
		Short:         "Tierdesk: an IT incident-management service desk",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newServeCmd(), newMigrateCmd(), newUserCmd(), newTicketCmd(), newDevCmd(), newImportCmd(), newReportCmd(), newSLACmd())
	root.AddCommand(newIntegrationCmd())
	root.AddCommand(newOnCallCmd(), newPageCmd())
	root.AddCommand(newOutboxCmd())
	root.AddCommand(newTriageCmd())
	root.AddCommand(newMajorCmd())
	root.AddCommand(newArticleCmd())
	root.AddCommand(newProblemCmd())
	root.AddCommand(newChecklistCmd())
	root.AddCommand(newSecurityCmd())
	root.AddCommand(newEvidenceCmd())
	root.AddCommand(newPlaybookCmd())
	root.AddCommand(newBackupCmd(), newRestoreCmd(), newCopyCmd(), newVersionCmd())
	root.AddCommand(newAuditCmd())
	root.AddCommand(newSSOCmd())
	markUsageErrors(root)
	return root
}

// markUsageErrors makes every usage mistake exit with 2: a wrong number of
// arguments, an unknown subcommand, or a command group called alone.
func markUsageErrors(c *cobra.Command) {
	if c.HasSubCommands() {
		c.Args = func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("unknown command %q for %q", args[0], c.CommandPath())
			}
			return nil
		}
		c.RunE = func(cmd *cobra.Command, _ []string) error {
			names := []string{}
			for _, sub := range cmd.Commands() {
				if sub.IsAvailableCommand() {
					names = append(names, sub.Name())
				}
			}
			return usagef("%s needs a command: %s", cmd.CommandPath(), strings.Join(names, ", "))
		}
	} else if c.Args != nil {
		validate := c.Args
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := validate(cmd, args); err != nil {
				return usageError{err}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		markUsageErrors(sub)
	}
}
