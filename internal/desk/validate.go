package desk

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Text limits, in characters. Bodies are bounded by the transport too.
const (
	MaxTitleLen = 250
	MaxTextLen  = 100_000 // description, symptoms, comments, notes
	MaxNameLen  = 200     // names, and organisations
	MaxPhoneLen = 50
	MaxReason   = 2_000
)

// text checks a free-text field: valid UTF-8, no NUL bytes (PostgreSQL cannot
// store them), within max characters, and present when required.
func (v *validation) text(field, s string, max int, required bool) {
	switch {
	case !utf8.ValidString(s):
		v.add(field, RuleInvalidText, nil, "must be valid UTF-8")
	case strings.ContainsRune(s, 0):
		v.add(field, RuleInvalidText, nil, "must not contain NUL characters")
	case required && strings.TrimSpace(s) == "":
		v.add(field, RuleRequired, nil, "is required")
	case utf8.RuneCountInString(s) > max:
		v.add(field, RuleTooLong, Params{"max": max}, "must be at most %d characters", max)
	}
}

// CheckText is text for packages outside desk: the field's error, if any.
func CheckText(field, s string, max int, required bool) []FieldError {
	var v validation
	v.text(field, s, max, required)
	return v.fields
}

func (v *validation) enum(field, value string, all []string, required bool) {
	if value == "" {
		if required {
			v.add(field, RuleRequired, Params{"allowed": all}, "is required; one of %s", strings.Join(all, ", "))
		}
		return
	}
	for _, a := range all {
		if a == value {
			return
		}
	}
	v.add(field, RuleOneOf, Params{"allowed": all}, "must be one of %s", strings.Join(all, ", "))
}

// email checks and normalises an e-mail address (lower-cased, bare address).
func (v *validation) email(field, s string, required bool) string {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			v.add(field, RuleRequired, nil, "is required")
		}
		return ""
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 {
		v.add(field, RuleInvalidEmail, nil, "must be a plain e-mail address such as name@example.com")
		return ""
	}
	return strings.ToLower(s)
}

// notFuture refuses instants more than a few minutes ahead of now (clock skew
// between a reporter and the desk is tolerated).
func (v *validation) notFuture(field string, t, now time.Time) {
	if t.After(now.Add(5 * time.Minute)) {
		v.add(field, RuleInFuture, nil, "must not be in the future")
	}
}
