package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// apiRef, apiTicket and apiEvent are the parts of the API's JSON that the
// tables show; --json prints the server's answer unchanged.
type apiRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Line int    `json:"line,omitempty"`
}

type apiTicket struct {
	ID          int64   `json:"id"`
	Number      string  `json:"number"`
	Type        string  `json:"type"`
	Title       string  `json:"title"`
	Description string  `json:"description"`
	Symptoms    string  `json:"symptoms"`
	State       string  `json:"state"`
	HoldReason  *string `json:"hold_reason"`
	Impact      string  `json:"impact"`
	Urgency     string  `json:"urgency"`
	Priority    string  `json:"priority"`
	Category    *apiRef `json:"category"`
	Subcategory *apiRef `json:"subcategory"`
	Service     *apiRef `json:"service"`
	Group       apiRef  `json:"group"`
	Assignee    *apiRef `json:"assignee"`
	Requester   struct {
		Name  string `json:"name"`
		Email string `json:"email"`
		Phone string `json:"phone"`
	} `json:"requester"`
	Channel            string   `json:"channel"`
	CreatedAt          string   `json:"created_at"`
	UpdatedAt          string   `json:"updated_at"`
	FirstResponseAt    *string  `json:"first_response_at"`
	ResolvedAt         *string  `json:"resolved_at"`
	ClosedAt           *string  `json:"closed_at"`
	ResolutionCode     *string  `json:"resolution_code"`
	ResolutionNotes    string   `json:"resolution_notes"`
	ReopenCount        int      `json:"reopen_count"`
	ReassignmentCount  int      `json:"reassignment_count"`
	EscalationCount    int      `json:"escalation_count"`
	Version            int      `json:"version"`
	AllowedTransitions []string `json:"allowed_transitions"`
	SLA                *struct {
		Policy   *apiRef `json:"policy"`
		Calendar *string `json:"calendar"`
		Clocks   []struct {
			Kind        string  `json:"kind"`
			State       string  `json:"state"`
			Target      int64   `json:"target_seconds"`
			Remaining   int64   `json:"remaining_seconds"`
			PercentUsed float64 `json:"percent_used"`
			Deadline    *string `json:"deadline"`
		} `json:"clocks"`
	} `json:"sla"`
}

type apiEvent struct {
	At      string  `json:"at"`
	Actor   *apiRef `json:"actor"`
	Kind    string  `json:"kind"`
	Public  bool    `json:"public"`
	Body    string  `json:"body"`
	Reason  string  `json:"reason"`
	Changes []struct {
		Field string `json:"field"`
		Old   string `json:"old"`
		New   string `json:"new"`
	} `json:"changes"`
}

func newTicketCmd() *cobra.Command {
	var f clientFlags
	c := &cobra.Command{Use: "ticket", Short: "Work with tickets through a Tierdesk server's API"}
	f.register(c)
	c.AddCommand(newTicketCreateCmd(&f), newTicketListCmd(&f), newTicketShowCmd(&f), newTicketCommentCmd(&f),
		newTicketTransitionCmd(&f), newTicketEscalateCmd(&f), newTicketHistoryCmd(&f),
		newTicketQueueCmd(&f), newTicketLinkCmd(&f), newTicketUnlinkCmd(&f))
	c.AddCommand(newTicketCallCmd(&f))
	return c
}

// ticketPath is the API path of a ticket given by id or number.
func ticketPath(ref string) string { return "/tickets/" + url.PathEscape(ref) }

// sendTicket posts or patches and prints the resulting ticket.
func sendTicket(cmd *cobra.Command, f *clientFlags, method, path string, body any, h http.Header) error {
	cl, err := f.client()
	if err != nil {
		return err
	}
	var t apiTicket
	raw, err := cl.do(cmd.Context(), method, path, body, &t, h)
	if err != nil {
		return err
	}
	if f.json {
		return printJSON(cmd.OutOrStdout(), raw)
	}
	printTicket(cmd.OutOrStdout(), &t)
	return nil
}

func newTicketShowCmd(f *clientFlags) *cobra.Command {
	return &cobra.Command{
		Use: "show ID|NUMBER", Short: "Show one ticket", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return sendTicket(cmd, f, http.MethodGet, ticketPath(args[0]), nil, nil)
		},
	}
}

func printTicket(w io.Writer, t *apiTicket) {
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "%-18s %s\n", k+":", v)
		}
	}
	line("Number", fmt.Sprintf("%s (id %d, version %d)", t.Number, t.ID, t.Version))
	line("Type", t.Type)
	line("Title", t.Title)
	line("State", t.State+optional(" — ", t.HoldReason))
	line("Priority", fmt.Sprintf("%s (impact %s, urgency %s)", t.Priority, t.Impact, t.Urgency))
	line("Group", fmt.Sprintf("%s (line %d)", t.Group.Name, t.Group.Line))
	line("Assignee", refText(t.Assignee))
	line("Requester", strings.TrimSpace(fmt.Sprintf("%s <%s> %s", t.Requester.Name, t.Requester.Email, t.Requester.Phone)))
	line("Category", strings.Trim(refText(t.Category)+" / "+refText(t.Subcategory), " /"))
	line("Service", refText(t.Service))
	line("Channel", t.Channel)
	line("Created", t.CreatedAt)
	line("Updated", t.UpdatedAt)
	line("First response", optional("", t.FirstResponseAt))
	line("Resolved", optional("", t.ResolvedAt)+optional(" — ", t.ResolutionCode))
	line("Closed", optional("", t.ClosedAt))
	line("Counts", fmt.Sprintf("reassigned %d, escalated %d, reopened %d", t.ReassignmentCount, t.EscalationCount, t.ReopenCount))
	line("Next states", strings.Join(t.AllowedTransitions, ", "))
	if t.SLA != nil && t.SLA.Policy != nil {
		line("SLA", fmt.Sprintf("%s (%s calendar)", t.SLA.Policy.Name, optional("", t.SLA.Calendar)))
		for _, c := range t.SLA.Clocks {
			target := time.Duration(c.Target) * time.Second
			line("  "+strings.ReplaceAll(c.Kind, "_", " "), fmt.Sprintf("%s, target %s, %.0f%% used%s", c.State, target,
				c.PercentUsed, optional(", due ", c.Deadline)))
		}
	}
	if t.Description != "" {
		fmt.Fprintf(w, "\n%s\n", t.Description)
	}
	if t.Symptoms != "" {
		fmt.Fprintf(w, "\nSymptoms: %s\n", t.Symptoms)
	}
	if t.ResolutionNotes != "" {
		fmt.Fprintf(w, "\nResolution: %s\n", t.ResolutionNotes)
	}
}

func optional(prefix string, s *string) string {
	if s == nil || *s == "" {
		return ""
	}
	return prefix + *s
}

func refText(r *apiRef) string {
	if r == nil {
		return ""
	}
	return r.Name
}
