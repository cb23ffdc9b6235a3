package notify

import (
	htmltemplate "html/template"
	"regexp"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/reasons"
)

// DefaultLanguage is the language of notifications for recipients who
// chose none, unless Config.Language says otherwise.
const DefaultLanguage = "en"

// templates is the text of one kind of notification in one language: a
// subject (after the ticket tag), a plain-text body and an HTML body. The
// HTML body is made from the same source (paragraphs and line breaks), so
// the two never say different things; html/template escapes every value.
type templates struct {
	subject *texttemplate.Template
	text    *texttemplate.Template
	html    *htmltemplate.Template
}

// Recipient is who a message is rendered for: their name (empty for a
// group), language and time zone.
type Recipient struct {
	Name     string
	Language string
	Location *time.Location
}

// view is what a template sees. Times are formatted in the recipient's
// language and time zone; words (states, clocks, call kinds) translated.
type view struct {
	Name, Ticket, Title, Priority, State, Group, Actor, Assignee, Body, Reason string
	Resolution, ReopenUntil, RespondBy, ResolveBy                              string
	Clock, Percent, Deadline, Line                                             string
	Manager                                                                    bool
	CallKind, CallStart, CallEnd, CallMinutes, CallPhone, CallURL, CallNote    string
	Organizer                                                                  string
	Into, IntoTitle                                                            string // a merge's surviving ticket
	URL                                                                        string
	Requester                                                                  bool // the recipient is the requester: replies become comments
	// P is the whole payload and Date formats one of its times, for the
	// kinds whose text reads the payload directly (notify/major.go).
	P          map[string]string
	Date       func(key string) string
	StatusWord func(status string) string
	// Diagnosis is line 1's checklist answered, on an escalation: each
	// question and answer in the recipient's language.
	Diagnosis []answerLine
}

// answerLine is one question of a diagnosis and its answer.
type answerLine struct{ Question, Answer string }

// diagnosisLines words the payload's diagnosis answers in lang: the
// question in it (else in another language), yes and no translated.
func diagnosisLines(lang *language, code, payload string) []answerLine {
	answers := desk.ParseDiagnosisPayload(payload)
	out := make([]answerLine, 0, len(answers))
	for _, a := range answers {
		q := a.Question[code]
		for _, l := range []string{"en", "ru"} {
			if q == "" {
				q = a.Question[l]
			}
		}
		v := a.Value
		if a.Kind == "yes_no" {
			v = lang.answers.of(v)
		}
		out = append(out, answerLine{Question: q, Answer: v})
	}
	return out
}

// Rendered is a message ready to send.
type Rendered struct {
	Subject, Text, HTML string
}

// words translates enumerations per language.
type words map[string]string

func (w words) of(s string) string {
	if t, ok := w[s]; ok {
		return t
	}
	return s
}

type language struct {
	kinds          map[desk.OutboxKind]templates
	states, clocks words
	callKinds      words
	answers        words // yes and no
	date           func(time.Time) string
}

// paragraphs turns the plain-text source of a body into HTML source:
// blank-line separated paragraphs, line breaks kept.
func paragraphs(src string) string {
	var b strings.Builder
	for p := range strings.SplitSeq(strings.TrimSpace(src), "\n\n") {
		b.WriteString("<p>" + strings.ReplaceAll(p, "\n", "<br>") + "</p>")
	}
	return b.String()
}

// br keeps a multi-line value's line breaks; link makes an http(s) URL a
// link. In text both are the value as it is; in HTML they escape it.
var textFuncs = texttemplate.FuncMap{"br": func(s string) string { return s }, "link": func(s string) string { return s }}
var htmlFuncs = htmltemplate.FuncMap{
	"br": func(s string) htmltemplate.HTML {
		return htmltemplate.HTML(strings.ReplaceAll(htmltemplate.HTMLEscapeString(strings.TrimSpace(s)), "\n", "<br>"))
	},
	"link": func(s string) htmltemplate.HTML {
		e := htmltemplate.HTMLEscapeString(s)
		if !strings.HasPrefix(s, "https://") && !strings.HasPrefix(s, "http://") {
			return htmltemplate.HTML(e)
		}
		return htmltemplate.HTML(`<a href="` + e + `">` + e + `</a>`)
	},
}

const htmlHead = `<!DOCTYPE html><html><body style="font-family: sans-serif">`

// parse builds a kind's templates; foot is the language's footer (text
// source, turned into HTML like the body).
func parse(subject, body, foot string) templates {
	return templates{
		subject: texttemplate.Must(texttemplate.New("subject").Parse(subject)),
		text:    texttemplate.Must(texttemplate.New("text").Funcs(textFuncs).Parse(strings.TrimSpace(body) + "\n\n" + foot)),
		html: htmltemplate.Must(htmltemplate.New("html").Funcs(htmlFuncs).Parse(
			htmlHead + paragraphs(body) + `<div style="color: #666">` + paragraphs(foot) + `</div></body></html>`)),
	}
}

// languages holds the catalogue by language (catalogue_en.go,
// catalogue_ru.go); the "" kind is the fallback for kinds without their
// own text.
var languages = map[string]*language{}

// Languages lists the languages with a catalogue.
func Languages() []string {
	out := make([]string, 0, len(languages))
	for l := range languages {
		out = append(out, l)
	}
	return out
}

// render builds the message for d for the recipient (falling back to
// English, and to the generic text for a kind without its own). baseURL,
// when set, links the ticket.
func render(d desk.Delivery, rc Recipient, baseURL string) (Rendered, error) {
	code := rc.Language
	lang, ok := languages[code]
	if !ok {
		code, lang = DefaultLanguage, languages[DefaultLanguage]
	}
	tm, ok := lang.kinds[d.Kind]
	if x, found := payloadKinds[rc.Language][d.Kind]; found {
		tm, ok = x, true
	} else if x, found := payloadKinds[DefaultLanguage][d.Kind]; found && !ok {
		tm, ok = x, true
	}
	if !ok {
		tm = lang.kinds[""]
	}
	loc := rc.Location
	if loc == nil {
		loc = time.UTC
	}
	date := func(key string) string {
		t, err := time.Parse(time.RFC3339, d.Payload[key])
		if err != nil {
			return d.Payload[key] // not a time: shown as stored
		}
		return lang.date(t.In(loc))
	}
	p := d.Payload
	v := view{Name: rc.Name, Ticket: p["ticket"], Title: p["title"], Priority: p["priority"],
		State: lang.states.of(p["state"]), Group: p["group"], Actor: p["actor"], Assignee: p["assignee"],
		Body: p["body"], Reason: p["reason"], Resolution: p["resolution"],
		ReopenUntil: date("reopen_until"), RespondBy: date("respond_by"), ResolveBy: date("resolve_by"),
		Clock: lang.clocks.of(p["clock"]), Percent: p["percent"], Deadline: date("deadline"), Line: p["line"],
		Manager: p["manager"] == "true", CallKind: lang.callKinds.of(p["call_kind"]), CallStart: date("call_start"),
		CallMinutes: p["call_minutes"], CallPhone: p["call_phone"], CallURL: p["call_url"], CallNote: p["call_note"],
		Organizer: p["organizer"], Into: p["into"], IntoTitle: p["into_title"], Requester: requesterKinds[d.Kind], P: d.Payload, Date: date,
		StatusWord: func(st string) string { return statusWord(rc.Language, st) }}
	if start, err := time.Parse(time.RFC3339, p["call_start"]); err == nil {
		if d, err := time.ParseDuration(p["call_minutes"] + "m"); err == nil {
			v.CallEnd = lang.date(start.Add(d).In(loc))
		}
	}
	v.Reason = reasonText(code, p)
	v.Diagnosis = diagnosisLines(lang, code, p["diagnosis"])
	v.Resolution = reasons.Notes(code, v.Resolution)
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
	return Rendered{Subject: s, Text: tidy(text.String()), HTML: strings.ReplaceAll(html.String(), "<p></p>", "")}, nil
}

// requesterKinds are the notifications a requester receives about a ticket
// still open (or resolved): a reply to them becomes a comment on it. The
// "closed" and "merged" messages are left out: a reply to a closed or
// canceled ticket registers a new one (desk.ReceiveMail), as their text
// says, so their footer does not promise a comment.
var requesterKinds = map[desk.OutboxKind]bool{
	desk.OutboxRegistered: true, desk.OutboxFirstResponse: true, desk.OutboxComment: true, desk.OutboxOnHold: true,
	desk.OutboxResolved: true, desk.OutboxCallScheduled: true, desk.OutboxCallCanceled: true,
}

var blankRun = regexp.MustCompile(`\n{3,}`)

// tidy drops the empty paragraphs that conditional text leaves behind.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "-- " { // the signature separator keeps its space
			lines[i] = strings.TrimRight(l, " ")
		}
	}
	return strings.TrimLeft(blankRun.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"), "\n")
}

// oneLine keeps a header value on one line, whatever the title holds.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// reasonText is the payload's reason in lang: the desk's own reasons (a
// code with params, or an English sentence queued before codes existed)
// from internal/reasons, a person's own as written.
func reasonText(lang string, payload map[string]string) string {
	if code, params, ok := desk.PayloadReason(payload); ok {
		if text, ok := reasons.Text(lang, code, params); ok {
			return text
		}
	}
	return payload["reason"]
}
