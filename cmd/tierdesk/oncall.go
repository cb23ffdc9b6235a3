package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

// On-call from the command line, through the API: schedules (documents in
// JSON, as the API takes them), who is on call, escalation policies,
// contact methods, and acknowledging pages.

func newOnCallCmd() *cobra.Command {
	var f clientFlags
	c := &cobra.Command{Use: "oncall", Short: "On-call schedules, escalation policies and contact methods through the API"}
	f.register(c)
	c.AddCommand(newScheduleCmd(&f), newWhoCmd(&f), newEscalationCmd(&f), newContactCmd(&f))
	return c
}

// readDoc reads a JSON document from a file ("-": standard input).
func readDoc(stdin io.Reader, path string) (json.RawMessage, error) {
	if path == "" {
		return nil, usagef("--file is required: a JSON document (- for standard input)")
	}
	var b []byte
	var err error
	if path == "-" {
		b, err = io.ReadAll(io.LimitReader(stdin, 1<<20))
	} else {
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, usagef("--file: %v", err)
	}
	if !json.Valid(b) {
		return nil, usagef("--file %s is not JSON", path)
	}
	return b, nil
}

// idArg checks that a positional argument is a positive id.
func idArg(what, s string) (string, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err != nil || n <= 0 {
		return "", usagef("%s must be a positive id, not %q", what, s)
	}
	return s, nil
}

// apiCall runs one request and prints the answer as JSON (--json) or
// through show.
func apiCall(cmd *cobra.Command, f *clientFlags, method, path string, body any, out any, show func() error) error {
	cl, err := f.client()
	if err != nil {
		return err
	}
	raw, err := cl.do(cmd.Context(), method, path, body, out, nil)
	if err != nil {
		return err
	}
	if f.json && len(raw) > 0 {
		return printJSON(cmd.OutOrStdout(), raw)
	}
	return show()
}

type apiSchedule struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Zone   string `json:"zone"`
	Layers []struct {
		Name         string  `json:"name"`
		Participants []int64 `json:"participants"`
		Length       string  `json:"length"`
		HandOff      string  `json:"hand_off"`
	} `json:"layers"`
	Overrides []json.RawMessage `json:"overrides"`
}

func newScheduleCmd(f *clientFlags) *cobra.Command {
	c := &cobra.Command{Use: "schedule", Short: "List, show, create, replace or delete on-call schedules"}
	c.AddCommand(&cobra.Command{Use: "list", Short: "List the schedules", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var page struct {
				Schedules []apiSchedule `json:"schedules"`
			}
			return apiCall(cmd, f, http.MethodGet, "/schedules", nil, &page, func() error {
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
				fmt.Fprintln(w, "ID\tNAME\tZONE\tLAYERS\tOVERRIDES")
				for _, s := range page.Schedules {
					var layers []string
					for _, l := range s.Layers {
						layers = append(layers, fmt.Sprintf("%s %s@%s %v", l.Name, l.Length, l.HandOff, l.Participants))
					}
					fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%d\n", s.ID, s.Name, s.Zone, strings.Join(layers, "; "), len(s.Overrides))
				}
				return w.Flush()
			})
		}})
	c.AddCommand(&cobra.Command{Use: "show ID", Short: "Print a schedule's JSON document", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := idArg("ID", args[0])
			if err != nil {
				return err
			}
			f.json = true
			return apiCall(cmd, f, http.MethodGet, "/schedules/"+id, nil, nil, nil)
		}})
	c.AddCommand(scheduleWriteCmd(f, "create --file FILE", "Create a schedule from a JSON document", cobra.NoArgs))
	c.AddCommand(scheduleWriteCmd(f, "update ID --file FILE", "Replace a schedule with a JSON document", cobra.ExactArgs(1)))
	c.AddCommand(&cobra.Command{Use: "delete ID", Short: "Delete a schedule no escalation policy uses", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := idArg("ID", args[0])
			if err != nil {
				return err
			}
			return apiCall(cmd, f, http.MethodDelete, "/schedules/"+id, nil, nil, func() error {
				_, err := fmt.Fprintf(cmd.OutOrStdout(), "deleted schedule %s\n", id)
				return err
			})
		}})
	c.AddCommand(shiftsCmd(f))
	return c
}

func scheduleWriteCmd(f *clientFlags, use, short string, args cobra.PositionalArgs) *cobra.Command {
	var file string
	c := &cobra.Command{Use: use, Short: short, Args: args,
		Long: `The document is what the API takes, e.g.
  {"name": "DBA", "zone": "Europe/Berlin", "layers": [{"participants": [4, 7],
   "start_date": "2026-11-02", "hand_off": "09:00", "length": "7d"}],
   "overrides": [{"user_id": 9, "start": "2026-12-24T17:00:00Z", "end": "2026-12-27T08:00:00Z"}]}`,
		RunE: func(cmd *cobra.Command, args []string) error {
			doc, err := readDoc(cmd.InOrStdin(), file)
			if err != nil {
				return err
			}
			method, path := http.MethodPost, "/schedules"
			if len(args) == 1 {
				id, err := idArg("ID", args[0])
				if err != nil {
					return err
				}
				method, path = http.MethodPut, "/schedules/"+id
			}
			var s apiSchedule
			return apiCall(cmd, f, method, path, doc, &s, func() error {
				_, err := fmt.Fprintf(cmd.OutOrStdout(), "saved schedule %d %s\n", s.ID, s.Name)
				return err
			})
		}}
	c.Flags().StringVar(&file, "file", "", "the schedule's JSON document (- for standard input)")
	return c
}

func shiftsCmd(f *clientFlags) *cobra.Command {
	var from, to string
	var days int
	c := &cobra.Command{Use: "shifts ID", Short: "List who is on call when, from --from (default now) for --days", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := idArg("ID", args[0])
			if err != nil {
				return err
			}
			start, err := instantFlag("--from", from)
			if err != nil {
				return err
			}
			end := start.AddDate(0, 0, days)
			if to != "" {
				if end, err = instantFlag("--to", to); err != nil {
					return err
				}
			}
			var page struct {
				Shifts []struct {
					UserID   int64     `json:"user_id"`
					Start    time.Time `json:"start"`
					Until    time.Time `json:"end"`
					Override *int      `json:"override"`
				} `json:"shifts"`
			}
			q := url.Values{"from": {start.UTC().Format(time.RFC3339)}, "to": {end.UTC().Format(time.RFC3339)}}
			return apiCall(cmd, f, http.MethodGet, "/schedules/"+id+"/shifts?"+q.Encode(), nil, &page, func() error {
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
				fmt.Fprintln(w, "FROM\tUNTIL\tUSER\tOVERRIDE")
				for _, s := range page.Shifts {
					fmt.Fprintf(w, "%s\t%s\t%d\t%v\n", s.Start.Format(time.RFC3339), s.Until.Format(time.RFC3339), s.UserID, s.Override != nil)
				}
				return w.Flush()
			})
		}}
	c.Flags().StringVar(&from, "from", "", "RFC 3339 start (default now)")
	c.Flags().StringVar(&to, "to", "", "RFC 3339 end (default --days after --from)")
	c.Flags().IntVar(&days, "days", 7, "days to list when --to is not given")
	return c
}

// instantFlag parses an RFC 3339 flag value; empty is now.
func instantFlag(name, v string) (time.Time, error) {
	if v == "" {
		return time.Now(), nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, usagef("%s %q is not an RFC 3339 time such as 2026-11-26T21:00:00Z", name, v)
	}
	return t, nil
}

func newWhoCmd(f *clientFlags) *cobra.Command {
	var at string
	c := &cobra.Command{Use: "who [SCHEDULE_ID...]", Short: "Who is on call now (or --at), in every schedule or those named",
		RunE: func(cmd *cobra.Command, args []string) error {
			when, err := instantFlag("--at", at)
			if err != nil {
				return err
			}
			for _, a := range args {
				if _, err := idArg("SCHEDULE_ID", a); err != nil {
					return err
				}
			}
			cl, err := f.client()
			if err != nil {
				return err
			}
			var page struct {
				Schedules []apiSchedule `json:"schedules"`
			}
			if _, err := cl.do(cmd.Context(), http.MethodGet, "/schedules", nil, &page, nil); err != nil {
				return err
			}
			type row struct {
				ScheduleID int64  `json:"schedule_id"`
				Schedule   string `json:"schedule"`
				At         string `json:"at"`
				User       *struct {
					ID   int64  `json:"id"`
					Name string `json:"name"`
				} `json:"user"`
			}
			var rows []row
			for _, s := range page.Schedules {
				if len(args) > 0 && !containsStr(args, strconv.FormatInt(s.ID, 10)) {
					continue
				}
				r := row{ScheduleID: s.ID, Schedule: s.Name}
				q := url.Values{"at": {when.UTC().Format(time.RFC3339)}}
				if _, err := cl.do(cmd.Context(), http.MethodGet, fmt.Sprintf("/schedules/%d/on-call?%s", s.ID, q.Encode()), nil, &r, nil); err != nil {
					return err
				}
				rows = append(rows, r)
			}
			if f.json {
				return json.NewEncoder(cmd.OutOrStdout()).Encode(rows)
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintf(w, "SCHEDULE\tON CALL AT %s\n", when.UTC().Format(time.RFC3339))
			for _, r := range rows {
				who := "nobody"
				if r.User != nil {
					who = fmt.Sprintf("%s (%d)", r.User.Name, r.User.ID)
				}
				fmt.Fprintf(w, "%s (%d)\t%s\n", r.Schedule, r.ScheduleID, who)
			}
			return w.Flush()
		}}
	c.Flags().StringVar(&at, "at", "", "RFC 3339 instant (default now)")
	return c
}

func containsStr(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
