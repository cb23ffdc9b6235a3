package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/tierdesk/tierdesk/internal/backup"
)

// endpoint is the desk the database flags select.
func (f *dbFlags) endpoint() (backup.Endpoint, error) {
	if f.database == "" {
		return backup.ParseEndpoint(f.data), nil
	}
	e := backup.ParseEndpoint(f.database)
	if e.Dialect != "postgres" {
		return e, usagef("--database must be a postgres:// URL (leave it empty for the embedded SQLite)")
	}
	return e, nil
}

func newBackupCmd() *cobra.Command {
	var f dbFlags
	var to string
	c := &cobra.Command{
		Use:   "backup --to FILE",
		Short: "Write a verified archive of the desk (attachments included) while it keeps serving",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if to == "" {
				return usagef("backup needs --to FILE")
			}
			e, err := f.endpoint()
			if err != nil {
				return err
			}
			start := time.Now()
			m, err := backup.Backup(cmd.Context(), e, to, versionString())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "backed up %s to %s: %d tables, %d rows, schema %d, in %s\n",
				e, to, len(m.Digests), m.Rows(), m.Versions[len(m.Versions)-1], time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	f.register(c)
	c.Flags().StringVar(&to, "to", "", "archive file to write (must not exist)")
	return c
}

func newRestoreCmd() *cobra.Command {
	var f dbFlags
	var from string
	c := &cobra.Command{
		Use:   "restore --from FILE",
		Short: "Restore an archive into an empty data directory or database, and verify it",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if from == "" {
				return usagef("restore needs --from FILE")
			}
			e, err := f.endpoint()
			if err != nil {
				return err
			}
			r, err := backup.Restore(cmd.Context(), from, e, backup.Options{Progress: progressOut(cmd)})
			return printCopyReport(cmd.OutOrStdout(), "restored "+from+" into "+e.String(), r, err)
		},
	}
	f.register(c)
	c.Flags().StringVar(&from, "from", "", "archive file written by tierdesk backup")
	return c
}

func newCopyCmd() *cobra.Command {
	var from, to string
	c := &cobra.Command{
		Use:   "copy --from DESK --to DESK",
		Short: "Copy a whole desk between SQLite and PostgreSQL (resumable), and verify every table",
		Long: `Copy a whole desk between databases. DESK is a SQLite data directory or a
postgres:// URL. The target must be empty; a copy that stopped half-way is
resumed by running the same command again. Stop the desk being copied first
(or copy from a restored backup): the copy reads one snapshot of it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if from == "" || to == "" {
				return usagef("copy needs --from and --to")
			}
			src, err := backup.OpenSource(cmd.Context(), backup.ParseEndpoint(from))
			if err != nil {
				return err
			}
			defer src.Close()
			dst := backup.ParseEndpoint(to)
			r, err := backup.Copy(cmd.Context(), src, dst, backup.Options{Progress: progressOut(cmd)})
			return printCopyReport(cmd.OutOrStdout(), "copied "+backup.ParseEndpoint(from).String()+" to "+dst.String(), r, err)
		},
	}
	c.Flags().StringVar(&from, "from", "", "desk to copy: a SQLite data directory or a postgres:// URL")
	c.Flags().StringVar(&to, "to", "", "empty target: a SQLite data directory or a postgres:// URL")
	return c
}

// progressOut is where progress bars go: standard error when it is a
// terminal, nowhere otherwise (logs stay readable).
func progressOut(cmd *cobra.Command) io.Writer {
	if f, ok := cmd.ErrOrStderr().(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return f
	}
	return nil
}

func printCopyReport(w io.Writer, what string, r *backup.Report, err error) error {
	if r != nil {
		fmt.Fprintln(w, "verification, table by table:")
		r.Print(w)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: %d tables, %d rows, all verified\n", what, len(r.Tables), r.Rows())
	return nil
}
