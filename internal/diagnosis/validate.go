package diagnosis

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// fields collects field errors.
type fields []desk.FieldError

func (f *fields) add(field string, rule desk.Rule, p desk.Params, format string, args ...any) {
	*f = append(*f, desk.Invalid(field, rule, p, format, args...))
}

func (f fields) err() error {
	if len(f) == 0 {
		return nil
	}
	return desk.InvalidFields(f...)
}

// validate checks a checklist's own fields; the category and service are
// checked by the store.
func (c *Checklist) validate() error {
	var f fields
	if c.Category.ID <= 0 {
		f.add("category_id", desk.RuleRequired, nil, "is required: a checklist belongs to a category")
	}
	switch n := len(c.Items); {
	case n == 0:
		f.add("items", desk.RuleTooFew, desk.Params{"min": 1}, "must have at least one question")
	case n > MaxItems:
		f.add("items", desk.RuleTooMany, desk.Params{"max": MaxItems}, "must have at most %d questions", MaxItems)
	}
	for i, it := range c.Items {
		name := fmt.Sprintf("items[%d]", i)
		if !slices.Contains(Kinds, it.Kind) {
			f.add(name+".kind", desk.RuleOneOf, desk.Params{"allowed": []string{string(YesNo), string(Text)}}, "must be yes_no or text")
		}
		if len(it.Question) == 0 {
			f.add(name+".question", desk.RuleRequired, nil, "needs the question in English or Russian")
		}
		for lang, q := range it.Question {
			if !slices.Contains(Languages, lang) {
				f.add(name+".question", desk.RuleOneOf, desk.Params{"allowed": Languages}, "languages are en and ru, not %q", lang)
				continue
			}
			f = append(f, desk.CheckText(name+".question."+lang, q, MaxQuestion, true)...)
		}
	}
	return f.err()
}

// answers checks values against the checklist's questions and returns
// them as answers, each with its question as asked.
func (c *Checklist) answers(values []string) ([]Answer, error) {
	var f fields
	if len(values) != len(c.Items) {
		f.add("answers", desk.RuleMismatch, desk.Params{"min": len(c.Items), "max": len(c.Items)},
			"must answer each of the checklist's %d questions, in order (got %d)", len(c.Items), len(values))
		return nil, f.err()
	}
	out := make([]Answer, len(values))
	for i, v := range values {
		it := c.Items[i]
		name := fmt.Sprintf("answers[%d]", i)
		v = strings.TrimSpace(v)
		if it.Kind == YesNo {
			v = strings.ToLower(v)
			if v != Yes && v != No {
				f.add(name, desk.RuleOneOf, desk.Params{"allowed": []string{Yes, No}}, "must be yes or no")
			}
		} else {
			f = append(f, desk.CheckText(name, v, MaxTextValue, true)...)
		}
		out[i] = Answer{Question: it.Question, Kind: it.Kind, Value: v}
	}
	return out, f.err()
}
