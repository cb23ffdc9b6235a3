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

// newArticleEditorCmd grants, withdraws and lists the knowledge_editor
// permission (tierdesk article editor grant|revoke|list) over the API:
// administrators and knowledge editors write articles.
func newArticleEditorCmd(f *clientFlags) *cobra.Command {
	c := &cobra.Command{Use: "editor", Short: "Grant, withdraw or list the knowledge_editor permission"}
	for _, verb := range []string{"grant", "revoke"} {
		method, short := http.MethodPut, "Let a member of staff write articles (administrators only)"
		if verb == "revoke" {
			method, short = http.MethodDelete, "Withdraw a member of staff's knowledge_editor (administrators only)"
		}
		c.AddCommand(&cobra.Command{Use: verb + " USER", Short: short + "; USER is an id or an e-mail address", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				cl, err := f.client()
				if err != nil {
					return err
				}
				id, err := userRef(cmd, cl, args[0])
				if err != nil {
					return err
				}
				if _, err := cl.do(cmd.Context(), method, fmt.Sprintf("/knowledge-editors/%d", id), nil, nil, nil); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "user %d: knowledge_editor %sed\n", id, map[string]string{"grant": "grant", "revoke": "revok"}[verb])
				return nil
			}})
	}
	c.AddCommand(&cobra.Command{Use: "list", Short: "List the knowledge editors", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cl, err := f.client()
			if err != nil {
				return err
			}
			var out struct {
				Editors []struct {
					ID    int64  `json:"id"`
					Name  string `json:"name"`
					Email string `json:"email"`
					Role  string `json:"role"`
				} `json:"editors"`
			}
			raw, err := cl.do(cmd.Context(), http.MethodGet, "/knowledge-editors", nil, &out, nil)
			if err != nil || f.json {
				return orNext(err, func() error { return printJSON(cmd.OutOrStdout(), raw) })
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tROLE\tEMAIL\tNAME")
			for _, e := range out.Editors {
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", e.ID, e.Role, e.Email, e.Name)
			}
			return w.Flush()
		}})
	return c
}

// userRef is the id of the user named by an id or an exact e-mail address.
func userRef(cmd *cobra.Command, cl *client, ref string) (int64, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil && id > 0 {
		return id, nil
	}
	if !strings.Contains(ref, "@") {
		return 0, usagef("a user is named by their id or e-mail address: %q", ref)
	}
	var page struct {
		Users []struct {
			ID    int64  `json:"id"`
			Email string `json:"email"`
		} `json:"users"`
	}
	if _, err := cl.do(cmd.Context(), http.MethodGet, "/users?"+url.Values{"q": {ref}}.Encode(), nil, &page, nil); err != nil {
		return 0, err
	}
	for _, u := range page.Users {
		if strings.EqualFold(u.Email, ref) {
			return u.ID, nil
		}
	}
	return 0, usagef("no user with the e-mail address %q", ref)
}
