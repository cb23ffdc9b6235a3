package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

func newAuditCmd() *cobra.Command {
	c := &cobra.Command{Use: "audit", Short: "Check the tamper-evident audit log and export its anchors"}
	c.AddCommand(newAuditVerifyCmd(), newAuditAnchorCmd())
	return c
}

// errChainBroken makes verify exit non-zero after printing its report.
var errChainBroken = errors.New("the audit chain is broken")

func newAuditVerifyCmd() *cobra.Command {
	var f dbFlags
	var anchorFile string
	var asJSON bool
	c := &cobra.Command{
		Use:   "verify",
		Short: "Check every entry of the audit chain; report the first broken one (exit 1)",
		Long: `Check the whole audit chain: each entry's hash over its content and the
previous hash, the positions without gaps, the head, the anchors recorded in
the database and, with --anchor, an anchor exported earlier (which catches
entries removed from the end or the chain rewritten up to it). Entries still
pending (PostgreSQL) are chained first.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var given *audit.Anchor
			if anchorFile != "" {
				b, err := os.ReadFile(anchorFile)
				if err != nil {
					return usagef("--anchor: %v", err)
				}
				if given, err = audit.ParseAnchor(b); err != nil {
					return usagef("--anchor %s: %v", anchorFile, err)
				}
			}
			db, err := openSealed(cmd, &f)
			if err != nil {
				return err
			}
			defer db.Close()
			r, err := db.VerifyAudit(cmd.Context(), given)
			if err != nil {
				return err
			}
			printAuditReport(cmd, r, asJSON)
			if !r.OK() {
				return fmt.Errorf("%w: %w", errChainBroken, r.Broken)
			}
			return nil
		},
	}
	f.register(c)
	c.Flags().StringVar(&anchorFile, "anchor", "", "file written by 'tierdesk audit export-anchor' to check the chain against")
	c.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return c
}

func printAuditReport(cmd *cobra.Command, r *audit.Report, asJSON bool) {
	out := cmd.OutOrStdout()
	if asJSON {
		_ = json.NewEncoder(out).Encode(map[string]any{"ok": r.OK(), "entries": r.Entries, "head_seq": r.HeadSeq,
			"head_hash": r.HeadHash, "pending": r.Pending, "anchors": r.Anchors, "broken": r.Broken, "seconds": r.Took.Seconds()})
		return
	}
	if r.OK() {
		fmt.Fprintf(out, "audit chain OK: %d entries, head %d %s, %d anchors checked, %d pending, in %.1f s\n",
			r.Entries, r.HeadSeq, r.HeadHash, r.Anchors, r.Pending, r.Took.Seconds())
		return
	}
	fmt.Fprintf(out, "audit chain BROKEN at entry %d: %s\n(%d entries hold before it; head %d)\n",
		r.Broken.Seq, r.Broken.Reason, r.Entries, r.HeadSeq)
}

func newAuditAnchorCmd() *cobra.Command {
	var f dbFlags
	c := &cobra.Command{
		Use:   "export-anchor",
		Short: "Record the audit chain's head as an anchor and print it as JSON, to keep outside the desk",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := openSealed(cmd, &f)
			if err != nil {
				return err
			}
			defer db.Close()
			a, err := db.AnchorAudit(cmd.Context(), 0)
			if err != nil {
				return err
			}
			if a == nil {
				return errors.New("the audit log is empty: nothing to anchor yet")
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetIndent("", "  ")
			return enc.Encode(a)
		},
	}
	f.register(c)
	return c
}

// openSealed opens the desk and chains the entries still pending
// (PostgreSQL), so that what follows sees the whole log.
func openSealed(cmd *cobra.Command, f *dbFlags) (*sqlstore.Store, error) {
	db, err := f.open(cmd.Context(), true)
	if err != nil {
		return nil, err
	}
	if _, err := db.SealAudit(cmd.Context()); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}
