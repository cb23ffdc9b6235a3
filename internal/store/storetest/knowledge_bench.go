package storetest

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/knowledge"
)

// ArticleQueries are the searches the article benchmarks time: frequent
// and rare words of the real ticket texts, two words, a Russian plural and
// a word in no article.
var ArticleQueries = []string{"printer", "laptop", "password reset", "access", "принтеры", "please", "visual studio license", "zzzunknown"}

// LoadArticles writes n published articles made of real ticket texts
// (three tickets each, as tools/kbgen does) through the knowledge base.
func LoadArticles(tb testing.TB, s desk.Store, gzCSV []byte, n int) *knowledge.Service {
	tb.Helper()
	ctx := context.Background()
	gz, err := gzip.NewReader(bytes.NewReader(gzCSV))
	if err != nil {
		tb.Fatal(err)
	}
	rows, err := csv.NewReader(gz).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	var texts []string
	for _, r := range rows[1:] {
		if len(strings.Fields(r[0])) >= 3 {
			texts = append(texts, r[0])
		}
	}
	d := desk.New(s, desk.SystemClock{}, desk.DefaultConfig)
	kn := knowledge.New(s.(knowledge.Store), d, desk.SystemClock{})
	admin, _, err := d.Bootstrap(ctx, desk.UserInput{Email: "bench-admin@example.com", Name: "Admin", Role: desk.RoleAdmin}, false)
	if err != nil {
		tb.Fatal(err)
	}
	actx := desk.WithActor(ctx, admin)
	for i := range n {
		a, b, c := texts[(3*i)%len(texts)], texts[(3*i+1)%len(texts)], texts[(3*i+2)%len(texts)]
		title := strings.Join(strings.Fields(a)[:min(8, len(strings.Fields(a)))], " ")
		tr := []knowledge.Translation{{Lang: "en", Title: title, Body: fmt.Sprintf("## Symptoms\n\n%s\n\n## Steps\n\n1. %s\n2. %s\n", a, b, c)}}
		if i%4 == 0 {
			tr = append(tr, knowledge.Translation{Lang: "ru", Title: "Принтер не печатает " + title, Body: "Проверьте принтер.\n\n" + a})
		}
		art, err := kn.Create(actx, knowledge.Input{Translations: tr, Audience: knowledge.Public})
		if err == nil {
			_, err = kn.SetState(actx, art.ID, knowledge.Published, 0, "")
		}
		if err != nil {
			tb.Fatal(err)
		}
	}
	return kn
}

// BenchArticleSearch times one search of each of ArticleQueries as a
// requester would run it (published public articles, top 20 with
// snippets).
func BenchArticleSearch(b *testing.B, kn *knowledge.Service) {
	req := desk.WithActor(b.Context(), &desk.User{ID: 1 << 40, Role: desk.RoleRequester, Active: true})
	for _, q := range ArticleQueries {
		b.Run(strings.ReplaceAll(q, " ", "_"), func(b *testing.B) {
			for b.Loop() {
				if _, err := kn.Search(req, knowledge.Query{Text: q, Lang: "en"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
