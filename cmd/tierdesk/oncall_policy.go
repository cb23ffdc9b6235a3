package main

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

type apiStep struct {
	ScheduleIDs  []int64 `json:"schedule_ids"`
	UserIDs      []int64 `json:"user_ids"`
	DelayMinutes int     `json:"delay_minutes"`
}

type apiEscalation struct {
	GroupID    int64     `json:"group_id,omitempty"`
	Name       string    `json:"name"`
	Repeat     int       `json:"repeat"`
	Priorities []string  `json:"priorities"`
	Steps      []apiStep `json:"steps"`
	Active     *bool     `json:"active,omitempty"`
}

func newEscalationCmd(f *clientFlags) *cobra.Command {
	c := &cobra.Command{Use: "policy", Short: "Show, set or remove groups' escalation policies"}
	c.AddCommand(&cobra.Command{Use: "list", Short: "List every group's policy", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var page struct {
				Policies []apiEscalation `json:"policies"`
			}
			return apiCall(cmd, f, http.MethodGet, "/escalation-policies", nil, &page, func() error {
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
				fmt.Fprintln(w, "GROUP\tNAME\tPRIORITIES\tREPEAT\tSTEPS\tACTIVE")
				for _, p := range page.Policies {
					fmt.Fprintf(w, "%d\t%s\t%s\t%d\t%s\t%v\n", p.GroupID, p.Name, strings.Join(p.Priorities, ","), p.Repeat, stepsText(p.Steps), p.Active != nil && *p.Active)
				}
				return w.Flush()
			})
		}})
	c.AddCommand(escalationSetCmd(f))
	c.AddCommand(&cobra.Command{Use: "delete GROUP_ID", Short: "Remove a group's policy", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := idArg("GROUP_ID", args[0])
			if err != nil {
				return err
			}
			return apiCall(cmd, f, http.MethodDelete, "/groups/"+id+"/escalation-policy", nil, nil, func() error {
				_, err := fmt.Fprintf(cmd.OutOrStdout(), "removed the escalation policy of group %s\n", id)
				return err
			})
		}})
	return c
}

func stepsText(steps []apiStep) string {
	var out []string
	for _, s := range steps {
		out = append(out, fmt.Sprintf("schedules %v users %v %dm", s.ScheduleIDs, s.UserIDs, s.DelayMinutes))
	}
	return strings.Join(out, " → ")
}

// parseStep reads "schedules=1,2 users=3 delay=5m".
func parseStep(s string) (apiStep, error) {
	st := apiStep{ScheduleIDs: []int64{}, UserIDs: []int64{}}
	for _, part := range strings.Fields(s) {
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return st, usagef("--step %q: write schedules=1,2 users=3 delay=5m", s)
		}
		switch k {
		case "schedules", "users":
			for _, x := range strings.Split(v, ",") {
				n, err := strconv.ParseInt(x, 10, 64)
				if err != nil || n <= 0 {
					return st, usagef("--step %q: %s takes ids such as 1,2", s, k)
				}
				if k == "users" {
					st.UserIDs = append(st.UserIDs, n)
				} else {
					st.ScheduleIDs = append(st.ScheduleIDs, n)
				}
			}
		case "delay":
			d, err := time.ParseDuration(v)
			if err != nil || d%time.Minute != 0 {
				return st, usagef("--step %q: delay takes whole minutes such as 5m or 1h", s)
			}
			st.DelayMinutes = int(d / time.Minute)
		default:
			return st, usagef("--step %q: unknown %q (schedules, users, delay)", s, k)
		}
	}
	return st, nil
}

func escalationSetCmd(f *clientFlags) *cobra.Command {
	var p apiEscalation
	var steps []string
	var inactive bool
	c := &cobra.Command{Use: "set GROUP_ID --name NAME --step 'schedules=1 delay=5m' [--step ...]",
		Short: "Create or replace a group's escalation policy", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := idArg("GROUP_ID", args[0])
			if err != nil {
				return err
			}
			if len(steps) == 0 {
				return usagef("at least one --step is required")
			}
			p.Steps = nil
			for _, s := range steps {
				st, err := parseStep(s)
				if err != nil {
					return err
				}
				p.Steps = append(p.Steps, st)
			}
			active := !inactive
			p.Active = &active
			var saved apiEscalation
			return apiCall(cmd, f, http.MethodPut, "/groups/"+id+"/escalation-policy", p, &saved, func() error {
				_, err := fmt.Fprintf(cmd.OutOrStdout(), "saved escalation policy %s of group %d: %s\n", saved.Name, saved.GroupID, stepsText(saved.Steps))
				return err
			})
		}}
	c.Flags().StringVar(&p.Name, "name", "", "policy name")
	c.Flags().IntVar(&p.Repeat, "repeat", 0, "how many more times the steps run after the first pass")
	c.Flags().StringSliceVar(&p.Priorities, "priorities", nil, "covered priorities, e.g. P1,P2 (default P1)")
	c.Flags().StringArrayVar(&steps, "step", nil, "a step, in order: 'schedules=1,2 users=3 delay=5m'")
	c.Flags().BoolVar(&inactive, "inactive", false, "store the policy switched off")
	return c
}

type apiContact struct {
	ID           int64  `json:"id,omitempty"`
	Kind         string `json:"kind"`
	Target       string `json:"target"`
	DelayMinutes int    `json:"delay_minutes"`
	Secret       string `json:"secret,omitempty"`
}

func newContactCmd(f *clientFlags) *cobra.Command {
	c := &cobra.Command{Use: "contact", Short: "List, add or remove a user's contact methods for pages"}
	c.AddCommand(&cobra.Command{Use: "list USER_ID", Short: "List a user's contact methods", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := idArg("USER_ID", args[0])
			if err != nil {
				return err
			}
			var page struct {
				Methods []apiContact `json:"contact_methods"`
			}
			return apiCall(cmd, f, http.MethodGet, "/users/"+id+"/contact-methods", nil, &page, func() error {
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
				fmt.Fprintln(w, "ID\tKIND\tTARGET\tDELAY")
				for _, m := range page.Methods {
					fmt.Fprintf(w, "%d\t%s\t%s\t%dm\n", m.ID, m.Kind, m.Target, m.DelayMinutes)
				}
				return w.Flush()
			})
		}})
	var m apiContact
	var delay time.Duration
	add := &cobra.Command{Use: "add USER_ID --kind email|webhook|slack --target ADDRESS|URL [--delay 2m]", Short: "Add a contact method",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := idArg("USER_ID", args[0])
			if err != nil {
				return err
			}
			if delay%time.Minute != 0 || delay < 0 {
				return usagef("--delay takes whole minutes such as 0, 2m or 1h")
			}
			m.DelayMinutes = int(delay / time.Minute)
			var saved apiContact
			return apiCall(cmd, f, http.MethodPost, "/users/"+id+"/contact-methods", m, &saved, func() error {
				fmt.Fprintf(cmd.OutOrStdout(), "added contact method %d: %s %s after %dm\n", saved.ID, saved.Kind, saved.Target, saved.DelayMinutes)
				if saved.Secret != "" {
					fmt.Fprintf(cmd.OutOrStdout(), "webhook signing secret (shown once): %s\n", saved.Secret)
				}
				return nil
			})
		}}
	add.Flags().StringVar(&m.Kind, "kind", "email", "email, webhook or slack")
	add.Flags().StringVar(&m.Target, "target", "", "e-mail address, or the webhook URL")
	add.Flags().DurationVar(&delay, "delay", 0, "how long after the user is paged to use this method")
	add.Flags().StringVar(&m.Secret, "secret", "", "webhook signing secret (default: generated)")
	c.AddCommand(add)
	c.AddCommand(&cobra.Command{Use: "delete USER_ID METHOD_ID", Short: "Remove a contact method", Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := idArg("USER_ID", args[0])
			if err != nil {
				return err
			}
			mid, err := idArg("METHOD_ID", args[1])
			if err != nil {
				return err
			}
			return apiCall(cmd, f, http.MethodDelete, "/users/"+id+"/contact-methods/"+mid, nil, nil, func() error {
				_, err := fmt.Fprintf(cmd.OutOrStdout(), "removed contact method %s\n", mid)
				return err
			})
		}})
	return c
}

type apiPage struct {
	ID      int64  `json:"id"`
	Policy  string `json:"policy"`
	Reason  string `json:"reason"`
	State   string `json:"state"`
	Step    int    `json:"step"`
	Round   int    `json:"round"`
	Started string `json:"started_at"`
	AckedBy *struct {
		Name string `json:"name"`
	} `json:"acknowledged_by"`
}

// newPageCmd acknowledges, resolves and lists a ticket's pages.
func newPageCmd() *cobra.Command {
	var f clientFlags
	c := &cobra.Command{Use: "page", Short: "Acknowledge or resolve a ticket's pages, or list them"}
	f.register(c)
	act := func(use, short, path, verb string) *cobra.Command {
		return &cobra.Command{Use: use, Short: short, Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				var out struct {
					Pages []apiPage `json:"pages"`
				}
				return apiCall(cmd, &f, http.MethodPost, ticketPath(args[0])+path, nil, &out, func() error {
					for _, p := range out.Pages {
						fmt.Fprintf(cmd.OutOrStdout(), "%s page %d of %s (%s)\n", verb, p.ID, args[0], p.Policy)
					}
					return nil
				})
			}}
	}
	c.AddCommand(act("ack TICKET", "Acknowledge the ticket's running pages (not stakeholders', which they acknowledge themselves): escalation stops", "/acknowledge", "acknowledged"))
	c.AddCommand(act("resolve TICKET", "Resolve the ticket's running pages (not stakeholders')", "/pages/resolve", "resolved"))
	c.AddCommand(&cobra.Command{Use: "list TICKET", Short: "List the ticket's pages", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var out struct {
				Pages []apiPage `json:"pages"`
			}
			return apiCall(cmd, &f, http.MethodGet, ticketPath(args[0])+"/pages", nil, &out, func() error {
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
				fmt.Fprintln(w, "ID\tPOLICY\tSTATE\tSTEP\tROUND\tSTARTED\tBY\tREASON")
				for _, p := range out.Pages {
					by := "-"
					if p.AckedBy != nil {
						by = p.AckedBy.Name
					}
					fmt.Fprintf(w, "%d\t%s\t%s\t%d\t%d\t%s\t%s\t%s\n", p.ID, p.Policy, p.State, p.Step, p.Round, p.Started, by, p.Reason)
				}
				return w.Flush()
			})
		}})
	return c
}
