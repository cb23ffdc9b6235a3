package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/spf13/cobra"
)

func newReportCmd() *cobra.Command {
	var f clientFlags
	c := &cobra.Command{Use: "report", Short: "Turnaround-time reports from a Tierdesk server's API"}
	f.register(c)
	c.AddCommand(newReportTATCmd(&f), newReportHeadlineCmd(&f))
	return c
}

// apiReport is GET /reports/tat as JSON.
type apiReport struct {
	From        time.Time      `json:"from"`
	To          time.Time      `json:"to"`
	GroupBy     string         `json:"group_by"`
	GeneratedAt time.Time      `json:"generated_at"`
	Notes       []string       `json:"notes"`
	Rows        []apiReportRow `json:"rows"`
	Total       apiReportRow   `json:"total"`
}

type apiDurations struct {
	Count          int     `json:"count"`
	MeanWall       float64 `json:"mean_wall_seconds"`
	MedianWall     float64 `json:"median_wall_seconds"`
	MeanBusiness   float64 `json:"mean_business_seconds"`
	MedianBusiness float64 `json:"median_business_seconds"`
}

type apiOutcome struct {
	Met        int      `json:"met"`
	Missed     int      `json:"missed"`
	Pending    int      `json:"pending"`
	MetPercent *float64 `json:"met_percent"`
}

type apiCount struct {
	Count   int     `json:"count"`
	Tickets int     `json:"tickets"`
	Rate    float64 `json:"rate"`
}

type apiReportRow struct {
	Key           string       `json:"key"`
	Tickets       int          `json:"tickets"`
	FirstResponse apiDurations `json:"first_response"`
	Resolution    apiDurations `json:"resolution"`
	SLA           struct {
		NoPolicy   int        `json:"no_policy"`
		Response   apiOutcome `json:"response"`
		Resolution apiOutcome `json:"resolution"`
	} `json:"sla"`
	Within3h apiOutcome `json:"first_response_within_3h"`
	Backlog  struct {
		Open int            `json:"open"`
		Ages map[string]int `json:"ages"`
	} `json:"backlog"`
	Reassignments apiCount       `json:"reassignments"`
	Reopens       apiCount       `json:"reopens"`
	Escalations   map[string]int `json:"escalations"`
	Ack           apiAck         `json:"time_to_acknowledge"`
	FirstContact  struct {
		Tickets int     `json:"tickets"`
		Rate    float64 `json:"rate"`
	} `json:"first_contact_resolution"`
}

// apiAck is the time to acknowledge of a row's paged tickets.
type apiAck struct {
	Paged         int     `json:"paged"`
	Acknowledged  int     `json:"acknowledged"`
	MeanSeconds   float64 `json:"mean_seconds"`
	MedianSeconds float64 `json:"median_seconds"`
	P90Seconds    float64 `json:"p90_seconds"`
}

// reportRange reads --from and --to (dates or RFC 3339) into query values.
func reportRange(from, to string) (url.Values, error) {
	for _, p := range []struct{ name, v string }{{"from", from}, {"to", to}} {
		if p.v == "" {
			return nil, usagef("--%s is required (a date such as 2016-03-01)", p.name)
		}
		if _, err := time.Parse(time.DateOnly, p.v); err != nil {
			if _, err := time.Parse(time.RFC3339, p.v); err != nil {
				return nil, usagef("--%s %q is not a date (2016-03-01) or an RFC 3339 time", p.name, p.v)
			}
		}
	}
	return url.Values{"from": {from}, "to": {to}}, nil
}

func newReportTATCmd(f *clientFlags) *cobra.Command {
	var from, to, groupBy, format string
	c := &cobra.Command{
		Use:   "tat --from DATE --to DATE [--group-by DIM] [--format table|json|csv]",
		Short: "TAT report: counts, MTTA/MTTR, SLA attainment, backlog, reassignments, reopens, escalations",
		Long: "Reports on the tickets created in [--from, --to); outcomes as they stand now. The backlog is\n" +
			"every ticket open at --to. --group-by: priority, type, group, line, category, service, channel.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v, err := reportRange(from, to)
			if err != nil {
				return err
			}
			if groupBy != "" {
				v.Set("group_by", groupBy)
			}
			if f.json {
				format = "json"
			}
			if format != "table" && format != "json" && format != "csv" {
				return usagef("--format must be table, json or csv")
			}
			cl, err := f.client()
			if err != nil {
				return err
			}
			return runTAT(cmd.Context(), cmd.OutOrStdout(), cl, v, format)
		},
	}
	c.Flags().StringVar(&from, "from", "", "start date, inclusive (2016-03-01)")
	c.Flags().StringVar(&to, "to", "", "end date, exclusive (2017-03-01)")
	c.Flags().StringVar(&groupBy, "group-by", "", "priority, type, group, line, category, service or channel")
	c.Flags().StringVar(&format, "format", "table", "table, json or csv")
	return c
}

func runTAT(ctx context.Context, w io.Writer, cl *client, v url.Values, format string) error {
	path := "/reports/tat?" + v.Encode()
	if format == "csv" {
		body, err := cl.do(ctx, http.MethodGet, path, nil, nil, http.Header{"Accept": {"text/csv"}})
		if err != nil {
			return err
		}
		_, err = w.Write(body)
		return err
	}
	var rep apiReport
	raw, err := cl.do(ctx, http.MethodGet, path, nil, &rep, nil)
	if err != nil {
		return err
	}
	if format == "json" {
		return printJSON(w, raw)
	}
	return printReport(w, &rep)
}
