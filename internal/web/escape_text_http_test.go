package web_test

import (
	"context"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/web"
)

var tagRE = regexp.MustCompile(`<[^>]*>`)

// pageText is what a reader sees of a page: its text without the markup,
// character references decoded, spaces collapsed.
func pageText(body string) string {
	return strings.Join(strings.Fields(html.UnescapeString(tagRE.ReplaceAllString(body, " "))), " ")
}

// User text is escaped before links are made and the sanitiser runs: text
// that looks like markup (code, generics) is shown as typed in descriptions
// and comments, to the requester and to the agent, not cut down by the
// sanitiser ("if a<b && c>d" must not become "if ad").
func TestWeb_UserTextShownAsTyped(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	sam := desk.WithActor(context.Background(), e.sam)
	desc := "Build fails: if a<b && c>d then <none> & List<String> x = new ArrayList<>();"
	tk, _, err := e.d.CreateTicket(sam, desk.NewTicket{Type: desk.TypeIncident, Title: "Build <fails>", Channel: desk.ChannelPortal,
		Description: desc}, "")
	if err != nil {
		t.Fatal(err)
	}
	comment := "Map<String, List<Integer>> m; <b>not bold</b> https://example.com/a?x=1&y=<2>"
	if _, _, err := e.d.Comment(sam, tk.Number, desk.CommentInput{Body: comment}); err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"sam@example.com", "lena@example.com"} {
		c := e.client()
		c.signIn(who)
		p := c.get("/tickets/" + tk.Number)
		if p.status != 200 {
			t.Fatalf("%s: ticket page %d", who, p.status)
		}
		text := pageText(p.body)
		for _, want := range []string{desc, "Map<String, List<Integer>> m; <b>not bold</b> https://example.com/a?x=1&y=", "Build <fails>"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the ticket page does not show %q", who, want)
			}
		}
		if strings.Contains(p.body, "<b>not bold</b>") {
			t.Errorf("%s: user text became markup", who)
		}
	}
}
