package web

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Desk errors carry English messages and, for clients that word them
// themselves, a rule with its values (desk.Rule, desk.Params). The pages
// show them in the user's language from the catalogue (i18n/*/errors.json):
// "rule.<rule>", or a more precise "rule.<rule>.<unit>" or
// "rule.<rule>.<format>" when the catalogue has one.

// ruleText words rule with params; ok is false when the catalogue has no
// message for it.
func (l *lang) ruleText(rule desk.Rule, params desk.Params) (text string, ok bool) {
	if rule == "" {
		return "", false
	}
	key := "rule." + string(rule)
	for _, p := range []string{"unit", "format", "after"} {
		if v, isStr := params[p].(string); isStr && l.Has(key+"."+v) {
			key += "." + v
			break
		}
	}
	m, ok := l.msgs[key]
	if !ok {
		return "", false
	}
	text, n := m.text, ""
	if m.forms != nil { // counted by the bound: "at most 5 characters"
		c := countParam(params)
		if text = m.forms[l.form(c)]; text == "" {
			text = m.forms["other"]
		}
		n = strconv.Itoa(c)
	}
	pairs := []string{"{n}", n}
	for k, v := range params {
		pairs = append(pairs, "{"+k+"}", l.paramText(k, v, params["unit"]))
	}
	return strings.NewReplacer(pairs...).Replace(text), true
}

// countParam is the number a counted rule message agrees with: its max,
// else its min.
func countParam(p desk.Params) int {
	for _, k := range []string{"max", "min"} {
		switch v := p[k].(type) {
		case int:
			return v
		case int64:
			return int(v)
		case float64:
			return int(v)
		}
	}
	return 0
}

// paramText shows one value of a rule: states and field names in words,
// sizes in bytes as sizes, lists joined.
func (l *lang) paramText(name string, v, unit any) string {
	switch x := v.(type) {
	case []string:
		return strings.Join(x, ", ")
	case string:
		switch name {
		case "state", "from", "to":
			if l.Has("state." + x) {
				return l.T("state." + x)
			}
		case "after", "with":
			if l.Has("field." + x) {
				return l.T("field." + x)
			}
		}
		return x
	}
	if unit == "bytes" && (name == "max" || name == "min") {
		return sizeText(l, int64(countParam(desk.Params{name: v})))
	}
	return fmt.Sprint(v)
}

// errorText is a refusal the user should read: the rule's words, else the
// desk's own (English) message to English readers and the general words
// for the error's kind to the others.
func (rq *request) errorText(err error) string {
	var de *desk.Error
	if !errors.As(err, &de) {
		return rq.lang.T("error.text.500")
	}
	if text, ok := rq.lang.problemRuleText(de); ok {
		return text
	}
	if text, ok := rq.lang.ruleText(de.Rule, de.Params); ok {
		return text
	}
	if rq.lang.code == "en" {
		return de.Message
	}
	if status, ok := deskStatus[de.Code]; ok {
		return rq.lang.T("error.text." + strconv.Itoa(status))
	}
	return rq.lang.T("error.text.500")
}

// fieldErrors turns a desk validation error into messages by form field
// (a trailing "_id" dropped: "group_id" is the form's "group"), each in
// the user's language; nil for any other error. A field error without a
// rule the catalogue knows keeps its own message (the web layer's own
// checks put translated messages there).
func fieldErrors(rq *request, err error) map[string]string {
	var de *desk.Error
	if !errors.As(err, &de) || de.Code != desk.EINVALID || len(de.Fields) == 0 {
		return nil
	}
	out := map[string]string{}
	for _, fe := range de.Fields {
		out[strings.TrimSuffix(fe.Field, "_id")] = rq.fieldText(fe)
	}
	return out
}

// fieldText is one field error in the user's language: its rule's words,
// else its own message.
func (rq *request) fieldText(fe desk.FieldError) string {
	if text, ok := rq.lang.ruleText(fe.Rule, fe.Params); ok {
		return text
	}
	return fe.Message
}
