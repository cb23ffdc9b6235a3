package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

// apiProblem is a problem record as the API answers it.
type apiProblem struct {
	ID          int64  `json:"id"`
	Number      string `json:"number"`
	Title       string `json:"title"`
	Description string `json:"description"`
	RootCause   string `json:"root_cause"`
	Impact      string `json:"impact"`
	State       string `json:"state"`
	Group       *struct {
		Name string `json:"name"`
	} `json:"group"`
	Workaround string `json:"workaround"`
	Fix        string `json:"fix"`
	References []struct {
		Text string `json:"text"`
		URL  string `json:"url"`
	} `json:"references"`
	Incidents int `json:"incidents"`
	Version   int `json:"version"`
}

type apiBroadcast struct {
	ID      int64   `json:"id"`
	Kind    string  `json:"kind"`
	Done    int     `json:"done"`
	Skipped int     `json:"skipped"`
	Batches int     `json:"batches"`
	MaxTxMs float64 `json:"max_transaction_ms"`
	Finish  *string `json:"finished_at"`
}

func newProblemCmd() *cobra.Command {
	var f clientFlags
	c := &cobra.Command{Use: "problem", Short: "Work with problem records and known errors through a Tierdesk server's API",
		Long: "Problems (PRB-000123) collect the incidents of one root cause. A problem moves new → investigating →\n" +
			"known_error (with a workaround) → resolved (with the permanent fix) → closed. Publishing a workaround\n" +
			"writes it to every open linked incident in the background; resolving can resolve them all."}
	f.register(c)
	c.AddCommand(newProblemListCmd(&f), newProblemShowCmd(&f), newProblemCreateCmd(&f), newProblemEditCmd(&f),
		newProblemMoveCmd(&f), newProblemLinkCmd(&f), newProblemUnlinkCmd(&f), newProblemWorkaroundCmd(&f),
		newProblemResolveCmd(&f), newProblemCandidatesCmd(&f))
	return c
}

// problemPath checks a problem reference and returns its API path.
func problemPath(ref, suffix string) (string, error) {
	s := strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(ref)), "PRB-")
	if n, err := strconv.ParseInt(s, 10, 64); err != nil || n <= 0 {
		return "", usagef("a problem is named by its number (PRB-000012) or id: %q", ref)
	}
	return "/problems/" + url.PathEscape(strings.TrimSpace(ref)) + suffix, nil
}

// problemClient is the API client and the path of a problem's action.
func problemClient(f *clientFlags, ref, suffix string) (*client, string, error) {
	cl, err := f.client()
	if err != nil {
		return nil, "", err
	}
	path, err := problemPath(ref, suffix)
	return cl, path, err
}

func ifMatch(version int) http.Header {
	h := http.Header{}
	if version > 0 {
		h.Set("If-Match", strconv.Quote(strconv.Itoa(version)))
	}
	return h
}

func newProblemListCmd(f *clientFlags) *cobra.Command {
	var q, state string
	var limit int
	c := &cobra.Command{Use: "list", Short: "List problems, newest first", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cl, err := f.client()
			if err != nil {
				return err
			}
			v := url.Values{}
			if q != "" {
				v.Set("q", q)
			}
			if state != "" {
				v.Set("state", state)
			}
			if limit > 0 {
				v.Set("limit", strconv.Itoa(limit))
			}
			var page struct {
				Problems []apiProblem `json:"problems"`
			}
			raw, err := cl.do(cmd.Context(), http.MethodGet, "/problems?"+v.Encode(), nil, &page, nil)
			if err != nil || f.json {
				return orNext(err, func() error { return printJSON(cmd.OutOrStdout(), raw) })
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "NUMBER\tSTATE\tIMPACT\tINCIDENTS\tTITLE")
			for _, p := range page.Problems {
				fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\n", p.Number, p.State, p.Impact, p.Incidents, p.Title)
			}
			return w.Flush()
		}}
	c.Flags().StringVar(&q, "q", "", "text in the number or title")
	c.Flags().StringVar(&state, "state", "", "new, investigating, known_error, resolved or closed (comma-separated)")
	c.Flags().IntVar(&limit, "limit", 0, "how many (default 50)")
	return c
}

func newProblemShowCmd(f *clientFlags) *cobra.Command {
	return &cobra.Command{Use: "show PROBLEM", Short: "Print a problem with its incidents", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, path, err := problemClient(f, args[0], "")
			if err != nil {
				return err
			}
			var p apiProblem
			raw, err := cl.do(cmd.Context(), http.MethodGet, path, nil, &p, nil)
			if err != nil || f.json {
				return orNext(err, func() error { return printJSON(cmd.OutOrStdout(), raw) })
			}
			var inc struct {
				Incidents []struct {
					Ticket struct {
						Number string `json:"number"`
						State  string `json:"state"`
						Title  string `json:"title"`
					} `json:"ticket"`
				} `json:"incidents"`
				Hidden int `json:"hidden"`
			}
			if _, err := cl.do(cmd.Context(), http.MethodGet, path+"/incidents?limit=500", nil, &inc, nil); err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "%s  %s  (%s, impact %s, version %d)\n", p.Number, p.Title, p.State, p.Impact, p.Version)
			for _, s := range [][2]string{{"Description", p.Description}, {"Root cause", p.RootCause}, {"Workaround", p.Workaround}, {"Fix", p.Fix}} {
				if s[1] != "" {
					fmt.Fprintf(out, "\n%s:\n%s\n", s[0], s[1])
				}
			}
			for _, r := range p.References {
				fmt.Fprintf(out, "reference: %s %s\n", r.Text, r.URL)
			}
			fmt.Fprintf(out, "\n%d incidents", p.Incidents)
			if inc.Hidden > 0 {
				fmt.Fprintf(out, " (%d you may not see)", inc.Hidden)
			}
			fmt.Fprintln(out)
			for _, i := range inc.Incidents {
				fmt.Fprintf(out, "  %s  %-11s  %s\n", i.Ticket.Number, i.Ticket.State, i.Ticket.Title)
			}
			return nil
		}}
}

func newProblemCreateCmd(f *clientFlags) *cobra.Command {
	var title, desc, impact, from string
	var refs []string
	c := &cobra.Command{Use: "create", Short: "Record a problem, or one from an incident with --from-ticket", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cl, err := f.client()
			if err != nil {
				return err
			}
			if title == "" && from == "" {
				return usagef("give --title, or --from-ticket to take it from an incident")
			}
			body := map[string]any{"title": title, "description": desc, "from_ticket": from, "references": references(refs)}
			if impact != "" {
				body["impact"] = impact
			}
			var p apiProblem
			raw, err := cl.do(cmd.Context(), http.MethodPost, "/problems", body, &p, nil)
			if err != nil || f.json {
				return orNext(err, func() error { return printJSON(cmd.OutOrStdout(), raw) })
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s recorded: %s\n", p.Number, p.Title)
			return nil
		}}
	c.Flags().StringVar(&title, "title", "", "what goes wrong")
	c.Flags().StringVar(&desc, "description", "", "more about it")
	c.Flags().StringVar(&impact, "impact", "", "high, medium or low (default medium)")
	c.Flags().StringVar(&from, "from-ticket", "", "an incident to prefill from and link")
	c.Flags().StringArrayVar(&refs, "reference", nil, "a change or other reference: text, or a URL (repeatable)")
	return c
}

// references turns --reference values into references: URLs as such.
func references(vals []string) []map[string]string {
	out := []map[string]string{}
	for _, v := range vals {
		if strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") {
			out = append(out, map[string]string{"text": v, "url": v})
		} else {
			out = append(out, map[string]string{"text": v})
		}
	}
	return out
}

func newProblemEditCmd(f *clientFlags) *cobra.Command {
	var version int
	fields := map[string]*string{}
	names := []string{"title", "description", "root-cause", "impact", "fix"}
	c := &cobra.Command{Use: "edit PROBLEM", Short: "Change a problem's fields", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, path, err := problemClient(f, args[0], "")
			if err != nil {
				return err
			}
			body := map[string]any{}
			for _, n := range names {
				if cmd.Flags().Changed(n) {
					body[strings.ReplaceAll(n, "-", "_")] = *fields[n]
				}
			}
			if len(body) == 0 {
				return usagef("nothing to change: give at least one of --%s", strings.Join(names, ", --"))
			}
			var p apiProblem
			raw, err := cl.do(cmd.Context(), http.MethodPatch, path, body, &p, ifMatch(version))
			if err != nil || f.json {
				return orNext(err, func() error { return printJSON(cmd.OutOrStdout(), raw) })
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s changed (version %d)\n", p.Number, p.Version)
			return nil
		}}
	for _, n := range names {
		fields[n] = new(string)
		c.Flags().StringVar(fields[n], n, "", "new "+strings.ReplaceAll(n, "-", " "))
	}
	c.Flags().IntVar(&version, "version", 0, "refuse if the problem is no longer at this version")
	return c
}

func newProblemMoveCmd(f *clientFlags) *cobra.Command {
	var version int
	c := &cobra.Command{Use: "move PROBLEM STATE", Short: "Change a problem's state (investigating, known_error, resolved, closed)",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return problemPost(cmd, f, args[0], "/state", map[string]any{"state": args[1]}, version)
		}}
	c.Flags().IntVar(&version, "version", 0, "refuse if the problem is no longer at this version")
	return c
}

// problemPost posts body to a problem's action and prints the outcome.
func problemPost(cmd *cobra.Command, f *clientFlags, ref, suffix string, body any, version int) error {
	cl, path, err := problemClient(f, ref, suffix)
	if err != nil {
		return err
	}
	var out struct {
		apiProblem
		Problem   *apiProblem   `json:"problem"`
		Broadcast *apiBroadcast `json:"broadcast"`
	}
	raw, err := cl.do(cmd.Context(), http.MethodPost, path, body, &out, ifMatch(version))
	if err != nil || f.json {
		return orNext(err, func() error { return printJSON(cmd.OutOrStdout(), raw) })
	}
	p := &out.apiProblem
	if out.Problem != nil {
		p = out.Problem
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s is %s (version %d)\n", p.Number, p.State, p.Version)
	if out.Broadcast != nil {
		fmt.Fprintf(cmd.OutOrStdout(), "the open linked incidents are being written in the background (broadcast %d, %s)\n",
			out.Broadcast.ID, out.Broadcast.Kind)
	}
	return nil
}

func newProblemLinkCmd(f *clientFlags) *cobra.Command {
	return &cobra.Command{Use: "link PROBLEM TICKET...", Short: "Link incidents to a problem (those in progress go on hold awaiting it)",
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, path, err := problemClient(f, args[0], "/incidents")
			if err != nil {
				return err
			}
			var res struct {
				Linked  []string `json:"linked"`
				Held    []string `json:"held"`
				Skipped []struct {
					Ticket, Reason string
				} `json:"skipped"`
			}
			raw, err := cl.do(cmd.Context(), http.MethodPost, path, map[string]any{"tickets": args[1:]}, &res, nil)
			if err != nil || f.json {
				return orNext(err, func() error { return printJSON(cmd.OutOrStdout(), raw) })
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "linked: %s\n", strings.Join(res.Linked, ", "))
			if len(res.Held) > 0 {
				fmt.Fprintf(out, "on hold awaiting the problem: %s\n", strings.Join(res.Held, ", "))
			}
			for _, s := range res.Skipped {
				fmt.Fprintf(out, "not linked: %s: %s\n", s.Ticket, s.Reason)
			}
			if len(res.Skipped) > 0 {
				return fmt.Errorf("%d of %d tickets were not linked", len(res.Skipped), len(args)-1)
			}
			return nil
		}}
}

func newProblemUnlinkCmd(f *clientFlags) *cobra.Command {
	return &cobra.Command{Use: "unlink PROBLEM TICKET", Short: "Unlink an incident from a problem", Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, path, err := problemClient(f, args[0], "/incidents/"+url.PathEscape(args[1]))
			if err != nil {
				return err
			}
			if _, err := cl.do(cmd.Context(), http.MethodDelete, path, nil, nil, nil); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s unlinked from %s\n", args[1], args[0])
			return nil
		}}
}

func newProblemWorkaroundCmd(f *clientFlags) *cobra.Command {
	var text string
	var public bool
	var version int
	c := &cobra.Command{Use: "workaround PROBLEM", Short: "Publish or update the workaround: a known error, written to every open incident",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if strings.TrimSpace(text) == "" {
				return usagef("give the workaround with --text")
			}
			return problemPost(cmd, f, args[0], "/workaround", map[string]any{"text": text, "public": public}, version)
		}}
	c.Flags().StringVar(&text, "text", "", "the workaround")
	c.Flags().BoolVar(&public, "public", false, "also post it to each incident's requester")
	c.Flags().IntVar(&version, "version", 0, "refuse if the problem is no longer at this version")
	return c
}

func newProblemResolveCmd(f *clientFlags) *cobra.Command {
	var fix, code string
	var incidents bool
	var version int
	c := &cobra.Command{Use: "resolve PROBLEM", Short: "Resolve a problem with its permanent fix, optionally its incidents too",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return problemPost(cmd, f, args[0], "/resolution", map[string]any{"fix": fix, "resolve_incidents": incidents,
				"resolution_code": code}, version)
		}}
	c.Flags().StringVar(&fix, "fix", "", "the permanent fix (default: the one recorded)")
	c.Flags().BoolVar(&incidents, "incidents", false, "resolve every open linked incident with the fix too")
	c.Flags().StringVar(&code, "code", "", "the incidents' resolution code (default solved)")
	c.Flags().IntVar(&version, "version", 0, "refuse if the problem is no longer at this version")
	return c
}

func newProblemCandidatesCmd(f *clientFlags) *cobra.Command {
	var window string
	var minN int
	c := &cobra.Command{Use: "candidates", Short: "Clusters of recent incidents with the same category and service and no problem",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cl, err := f.client()
			if err != nil {
				return err
			}
			v := url.Values{}
			if window != "" {
				v.Set("window", window)
			}
			if minN > 0 {
				v.Set("min", strconv.Itoa(minN))
			}
			var out struct {
				Candidates []struct {
					Category  *struct{ Name string } `json:"category"`
					Service   *struct{ Name string } `json:"service"`
					Incidents int                    `json:"incidents"`
					Tickets   []string               `json:"tickets"`
				} `json:"candidates"`
			}
			raw, err := cl.do(cmd.Context(), http.MethodGet, "/problem-candidates?"+v.Encode(), nil, &out, nil)
			if err != nil || f.json {
				return orNext(err, func() error { return printJSON(cmd.OutOrStdout(), raw) })
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "INCIDENTS\tCATEGORY\tSERVICE\tNEWEST")
			for _, c := range out.Candidates {
				svc := "-"
				if c.Service != nil {
					svc = c.Service.Name
				}
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", c.Incidents, c.Category.Name, svc, strings.Join(c.Tickets, " "))
			}
			return w.Flush()
		}}
	c.Flags().StringVar(&window, "window", "", "how far back, e.g. 72h (default 168h)")
	c.Flags().IntVar(&minN, "min", 0, "incidents per cluster at least (default 3)")
	return c
}
