package main

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tierdesk/tierdesk/internal/knowledge"
)

// importItem is one article of a folder: its files and what to send.
type importItem struct {
	key   string
	paths []string
	in    knowledge.Input
	state knowledge.State
}

// catalogueNames maps category and service names to ids.
type catalogueNames struct{ categories, services map[string]int64 }

func loadCatalogueNames(cmd *cobra.Command, cl *client) (*catalogueNames, error) {
	var cats struct {
		Categories []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"categories"`
	}
	var svcs struct {
		Services []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"services"`
	}
	if _, err := cl.do(cmd.Context(), http.MethodGet, "/categories", nil, &cats, nil); err != nil {
		return nil, err
	}
	if _, err := cl.do(cmd.Context(), http.MethodGet, "/services", nil, &svcs, nil); err != nil {
		return nil, err
	}
	n := &catalogueNames{categories: map[string]int64{}, services: map[string]int64{}}
	for _, c := range cats.Categories {
		n.categories[strings.ToLower(c.Name)] = c.ID
	}
	for _, s := range svcs.Services {
		n.services[strings.ToLower(s.Name)] = s.ID
	}
	return n, nil
}

// buildItems groups the files by key and checks each article as the
// server would (languages, sizes, names of categories and services),
// naming the file of every problem.
func buildItems(files map[string]*knowledge.File, names *catalogueNames) ([]*importItem, []string) {
	byKey := map[string]*importItem{}
	var bad []string
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		fl := files[p]
		it := byKey[fl.Key]
		if it == nil {
			it = &importItem{key: fl.Key, in: knowledge.Input{Key: fl.Key, Audience: knowledge.Audience(fl.Audience), Keywords: fl.Keywords,
				ReviewAt: fl.ReviewAt(), Note: "imported"}, state: knowledge.State(fl.State)}
			byKey[fl.Key] = it
			if fl.Category != "" {
				if it.in.CategoryID = names.categories[strings.ToLower(fl.Category)]; it.in.CategoryID == 0 {
					bad = append(bad, fmt.Sprintf("%s: category: no category named %q", p, fl.Category))
				}
			}
			for _, s := range fl.Services {
				id := names.services[strings.ToLower(s)]
				if id == 0 {
					bad = append(bad, fmt.Sprintf("%s: services: no service named %q", p, s))
				}
				it.in.ServiceIDs = append(it.in.ServiceIDs, id)
			}
		}
		for i, t := range it.in.Translations {
			if t.Lang == fl.Lang {
				bad = append(bad, fmt.Sprintf("%s: lang: %s has a %s translation already in %s", p, fl.Key, fl.Lang, it.paths[i]))
			}
		}
		it.paths = append(it.paths, p)
		it.in.Translations = append(it.in.Translations, knowledge.Translation{Lang: fl.Lang, Title: fl.Title, Body: fl.Body})
	}
	var items []*importItem
	for _, it := range byKey {
		in := it.in
		in.Translations = slices.Clone(in.Translations)
		in.Normalize()
		if err := in.Validate(); err != nil {
			bad = append(bad, fmt.Sprintf("%s: %v", strings.Join(it.paths, ", "), err))
		}
		items = append(items, it)
	}
	slices.SortFunc(items, func(a, b *importItem) int { return strings.Compare(a.key, b.key) })
	return items, bad
}

// articleBodyOf is the API body of an import item.
func articleBodyOf(in knowledge.Input) map[string]any {
	b := map[string]any{"key": in.Key, "translations": in.Translations, "category_id": in.CategoryID, "service_ids": in.ServiceIDs,
		"keywords": in.Keywords, "audience": string(in.Audience), "note": in.Note}
	if in.ReviewAt != nil {
		b["review_at"] = in.ReviewAt.Format("2006-01-02")
	}
	if in.ServiceIDs == nil {
		b["service_ids"] = []int64{}
	}
	if in.Keywords == nil {
		b["keywords"] = []string{}
	}
	return b
}

// existingByKey lists the desk's articles by key: their own, and for an
// article without one the key its exported files carry (article-<id>,
// knowledge.FileKey) unless an article holds that key as its own. So a
// folder exported from this desk imports back onto the same articles.
func existingByKey(cmd *cobra.Command, cl *client) (map[string]apiArticle, error) {
	out := map[string]apiArticle{}
	var keyless []apiArticle
	cursor := ""
	for {
		var page struct {
			Articles   []apiArticle `json:"articles"`
			NextCursor string       `json:"next_cursor"`
		}
		if _, err := cl.do(cmd.Context(), http.MethodGet, "/articles?limit=500&cursor="+url.QueryEscape(cursor), nil, &page, nil); err != nil {
			return nil, err
		}
		for _, a := range page.Articles {
			if a.Key != "" {
				out[a.Key] = a
			} else {
				keyless = append(keyless, a)
			}
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	for _, a := range keyless {
		if k := knowledge.FileKey(a.article()); out[k].ID == 0 {
			out[k] = a
		}
	}
	return out, nil
}

// errBadFiles ends an import that found bad files (listed on stderr).
var errBadFiles = errors.New("nothing imported")

func newArticleImportCmd(f *clientFlags) *cobra.Command {
	return &cobra.Command{Use: "import DIR", Short: "Import a folder of Markdown articles: all of them, or none if any file is bad",
		Args: cobra.ExactArgs(1), RunE: func(cmd *cobra.Command, args []string) error {
			paths, err := filepath.Glob(filepath.Join(args[0], "*.md"))
			if err != nil {
				return usagef("%v", err)
			}
			if len(paths) == 0 {
				return usagef("no .md files in %s", args[0])
			}
			cl, err := f.client()
			if err != nil {
				return err
			}
			return importArticles(cmd, cl, paths)
		}}
}

// importArticles checks every file first and imports nothing when one is
// bad; then creates the new articles and edits the existing ones (matched
// by key), moving each to the state its files name.
func importArticles(cmd *cobra.Command, cl *client, paths []string) error {
	files, bad := readFiles(paths)
	names, err := loadCatalogueNames(cmd, cl)
	if err != nil {
		return err
	}
	items, more := buildItems(files, names)
	if bad = append(bad, more...); len(bad) > 0 {
		slices.Sort(bad)
		for _, b := range bad {
			fmt.Fprintln(cmd.ErrOrStderr(), b)
		}
		return fmt.Errorf("%d problem(s) in %d file(s): %w", len(bad), len(paths), errBadFiles)
	}
	existing, err := existingByKey(cmd, cl)
	if err != nil {
		return err
	}
	created, edited, same := 0, 0, 0
	for _, it := range items {
		a, did, err := putItem(cmd, cl, it, existing)
		if err != nil {
			return fmt.Errorf("%s: %w", strings.Join(it.paths, ", "), err)
		}
		switch did {
		case "created":
			created++
		case "edited":
			edited++
		default:
			same++
		}
		if err := moveTo(cmd, cl, a, it.state); err != nil {
			return fmt.Errorf("%s: %w", strings.Join(it.paths, ", "), err)
		}
	}
	fmt.Fprintf(cmd.OutOrStdout(), "imported %d articles: %d new, %d edited, %d unchanged\n", len(items), created, edited, same)
	return nil
}

// putItem creates the item's article, or edits the existing one of its
// key unless its content is already the item's (no version is added
// then): did is "created", "edited" or "unchanged". An article without a
// key matched by its exported file key keeps having none.
func putItem(cmd *cobra.Command, cl *client, it *importItem, existing map[string]apiArticle) (*apiArticle, string, error) {
	var a apiArticle
	cur, ok := existing[it.key]
	if !ok {
		_, err := cl.do(cmd.Context(), http.MethodPost, "/articles", articleBodyOf(it.in), &a, nil)
		return &a, "created", err
	}
	in := it.in
	if cur.Key == "" {
		in.Key = ""
	}
	if sameContent(&cur, in) {
		return &cur, "unchanged", nil
	}
	h := http.Header{"If-Match": {strconv.Quote(strconv.Itoa(cur.Version))}}
	_, err := cl.do(cmd.Context(), http.MethodPut, fmt.Sprintf("/articles/%d", cur.ID), articleBodyOf(in), &a, h)
	return &a, "edited", err
}

// sameContent reports whether an article already holds what the input
// would store (a body's trailing line breaks aside: a file always ends
// with one).
func sameContent(cur *apiArticle, in knowledge.Input) bool {
	in.Translations = slices.Clone(in.Translations)
	in.Normalize()
	body := func(s string) string { return strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), "\n") }
	if len(cur.Translations) != len(in.Translations) {
		return false
	}
	for i, t := range in.Translations {
		c := cur.Translations[i]
		if c.Lang != t.Lang || c.Title != t.Title || body(c.Body) != body(t.Body) {
			return false
		}
	}
	var catID int64
	if cur.Category != nil {
		catID = cur.Category.ID
	}
	svcs := make([]int64, 0, len(cur.Services))
	for _, s := range cur.Services {
		svcs = append(svcs, s.ID)
	}
	slices.Sort(svcs)
	review := ""
	if in.ReviewAt != nil {
		review = in.ReviewAt.Format("2006-01-02")
	}
	curReview := ""
	if cur.ReviewAt != nil {
		curReview = *cur.ReviewAt
	}
	return cur.Key == in.Key && catID == in.CategoryID && slices.Equal(svcs, in.ServiceIDs) &&
		slices.Equal(cur.Keywords, in.Keywords) && cur.Audience == in.Audience && curReview == review
}

// moveTo brings an article to the state its file names ("" keeps it).
func moveTo(cmd *cobra.Command, cl *client, a *apiArticle, to knowledge.State) error {
	if to == "" || to == a.State {
		return nil
	}
	verb := map[knowledge.State]string{knowledge.Published: "publish", knowledge.Retired: "retire", knowledge.Draft: "draft"}[to]
	if !knowledge.CanMove(a.State, to) && to == knowledge.Published {
		if err := moveTo(cmd, cl, a, knowledge.Draft); err != nil {
			return err
		}
	}
	h := http.Header{"If-Match": {strconv.Quote(strconv.Itoa(a.Version))}}
	_, err := cl.do(cmd.Context(), http.MethodPost, fmt.Sprintf("/articles/%d/%s", a.ID, verb), map[string]string{"note": "imported"}, a, h)
	return err
}

func newArticleExportCmd(f *clientFlags) *cobra.Command {
	return &cobra.Command{Use: "export DIR", Short: "Write every article as Markdown files (<key>.<lang>.md) into a folder",
		Args: cobra.ExactArgs(1), RunE: func(cmd *cobra.Command, args []string) error {
			cl, err := f.client()
			if err != nil {
				return err
			}
			if err := os.MkdirAll(args[0], 0o755); err != nil {
				return err
			}
			n := 0
			cursor := ""
			for {
				var page struct {
					Articles   []apiArticle `json:"articles"`
					NextCursor string       `json:"next_cursor"`
				}
				if _, err := cl.do(cmd.Context(), http.MethodGet, "/articles?limit=500&cursor="+cursor, nil, &page, nil); err != nil {
					return err
				}
				for _, a := range page.Articles {
					art := a.article()
					for _, t := range art.Translations {
						name := filepath.Join(args[0], knowledge.FileName(knowledge.FileKey(art), t.Lang))
						if err := os.WriteFile(name, knowledge.FormatFile(art, t.Lang), 0o644); err != nil {
							return err
						}
						n++
					}
				}
				if page.NextCursor == "" {
					break
				}
				cursor = page.NextCursor
			}
			fmt.Fprintf(cmd.OutOrStdout(), "exported %d files to %s\n", n, args[0])
			return nil
		}}
}

func newArticleCreateCmd(f *clientFlags) *cobra.Command {
	return &cobra.Command{Use: "create FILE...", Short: "Create an article from its Markdown file(s), one per translation",
		Args: cobra.MinimumNArgs(1), RunE: func(cmd *cobra.Command, args []string) error {
			return writeFromFiles(cmd, f, args, 0, 0)
		}}
}

func newArticleEditCmd(f *clientFlags) *cobra.Command {
	var version int
	c := &cobra.Command{Use: "edit ID FILE...", Short: "Replace an article's content with its Markdown file(s) as a new version",
		Args: cobra.MinimumNArgs(2), RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id <= 0 {
				return usagef("an article is named by its id, a positive number: %q", args[0])
			}
			return writeFromFiles(cmd, f, args[1:], id, version)
		}}
	c.Flags().IntVar(&version, "version", 0, "refuse (412) if the article is no longer at this version")
	return c
}

// writeFromFiles creates (id 0) or edits an article from files of one key.
func writeFromFiles(cmd *cobra.Command, f *clientFlags, paths []string, id int64, version int) error {
	cl, err := f.client()
	if err != nil {
		return err
	}
	files, bad := readFiles(paths)
	names, err := loadCatalogueNames(cmd, cl)
	if err != nil {
		return err
	}
	items, more := buildItems(files, names)
	if bad = append(bad, more...); len(bad) == 0 && len(items) != 1 {
		bad = append(bad, "the files name more than one key: give the files of one article")
	}
	if len(bad) > 0 {
		for _, b := range bad {
			fmt.Fprintln(cmd.ErrOrStderr(), b)
		}
		return errBadFiles
	}
	it := items[0]
	it.in.Note = ""
	var a apiArticle
	if id == 0 {
		_, err = cl.do(cmd.Context(), http.MethodPost, "/articles", articleBodyOf(it.in), &a, nil)
	} else {
		h := http.Header{}
		if version > 0 {
			h.Set("If-Match", strconv.Quote(strconv.Itoa(version)))
		}
		_, err = cl.do(cmd.Context(), http.MethodPut, fmt.Sprintf("/articles/%d", id), articleBodyOf(it.in), &a, h)
	}
	if err == nil {
		err = moveTo(cmd, cl, &a, it.state)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "article %d: %s, version %d\n", a.ID, a.State, a.Version)
	return nil
}
