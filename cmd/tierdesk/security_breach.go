package main

import (
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/spf13/cobra"
)

// The breach record of a security case through the API (issue 14):
// `tierdesk security case|awareness|regime`.

type breachClockOut struct {
	Kind    string  `json:"kind"`
	Due     string  `json:"due"`
	Percent int     `json:"percent"`
	State   string  `json:"state"`
	SentAt  *string `json:"sent_at"`
}

type breachOut struct {
	Ticket       string           `json:"ticket"`
	AwareAt      *string          `json:"aware_at"`
	AwareReason  string           `json:"aware_reason"`
	Regime       *string          `json:"regime"`
	RegimeReason string           `json:"regime_reason"`
	Clocks       []breachClockOut `json:"clocks"`
}

// clockNames are the deadlines as the command line prints them.
var clockNames = map[string]string{
	"gdpr_authority_72h":      "GDPR Art. 33 notice to the supervisory authority (72 h)",
	"152fz_first_24h":         "152-FZ first notice to Roskomnadzor (24 h)",
	"152fz_investigation_72h": "152-FZ investigation results to Roskomnadzor (72 h)",
}

func printBreach(w io.Writer, b breachOut) {
	or := func(p *string, none string) string {
		if p == nil {
			return none
		}
		return *p
	}
	fmt.Fprintf(w, "%s\n", b.Ticket)
	fmt.Fprintf(w, "aware since: %s", or(b.AwareAt, "not recorded (no clock runs)"))
	if b.AwareReason != "" {
		fmt.Fprintf(w, " (%s)", b.AwareReason)
	}
	fmt.Fprintf(w, "\nregime: %s", or(b.Regime, "not chosen (no clock runs)"))
	if b.RegimeReason != "" {
		fmt.Fprintf(w, " (%s)", b.RegimeReason)
	}
	fmt.Fprintln(w)
	for _, c := range b.Clocks {
		name := clockNames[c.Kind]
		if name == "" {
			name = c.Kind
		}
		fmt.Fprintf(w, "  %-58s due %s  %3d%%  %s", name, c.Due, c.Percent, c.State)
		if c.SentAt != nil {
			fmt.Fprintf(w, " (sent %s)", *c.SentAt)
		}
		fmt.Fprintln(w)
	}
}

// breachRequest sends one breach call and prints the record.
func breachRequest(cmd *cobra.Command, f *clientFlags, method, path string, body any) error {
	cl, err := f.client()
	if err != nil {
		return err
	}
	var b breachOut
	raw, err := cl.do(cmd.Context(), method, path, body, &b, nil)
	if err != nil {
		return err
	}
	if f.json {
		return printJSON(cmd.OutOrStdout(), raw)
	}
	printBreach(cmd.OutOrStdout(), b)
	return nil
}

func newSecurityCaseCmd(f *clientFlags) *cobra.Command {
	return &cobra.Command{
		Use: "case ID|NUMBER", Short: "Show a security case's breach record and its regulatory clocks", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return breachRequest(cmd, f, http.MethodGet, ticketPath(args[0])+"/breach", nil)
		},
	}
}

func newSecurityAwarenessCmd(f *clientFlags) *cobra.Command {
	var at, reason string
	c := &cobra.Command{
		Use:   "awareness ID|NUMBER --at TIME --reason TEXT",
		Short: "Record when the organisation became aware of the breach (RFC 3339, not in the future); the clocks start there",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if reason == "" {
				return usagef("--reason is required")
			}
			if _, err := time.Parse(time.RFC3339, at); err != nil {
				return usagef("--at must be a time with its offset, such as 2026-12-07T09:30:00+01:00")
			}
			return breachRequest(cmd, f, http.MethodPut, ticketPath(args[0])+"/breach/awareness",
				map[string]any{"aware_at": at, "reason": reason})
		},
	}
	c.Flags().StringVar(&at, "at", "", "when the organisation became aware (RFC 3339)")
	c.Flags().StringVar(&reason, "reason", "", "why, or how it became aware (required; on the case's timeline)")
	return c
}

func newSecurityRegimeCmd(f *clientFlags) *cobra.Command {
	var reason string
	c := &cobra.Command{
		Use:   "regime ID|NUMBER gdpr|152fz|both|none --reason TEXT",
		Short: "Choose the regimes whose notification deadlines apply to the breach",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if reason == "" {
				return usagef("--reason is required")
			}
			return breachRequest(cmd, f, http.MethodPut, ticketPath(args[0])+"/breach/regime",
				map[string]any{"regime": args[1], "reason": reason})
		},
	}
	c.Flags().StringVar(&reason, "reason", "", "why these regimes apply (required; on the case's timeline)")
	return c
}
