package knowledge

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func TestFile_RoundTrip(t *testing.T) {
	review := time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)
	a := &Article{ID: 7, Content: Content{Key: "printer", Translations: []Translation{{Lang: "en", Title: "Printer: offline?", Body: "# Steps\n\n1. Restart\n---\nnot front matter"}},
		Category: &desk.Ref{ID: 3, Name: "Printers"}, Services: []desk.Ref{{ID: 1, Name: "E-mail"}}, Keywords: []string{"spooler", "queue"},
		Audience: Public, State: Published, ReviewAt: &review}}
	f, err := ParseFile(FormatFile(a, "en"))
	if err != nil {
		t.Fatal(err)
	}
	want := &File{Key: "printer", Lang: "en", Title: "Printer: offline?", Audience: "public", State: "published", Category: "Printers",
		Services: []string{"E-mail"}, Keywords: []string{"spooler", "queue"}, Review: "2027-06-01", Body: "# Steps\n\n1. Restart\n---\nnot front matter\n"}
	if d := cmp.Diff(want, f); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
	if FileKey(&Article{ID: 9}) != "article-9" || FileName("printer", "ru") != "printer.ru.md" {
		t.Error("file names")
	}
}

func TestParseFile_Broken(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"no front matter", "# Title\n\nbody", "no front matter"},
		{"not closed", "---\nkey: a\nlang: en\ntitle: x\nbody", "not closed"},
		{"bad yaml", "---\nkey: [a\n---\nbody", "front matter"},
		{"unknown field", "---\nkey: a\nlang: en\ntitle: x\ncolour: red\n---\nbody", "colour"},
		{"bad values", "---\nkey: a\nlang: de\ntitle: x\naudience: everyone\nstate: live\nreview: tomorrow\n---\nbody", "lang: must be en or ru; audience: must be public or internal; state: must be draft, published or retired; review: must be a date"},
		{"no title", "---\nkey: a\nlang: en\n---\nbody", "title: is required"},
		{"not utf-8", "---\nkey: a\xff\n---\n", "not UTF-8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseFile([]byte(tc.text))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one saying %q", err, tc.want)
			}
		})
	}
}
