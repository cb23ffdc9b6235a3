package notify

import (
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// DefaultLanguage is the language of notifications until users choose one.
const DefaultLanguage = "en"

// templates is the text of one kind of notification in one language: a
// subject (after the ticket tag), a plain-text body and an HTML body. All
// three see a view; the HTML one escapes everything it is given.
type templates struct {
	subject *texttemplate.Template
	text    *texttemplate.Template
	html    *htmltemplate.Template
}

// view is what a template sees.
type view struct {
	Ticket, Title, Priority, Clock, Percent, Deadline, URL string
}

// Rendered is a message ready to send.
type Rendered struct {
	Subject, Text, HTML string
}

func parse(subject, text, html string) templates {
	return templates{
		subject: texttemplate.Must(texttemplate.New("subject").Parse(subject)),
		text:    texttemplate.Must(texttemplate.New("text").Parse(text)),
		html:    htmltemplate.Must(htmltemplate.New("html").Parse(html)),
	}
}

const htmlHead = `<!DOCTYPE html><html><body style="font-family: sans-serif">`
const htmlFoot = `{{if .URL}}<p><a href="{{.URL}}">Open {{.Ticket}}</a></p>{{end}}` +
	`<p style="color: #666">This message was sent automatically by Tierdesk.</p></body></html>`
const textFoot = `{{if .URL}}
Open the ticket: {{.URL}}
{{end}}
-- 
This message was sent automatically by Tierdesk.
`

// catalogue holds the templates by language, then by outbox kind; the
// "" kind is the fallback for kinds without their own text.
var catalogue = map[string]map[desk.OutboxKind]templates{
	"en": {
		desk.OutboxSLAWarning: parse(
			`SLA warning: {{.Clock}} clock at {{.Percent}}% - {{.Title}}`,
			`Ticket {{.Ticket}} ({{.Priority}}) "{{.Title}}" has used {{.Percent}}% of its {{.Clock}} target.
{{if .Deadline}}Deadline: {{.Deadline}}
{{end}}`+textFoot,
			htmlHead+`<p>Ticket <b>{{.Ticket}}</b> ({{.Priority}}) &ldquo;{{.Title}}&rdquo; has used <b>{{.Percent}}%</b> of its {{.Clock}} target.</p>`+
				`{{if .Deadline}}<p>Deadline: {{.Deadline}}</p>{{end}}`+htmlFoot),
		desk.OutboxSLABreached: parse(
			`SLA breached: {{.Clock}} - {{.Title}}`,
			`Ticket {{.Ticket}} ({{.Priority}}) "{{.Title}}" has breached its {{.Clock}} target.
{{if .Deadline}}Deadline was: {{.Deadline}}
{{end}}`+textFoot,
			htmlHead+`<p>Ticket <b>{{.Ticket}}</b> ({{.Priority}}) &ldquo;{{.Title}}&rdquo; has <b>breached</b> its {{.Clock}} target.</p>`+
				`{{if .Deadline}}<p>Deadline was: {{.Deadline}}</p>{{end}}`+htmlFoot),
		desk.OutboxPage: parse(
			`PAGE: {{.Priority}} {{.Clock}} breached - {{.Title}}`,
			`You are paged: ticket {{.Ticket}} ({{.Priority}}) "{{.Title}}" breached its {{.Clock}} target and needs line 3 now.
`+textFoot,
			htmlHead+`<p><b>You are paged</b>: ticket <b>{{.Ticket}}</b> ({{.Priority}}) &ldquo;{{.Title}}&rdquo; breached its {{.Clock}} target and needs line 3 now.</p>`+htmlFoot),
		"": parse(
			`Notification about {{.Title}}`,
			`There is news on ticket {{.Ticket}} "{{.Title}}".
`+textFoot,
			htmlHead+`<p>There is news on ticket <b>{{.Ticket}}</b> &ldquo;{{.Title}}&rdquo;.</p>`+htmlFoot),
	},
}

// render builds the message for d in lang (falling back to English, and to
// the generic text for a kind without its own). baseURL, when set, links
// the ticket.
func render(d desk.Delivery, lang, baseURL string) (Rendered, error) {
	set, ok := catalogue[lang]
	if !ok {
		set = catalogue[DefaultLanguage]
	}
	tm, ok := set[d.Kind]
	if !ok {
		tm = set[""]
	}
	p := d.Payload
	v := view{Ticket: p["ticket"], Title: p["title"], Priority: p["priority"], Clock: p["clock"],
		Percent: p["percent"], Deadline: p["deadline"]}
	if baseURL != "" && v.Ticket != "" {
		v.URL = strings.TrimRight(baseURL, "/") + "/tickets/" + v.Ticket
	}
	var subj, text, html strings.Builder
	if err := tm.subject.Execute(&subj, v); err != nil {
		return Rendered{}, err
	}
	if err := tm.text.Execute(&text, v); err != nil {
		return Rendered{}, err
	}
	if err := tm.html.Execute(&html, v); err != nil {
		return Rendered{}, err
	}
	s := oneLine(subj.String())
	if v.Ticket != "" {
		s = "[" + v.Ticket + "] " + s
	}
	return Rendered{Subject: s, Text: text.String(), HTML: html.String()}, nil
}

// oneLine keeps a header value on one line, whatever the title holds.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
