package knowledge

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"
)

// A folder of articles holds one Markdown file per translation, named
// <key>.<lang>.md, with YAML front matter between two "---" lines; the
// files of one article share its key. Teams keep such a folder in git and
// import it (tierdesk article import DIR), or export the desk's articles
// into one (tierdesk article export DIR).

// File is one translation of an article as a file.
type File struct {
	Key      string   `yaml:"key"`
	Lang     string   `yaml:"lang"`
	Title    string   `yaml:"title"`
	Audience string   `yaml:"audience,omitempty"`
	State    string   `yaml:"state,omitempty"`
	Category string   `yaml:"category,omitempty"`
	Services []string `yaml:"services,omitempty"`
	Keywords []string `yaml:"keywords,omitempty"`
	Review   string   `yaml:"review,omitempty"`
	Body     string   `yaml:"-"`
}

// ParseFile reads one article file. Every problem is reported, each
// naming the field: a missing or broken front matter, unknown fields, a
// language, audience, state or date the desk does not know, a body that
// is too large.
func ParseFile(data []byte) (*File, error) {
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("not UTF-8 text")
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	rest, ok := strings.CutPrefix(text, "---\n")
	if !ok {
		return nil, fmt.Errorf("no front matter: the file must start with a line ---")
	}
	head, body, ok := strings.Cut(rest, "\n---\n")
	if !ok {
		if head, ok = strings.CutSuffix(rest, "\n---"); !ok {
			return nil, fmt.Errorf("front matter not closed: a line --- must follow it")
		}
	}
	var f File
	if err := yaml.Load([]byte(head), &f, yaml.WithKnownFields()); err != nil {
		return nil, fmt.Errorf("front matter: %v", err)
	}
	f.Body = strings.TrimPrefix(body, "\n")
	return &f, f.check()
}

func (f *File) check() error {
	var probs []string
	add := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	if strings.TrimSpace(f.Key) == "" {
		add("key: is required")
	}
	if !slices.Contains(Languages, f.Lang) {
		add("lang: must be en or ru")
	}
	if strings.TrimSpace(f.Title) == "" {
		add("title: is required")
	}
	if f.Audience != "" && !slices.Contains(Audiences, Audience(f.Audience)) {
		add("audience: must be public or internal")
	}
	if f.State != "" && !slices.Contains(States, State(f.State)) {
		add("state: must be draft, published or retired")
	}
	if f.Review != "" {
		if _, err := time.Parse(time.DateOnly, f.Review); err != nil {
			add("review: must be a date such as 2027-01-31")
		}
	}
	if len(probs) > 0 {
		return fmt.Errorf("%s", strings.Join(probs, "; "))
	}
	return nil
}

// ReviewAt is the file's review date, nil when none.
func (f *File) ReviewAt() *time.Time {
	t, err := time.Parse(time.DateOnly, f.Review)
	if err != nil {
		return nil
	}
	return &t
}

// FileName is the name of an article's file in lang.
func FileName(key, lang string) string { return key + "." + lang + ".md" }

// FileKey is the key an exported article's files carry: its own, or
// article-<id> for one without.
func FileKey(a *Article) string {
	if a.Key != "" {
		return a.Key
	}
	return fmt.Sprintf("article-%d", a.ID)
}

// FormatFile writes one translation of an article as a file.
func FormatFile(a *Article, lang string) []byte {
	t := a.Translation(lang)
	f := File{Key: FileKey(a), Lang: t.Lang, Title: t.Title, Audience: string(a.Audience), State: string(a.State),
		Keywords: a.Keywords}
	if a.Category != nil {
		f.Category = a.Category.Name
	}
	for _, s := range a.Services {
		f.Services = append(f.Services, s.Name)
	}
	if a.ReviewAt != nil {
		f.Review = a.ReviewAt.UTC().Format(time.DateOnly)
	}
	head, _ := yaml.Marshal(&f) // a struct of strings always marshals
	var b bytes.Buffer
	b.WriteString("---\n")
	b.Write(head)
	b.WriteString("---\n")
	b.WriteString(t.Body)
	if !strings.HasSuffix(t.Body, "\n") {
		b.WriteByte('\n')
	}
	return b.Bytes()
}
