package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// The message catalogues: i18n/<lang>/<area>.json, merged per language at
// load. Each area keeps its messages in its own file so that areas never
// edit a shared one. A value is a string, or for counted messages an object
// of CLDR plural forms ("one", "few", "many", "other"; English needs one
// and other, Russian one, few, many and other). Placeholders are {0}, {1},
// ... for arguments and {n} for the count. A message that agrees with a
// person's grammatical gender (Russian past-tense verbs after a name) is
// an object of "masculine", "feminine" and "other" (the wording for a
// person whose gender is unknown); see lang.G.
//
//go:embed i18n
var catalogueFS embed.FS

// languages are the supported languages; the first is the fallback.
var languages = []language.Tag{language.English, language.Russian}

var pluralForms = map[plural.Form]string{plural.Zero: "zero", plural.One: "one", plural.Two: "two",
	plural.Few: "few", plural.Many: "many", plural.Other: "other"}

// message is one catalogue entry.
type message struct {
	text  string
	forms map[string]string // for counted messages
}

func (m *message) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &m.text); err == nil {
		return nil
	}
	return json.Unmarshal(b, &m.forms)
}

// lang is one language's merged catalogue.
type lang struct {
	tag  language.Tag
	code string // "en", "ru"
	msgs map[string]message
	// agrees is true for a language with messages that agree with a
	// person's gender (Russian): it words what follows a name without a
	// verb when the gender is unknown.
	agrees bool
}

// catalogue holds every language.
type catalogue struct {
	langs   map[string]*lang
	matcher language.Matcher
}

func loadCatalogue() (*catalogue, error) {
	c := &catalogue{langs: map[string]*lang{}, matcher: language.NewMatcher(languages)}
	for _, tag := range languages {
		base, _ := tag.Base()
		l := &lang{tag: tag, code: base.String(), msgs: map[string]message{}}
		if err := l.load(); err != nil {
			return nil, err
		}
		c.langs[l.code] = l
	}
	return c, c.check()
}

func (l *lang) load() error {
	dir := path.Join("i18n", l.code)
	files, err := fs.Glob(catalogueFS, dir+"/*.json")
	if err != nil || len(files) == 0 {
		return fmt.Errorf("catalogue %s: no files", l.code)
	}
	for _, f := range files {
		b, err := catalogueFS.ReadFile(f)
		if err != nil {
			return err
		}
		var msgs map[string]message
		if err := json.Unmarshal(b, &msgs); err != nil {
			return fmt.Errorf("catalogue %s: %w", f, err)
		}
		for k, m := range msgs {
			if _, dup := l.msgs[k]; dup {
				return fmt.Errorf("catalogue %s: key %q is also in another file", f, k)
			}
			l.msgs[k] = m
			l.agrees = l.agrees || m.gendered()
		}
	}
	return nil
}

// check refuses catalogues whose languages have different keys, or whose
// counted messages lack a form the language's plural rules need.
func (c *catalogue) check() error {
	var problems []string
	for code, l := range c.langs {
		for other, o := range c.langs {
			for k := range o.msgs {
				if _, ok := l.msgs[k]; !ok {
					problems = append(problems, fmt.Sprintf("%s lacks %q (present in %s)", code, k, other))
				}
			}
		}
		for k, m := range l.msgs {
			if m.gendered() {
				for _, f := range []string{"masculine", "feminine", "other"} {
					if m.forms[f] == "" {
						problems = append(problems, fmt.Sprintf("%s: %q lacks the gender form %q", code, k, f))
					}
				}
				continue
			}
			if m.forms == nil {
				continue
			}
			for _, f := range l.neededForms() {
				if m.forms[f] == "" {
					problems = append(problems, fmt.Sprintf("%s: %q lacks the plural form %q", code, k, f))
				}
			}
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("catalogue: %s", strings.Join(slices.Compact(problems), "; "))
	}
	return nil
}

// neededForms are the plural forms the language uses for whole numbers.
func (l *lang) neededForms() []string {
	seen := map[string]bool{}
	for n := range 200 {
		seen[l.form(n)] = true
	}
	var out []string
	for _, f := range []string{"zero", "one", "two", "few", "many", "other"} {
		if seen[f] {
			out = append(out, f)
		}
	}
	return out
}

func (l *lang) form(n int) string {
	if n < 0 {
		n = -n
	}
	return pluralForms[plural.Cardinal.MatchPlural(l.tag, n, 0, 0, 0, 0)]
}

// T returns the message for key with args in place of {0}, {1}, ...; a
// missing key shows as itself (the catalogue tests keep that from
// happening).
func (l *lang) T(key string, args ...any) string {
	m, ok := l.msgs[key]
	if !ok {
		return key
	}
	if m.gendered() {
		return fill(m.forms["other"], args, "")
	}
	return fill(m.text, args, "")
}

// gendered reports whether m agrees with a person's gender.
func (m message) gendered() bool { return m.forms["masculine"] != "" }

// G returns the message for key agreeing with gender g, and whether it
// did: false for a message without gender forms (the text is the same
// for everyone) and for a person whose gender is unknown (the "other"
// wording, a construction without a gendered verb).
func (l *lang) G(key string, g desk.Gender, args ...any) (string, bool) {
	m, ok := l.msgs[key]
	if !ok || !m.gendered() {
		return l.T(key, args...), false
	}
	if text := m.forms[string(g)]; g != "" && text != "" {
		return fill(text, args, ""), true
	}
	return fill(m.forms["other"], args, ""), false
}

// N returns the counted message for key in the plural form n needs, with
// n in place of {n}.
func (l *lang) N(key string, n int, args ...any) string {
	m, ok := l.msgs[key]
	if !ok || m.forms == nil {
		return key
	}
	text := m.forms[l.form(n)]
	if text == "" {
		text = m.forms["other"]
	}
	return fill(text, args, l.group(strconv.Itoa(n)))
}

// fill puts n for {n} and the i-th argument for {i} in text, in one pass;
// any other brace is kept as written. (A strings.Replacer built a call
// cost more than the rest of a translation: 9 % of the console page's
// server CPU went to building them.)
func fill(text string, args []any, n string) string {
	open := strings.IndexByte(text, '{')
	if open < 0 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text) + 16)
	for open >= 0 {
		b.WriteString(text[:open])
		text = text[open:]
		end := strings.IndexByte(text, '}')
		if end < 0 {
			break
		}
		name := text[1:end]
		switch i, err := strconv.Atoi(name); {
		case name == "n":
			b.WriteString(n)
		case err == nil && i >= 0 && i < len(args) && strconv.Itoa(i) == name:
			fmt.Fprint(&b, args[i])
		default: // not a placeholder: the brace stays, the rest is read on
			b.WriteByte('{')
			text = text[1:]
			open = strings.IndexByte(text, '{')
			continue
		}
		text = text[end+1:]
		open = strings.IndexByte(text, '{')
	}
	b.WriteString(text)
	return b.String()
}

// Has reports whether the key exists.
func (l *lang) Has(key string) bool {
	_, ok := l.msgs[key]
	return ok
}

// negotiate picks the response language and time zone. The language:
// the signed-in user's own setting (desk preferences; the language switch
// and the settings page store it), else the language cookie the switch
// sets for anonymous visitors, else the browser's Accept-Language, else
// English. The zone: the user's own, else the site's.
func (s *server) negotiate(rq *request) (*lang, *time.Location) {
	loc := s.opts.Location
	if rq.user != nil {
		p, err := s.desk.UserPreferences(rq.ctx, rq.user.ID)
		if err == nil && p.ChosenZone != "" {
			if z := zoneOf(p.ChosenZone); z != nil {
				loc = z
			}
		}
		if err == nil && p.ChosenLanguage != "" {
			if l, ok := s.cat.langs[p.ChosenLanguage]; ok {
				return l, loc
			}
		}
	}
	if c, err := rq.r.Cookie(langCookie); err == nil {
		if l, ok := s.cat.langs[c.Value]; ok {
			return l, loc
		}
	}
	tags, _, _ := language.ParseAcceptLanguage(rq.r.Header.Get("Accept-Language"))
	_, i, conf := s.cat.matcher.Match(tags...)
	if conf == language.No {
		i = 0
	}
	base, _ := languages[i].Base()
	return s.cat.langs[base.String()], loc
}
