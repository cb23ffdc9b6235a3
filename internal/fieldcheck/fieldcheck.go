// Package fieldcheck collects the refused fields of a record, each with a
// rule named as the desk names its rules (required, too_long, one_of,
// invalid_text, ...). It serves the domain packages below the desk
// (internal/breach, internal/playbook), which cannot import it; the desk
// turns the list into its own validation error.
package fieldcheck

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Error is one refused field.
type Error struct {
	Field   string
	Rule    string
	Params  map[string]any
	Message string
}

// Checks collects refused fields in the order they were found.
type Checks []Error

// Add refuses field by rule.
func (c *Checks) Add(field, rule string, params map[string]any, msg string) {
	*c = append(*c, Error{Field: field, Rule: rule, Params: params, Message: msg})
}

// Text refuses text that is not UTF-8, empty when required, or longer
// than max characters.
func (c *Checks) Text(field, v string, max int, required bool) {
	switch {
	case !utf8.ValidString(v):
		c.Add(field, "invalid_text", nil, "is not valid UTF-8 text")
	case required && strings.TrimSpace(v) == "":
		c.Add(field, "required", nil, "is required")
	case utf8.RuneCountInString(v) > max:
		c.Add(field, "too_long", map[string]any{"max": max}, "is too long")
	}
}

// OneOf refuses a value not among allowed; an empty one only when
// required.
func (c *Checks) OneOf(field, v string, allowed []string, required bool) {
	switch {
	case v == "" && !required:
	case v == "":
		c.Add(field, "required", nil, "is required")
	case !slices.Contains(allowed, v):
		c.Add(field, "one_of", map[string]any{"allowed": allowed}, "must be one of "+strings.Join(allowed, ", "))
	}
}
