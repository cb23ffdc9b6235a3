package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/tierdesk/tierdesk/internal/servicenow"
)

func newImportCmd() *cobra.Command {
	c := &cobra.Command{Use: "import", Short: "Import tickets from other service desks"}
	c.AddCommand(newImportServiceNowCmd())
	return c
}

// maxBadRowsShown bounds the bad rows listed one by one; the summary
// counts them all.
const maxBadRowsShown = 100

// newImportServiceNowCmd imports a ServiceNow incident log straight into
// the database (no server needed). Running it again skips what is stored,
// so it is also how an interrupted import resumes.
func newImportServiceNowCmd() *cobra.Command {
	var (
		db    dbFlags
		batch int
	)
	c := &cobra.Command{
		Use:   "servicenow FILE",
		Short: "Import a ServiceNow incident log (CSV, plain or gzip); run again to resume, stored incidents are skipped",
		Long: `Import a ServiceNow incident audit log (one CSV row per change, plain or
gzip-compressed) into the database: one ticket per incident, under its
ServiceNow number (INC0000045), with its history. Bad rows are listed with
their line numbers and skipped. Incidents whose number is already stored
are skipped, so running the command again changes nothing, and after an
interruption it carries on where it stopped.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if batch <= 0 {
				return usagef("--batch must be positive")
			}
			return importServiceNow(cmd, &db, args[0], batch)
		},
	}
	db.register(c)
	c.Flags().IntVar(&batch, "batch", servicenow.DefaultBatchSize, "incidents stored per transaction")
	return c
}

func importServiceNow(cmd *cobra.Command, db *dbFlags, path string, batch int) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	store, err := db.open(cmd.Context(), true)
	if err != nil {
		return err
	}
	defer store.Close()
	var in io.Reader = f
	bar := progressBar(cmd.ErrOrStderr(), f)
	if bar != nil {
		in = io.TeeReader(f, bar)
	}
	start := time.Now()
	stderr := cmd.ErrOrStderr()
	sum, err := servicenow.Import(cmd.Context(), store, in, servicenow.Options{BatchSize: batch,
		UnknownColumns: func(names []string) {
			fmt.Fprintf(stderr, "columns that a ServiceNow incident log does not have: %s; their values are kept on each ticket as servicenow.<column>\n",
				strings.Join(names, ", "))
		}})
	if bar != nil {
		_ = bar.Clear()
	}
	printImportSummary(cmd.OutOrStdout(), cmd.ErrOrStderr(), sum, db.describe(), time.Since(start))
	if err != nil {
		return fmt.Errorf("import stopped (run the same command again to resume): %w", err)
	}
	return nil
}

// progressBar shows how much of the file has been read, only when stderr
// is a terminal.
func progressBar(stderr io.Writer, f *os.File) *progressbar.ProgressBar {
	tty, ok := stderr.(*os.File)
	if !ok || !term.IsTerminal(int(tty.Fd())) {
		return nil
	}
	info, err := f.Stat()
	if err != nil {
		return nil
	}
	return progressbar.NewOptions64(info.Size(),
		progressbar.OptionSetWriter(tty),
		progressbar.OptionSetDescription("importing"),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}

func printImportSummary(stdout, stderr io.Writer, sum servicenow.Summary, into string, took time.Duration) {
	for i, b := range sum.BadRows {
		if i == maxBadRowsShown {
			fmt.Fprintf(stderr, "… and %d more bad rows\n", len(sum.BadRows)-i)
			break
		}
		fmt.Fprintf(stderr, "skipped bad row: %s\n", b)
	}
	fmt.Fprintf(stdout, "imported %d incidents with %d events into %s in %s\n",
		sum.Imported, sum.Events, into, took.Round(100*time.Millisecond))
	fmt.Fprintf(stdout, "skipped %d incidents already stored; %d rows read for %d incidents, %d bad rows skipped\n",
		sum.Skipped, sum.Rows, sum.Incidents, len(sum.BadRows))
}
