package main

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/knowledge"
)

// apiArticle is an article as the API sends it.
type apiArticle struct {
	ID           int64                   `json:"id"`
	Key          string                  `json:"key"`
	Translations []knowledge.Translation `json:"translations"`
	Category     *desk.Ref               `json:"category"`
	Services     []desk.Ref              `json:"services"`
	Keywords     []string                `json:"keywords"`
	Audience     knowledge.Audience      `json:"audience"`
	State        knowledge.State         `json:"state"`
	Owner        *desk.Ref               `json:"owner"`
	ReviewAt     *string                 `json:"review_at"`
	Version      int                     `json:"version"`
}

func (a *apiArticle) article() *knowledge.Article {
	out := &knowledge.Article{ID: a.ID, Version: a.Version, Content: knowledge.Content{Key: a.Key, Translations: a.Translations,
		Category: a.Category, Services: a.Services, Keywords: a.Keywords, Audience: a.Audience, State: a.State, Owner: a.Owner}}
	if a.ReviewAt != nil {
		if t, err := time.Parse(time.DateOnly, *a.ReviewAt); err == nil {
			out.ReviewAt = &t
		}
	}
	return out
}

func newArticleCmd() *cobra.Command {
	var f clientFlags
	c := &cobra.Command{Use: "article", Short: "Work with knowledge-base articles through a Tierdesk server's API",
		Long: "Articles are Markdown files with YAML front matter, one file per translation (<key>.<lang>.md):\n\n" +
			"  ---\n  key: printer-offline\n  lang: en            # en or ru\n  title: Printer shows offline\n" +
			"  audience: public    # public or internal (default internal)\n  state: published    # draft, published or retired\n" +
			"  category: Printers  # a category's name\n  services: [E-mail]\n  keywords: [spooler, queue]\n  review: 2027-06-01\n  ---\n  Markdown text\n"}
	f.register(c)
	c.AddCommand(newArticleListCmd(&f), newArticleShowCmd(&f), newArticleCreateCmd(&f), newArticleEditCmd(&f),
		newArticleStateCmd(&f, "publish", knowledge.Published), newArticleStateCmd(&f, "retire", knowledge.Retired),
		newArticleImportCmd(&f), newArticleExportCmd(&f), newArticleEditorCmd(&f))
	return c
}

func newArticleListCmd(f *clientFlags) *cobra.Command {
	var q, state string
	var limit int
	c := &cobra.Command{Use: "list", Short: "List articles, or search them with --q", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cl, err := f.client()
			if err != nil {
				return err
			}
			v := url.Values{}
			for k, val := range map[string]string{"q": q, "state": state} {
				if val != "" {
					v.Set(k, val)
				}
			}
			if limit > 0 {
				v.Set("limit", strconv.Itoa(limit))
			}
			var page struct {
				Articles []apiArticle `json:"articles"`
				Hits     []struct {
					Article apiArticle `json:"article"`
				} `json:"hits"`
			}
			raw, err := cl.do(cmd.Context(), http.MethodGet, "/articles?"+v.Encode(), nil, &page, nil)
			if err != nil || f.json {
				return orNext(err, func() error { return printJSON(cmd.OutOrStdout(), raw) })
			}
			for _, h := range page.Hits {
				page.Articles = append(page.Articles, h.Article)
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tSTATE\tAUDIENCE\tVERSION\tKEY\tTITLE")
			for _, a := range page.Articles {
				fmt.Fprintf(w, "%d\t%s\t%s\t%d\t%s\t%s\n", a.ID, a.State, a.Audience, a.Version, a.Key, a.article().Translation("en").Title)
			}
			return w.Flush()
		}}
	c.Flags().StringVar(&q, "q", "", "search words (Russian and English stemming)")
	c.Flags().StringVar(&state, "state", "", "draft, published or retired (comma-separated)")
	c.Flags().IntVar(&limit, "limit", 0, "how many (default 50)")
	return c
}

// orNext returns err, or runs next when there is none.
func orNext(err error, next func() error) error {
	if err != nil {
		return err
	}
	return next()
}

// getArticle reads one article.
func getArticle(cmd *cobra.Command, cl *client, ref string) (*apiArticle, error) {
	id, err := strconv.ParseInt(ref, 10, 64)
	if err != nil || id <= 0 {
		return nil, usagef("an article is named by its id, a positive number: %q", ref)
	}
	var a apiArticle
	_, err = cl.do(cmd.Context(), http.MethodGet, fmt.Sprintf("/articles/%d", id), nil, &a, nil)
	return &a, err
}

func newArticleShowCmd(f *clientFlags) *cobra.Command {
	var lang string
	c := &cobra.Command{Use: "show ID", Short: "Print an article as its Markdown file", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, err := f.client()
			if err != nil {
				return err
			}
			a, err := getArticle(cmd, cl, args[0])
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(knowledge.FormatFile(a.article(), lang))
			return err
		}}
	c.Flags().StringVar(&lang, "lang", "en", "the translation to print (en or ru; the other when it has only one)")
	return c
}

func newArticleStateCmd(f *clientFlags, verb string, to knowledge.State) *cobra.Command {
	var note string
	var version int
	c := &cobra.Command{Use: verb + " ID", Short: fmt.Sprintf("Make an article %s", to), Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, err := f.client()
			if err != nil {
				return err
			}
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id <= 0 {
				return usagef("an article is named by its id, a positive number: %q", args[0])
			}
			h := http.Header{}
			if version > 0 {
				h.Set("If-Match", strconv.Quote(strconv.Itoa(version)))
			}
			var a apiArticle
			raw, err := cl.do(cmd.Context(), http.MethodPost, fmt.Sprintf("/articles/%d/%s", id, verb), map[string]string{"note": note}, &a, h)
			if err != nil || f.json {
				return orNext(err, func() error { return printJSON(cmd.OutOrStdout(), raw) })
			}
			fmt.Fprintf(cmd.OutOrStdout(), "article %d is %s (version %d)\n", a.ID, a.State, a.Version)
			return nil
		}}
	c.Flags().StringVar(&note, "note", "", "why (kept with the version)")
	c.Flags().IntVar(&version, "version", 0, "refuse if the article is no longer at this version")
	return c
}

// readFiles parses article files, naming each bad one.
func readFiles(paths []string) (map[string]*knowledge.File, []string) {
	files := map[string]*knowledge.File{}
	var bad []string
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			bad = append(bad, fmt.Sprintf("%s: %v", p, err))
			continue
		}
		fl, err := knowledge.ParseFile(data)
		if err != nil {
			bad = append(bad, fmt.Sprintf("%s: %v", p, err))
			continue
		}
		files[p] = fl
	}
	return files, bad
}
