package main

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

// apiMajor is a major incident as the API answers it.
type apiMajor struct {
	ID             int64  `json:"id"`
	Ticket         string `json:"ticket"`
	Title          string `json:"title"`
	State          string `json:"state"`
	CadenceMinutes int    `json:"cadence_minutes"`
	NextUpdateDue  string `json:"next_update_due"`
	BridgeURL      string `json:"bridge_url"`
}

func (m apiMajor) line() string {
	return fmt.Sprintf("major incident %d on %s (%s): %s; next public update due %s", m.ID, m.Ticket, m.State, m.Title, m.NextUpdateDue)
}

// newMajorCmd is `tierdesk major`: major incidents through the API.
func newMajorCmd() *cobra.Command {
	var f clientFlags
	c := &cobra.Command{Use: "major", Short: "Declare and run major incidents, and publish them on the status page, through the API"}
	f.register(c)
	c.AddCommand(majorDeclareCmd(&f), majorUpdateCmd(&f), majorAttachCmd(&f), majorResolveCmd(&f), majorPublishCmd(&f))
	c.AddCommand(&cobra.Command{Use: "list", Short: "List major incidents, newest first", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var out struct {
				Majors []apiMajor `json:"major_incidents"`
			}
			return apiCall(cmd, &f, http.MethodGet, "/major-incidents", nil, &out, func() error {
				for _, m := range out.Majors {
					fmt.Fprintln(cmd.OutOrStdout(), m.line())
				}
				return nil
			})
		}})
	c.AddCommand(&cobra.Command{Use: "close ID", Short: "Close a resolved major incident (its review must be published)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := idArg("ID", args[0])
			if err != nil {
				return err
			}
			var m apiMajor
			return apiCall(cmd, &f, http.MethodPost, "/major-incidents/"+id+"/close", nil, &m, func() error {
				_, err := fmt.Fprintln(cmd.OutOrStdout(), m.line())
				return err
			})
		}})
	c.AddCommand(majorReviewCmd(f))
	return c
}

// majorReviewCmd prints the review as Markdown in --language.
func majorReviewCmd(f clientFlags) *cobra.Command {
	var lang string
	c := &cobra.Command{Use: "review ID", Short: "Print the post-incident review as Markdown", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if lang != "en" && lang != "ru" {
				return usagef("--language: en or ru, not %q", lang)
			}
			id, err := idArg("ID", args[0])
			if err != nil {
				return err
			}
			cl, err := f.client()
			if err != nil {
				return err
			}
			raw, err := cl.do(cmd.Context(), http.MethodGet, "/major-incidents/"+id+"/review?format=markdown", nil, nil,
				http.Header{"Accept": {"text/markdown"}, "Accept-Language": {lang}})
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(raw)
			return err
		}}
	c.Flags().StringVar(&lang, "language", envOr("TIERDESK_LANGUAGE", "en"), "language of the headings and of the timeline the desk wrote: en or ru (env TIERDESK_LANGUAGE)")
	return c
}

func majorDeclareCmd(f *clientFlags) *cobra.Command {
	var commander, lead int64
	var bridge string
	var cadence int
	var children []string
	c := &cobra.Command{Use: "declare TICKET --commander USER_ID", Short: "Make an incident the parent of a new major incident", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if commander <= 0 {
				return usagef("--commander is required: a major incident needs a commander (a user id)")
			}
			body := map[string]any{"commander_id": commander, "comms_lead_id": lead, "bridge_url": bridge, "cadence_minutes": cadence, "children": children}
			var m apiMajor
			return apiCall(cmd, f, http.MethodPost, ticketPath(args[0])+"/major-incident", body, &m, func() error {
				_, err := fmt.Fprintln(cmd.OutOrStdout(), "declared "+m.line())
				return err
			})
		}}
	c.Flags().Int64Var(&commander, "commander", 0, "the incident commander's user id (required)")
	c.Flags().Int64Var(&lead, "comms-lead", 0, "the communications lead's user id")
	c.Flags().StringVar(&bridge, "bridge", "", "the bridge link shown to responders (http(s), tel or sip)")
	c.Flags().IntVar(&cadence, "cadence", 0, "minutes between public updates (default: 30 for P1, 60 otherwise)")
	c.Flags().StringSliceVar(&children, "child", nil, "an incident to attach as a child (repeatable, or comma-separated)")
	return c
}

func majorAttachCmd(f *clientFlags) *cobra.Command {
	return &cobra.Command{Use: "attach ID TICKET...", Short: "Attach incidents to a major incident in one action", Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := idArg("ID", args[0])
			if err != nil {
				return err
			}
			var out struct {
				Attached int `json:"attached"`
			}
			return apiCall(cmd, f, http.MethodPost, "/major-incidents/"+id+"/children", map[string]any{"children": args[1:]}, &out, func() error {
				_, err := fmt.Fprintf(cmd.OutOrStdout(), "attached %d incidents\n", out.Attached)
				return err
			})
		}}
}

func majorUpdateCmd(f *clientFlags) *cobra.Command {
	var affected, doing string
	var next int
	c := &cobra.Command{Use: "update ID --affected TEXT --doing TEXT", Short: "Post a public update to requesters and stakeholders", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := idArg("ID", args[0])
			if err != nil {
				return err
			}
			if strings.TrimSpace(affected) == "" || strings.TrimSpace(doing) == "" {
				return usagef("--affected and --doing are required")
			}
			var out struct {
				Recipients int    `json:"recipients"`
				NextAt     string `json:"next_at"`
				OnTime     bool   `json:"on_time"`
			}
			body := map[string]any{"affected": affected, "doing": doing, "next_in_minutes": next}
			return apiCall(cmd, f, http.MethodPost, "/major-incidents/"+id+"/updates", body, &out, func() error {
				late := ""
				if !out.OnTime {
					late = " (late)"
				}
				_, err := fmt.Fprintf(cmd.OutOrStdout(), "update queued to %d recipients%s; next due %s\n", out.Recipients, late, out.NextAt)
				return err
			})
		}}
	c.Flags().StringVar(&affected, "affected", "", "what is affected (public)")
	c.Flags().StringVar(&doing, "doing", "", "what is being done (public)")
	c.Flags().IntVar(&next, "next", 0, "minutes until the next update (default: the cadence)")
	return c
}

func majorResolveCmd(f *clientFlags) *cobra.Command {
	var code, notes string
	var children bool
	c := &cobra.Command{Use: "resolve ID --notes TEXT", Short: "Resolve a major incident (and, with --children, its open children)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := idArg("ID", args[0])
			if err != nil {
				return err
			}
			var out struct {
				Resolved []string            `json:"resolved"`
				Skipped  []map[string]string `json:"skipped"`
			}
			body := map[string]any{"resolution_code": code, "resolution_notes": notes, "resolve_children": children}
			return apiCall(cmd, f, http.MethodPost, "/major-incidents/"+id+"/resolution", body, &out, func() error {
				fmt.Fprintf(cmd.OutOrStdout(), "resolved: %s\n", strings.Join(out.Resolved, ", "))
				for _, s := range out.Skipped {
					fmt.Fprintf(cmd.OutOrStdout(), "left as it was: %s (%s)\n", s["ticket"], s["reason"])
				}
				return nil
			})
		}}
	c.Flags().StringVar(&code, "code", "solved", "the resolution code")
	c.Flags().StringVar(&notes, "notes", "", "the resolution, as requesters read it")
	c.Flags().BoolVar(&children, "children", false, "resolve the open children with the same resolution")
	return c
}

func majorPublishCmd(f *clientFlags) *cobra.Command {
	var name, body, impact string
	var comps []string
	c := &cobra.Command{Use: "publish ID --name TEXT --body TEXT", Short: "Put a major incident on the public status page, in public words", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := idArg("ID", args[0])
			if err != nil {
				return err
			}
			states := map[string]string{}
			for _, c := range comps {
				k, v, ok := strings.Cut(c, "=")
				if _, err := strconv.ParseInt(k, 10, 64); !ok || err != nil {
					return usagef("--component takes ID=STATE, such as 3=partial_outage, not %q", c)
				}
				states[k] = v
			}
			var out struct {
				ID int64 `json:"id"`
			}
			req := map[string]any{"name": name, "body": body, "impact": impact, "components": states}
			return apiCall(cmd, f, http.MethodPost, "/major-incidents/"+id+"/status-incident", req, &out, func() error {
				_, err := fmt.Fprintf(cmd.OutOrStdout(), "published as status incident %d\n", out.ID)
				return err
			})
		}}
	c.Flags().StringVar(&name, "name", "", "the public name")
	c.Flags().StringVar(&body, "body", "", "the first public message")
	c.Flags().StringVar(&impact, "impact", "major", "none, minor, major or critical")
	c.Flags().StringSliceVar(&comps, "component", nil, "an affected component and its new state, ID=STATE (repeatable)")
	return c
}
