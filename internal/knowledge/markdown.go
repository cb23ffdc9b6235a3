package knowledge

import (
	"bytes"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// markdown renders GitHub-flavoured Markdown (tables, strikethrough,
// autolinks). Raw HTML in the source is never passed through: goldmark
// leaves it out unless told otherwise, and the sanitiser would remove it
// anyway.
var markdown = goldmark.New(goldmark.WithExtensions(extension.GFM))

// policy is what rendered HTML may keep: bluemonday's policy for
// user-generated content (no script, style, iframe, event handlers or
// javascript: URLs), links only to http, https and mailto, and every link
// marked nofollow and opened without giving the target our window.
var policy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	return p
})

// Render turns an article's Markdown into sanitised HTML, safe to put into
// a page as it is. Bodies are validated to MaxBodyBytes before they are
// stored; Render does not rely on it.
func Render(body string) string {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(body), &buf); err != nil {
		// goldmark fails only on a failing writer; a bytes.Buffer never does.
		return policy().Sanitize(body)
	}
	return policy().SanitizeReader(&buf).String()
}
