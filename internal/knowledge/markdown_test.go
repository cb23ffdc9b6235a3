package knowledge

import (
	"strings"
	"testing"
)

func TestRender_Markdown(t *testing.T) {
	got := Render("# Printer\n\nRestart the **spooler**:\n\n1. Open services\n2. Restart it\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[Guide](https://example.com/guide)")
	for _, want := range []string{"<h1", "Printer</h1>", "<strong>spooler</strong>", "<ol>", "<li>Open services</li>", "<table>", "<td>1</td>",
		`href="https://example.com/guide"`, `rel="nofollow noopener"`} {
		if !strings.Contains(got, want) {
			t.Errorf("rendered HTML lacks %q:\n%s", want, got)
		}
	}
}

func TestRender_Dangerous(t *testing.T) {
	tests := []struct {
		name, body string
		banned     []string
		kept       string
	}{
		{"script", "Hello <script>alert(1)</script> world", []string{"<script", "</script"}, "Hello"}, // the text between stays, as text
		{"script block", "<script>\nalert(document.cookie)\n</script>\n\ntext after", []string{"<script", "document.cookie"}, "text after"},
		{"iframe", "<iframe src=\"https://evil.example/\"></iframe>\n\nsee above", []string{"<iframe", "evil.example"}, "see above"},
		{"javascript link", "[click me](javascript:alert(1))", []string{"javascript:", "alert"}, "click me"},
		{"javascript link encoded", "[click](jav&#x61;script:alert(1))", []string{"javascript", "alert"}, "click"},
		{"data link", "[x](data:text/html;base64,PHNjcmlwdD4=)", []string{"data:"}, "x"},
		{"image onerror", "<img src=x onerror=alert(1)>", []string{"onerror", "alert"}, ""},
		{"javascript image", "![pic](javascript:alert(1))", []string{"javascript:"}, ""},
		{"event attribute", "<a href=\"https://ok.example\" onclick=\"steal()\">ok</a>", []string{"onclick", "steal"}, ""},
		{"style", "<style>body{display:none}</style>\n\nvisible", []string{"<style", "display:none"}, "visible"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Render(tc.body)
			for _, b := range tc.banned {
				if strings.Contains(strings.ToLower(got), strings.ToLower(b)) {
					t.Errorf("rendered HTML keeps %q:\n%s", b, got)
				}
			}
			if tc.kept != "" && !strings.Contains(got, tc.kept) {
				t.Errorf("rendered HTML lost the text %q:\n%s", tc.kept, got)
			}
		})
	}
}

func TestRender_ImageSanitised(t *testing.T) {
	got := Render("![diagram](https://example.com/d.png \"net\")")
	if !strings.Contains(got, `<img src="https://example.com/d.png"`) || !strings.Contains(got, `alt="diagram"`) {
		t.Errorf("a plain image is lost: %s", got)
	}
}
