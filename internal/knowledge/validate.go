package knowledge

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Limits of an article.
const (
	// MaxBodyBytes bounds one translation's Markdown: long enough for any
	// how-to with its tables, small enough that two translations fit in
	// an API request (1 MiB) and render in milliseconds.
	MaxBodyBytes = 256 << 10
	MaxTitleLen  = 250
	MaxKeywords  = 30
	MaxKeyword   = 60
	MaxKeyLen    = 100
	MaxNoteLen   = 500
	MaxServices  = 20
)

// Input is a whole article as a writer submits it: create, and every edit
// (which replaces the content and becomes a new version).
type Input struct {
	Key          string
	Translations []Translation
	CategoryID   int64
	ServiceIDs   []int64
	Keywords     []string
	Audience     Audience
	OwnerID      int64
	ReviewAt     *time.Time
	// Note says what the edit changed (kept with the version).
	Note string
	// IfVersion, when not 0, is the version the writer edited: a newer
	// stored one refuses the edit (ESTALE).
	IfVersion int
}

// checker gathers field errors.
type checker struct{ fields []desk.FieldError }

func (c *checker) add(field string, rule desk.Rule, params desk.Params, format string, args ...any) {
	c.fields = append(c.fields, desk.Invalid(field, rule, params, format, args...))
}

func (c *checker) text(field, v string, max int, required bool) {
	switch {
	case required && strings.TrimSpace(v) == "":
		c.add(field, desk.RuleRequired, nil, "is required")
	case !utf8.ValidString(v) || strings.ContainsRune(v, 0):
		c.add(field, desk.RuleInvalidText, nil, "is not valid text")
	case utf8.RuneCountInString(v) > max:
		c.add(field, desk.RuleTooLong, desk.Params{"max": fmt.Sprint(max)}, "is longer than %d characters", max)
	}
}

func (c *checker) err() error {
	if len(c.fields) == 0 {
		return nil
	}
	return &desk.Error{Code: desk.EINVALID, Message: "invalid article", Fields: c.fields}
}

// Normalize trims the input: spaces around titles, keywords and the key,
// empty and repeated keywords and services dropped, translations in the
// order of Languages.
func (in *Input) Normalize() {
	in.Key = strings.TrimSpace(in.Key)
	in.Note = strings.TrimSpace(in.Note)
	var kws []string
	for _, k := range in.Keywords {
		k = strings.TrimSpace(k)
		if k != "" && !slices.Contains(kws, k) {
			kws = append(kws, k)
		}
	}
	in.Keywords = kws
	slices.Sort(in.ServiceIDs)
	in.ServiceIDs = slices.Compact(in.ServiceIDs)
	for i := range in.Translations {
		in.Translations[i].Title = strings.TrimSpace(in.Translations[i].Title)
		in.Translations[i].Lang = strings.ToLower(strings.TrimSpace(in.Translations[i].Lang))
	}
	slices.SortStableFunc(in.Translations, func(a, b Translation) int {
		return slices.Index(Languages, a.Lang) - slices.Index(Languages, b.Lang)
	})
	if in.Audience == "" {
		in.Audience = Internal
	}
}

// Validate checks the shape of the input (references to categories,
// services and users are checked by the store).
func (in *Input) Validate() error {
	var c checker
	if len(in.Translations) == 0 {
		c.add("translations", desk.RuleRequired, nil, "an article needs a title and a body in English or Russian")
	}
	seen := map[string]bool{}
	for i, t := range in.Translations {
		f := fmt.Sprintf("translations[%d]", i)
		if !slices.Contains(Languages, t.Lang) {
			c.add(f+".lang", desk.RuleOneOf, desk.Params{"allowed": strings.Join(Languages, ", ")}, "must be one of %s", strings.Join(Languages, ", "))
		} else if seen[t.Lang] {
			c.add(f+".lang", desk.RuleTaken, nil, "the article already has a %s translation", t.Lang)
		}
		seen[t.Lang] = true
		c.text(f+".title", t.Title, MaxTitleLen, true)
		c.body(f+".body", t.Body)
	}
	c.key(in.Key)
	if !slices.Contains(Audiences, in.Audience) {
		c.add("audience", desk.RuleOneOf, desk.Params{"allowed": "public, internal"}, "must be public or internal")
	}
	if len(in.Keywords) > MaxKeywords {
		c.add("keywords", desk.RuleTooMany, desk.Params{"max": fmt.Sprint(MaxKeywords)}, "at most %d keywords", MaxKeywords)
	}
	for i, k := range in.Keywords {
		c.text(fmt.Sprintf("keywords[%d]", i), k, MaxKeyword, false)
	}
	if len(in.ServiceIDs) > MaxServices {
		c.add("services", desk.RuleTooMany, desk.Params{"max": fmt.Sprint(MaxServices)}, "at most %d services", MaxServices)
	}
	c.text("note", in.Note, MaxNoteLen, false)
	return c.err()
}

// body checks one Markdown body: required, text, and at most MaxBodyBytes
// (bytes, not characters: the limit protects storage and rendering).
func (c *checker) body(field, v string) {
	switch {
	case strings.TrimSpace(v) == "":
		c.add(field, desk.RuleRequired, nil, "is required")
	case len(v) > MaxBodyBytes:
		c.add(field, desk.RuleTooLarge, desk.Params{"max": fmt.Sprint(MaxBodyBytes / 1024), "unit": "KiB"},
			"is %d KiB, more than the %d KiB an article may have", len(v)/1024, MaxBodyBytes/1024)
	case !utf8.ValidString(v) || strings.ContainsRune(v, 0):
		c.add(field, desk.RuleInvalidText, nil, "is not valid text")
	}
}

// key checks the optional file key: letters, digits, '-', '_' and '.',
// so that it is a safe file name.
func (c *checker) key(k string) {
	if k == "" {
		return
	}
	c.text("key", k, MaxKeyLen, false)
	for _, r := range k {
		if !(r == '-' || r == '_' || r == '.' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			c.add("key", desk.RuleInvalidFmt, desk.Params{"format": "a-z, 0-9, - _ ."}, "may hold only Latin letters, digits, '-', '_' and '.'")
			return
		}
	}
	if strings.HasPrefix(k, ".") {
		c.add("key", desk.RuleInvalidFmt, desk.Params{"format": "a-z, 0-9, - _ ."}, "may not start with '.'")
	}
}
