// Package reasons words the reasons the desk itself gives for a change
// (desk.ReasonCode with its params) in the reader's language. The web
// timeline and the notifications both word them from here, so a reason
// reads the same on a page and in an e-mail.
//
// The catalogues are <lang>.json: per code a string, or for a counted
// reason an object of CLDR plural forms, with {param} placeholders. A
// param whose value has an entry "<param>.<value>" (a ticket type, a
// state) is shown as that entry; "window" and "cadence" (Go durations) are shown in
// days, hours or minutes ("unit.days", …).
package reasons

import (
	"embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"github.com/tierdesk/tierdesk/internal/desk"
)

//go:embed en.json ru.json
var files embed.FS

// entry is one catalogue entry: a text, or plural forms.
type entry struct {
	text  string
	forms map[string]string
}

func (e *entry) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &e.text); err == nil {
		return nil
	}
	return json.Unmarshal(b, &e.forms)
}

type catalogue struct {
	tag     language.Tag
	entries map[string]entry
}

// Languages are the languages worded here; the first is the fallback.
var Languages = []string{"en", "ru"}

var catalogues = load()

func load() map[string]*catalogue {
	out := map[string]*catalogue{}
	for _, code := range Languages {
		b, err := files.ReadFile(code + ".json")
		if err != nil {
			panic(err) // embedded: cannot happen
		}
		c := &catalogue{tag: language.MustParse(code)}
		if err := json.Unmarshal(b, &c.entries); err != nil {
			panic(fmt.Sprintf("reasons: %s.json: %v", code, err))
		}
		out[code] = c
	}
	return out
}

// Text words code with params in lang (English when lang is not worded
// here); ok is false when the catalogue has no entry for code.
func Text(lang string, code desk.ReasonCode, p desk.ReasonParams) (text string, ok bool) {
	c, found := catalogues[lang]
	if !found {
		c = catalogues[Languages[0]]
	}
	e, ok := c.entries[string(code)]
	if !ok {
		return "", false
	}
	text = e.text
	if e.forms != nil {
		text = c.form(e.forms, countOf(code, p))
	}
	pairs := make([]string, 0, 2*len(p))
	for name, v := range p {
		pairs = append(pairs, "{"+name+"}", c.value(name, v))
	}
	return strings.NewReplacer(pairs...).Replace(text), true
}

// Event words e's reason in lang: a system-made reason (or an English one
// recorded before codes existed) from the catalogue, a person's own as
// written.
func Event(lang string, e *desk.Event) string {
	if code, p, ok := e.Why(); ok {
		if text, ok := Text(lang, code, p); ok {
			return text
		}
	}
	return e.Reason
}

// countOf is the number a counted reason agrees with: its first param
// that is a whole number.
func countOf(code desk.ReasonCode, p desk.ReasonParams) int {
	for _, name := range desk.ReasonParamNames(code) {
		if n, err := strconv.Atoi(p[name]); err == nil {
			return n
		}
	}
	return 0
}

func (c *catalogue) form(forms map[string]string, n int) string {
	f := map[plural.Form]string{plural.Zero: "zero", plural.One: "one", plural.Two: "two", plural.Few: "few",
		plural.Many: "many", plural.Other: "other"}[plural.Cardinal.MatchPlural(c.tag, n, 0, 0, 0, 0)]
	if s := forms[f]; s != "" {
		return strings.ReplaceAll(s, "{n}", strconv.Itoa(n))
	}
	return strings.ReplaceAll(forms["other"], "{n}", strconv.Itoa(n))
}

// value shows one param: its catalogue word when there is one, a window
// as days, hours or minutes, else as it is.
func (c *catalogue) value(name, v string) string {
	if e, ok := c.entries[name+"."+v]; ok && e.text != "" {
		return e.text
	}
	if name == "window" || name == "cadence" {
		if d, err := time.ParseDuration(v); err == nil {
			return c.span(d)
		}
	}
	return v
}

// span is a duration in its largest whole unit: 7 days, 36 hours, 90 minutes.
func (c *catalogue) span(d time.Duration) string {
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		return c.form(c.entries["unit.days"].forms, int(d/(24*time.Hour)))
	case d >= time.Hour && d%time.Hour == 0:
		return c.form(c.entries["unit.hours"].forms, int(d/time.Hour))
	default:
		return c.form(c.entries["unit.minutes"].forms, int(d/time.Minute))
	}
}

// Notes words text the desk itself wrote as a ticket's resolution notes
// (and the body of that resolution's history entry) in lang; any other
// text, a person's, is returned as written.
func Notes(lang, text string) string {
	if text != desk.AutoResolveNotes {
		return text
	}
	c, ok := catalogues[lang]
	if !ok {
		c = catalogues[Languages[0]]
	}
	return c.entries["notes.alerts_resolved"].text
}
