package web

import (
	"fmt"
	"html/template"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/microcosm-cc/bluemonday"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/reasons"
)

// funcs are the template functions, bound to one language:
//
//	t "key" args...      catalogue message
//	tn "key" n args...   counted message in the right plural form
//	enum "state" .State  message "state.<value>" for a domain value
//	datetime, date       a time in the language's format and the viewer's zone
//	iso                  a time as RFC 3339, for <time datetime>
//	text                 user text, escaped, with web links made clickable
//	asset "app.css"      the content-hashed URL of a static file
func (s *server) funcs(l *lang, loc *time.Location) template.FuncMap {
	return template.FuncMap{
		"t":        l.T,
		"tn":       l.N,
		"enum":     func(prefix string, v any) string { return l.enum(prefix, fmt.Sprint(v)) },
		"datetime": func(t any) string { return l.datetime(asTime(t), loc) },
		"date":     func(t any) string { return l.date(asTime(t), loc) },
		"iso":      func(t any) string { return asTime(t).UTC().Format(time.RFC3339) },
		"timetext": func(v string) string { // an RFC 3339 time recorded as text in history
			if t, err := time.Parse(time.RFC3339, v); err == nil {
				return l.datetime(t, loc)
			}
			return v
		},
		"text":       userText,
		"reason":     l.reasonText,
		"slaevent":   l.slaEvent,
		"notes":      func(s string) string { return reasons.Notes(l.code, s) },
		"eventhead":  l.eventHead,
		"linkchange": l.linkChange,
		"fieldname":  l.fieldName,
		"srcvalue":   l.sourceValue,
		"asset":      s.assets.url,
		"dict":       dict,
		"until":      func(t any) string { return l.duration(time.Until(asTime(t))) },
		"span":       l.duration,
		"invalid":    invalidAttrs,
		"minutes":    func(d time.Duration) int { return int(d / time.Minute) },
		"size":       func(n int64) string { return sizeText(l, n) },
		"num":        l.number,
		"dur": func(d any) string {
			switch v := d.(type) {
			case time.Duration:
				return l.duration(v)
			case *time.Duration:
				if v != nil {
					return l.duration(*v)
				}
			}
			return "—"
		},
		"fv":       formValue,
		"list":     func(v ...string) []string { return v },
		"isStaff":  func(u *desk.User) bool { return u != nil && u.Role.IsStaff() },
		"has":      func(f url.Values, name, v string) bool { return slices.Contains(f[name], v) },
		"majors":   func() bool { return s.opts.Majors != nil },
		"problems": func() bool { return s.opts.Problems != nil },
	}
}

// enum is the message "prefix.v" for a domain value. A value the catalogue
// does not know yet (added to desk by another feature) shows as itself
// rather than as a key.
func (l *lang) enum(prefix, v string) string {
	if k := prefix + "." + v; l.Has(k) {
		return l.T(k)
	}
	return v
}

func asTime(v any) time.Time {
	switch t := v.(type) {
	case time.Time:
		return t
	case *time.Time:
		if t != nil {
			return *t
		}
	}
	return time.Time{}
}

func (l *lang) datetime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(loc)
	return l.T("format.datetime", t.Day(), l.T("month.short."+strconv.Itoa(int(t.Month()))), t.Year(),
		t.Format("15:04"), t.Format("MST"))
}

func (l *lang) date(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(loc)
	return l.T("format.date", t.Day(), l.T("month.short."+strconv.Itoa(int(t.Month()))), t.Year())
}

// duration says how long, in days, hours and minutes (at most two units).
func (l *lang) duration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	d = d.Round(time.Minute)
	days, h, m := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case days > 0 && h > 0:
		return l.N("unit.days", days) + " " + l.N("unit.hours", h)
	case days > 0:
		return l.N("unit.days", days)
	case h > 0 && m > 0:
		return l.N("unit.hours", h) + " " + l.N("unit.minutes", m)
	case h > 0:
		return l.N("unit.hours", h)
	}
	return l.N("unit.minutes", m)
}

// linkPolicy allows the only markup userText produces: links, which open
// without giving the target page a handle on ours.
var linkPolicy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https")
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	return p
}()

var urlRE = regexp.MustCompile(`https?://[^\s<>"']+[^\s<>"'.,;:!?)]`)

// userText renders text typed by a user (or received by e-mail): every
// character escaped, line breaks kept by CSS, web links made clickable,
// and the result passed through a bluemonday policy that allows nothing
// but those links, as a second line of defence.
func userText(s string) template.HTML {
	esc := template.HTMLEscapeString(s)
	linked := urlRE.ReplaceAllStringFunc(esc, func(u string) string {
		return `<a href="` + u + `">` + u + `</a>`
	})
	return template.HTML(linkPolicy.Sanitize(linked))
}

// dict builds a map for passing several values to a partial template:
// {{template "field" dict "Name" "title" "View" $}}.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// invalidAttrs marks an input whose field has an error, and ties the
// error text to it for screen readers: <input {{invalid . "title"}}>.
// The error is also in aria-describedby, which screen readers announce
// (aria-errormessage alone is not widely supported); hints are the ids of
// the field's other describing texts, which must share that attribute:
// {{invalid . "service" "service-hint"}}.
func invalidAttrs(v view, field string, hints ...string) template.HTMLAttr {
	described := strings.Join(hints, " ")
	if _, ok := v.Errors[field]; !ok {
		if described == "" {
			return ""
		}
		return template.HTMLAttr(`aria-describedby="` + template.HTMLEscapeString(described) + `"`)
	}
	errID := template.HTMLEscapeString(field + "-error")
	described = strings.TrimSpace(template.HTMLEscapeString(described) + " " + errID)
	return template.HTMLAttr(`aria-invalid="true" aria-errormessage="` + errID + `" aria-describedby="` + described + `"`)
}

// formValue is the value to show in a field of one of a page's forms: what
// the user typed when that form came back with errors, else def.
func formValue(v view, form, field string, def any) string {
	if v.Form.Get("form") == form {
		return v.Form.Get(field)
	}
	if isNil(def) {
		return ""
	}
	return fmt.Sprint(def)
}

// isNil reports whether v is nil or a nil pointer: {{and .Data.Rating
// .Data.Rating.Comment}} gives the nil *Rating itself, which fmt would
// print as "<nil>".
func isNil(v any) bool {
	if v == nil {
		return true
	}
	r := reflect.ValueOf(v)
	switch r.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
		return r.IsNil()
	}
	return false
}

// number writes v (a number or a pointer to one) with places decimals and
// the language's decimal separator; a nil pointer is "—".
func (l *lang) number(places int, v any) string {
	r := reflect.ValueOf(v)
	for r.IsValid() && r.Kind() == reflect.Pointer {
		if r.IsNil() {
			return "—"
		}
		r = r.Elem()
	}
	var f float64
	switch {
	case !r.IsValid():
		return "—"
	case r.CanFloat():
		f = r.Float()
	case r.CanInt():
		f = float64(r.Int())
	default:
		return fmt.Sprint(v)
	}
	whole, frac, _ := strings.Cut(strconv.FormatFloat(f, 'f', places, 64), ".")
	if frac != "" {
		frac = l.T("format.decimal") + frac
	}
	return l.group(whole) + frac
}

// group separates the thousands of a whole number of five digits or more
// as the language writes them: "10,000" in English, "10 000" (a no-break
// space) in Russian; shorter numbers are written whole ("1000").
func (l *lang) group(whole string) string {
	sign, digits := "", whole
	if strings.HasPrefix(digits, "-") {
		sign, digits = "-", digits[1:]
	}
	if len(digits) < 5 {
		return whole
	}
	sep := l.T("format.group")
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(d)
	}
	return sign + b.String()
}
