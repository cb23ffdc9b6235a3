package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

// printReport renders a TAT report as a readable table.
func printReport(w io.Writer, rep *apiReport) error {
	fmt.Fprintf(w, "TAT report %s – %s (created in range; outcomes as of %s), grouped by %s\n\n",
		rep.From.UTC().Format(time.DateOnly), rep.To.UTC().Format(time.DateOnly),
		rep.GeneratedAt.UTC().Format("2006-01-02 15:04 MST"), rep.GroupBy)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "GROUP\tTICKETS\tMTTA mean/median\tbusiness\tMTTR mean/median\tbusiness\tRESPONSE SLA\tRESOLUTION SLA\t≤3h\tBACKLOG <1d/1-3d/3-7d/7-30d/>30d\tREASSIGNED\tREOPENED\tESC L2/L3\tPAGED: ACKED\tTTA mean/median/p90\tFIRST CONTACT\t")
	rows := append(rep.Rows, rep.Total)
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d: %d/%d/%d/%d/%d\t%s\t%s\t%d/%d\t%d: %d\t%s\t%d (%.0f%%)\t\n",
			r.Key, r.Tickets,
			pair(r.FirstResponse.MeanWall, r.FirstResponse.MedianWall), pair(r.FirstResponse.MeanBusiness, r.FirstResponse.MedianBusiness),
			pair(r.Resolution.MeanWall, r.Resolution.MedianWall), pair(r.Resolution.MeanBusiness, r.Resolution.MedianBusiness),
			outcomeText(r.SLA.Response), outcomeText(r.SLA.Resolution), percent(r.Within3h.MetPercent),
			r.Backlog.Open, r.Backlog.Ages["lt_1d"], r.Backlog.Ages["1d_3d"], r.Backlog.Ages["3d_7d"],
			r.Backlog.Ages["7d_30d"], r.Backlog.Ages["gt_30d"],
			countText(r.Reassignments), countText(r.Reopens), r.Escalations["line_2"], r.Escalations["line_3"],
			r.Ack.Paged, r.Ack.Acknowledged, pair(r.Ack.MeanSeconds, r.Ack.MedianSeconds)+"/"+hours(r.Ack.P90Seconds),
			r.FirstContact.Tickets, 100*r.FirstContact.Rate)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nSLA columns: % met of decided (met+missed), then (pending: clock running or paused, not breached).")
	fmt.Fprintln(w, "≤3h: first response within 3 hours of wall time. Business times are on each ticket's SLA calendar.")
	fmt.Fprintln(w, "TTA: time to acknowledge of paged tickets, from their first page to the first acknowledgement.")
	fmt.Fprintln(w, "FIRST CONTACT: tickets registered and resolved in one step (and not reopened), and their share of the tickets.")
	return nil
}

func pair(mean, median float64) string { return hours(mean) + "/" + hours(median) }

// hours renders seconds compactly: 45m, 3.2h, 2.5d.
func hours(sec float64) string {
	d := time.Duration(sec * float64(time.Second))
	switch {
	case d == 0:
		return "-"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()+0.5))
	case d < 48*time.Hour:
		return fmt.Sprintf("%.1fh", d.Hours())
	}
	return fmt.Sprintf("%.1fd", d.Hours()/24)
}

func percent(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", *p)
}

func outcomeText(o apiOutcome) string {
	return fmt.Sprintf("%s (%d)", percent(o.MetPercent), o.Pending)
}

func countText(c apiCount) string {
	return fmt.Sprintf("%d (%.1f%%)", c.Count, c.Rate*100)
}

func newReportHeadlineCmd(f *clientFlags) *cobra.Command {
	var from, to string
	c := &cobra.Command{
		Use:   "headline [--from DATE --to DATE]",
		Short: "The support policy's promises, measured: first response within 1–3 h, mean resolution against 24 h",
		Long:  "Over the incidents created in [--from, --to); by default the last 365 days up to today.",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if from == "" && to == "" {
				today := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 1)
				from, to = today.AddDate(0, 0, -365).Format(time.DateOnly), today.Format(time.DateOnly)
			}
			v, err := reportRange(from, to)
			if err != nil {
				return err
			}
			v.Set("group_by", "type")
			cl, err := f.client()
			if err != nil {
				return err
			}
			var rep apiReport
			raw, err := cl.do(cmd.Context(), http.MethodGet, "/reports/tat?"+v.Encode(), nil, &rep, nil)
			if err != nil {
				return err
			}
			if f.json {
				return printJSON(cmd.OutOrStdout(), raw)
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), headline(&rep))
			return err
		},
	}
	c.Flags().StringVar(&from, "from", "", "start date, inclusive")
	c.Flags().StringVar(&to, "to", "", "end date, exclusive")
	return c
}

// headline states the policy's promises over the report's incidents.
func headline(rep *apiReport) string {
	period := rep.From.UTC().Format(time.DateOnly) + " – " + rep.To.UTC().Format(time.DateOnly)
	var inc *apiReportRow
	for i := range rep.Rows {
		if rep.Rows[i].Key == "incident" {
			inc = &rep.Rows[i]
		}
	}
	if inc == nil || inc.Tickets == 0 {
		return "no incidents created " + period
	}
	var b strings.Builder
	fmt.Fprintf(&b, "first response within 1–3 h: %s of incidents", percent(inc.Within3h.MetPercent))
	fmt.Fprintf(&b, " (%s met their policy's response target); ", percent(inc.SLA.Response.MetPercent))
	if inc.Resolution.Count == 0 {
		b.WriteString("no incident resolved yet")
	} else {
		fmt.Fprintf(&b, "mean resolution time: %.1f h against a 24 h goal (median %.1f h)",
			inc.Resolution.MeanWall/3600, inc.Resolution.MedianWall/3600)
	}
	fmt.Fprintf(&b, "\n%d incidents created %s; %d resolved; %d awaiting a first response for under 3 h",
		inc.Tickets, period, inc.Resolution.Count, inc.Within3h.Pending)
	return b.String()
}
