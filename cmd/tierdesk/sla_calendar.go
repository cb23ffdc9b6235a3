package main

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

// apiCalendar is a business calendar in words, as the API has it.
type apiCalendar struct {
	Name     string            `json:"name,omitempty"`
	Zone     string            `json:"zone"`
	Week     map[string]string `json:"week"`
	Holidays []apiHoliday      `json:"holidays"`
}

type apiHoliday struct {
	Date string `json:"date"`
	Name string `json:"name,omitempty"`
}

// newSLACalendarCmd manages business calendars through the API (admins).
func newSLACalendarCmd() *cobra.Command {
	var f clientFlags
	c := &cobra.Command{Use: "calendar", Short: "List, set or delete business calendars through the API"}
	f.register(c)
	c.AddCommand(&cobra.Command{
		Use: "list", Short: "List the calendars", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return listCalendars(cmd, &f) },
	})
	c.AddCommand(calendarSetCmd(&f))
	c.AddCommand(&cobra.Command{
		Use: "delete NAME", Short: "Delete a calendar no policy uses", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, err := f.client()
			if err != nil {
				return err
			}
			_, err = cl.do(cmd.Context(), http.MethodDelete, "/calendars/"+url.PathEscape(args[0]), nil, nil, nil)
			if err == nil {
				fmt.Fprintf(cmd.OutOrStdout(), "deleted calendar %s\n", args[0])
			}
			return err
		},
	})
	return c
}

func listCalendars(cmd *cobra.Command, f *clientFlags) error {
	cl, err := f.client()
	if err != nil {
		return err
	}
	var page struct {
		Calendars []apiCalendar `json:"calendars"`
	}
	raw, err := cl.do(cmd.Context(), http.MethodGet, "/calendars", nil, &page, nil)
	if err != nil || f.json {
		if err == nil {
			err = printJSON(cmd.OutOrStdout(), raw)
		}
		return err
	}
	w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tZONE\tWEEK\tHOLIDAYS")
	days := []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
	for _, c := range page.Calendars {
		var week []string
		for _, d := range days {
			if h := c.Week[d]; h != "" {
				week = append(week, d[:3]+" "+h)
			}
		}
		var hols []string
		for _, h := range c.Holidays {
			hols = append(hols, h.Date)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", c.Name, c.Zone, strings.Join(week, "; "), strings.Join(hols, ", "))
	}
	return w.Flush()
}

// calendarSetCmd creates or replaces a calendar from flags.
func calendarSetCmd(f *clientFlags) *cobra.Command {
	var (
		zone           string
		days, holidays []string
	)
	c := &cobra.Command{
		Use:   "set NAME --zone ZONE --day monday=09:00-18:00 [--day ...] [--holiday 12-25=Christmas ...]",
		Short: "Create or replace a calendar; a weekday not given is a day off",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			body := apiCalendar{Zone: zone, Week: map[string]string{}, Holidays: []apiHoliday{}}
			for _, d := range days {
				day, hours, ok := strings.Cut(d, "=")
				if !ok {
					return usagef("--day takes weekday=hours, such as monday=09:00-12:30,13:30-18:00")
				}
				body.Week[strings.ToLower(strings.TrimSpace(day))] = hours
			}
			sort.Strings(holidays)
			for _, h := range holidays {
				date, name, _ := strings.Cut(h, "=")
				body.Holidays = append(body.Holidays, apiHoliday{Date: strings.TrimSpace(date), Name: name})
			}
			cl, err := f.client()
			if err != nil {
				return err
			}
			raw, err := cl.do(cmd.Context(), http.MethodPut, "/calendars/"+url.PathEscape(args[0]), body, nil, nil)
			if err != nil || f.json {
				if err == nil {
					err = printJSON(cmd.OutOrStdout(), raw)
				}
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "saved calendar %s\n", args[0])
			return nil
		},
	}
	c.Flags().StringVar(&zone, "zone", "UTC", "IANA time zone, e.g. Europe/Berlin")
	c.Flags().StringArrayVar(&days, "day", nil, "working hours of a weekday, e.g. monday=09:00-18:00 (repeatable)")
	c.Flags().StringArrayVar(&holidays, "holiday", nil, "MM-DD (yearly) or YYYY-MM-DD (once), optionally =name (repeatable)")
	return c
}
