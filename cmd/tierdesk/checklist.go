package main

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/spf13/cobra"
)

// apiChecklist is a diagnosis checklist as the API answers it.
type apiChecklist struct {
	ID       int64 `json:"id"`
	Category struct {
		Name string `json:"name"`
	} `json:"category"`
	Service *struct {
		Name string `json:"name"`
	} `json:"service"`
	Items   []checklistItem `json:"items"`
	Version int             `json:"version"`
}

type checklistItem struct {
	Question map[string]string `json:"question"`
	Kind     string            `json:"kind"`
}

func newChecklistCmd() *cobra.Command {
	var f clientFlags
	c := &cobra.Command{Use: "checklist", Short: "Line 1's diagnosis checklists, and their answers on tickets",
		Long: "A diagnosis checklist is the ordered questions line 1 answers on a ticket of a category (and optionally\n" +
			"a service) before escalating it. Administrators write them; agents answer them; the answers are an\n" +
			"internal entry of the ticket's timeline that the next line reads. Escalating a ticket whose checklist\n" +
			"nobody answered needs a reason where the mode is require, and is only noted where it is warn."}
	f.register(c)
	c.AddCommand(newChecklistListCmd(&f), newChecklistShowCmd(&f), newChecklistWriteCmd(&f, false), newChecklistWriteCmd(&f, true),
		newChecklistDeleteCmd(&f), newChecklistModeCmd(&f), newChecklistTicketCmd(&f), newChecklistAnswerCmd(&f))
	return c
}

func checklistPath(ref string) (string, error) {
	if n, err := strconv.ParseInt(strings.TrimSpace(ref), 10, 64); err != nil || n <= 0 {
		return "", usagef("a checklist is named by its id: %q", ref)
	}
	return "/checklists/" + strings.TrimSpace(ref), nil
}

// checklistClient is the API client and the path of checklist ref.
func checklistClient(f *clientFlags, ref string) (*client, string, error) {
	path, err := checklistPath(ref)
	if err != nil {
		return nil, "", err
	}
	cl, err := f.client()
	return cl, path, err
}

func newChecklistListCmd(f *clientFlags) *cobra.Command {
	return &cobra.Command{Use: "list", Short: "List the checklists by category", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cl, err := f.client()
			if err != nil {
				return err
			}
			var page struct {
				Checklists []apiChecklist `json:"checklists"`
			}
			raw, err := cl.do(cmd.Context(), http.MethodGet, "/checklists", nil, &page, nil)
			if err != nil || f.json {
				return orNext(err, func() error { return printJSON(cmd.OutOrStdout(), raw) })
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tCATEGORY\tSERVICE\tQUESTIONS\tVERSION")
			for _, c := range page.Checklists {
				fmt.Fprintf(w, "%d\t%s\t%s\t%d\t%d\n", c.ID, c.Category.Name, checklistService(c), len(c.Items), c.Version)
			}
			return w.Flush()
		}}
}

func checklistService(c apiChecklist) string {
	if c.Service == nil {
		return "(any)"
	}
	return c.Service.Name
}

func printChecklist(w io.Writer, c apiChecklist) {
	fmt.Fprintf(w, "Checklist %d (version %d): %s, service %s\n", c.ID, c.Version, c.Category.Name, checklistService(c))
	for i, it := range c.Items {
		fmt.Fprintf(w, "%2d. [%s] %s\n", i+1, it.Kind, questionText(it.Question))
	}
}

// questionText is the question in both languages, English first.
func questionText(q map[string]string) string {
	var parts []string
	for _, l := range []string{"en", "ru"} {
		if q[l] != "" {
			parts = append(parts, q[l])
		}
	}
	return strings.Join(parts, " | ")
}

func newChecklistShowCmd(f *clientFlags) *cobra.Command {
	return &cobra.Command{Use: "show ID", Short: "Show a checklist's questions", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, path, err := checklistClient(f, args[0])
			if err != nil {
				return err
			}
			var c apiChecklist
			raw, err := cl.do(cmd.Context(), http.MethodGet, path, nil, &c, nil)
			if err != nil || f.json {
				return orNext(err, func() error { return printJSON(cmd.OutOrStdout(), raw) })
			}
			printChecklist(cmd.OutOrStdout(), c)
			return nil
		}}
}

// parseQuestion reads KIND:TEXT, where TEXT is "english | русский" or one
// language (told by its letters).
func parseQuestion(s string) (checklistItem, error) {
	kind, text, ok := strings.Cut(s, ":")
	kind = strings.TrimSpace(kind)
	if !ok || (kind != "yes_no" && kind != "text") {
		return checklistItem{}, usagef("--question is KIND:TEXT with KIND yes_no or text: %q", s)
	}
	q := map[string]string{}
	for part := range strings.SplitSeq(text, " | ") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		lang := "en"
		if strings.IndexFunc(part, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) >= 0 {
			lang = "ru"
		}
		if q[lang] != "" {
			return checklistItem{}, usagef("--question %q has two %s texts: write it as \"english | русский\"", s, lang)
		}
		q[lang] = part
	}
	if len(q) == 0 {
		return checklistItem{}, usagef("--question %q has no text", s)
	}
	return checklistItem{Question: q, Kind: kind}, nil
}

func newChecklistWriteCmd(f *clientFlags, update bool) *cobra.Command {
	var category, service int64
	var questions []string
	var version int
	use, short := "create --category ID [--service ID] --question KIND:TEXT...", "Create a category's checklist (administrators)"
	if update {
		use, short = "update ID --category ID [--service ID] --question KIND:TEXT...", "Replace a checklist's category, service and questions (administrators)"
	}
	c := &cobra.Command{Use: use, Short: short, Args: cobra.ExactArgs(map[bool]int{false: 0, true: 1}[update]),
		RunE: func(cmd *cobra.Command, args []string) error {
			if category <= 0 || len(questions) == 0 {
				return usagef("--category and at least one --question are required")
			}
			body := struct {
				CategoryID int64           `json:"category_id"`
				ServiceID  int64           `json:"service_id,omitempty"`
				Items      []checklistItem `json:"items"`
			}{CategoryID: category, ServiceID: service}
			for _, q := range questions {
				it, err := parseQuestion(q)
				if err != nil {
					return err
				}
				body.Items = append(body.Items, it)
			}
			method, path := http.MethodPost, "/checklists"
			if update {
				p, err := checklistPath(args[0])
				if err != nil {
					return err
				}
				method, path = http.MethodPut, p
			}
			cl, err := f.client()
			if err != nil {
				return err
			}
			var out apiChecklist
			raw, err := cl.do(cmd.Context(), method, path, body, &out, ifMatch(version))
			if err != nil || f.json {
				return orNext(err, func() error { return printJSON(cmd.OutOrStdout(), raw) })
			}
			printChecklist(cmd.OutOrStdout(), out)
			return nil
		}}
	c.Flags().Int64Var(&category, "category", 0, "the category (or subcategory) id (required)")
	c.Flags().Int64Var(&service, "service", 0, "the service id: the checklist covers only its tickets (default: any service)")
	c.Flags().StringArrayVar(&questions, "question", nil,
		`a question in order, KIND:TEXT with KIND yes_no or text and TEXT "english | русский" or one language (repeat)`)
	if update {
		c.Flags().IntVar(&version, "if-version", 0, "refuse the change if the checklist is no longer at this version")
	}
	return c
}

func newChecklistDeleteCmd(f *clientFlags) *cobra.Command {
	return &cobra.Command{Use: "delete ID", Short: "Delete a checklist (answers recorded with it stay)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, path, err := checklistClient(f, args[0])
			if err != nil {
				return err
			}
			if _, err := cl.do(cmd.Context(), http.MethodDelete, path, nil, nil, nil); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Deleted checklist %s\n", strings.TrimSpace(args[0]))
			return nil
		}}
}

func newChecklistModeCmd(f *clientFlags) *cobra.Command {
	return &cobra.Command{Use: "mode [warn|require]", Short: "Show or set what escalating an unanswered ticket takes",
		Long: "warn: the escalation goes through and the timeline says nobody answered (with the agent's reason if given).\n" +
			"require: the escalation is refused unless the agent says why the checklist is not answered.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, err := f.client()
			if err != nil {
				return err
			}
			var out struct {
				Mode string `json:"mode"`
			}
			method, body := http.MethodGet, any(nil)
			if len(args) == 1 {
				if args[0] != "warn" && args[0] != "require" {
					return usagef("the mode is warn or require, not %q", args[0])
				}
				method, body = http.MethodPut, map[string]string{"mode": args[0]}
			}
			raw, err := cl.do(cmd.Context(), method, "/diagnosis/mode", body, &out, nil)
			if err != nil || f.json {
				return orNext(err, func() error { return printJSON(cmd.OutOrStdout(), raw) })
			}
			fmt.Fprintln(cmd.OutOrStdout(), out.Mode)
			return nil
		}}
}
