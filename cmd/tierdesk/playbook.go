package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

// newPlaybookCmd is `tierdesk playbook`: the NIST SP 800-61 playbooks of
// security cases through the API. Staff list the templates and
// administrators keep them; a case's owners apply them and assign and
// reschedule the tasks; a task's assignee marks it done.
func newPlaybookCmd() *cobra.Command {
	c := &cobra.Command{Use: "playbook", Short: "Playbooks of security cases: templates and the cases' tasks (through the API)"}
	var f clientFlags
	f.register(c)
	c.AddCommand(newPlaybookTemplatesCmd(&f), newPlaybookTemplateCmd(&f), newPlaybookTasksCmd(&f), newPlaybookApplyCmd(&f),
		newPlaybookTaskCmd(&f, "assign TASK --user ID", "Assign a task to a member of the case's group or a person named on it (0: nobody)"),
		newPlaybookTaskCmd(&f, "due TASK --at TIME", "Move a task's due time (RFC 3339, such as 2026-12-08T09:00:00+01:00)"),
		newPlaybookTaskCmd(&f, "done TASK", "Mark a task done"),
		newPlaybookTaskCmd(&f, "undo TASK", "Mark a task not done"))
	return c
}

type playbookTemplate struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Lang        string `json:"lang"`
	Description string `json:"description"`
	Active      bool   `json:"active"`
	Rev         int    `json:"rev"`
	Steps       []struct {
		Phase           string `json:"phase"`
		Title           string `json:"title"`
		DueAfterMinutes int64  `json:"due_after_minutes"`
	} `json:"steps"`
}

type playbookTask struct {
	ID       int64  `json:"id"`
	Phase    string `json:"phase"`
	Title    string `json:"title"`
	DueAt    string `json:"due_at"`
	Overdue  bool   `json:"overdue"`
	Done     bool   `json:"done"`
	Assignee *struct {
		Name string `json:"name"`
	} `json:"assignee"`
}

func newPlaybookTemplatesCmd(f *clientFlags) *cobra.Command {
	return &cobra.Command{
		Use: "templates", Short: "List the playbook templates", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, err := f.client()
			if err != nil {
				return err
			}
			var out struct {
				Templates []playbookTemplate `json:"templates"`
			}
			raw, err := cl.do(cmd.Context(), http.MethodGet, "/playbook-templates", nil, &out, nil)
			if err != nil || f.json {
				return jsonOr(cmd, raw, err)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tLANG\tTASKS\tACTIVE")
			for _, t := range out.Templates {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%v\n", t.ID, t.Name, t.Lang, len(t.Steps), t.Active)
			}
			return tw.Flush()
		},
	}
}

// newPlaybookTemplateCmd is `playbook template show|add|edit`: a template
// as JSON (name, lang, description, steps: phase, title,
// due_after_minutes; active), read from a file or "-" for stdin.
func newPlaybookTemplateCmd(f *clientFlags) *cobra.Command {
	c := &cobra.Command{Use: "template", Short: "Show, add or change a playbook template (JSON; administrators change them)"}
	show := &cobra.Command{
		Use: "show ID", Short: "Show a template as JSON", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := idPath("/playbook-templates/", "TEMPLATE_ID", args[0])
			if err != nil {
				return err
			}
			cl, err := f.client()
			if err != nil {
				return err
			}
			raw, err := cl.do(cmd.Context(), http.MethodGet, path, nil, nil, nil)
			return jsonOr(cmd, raw, err)
		},
	}
	var file string
	add := &cobra.Command{
		Use: "add --file PATH", Short: "Add a template from a JSON file (- for stdin)", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return sendTemplate(cmd, f, http.MethodPost, "/playbook-templates", file)
		},
	}
	edit := &cobra.Command{
		Use: "edit ID --file PATH", Short: "Replace a template from a JSON file (- for stdin)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := idPath("/playbook-templates/", "TEMPLATE_ID", args[0])
			if err != nil {
				return err
			}
			return sendTemplate(cmd, f, http.MethodPut, path, file)
		},
	}
	for _, x := range []*cobra.Command{add, edit} {
		x.Flags().StringVar(&file, "file", "", "the template as JSON (- for stdin)")
	}
	c.AddCommand(show, add, edit)
	return c
}

func sendTemplate(cmd *cobra.Command, f *clientFlags, method, path, file string) error {
	if file == "" {
		return usagef("--file is required (- for stdin)")
	}
	var b []byte
	var err error
	if file == "-" {
		b, err = io.ReadAll(cmd.InOrStdin())
	} else {
		b, err = os.ReadFile(file)
	}
	if err != nil {
		return usagef("read %s: %v", file, err)
	}
	var body map[string]any
	if err := json.Unmarshal(b, &body); err != nil {
		return usagef("%s is not a JSON object: %v", file, err)
	}
	cl, err := f.client()
	if err != nil {
		return err
	}
	var out playbookTemplate
	raw, err := cl.do(cmd.Context(), method, path, body, &out, nil)
	if err != nil || f.json {
		return jsonOr(cmd, raw, err)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "template %d saved: %s (%s, %d tasks, revision %d)\n", out.ID, out.Name, out.Lang, len(out.Steps), out.Rev)
	return nil
}

func idPath(prefix, what, id string) (string, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return "", usagef("%s must be a number, not %q", what, id)
	}
	return prefix + id, nil
}

func newPlaybookTasksCmd(f *clientFlags) *cobra.Command {
	return &cobra.Command{
		Use: "tasks TICKET", Short: "List a security case's playbook tasks", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return showTasks(cmd, f, http.MethodGet, ticketPath(args[0])+"/playbook", nil)
		},
	}
}

func newPlaybookApplyCmd(f *clientFlags) *cobra.Command {
	var template int64
	c := &cobra.Command{
		Use: "apply TICKET --template ID", Short: "Put a template's tasks on a security case, due from awareness (else opening)",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if template <= 0 {
				return usagef("--template is required: a template's id (tierdesk playbook templates)")
			}
			return showTasks(cmd, f, http.MethodPost, ticketPath(args[0])+"/playbook", map[string]any{"template_id": template})
		},
	}
	c.Flags().Int64Var(&template, "template", 0, "the template's id")
	return c
}

func showTasks(cmd *cobra.Command, f *clientFlags, method, path string, body any) error {
	cl, err := f.client()
	if err != nil {
		return err
	}
	var out struct {
		Tasks   []playbookTask `json:"tasks"`
		Total   int            `json:"total"`
		Done    int            `json:"done"`
		Overdue int            `json:"overdue"`
	}
	raw, err := cl.do(cmd.Context(), method, path, body, &out, nil)
	if err != nil || f.json {
		return jsonOr(cmd, raw, err)
	}
	tw := tabwriter.NewWriter(cmd.OutOrStdout(), 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPHASE\tDUE\tASSIGNEE\tSTATE\tTASK")
	for _, k := range out.Tasks {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Phase, k.DueAt, assigneeName(k), taskState(k), k.Title)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%d tasks: %d done, %d overdue\n", out.Total, out.Done, out.Overdue)
	return nil
}

func assigneeName(k playbookTask) string {
	if k.Assignee == nil {
		return "-"
	}
	return k.Assignee.Name
}

func taskState(k playbookTask) string {
	switch {
	case k.Done:
		return "done"
	case k.Overdue:
		return "overdue"
	}
	return "open"
}

// newPlaybookTaskCmd builds assign, due, done and undo, which PATCH one
// task.
func newPlaybookTaskCmd(f *clientFlags, use, short string) *cobra.Command {
	var user int64
	var at string
	c := &cobra.Command{Use: use, Short: short, Args: cobra.ExactArgs(1)}
	c.RunE = func(cmd *cobra.Command, args []string) error {
		path, err := idPath("/playbook-tasks/", "TASK", args[0])
		if err != nil {
			return err
		}
		body := map[string]any{}
		switch c.Name() {
		case "assign":
			if !cmd.Flags().Changed("user") || user < 0 {
				return usagef("--user is required: a user's id (0: nobody)")
			}
			body["assignee_id"] = user
		case "due":
			t, err := time.Parse(time.RFC3339, at)
			if err != nil {
				return usagef("--at must be a time with its offset, such as 2026-12-08T09:00:00+01:00, not %q", at)
			}
			body["due_at"] = t.Format(time.RFC3339)
		default:
			body["done"] = c.Name() == "done"
		}
		cl, err := f.client()
		if err != nil {
			return err
		}
		var out playbookTask
		raw, err := cl.do(cmd.Context(), http.MethodPatch, path, body, &out, nil)
		if err != nil || f.json {
			return jsonOr(cmd, raw, err)
		}
		fmt.Fprintf(cmd.OutOrStdout(), "task %d: %s, due %s, %s: %s\n", out.ID, taskState(out), out.DueAt, assigneeName(out), out.Title)
		return nil
	}
	c.Flags().Int64Var(&user, "user", 0, "assign: the user's id (0: nobody)")
	c.Flags().StringVar(&at, "at", "", "due: the new due time (RFC 3339)")
	return c
}
