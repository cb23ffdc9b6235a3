package problem

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// checks collects field errors.
type checks []desk.FieldError

func (c *checks) add(field string, rule desk.Rule, p desk.Params, format string, args ...any) {
	*c = append(*c, desk.Invalid(field, rule, p, format, args...))
}

func (c *checks) text(field, s string, max int, required bool) {
	switch {
	case !utf8.ValidString(s):
		c.add(field, desk.RuleInvalidText, nil, "must be valid UTF-8")
	case strings.ContainsRune(s, 0):
		c.add(field, desk.RuleInvalidText, nil, "must not contain NUL characters")
	case required && strings.TrimSpace(s) == "":
		c.add(field, desk.RuleRequired, nil, "is required")
	case utf8.RuneCountInString(s) > max:
		c.add(field, desk.RuleTooLong, desk.Params{"max": max}, "must be at most %d characters", max)
	}
}

func (c *checks) level(field string, l desk.Level) {
	for _, ok := range desk.Levels {
		if l == ok {
			return
		}
	}
	c.add(field, desk.RuleOneOf, desk.Params{"allowed": "high, medium, low"}, "must be high, medium or low")
}

func (c *checks) refs(refs []Reference) {
	if len(refs) > MaxRefs {
		c.add("references", desk.RuleTooMany, desk.Params{"max": MaxRefs}, "at most %d references", MaxRefs)
		return
	}
	for _, r := range refs {
		c.text("references", r.Text, MaxRefLen, r.URL == "")
		if r.URL == "" {
			continue
		}
		u, err := url.Parse(r.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(r.URL) > MaxRefLen {
			c.add("references", desk.RuleInvalidFmt, desk.Params{"format": "url"}, "%q must be an http or https URL", r.URL)
		}
	}
}

func (c checks) err() error {
	if len(c) == 0 {
		return nil
	}
	return desk.InvalidFields(c...)
}

// cleanRefs trims references and drops empty ones.
func cleanRefs(refs []Reference) []Reference {
	out := []Reference{}
	for _, r := range refs {
		r.Text, r.URL = strings.TrimSpace(r.Text), strings.TrimSpace(r.URL)
		if r.Text != "" || r.URL != "" {
			out = append(out, r)
		}
	}
	return out
}
