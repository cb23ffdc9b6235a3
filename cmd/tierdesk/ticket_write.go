package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/spf13/cobra"
)

func newTicketCreateCmd(f *clientFlags) *cobra.Command {
	var (
		in struct {
			Type          string            `json:"type"`
			Title         string            `json:"title"`
			Description   string            `json:"description,omitempty"`
			Symptoms      string            `json:"symptoms,omitempty"`
			Requester     map[string]string `json:"requester"`
			Channel       string            `json:"channel,omitempty"`
			ReportedAt    string            `json:"reported_at,omitempty"`
			Impact        string            `json:"impact,omitempty"`
			Urgency       string            `json:"urgency,omitempty"`
			CategoryID    int64             `json:"category_id,omitempty"`
			SubcategoryID int64             `json:"subcategory_id,omitempty"`
			ServiceID     int64             `json:"service_id,omitempty"`
			GroupID       int64             `json:"group_id,omitempty"`
			AssigneeID    int64             `json:"assignee_id,omitempty"`
			FirstContact  *firstContactJSON `json:"first_contact_resolution,omitempty"`
		}
		name, email, phone, idem string
		fc                       firstContactJSON
	)
	c := &cobra.Command{
		Use:   "create --type incident|request --title T --requester-email E [flags]",
		Short: "Register a ticket on behalf of a requester",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if in.Type == "" || in.Title == "" {
				return usagef("--type and --title are required")
			}
			in.Requester = map[string]string{"name": name, "email": email, "phone": phone}
			if fc.Code != "" || fc.Notes != "" {
				if fc.Code == "" || strings.TrimSpace(fc.Notes) == "" {
					return usagef("--resolve-on-first-contact and --resolution-notes go together: how it was resolved and what was done")
				}
				in.FirstContact = &fc
			}
			h := http.Header{}
			if idem != "" {
				h.Set("Idempotency-Key", idem)
			}
			return sendTicket(cmd, f, http.MethodPost, "/tickets", in, h)
		},
	}
	fl := c.Flags()
	fl.StringVar(&in.Type, "type", "", "incident or request (required)")
	fl.StringVar(&in.Title, "title", "", "short title (required)")
	fl.StringVar(&in.Description, "description", "", "what the requester reports")
	fl.StringVar(&in.Symptoms, "symptoms", "", "observed symptoms")
	fl.StringVar(&name, "requester-name", "", "requester's name")
	fl.StringVar(&email, "requester-email", "", "requester's e-mail (matches an existing requester)")
	fl.StringVar(&phone, "requester-phone", "", "requester's phone")
	fl.StringVar(&in.Channel, "channel", "", "portal, email, phone, api, monitoring, walk_in or chat (default api)")
	fl.StringVar(&in.ReportedAt, "reported-at", "", "when it was reported, RFC 3339 (default now)")
	fl.StringVar(&in.Impact, "impact", "", "high, medium or low (default medium)")
	fl.StringVar(&in.Urgency, "urgency", "", "high, medium or low (default medium)")
	fl.Int64Var(&in.CategoryID, "category", 0, "category id")
	fl.Int64Var(&in.SubcategoryID, "subcategory", 0, "subcategory id")
	fl.Int64Var(&in.ServiceID, "service", 0, "affected service id")
	fl.Int64Var(&in.GroupID, "group", 0, "support group id (default: routing)")
	fl.Int64Var(&in.AssigneeID, "assignee", 0, "assignee user id")
	fl.StringVar(&idem, "idempotency-key", "", "retry-safe key: the same key never registers a second ticket")
	fl.StringVar(&fc.Code, "resolve-on-first-contact", "", "resolve the ticket as it is registered, with this resolution code (e.g. solved, user_instructed; staff only), counted as a first-contact resolution")
	fl.StringVar(&fc.Notes, "resolution-notes", "", "with --resolve-on-first-contact: what was done")
	return c
}

// firstContactJSON resolves a ticket in the step that registers it.
type firstContactJSON struct {
	Code  string `json:"resolution_code"`
	Notes string `json:"resolution_notes"`
}

// bodyArg reads a text argument; "-" means standard input.
func bodyArg(cmd *cobra.Command, s string) (string, error) {
	if s != "-" {
		return s, nil
	}
	b, err := io.ReadAll(io.LimitReader(cmd.InOrStdin(), 1<<20))
	return strings.TrimRight(string(b), "\n"), err
}

func newTicketCommentCmd(f *clientFlags) *cobra.Command {
	var body string
	var internal bool
	c := &cobra.Command{
		Use: "comment ID|NUMBER --body TEXT [--internal]", Short: "Add a public comment or an internal work note",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			text, err := bodyArg(cmd, body)
			if err != nil {
				return err
			}
			if strings.TrimSpace(text) == "" {
				return usagef("--body is required (use - to read it from standard input)")
			}
			cl, err := f.client()
			if err != nil {
				return err
			}
			var ev apiEvent
			raw, err := cl.do(cmd.Context(), http.MethodPost, ticketPath(args[0])+"/comments",
				map[string]any{"body": text, "internal": internal}, &ev, nil)
			if err != nil {
				return err
			}
			if f.json {
				return printJSON(cmd.OutOrStdout(), raw)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s added to %s\n", ev.Kind, args[0])
			return nil
		},
	}
	c.Flags().StringVar(&body, "body", "", "text, or - for standard input")
	c.Flags().BoolVar(&internal, "internal", false, "an internal work note, hidden from the requester")
	return c
}

func newTicketTransitionCmd(f *clientFlags) *cobra.Command {
	var in struct {
		To              string `json:"to"`
		HoldReason      string `json:"hold_reason,omitempty"`
		ResolutionCode  string `json:"resolution_code,omitempty"`
		ResolutionNotes string `json:"resolution_notes,omitempty"`
		Reason          string `json:"reason,omitempty"`
		AssigneeID      int64  `json:"assignee_id,omitempty"`
	}
	c := &cobra.Command{
		Use:   "transition ID|NUMBER --to STATE [flags]",
		Short: "Move a ticket to another state (assigned, in_progress, on_hold, resolved, closed, canceled)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if in.To == "" {
				return usagef("--to is required")
			}
			return sendTicket(cmd, f, http.MethodPost, ticketPath(args[0])+"/transitions", in, nil)
		},
	}
	c.Flags().StringVar(&in.To, "to", "", "target state (required)")
	c.Flags().StringVar(&in.HoldReason, "hold-reason", "", "for on_hold: awaiting_requester, awaiting_vendor, awaiting_problem, awaiting_change, awaiting_other (with --reason saying what)")
	c.Flags().StringVar(&in.ResolutionCode, "resolution-code", "", "for resolved: e.g. solved, workaround")
	c.Flags().StringVar(&in.ResolutionNotes, "notes", "", "for resolved: what was done")
	c.Flags().StringVar(&in.Reason, "reason", "", "why (required to cancel or reopen)")
	c.Flags().Int64Var(&in.AssigneeID, "assignee", 0, "who takes it (assigned, in_progress)")
	return c
}

func newTicketEscalateCmd(f *clientFlags) *cobra.Command {
	var in struct {
		Kind       string `json:"kind"`
		GroupID    int64  `json:"group_id,omitempty"`
		AssigneeID int64  `json:"assignee_id,omitempty"`
		Reason     string `json:"reason"`
		Skipped    string `json:"diagnosis_skipped,omitempty"`
	}
	c := &cobra.Command{
		Use:   "escalate ID|NUMBER --reason TEXT (--group ID | --manager)",
		Short: "Escalate to a higher line's group, or to the group's manager",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			manager, _ := cmd.Flags().GetBool("manager")
			switch {
			case in.Reason == "":
				return usagef("--reason is required")
			case manager == (in.GroupID != 0):
				return usagef("give exactly one of --group (functional) or --manager (hierarchical)")
			case manager:
				in.Kind = "hierarchical"
			default:
				in.Kind = "functional"
			}
			return sendTicket(cmd, f, http.MethodPost, ticketPath(args[0])+"/escalations", in, nil)
		},
	}
	c.Flags().Int64Var(&in.GroupID, "group", 0, "group of a higher line to hand the ticket to")
	c.Flags().Bool("manager", false, "flag the ticket to its group's manager")
	c.Flags().Int64Var(&in.AssigneeID, "assignee", 0, "a member of the new group")
	c.Flags().StringVar(&in.Reason, "reason", "", "why (required)")
	c.Flags().StringVar(&in.Skipped, "diagnosis-skipped", "", "why the diagnosis checklist is not answered (see tierdesk checklist)")
	return c
}
