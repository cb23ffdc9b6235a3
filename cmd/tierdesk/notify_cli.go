package main

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

// apiOutbox is an outbox message as the list shows it.
type apiOutbox struct {
	ID        int64   `json:"id"`
	Kind      string  `json:"kind"`
	State     string  `json:"state"`
	TicketID  *int64  `json:"ticket_id"`
	UserID    *int64  `json:"user_id"`
	GroupID   *int64  `json:"group_id"`
	CreatedAt string  `json:"created_at"`
	Attempts  int     `json:"attempts"`
	LastError *string `json:"last_error"`
}

func newOutboxCmd() *cobra.Command {
	var f clientFlags
	c := &cobra.Command{Use: "outbox", Short: "Inspect and retry outgoing notifications (admins)"}
	f.register(c)
	var state string
	var limit int
	list := &cobra.Command{
		Use: "list [--state queued|sent|failed]", Short: "List outbox messages, newest first", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cl, err := f.client()
			if err != nil {
				return err
			}
			var page struct {
				Messages []apiOutbox `json:"messages"`
			}
			q := url.Values{"state": {state}, "limit": {strconv.Itoa(limit)}}
			raw, err := cl.do(cmd.Context(), http.MethodGet, "/outbox?"+q.Encode(), nil, &page, nil)
			if err != nil || f.json {
				if err == nil {
					err = printJSON(cmd.OutOrStdout(), raw)
				}
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tSTATE\tKIND\tTICKET\tTO\tATTEMPTS\tCREATED\tLAST ERROR")
			for _, m := range page.Messages {
				to := "-"
				switch {
				case m.UserID != nil:
					to = "user " + strconv.FormatInt(*m.UserID, 10)
				case m.GroupID != nil:
					to = "group " + strconv.FormatInt(*m.GroupID, 10)
				}
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", m.ID, m.State, m.Kind, idText(m.TicketID), to,
					m.Attempts, m.CreatedAt, truncate(deref(m.LastError), 60))
			}
			return w.Flush()
		},
	}
	list.Flags().StringVar(&state, "state", "failed", "queued, sent or failed")
	list.Flags().IntVar(&limit, "limit", 50, "how many, 1 to 500")
	retry := &cobra.Command{
		Use: "retry ID...", Short: "Queue failed messages again; each goes out once", Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ids := make([]int64, len(args))
			for i, a := range args {
				n, err := strconv.ParseInt(a, 10, 64)
				if err != nil || n <= 0 {
					return usagef("%q is not an outbox message id", a)
				}
				ids[i] = n
			}
			cl, err := f.client()
			if err != nil {
				return err
			}
			for _, id := range ids {
				var m apiOutbox
				if _, err := cl.do(cmd.Context(), http.MethodPost, "/outbox/"+strconv.FormatInt(id, 10)+"/retry", nil, &m, nil); err != nil {
					return fmt.Errorf("message %d: %w", id, err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "message %d (%s) queued again\n", m.ID, m.Kind)
			}
			return nil
		},
	}
	c.AddCommand(list, retry)
	return c
}

func idText(id *int64) string {
	if id == nil {
		return "-"
	}
	return strconv.FormatInt(*id, 10)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// newUserPrefsCmd shows or changes notification preferences through the
// API: your own, or (admins) anyone's.
func newUserPrefsCmd() *cobra.Command {
	var (
		f                      clientFlags
		user, language, zone   string
		on, off                []string
		defaultLang, defaultTZ bool
	)
	c := &cobra.Command{
		Use:   "prefs [--user ID] [--language en|ru] [--time-zone Europe/Moscow] [--off KIND,...] [--on KIND,...]",
		Short: "Show or change notification preferences (yours, or any user's for admins)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if user != "me" {
				if n, err := strconv.ParseInt(user, 10, 64); err != nil || n <= 0 {
					return usagef("--user must be a user id or me")
				}
			}
			cl, err := f.client()
			if err != nil {
				return err
			}
			body := map[string]any{}
			switch {
			case defaultLang:
				body["language"] = nil
			case cmd.Flags().Changed("language"):
				body["language"] = language
			}
			switch {
			case defaultTZ:
				body["time_zone"] = nil
			case cmd.Flags().Changed("time-zone"):
				body["time_zone"] = zone
			}
			kinds := map[string]bool{}
			for _, k := range off {
				kinds[k] = false
			}
			for _, k := range on {
				if _, both := kinds[k]; both {
					return usagef("%s is both --on and --off", k)
				}
				kinds[k] = true
			}
			if len(kinds) > 0 {
				body["notifications"] = kinds
			}
			method, path := http.MethodGet, "/users/"+user+"/preferences"
			var send any
			if len(body) > 0 {
				method, send = http.MethodPatch, body
			}
			var p struct {
				UserID        int64           `json:"user_id"`
				Language      string          `json:"language"`
				TimeZone      string          `json:"time_zone"`
				Notifications map[string]bool `json:"notifications"`
				Mandatory     []string        `json:"mandatory"`
			}
			raw, err := cl.do(cmd.Context(), method, path, send, &p, nil)
			if err != nil || f.json {
				if err == nil {
					err = printJSON(cmd.OutOrStdout(), raw)
				}
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "user %d: language %s, time zone %s\n", p.UserID, p.Language, p.TimeZone)
			names := make([]string, 0, len(p.Notifications))
			for k := range p.Notifications {
				names = append(names, k)
			}
			slices.Sort(names)
			w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			for _, k := range names {
				state := "off"
				if p.Notifications[k] {
					state = "on"
				}
				if slices.Contains(p.Mandatory, k) {
					state += " (always)"
				}
				fmt.Fprintf(w, "  %s\t%s\n", k, state)
			}
			return w.Flush()
		},
	}
	f.register(c)
	fl := c.Flags()
	fl.StringVar(&user, "user", "me", "user id, or me")
	fl.StringVar(&language, "language", "", "en or ru")
	fl.StringVar(&zone, "time-zone", "", "IANA time zone, e.g. Europe/Moscow")
	fl.BoolVar(&defaultLang, "default-language", false, "use the desk's default language")
	fl.BoolVar(&defaultTZ, "default-time-zone", false, "use the desk's default time zone")
	fl.StringSliceVar(&off, "off", nil, "notification kinds to turn off (sla_breached, page and oncall_page cannot be)")
	fl.StringSliceVar(&on, "on", nil, "notification kinds to turn on")
	return c
}

// apiTicketCall is a ticket call as the table shows it.
type apiTicketCall struct {
	ID              int64   `json:"id"`
	State           string  `json:"state"`
	Start           string  `json:"start"`
	DurationMinutes int     `json:"duration_minutes"`
	Kind            string  `json:"kind"`
	Phone           *string `json:"phone"`
	MeetingURL      *string `json:"meeting_url"`
	Note            string  `json:"note"`
	CreatedBy       apiRef  `json:"created_by"`
}

// newTicketCallCmd schedules, lists or cancels the calls of a ticket.
func newTicketCallCmd(f *clientFlags) *cobra.Command {
	var (
		start, phone, meeting, note string
		minutes                     int
		list                        bool
		cancel                      int64
	)
	c := &cobra.Command{
		Use:   "call ID|NUMBER (--start T --minutes N (--phone P | --video URL) [--note N] | --list | --cancel CALL_ID)",
		Short: "Schedule a phone or video call with the requester (an invitation is mailed), list or cancel calls",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := ticketPath(args[0]) + "/calls"
			modes := 0
			for _, set := range []bool{list, cancel != 0, start != ""} {
				if set {
					modes++
				}
			}
			if modes != 1 {
				return usagef("give exactly one of --start (schedule), --list or --cancel")
			}
			cl, err := f.client()
			if err != nil {
				return err
			}
			var raw []byte
			var calls []apiTicketCall
			switch {
			case list:
				var page struct {
					Calls []apiTicketCall `json:"calls"`
				}
				raw, err = cl.do(cmd.Context(), http.MethodGet, path, nil, &page, nil)
				calls = page.Calls
			case cancel != 0:
				var one apiTicketCall
				raw, err = cl.do(cmd.Context(), http.MethodPost, path+"/"+strconv.FormatInt(cancel, 10)+"/cancel", nil, &one, nil)
				calls = []apiTicketCall{one}
			default:
				at, perr := time.Parse(time.RFC3339, start)
				if perr != nil {
					return usagef("--start must be an RFC 3339 time such as 2026-03-03T10:00:00+03:00")
				}
				kind := "phone"
				if meeting != "" {
					kind = "video"
				}
				if (phone == "") == (meeting == "") {
					return usagef("give one of --phone and --video")
				}
				body := map[string]any{"start": at.Format(time.RFC3339), "duration_minutes": minutes, "kind": kind,
					"phone": phone, "meeting_url": meeting, "note": note}
				var one apiTicketCall
				raw, err = cl.do(cmd.Context(), http.MethodPost, path, body, &one, nil)
				calls = []apiTicketCall{one}
			}
			if err != nil || f.json {
				if err == nil {
					err = printJSON(cmd.OutOrStdout(), raw)
				}
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tSTATE\tSTART\tMIN\tKIND\tWHERE\tBY\tNOTE")
			for _, c := range calls {
				where := deref(c.Phone) + deref(c.MeetingURL)
				fmt.Fprintf(w, "%d\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", c.ID, c.State, c.Start, c.DurationMinutes, c.Kind, where,
					c.CreatedBy.Name, truncate(strings.ReplaceAll(c.Note, "\n", " "), 40))
			}
			return w.Flush()
		},
	}
	fl := c.Flags()
	fl.StringVar(&start, "start", "", "when, RFC 3339 (schedules a call)")
	fl.IntVar(&minutes, "minutes", 30, "duration in minutes")
	fl.StringVar(&phone, "phone", "", "phone number to call (phone call)")
	fl.StringVar(&meeting, "video", "", "meeting link, http(s) (video call)")
	fl.StringVar(&note, "note", "", "what the call is for")
	fl.BoolVar(&list, "list", false, "list the ticket's calls")
	fl.Int64Var(&cancel, "cancel", 0, "cancel the call with this id")
	return c
}
