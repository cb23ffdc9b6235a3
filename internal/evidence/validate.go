package evidence

import (
	"github.com/tierdesk/tierdesk/internal/desk"
)

// checks collects field errors.
type checks []desk.FieldError

func (c *checks) add(field string, rule desk.Rule, p desk.Params, format string, args ...any) {
	*c = append(*c, desk.Invalid(field, rule, p, format, args...))
}

func (c *checks) text(field, s string, max int, required bool) {
	*c = append(*c, desk.CheckText(field, s, max, required)...)
}

// sha checks a stated SHA-256: empty, or 64 hex digits (lower-cased by
// the caller).
func (c *checks) sha(field, s string) {
	if s == "" {
		return
	}
	ok := len(s) == 64
	for i := 0; ok && i < len(s); i++ {
		ok = s[i] >= '0' && s[i] <= '9' || s[i] >= 'a' && s[i] <= 'f'
	}
	if !ok {
		c.add(field, desk.RuleInvalidFmt, desk.Params{"format": "sha256"}, "must be a SHA-256 digest: 64 hexadecimal digits")
	}
}

// file checks an upload: not empty, not over max bytes, a usable name.
func (c *checks) file(field string, f *FileInput, max int64) {
	switch n := int64(len(f.Content)); {
	case n == 0:
		c.add(field, desk.RuleTooSmall, desk.Params{"min": 1, "unit": "bytes"}, "the file is empty")
	case n > max:
		c.add(field, desk.RuleTooLarge, desk.Params{"max": max, "unit": "bytes"}, "must be at most %d bytes", max)
	}
	c.text(field, f.Name, 255, false)
}

func (c checks) err() error {
	if len(c) == 0 {
		return nil
	}
	return desk.InvalidFields(c...)
}
