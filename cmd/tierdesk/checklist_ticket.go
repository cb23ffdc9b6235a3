package main

import (
	"fmt"
	"io"
	"net/http"

	"github.com/spf13/cobra"
)

type apiDiagnosis struct {
	Checklist *apiChecklist `json:"checklist"`
	Answered  bool          `json:"answered"`
	Mode      string        `json:"mode"`
	Diagnoses []struct {
		Answers []struct {
			Question map[string]string `json:"question"`
			Value    string            `json:"value"`
		} `json:"answers"`
		ByName string `json:"answered_by_name"`
		At     string `json:"answered_at"`
	} `json:"diagnoses"`
}

func printDiagnosis(w io.Writer, ref string, d apiDiagnosis) {
	if d.Checklist == nil {
		fmt.Fprintf(w, "%s: its category has no diagnosis checklist\n", ref)
	} else {
		state := "not answered"
		if d.Answered {
			state = "answered"
		}
		fmt.Fprintf(w, "%s: checklist %d, %s (escalating unanswered: %s)\n", ref, d.Checklist.ID, state, d.Mode)
		for i, it := range d.Checklist.Items {
			fmt.Fprintf(w, "%2d. [%s] %s\n", i+1, it.Kind, questionText(it.Question))
		}
	}
	for _, dx := range d.Diagnoses {
		fmt.Fprintf(w, "\nAnswered by %s at %s:\n", dx.ByName, dx.At)
		for _, a := range dx.Answers {
			fmt.Fprintf(w, "  %s — %s\n", questionText(a.Question), a.Value)
		}
	}
}

func newChecklistTicketCmd(f *clientFlags) *cobra.Command {
	return &cobra.Command{Use: "ticket ID|NUMBER", Short: "Show a ticket's checklist and the answers recorded on it", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, err := f.client()
			if err != nil {
				return err
			}
			var d apiDiagnosis
			raw, err := cl.do(cmd.Context(), http.MethodGet, ticketPath(args[0])+"/diagnosis", nil, &d, nil)
			if err != nil || f.json {
				return orNext(err, func() error { return printJSON(cmd.OutOrStdout(), raw) })
			}
			printDiagnosis(cmd.OutOrStdout(), args[0], d)
			return nil
		}}
}

func newChecklistAnswerCmd(f *clientFlags) *cobra.Command {
	var answers []string
	c := &cobra.Command{Use: "answer ID|NUMBER --answer VALUE...", Short: "Answer a ticket's checklist, one --answer a question in order",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(answers) == 0 {
				return usagef("give one --answer a question, in order (yes or no, or text)")
			}
			cl, err := f.client()
			if err != nil {
				return err
			}
			raw, err := cl.do(cmd.Context(), http.MethodPost, ticketPath(args[0])+"/diagnosis", map[string]any{"answers": answers}, nil, nil)
			if err != nil || f.json {
				return orNext(err, func() error { return printJSON(cmd.OutOrStdout(), raw) })
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Recorded %d answers on %s\n", len(answers), args[0])
			return nil
		}}
	c.Flags().StringArrayVar(&answers, "answer", nil, "yes, no or text, one a question in order (repeat)")
	return c
}
