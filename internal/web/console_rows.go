package web

import (
	"html/template"
	"strings"
	"time"
)

// A queue page's rows are written here rather than by the template: 50
// rows of some twenty actions each (every text and attribute through
// html/template's escapers, every function called by reflection) were
// half of the page's CPU under 8 clients (docs/benchmarks.md, session 12).
// The output is the template's, byte for byte, escaping included
// (TestQueueRows_AsTheTemplate keeps the template's row as a reference):
// every text and attribute value goes through escapeHTML, which escapes
// what html/template's escapers do, and the ticket's number in the link
// through urlNorm first, as html/template's URL normaliser does.

// queueRowsHTML renders the table rows of a queue page in the viewer's
// language and zone.
func queueRowsHTML(l *lang, loc *time.Location, rows []queueRow) template.HTML {
	if len(rows) == 0 {
		return ""
	}
	// The countdown's words are the same in every row.
	countdown := `" data-in="` + escapeHTML(l.T("sla.in", "{0}")) + `" data-late="` + escapeHTML(l.T("sla.late", "{0}")) +
		`" data-d="` + escapeHTML(l.T("unit.short.d")) + `" data-h="` + escapeHTML(l.T("unit.short.h")) +
		`" data-m="` + escapeHTML(l.T("unit.short.m")) + `" data-s="` + escapeHTML(l.T("unit.short.s")) + `">`
	noDue := `<span class="muted">` + escapeHTML(l.T("console.nodue")) + `</span>`
	missed := ` <span class="badge breach-missed-badge">` + escapeHTML(l.T("breach.list.missed")) + `</span>`
	var b strings.Builder
	b.Grow(len(rows) * 900)
	for _, r := range rows {
		t := r.T
		b.WriteString("\n  <tr class=\"queue-row")
		if r.Breached {
			b.WriteString(` breached" data-breached>`)
		} else {
			b.WriteString(`">`)
		}
		b.WriteString("\n    <td><a href=\"/tickets/")
		b.WriteString(escapeHTML(urlNorm(t.Number)))
		b.WriteString(`">`)
		b.WriteString(escapeHTML(t.Number))
		b.WriteString("</a></td>\n    <td>")
		if d := t.SLA.DueAt; d != nil {
			iso := escapeHTML(d.UTC().Format(time.RFC3339))
			b.WriteString(`<time datetime="` + iso + `" class="countdown" data-deadline="` + iso)
			b.WriteString(countdown)
			b.WriteString(escapeHTML(l.datetime(*d, loc)))
			b.WriteString("</time>")
		} else {
			b.WriteString(noDue)
		}
		p := escapeHTML(string(t.Priority))
		b.WriteString("</td>\n    <td><span class=\"prio prio-" + p + `">` + p + "</span></td>\n    <td>")
		b.WriteString(escapeHTML(t.Title))
		if r.RegMissed {
			b.WriteString(missed)
		}
		b.WriteString("</td>\n    <td>")
		b.WriteString(escapeHTML(l.enum("state", string(t.State))))
		b.WriteString("</td>\n    <td>")
		b.WriteString(escapeHTML(t.Requester.Name))
		b.WriteString("</td>\n    <td>")
		b.WriteString(escapeHTML(r.Age))
		b.WriteString("</td>\n  </tr>\n  ")
	}
	return template.HTML(b.String())
}

// htmlEscaper escapes as html/template does a text or a quoted attribute
// value (its htmlReplacementTable: '+' too, and NUL as U+FFFD).
var htmlEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;",
	"<", "&lt;", ">", "&gt;")

func escapeHTML(s string) string { return htmlEscaper.Replace(s) }

// urlNorm percent-encodes what html/template's URL normaliser does in a
// link's path: everything but RFC 3986's unreserved and reserved bytes
// (and valid escapes); quotes and parentheses are encoded.
func urlNorm(s string) string {
	var b strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-._~!#$&*+,/:;=?@[]", c) >= 0:
			continue
		case c == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]):
			continue
		}
		b.WriteString(s[written:i])
		b.WriteByte('%')
		b.WriteByte("0123456789abcdef"[c>>4])
		b.WriteByte("0123456789abcdef"[c&15])
		written = i + 1
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
