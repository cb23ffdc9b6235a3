package langcheck

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// glossaryRule is one row of docs/glossary-ru.md: the words not to write
// (beginnings of words, any case), the phrases where they mean something
// else, and the catalogue keys they do not apply to.
type glossaryRule struct {
	concept   string
	forbidden []string
	phrases   []string
	keys      []string
}

func readGlossary(t *testing.T) []glossaryRule {
	t.Helper()
	b, err := os.ReadFile("../../docs/glossary-ru.md")
	if err != nil {
		t.Fatal(err)
	}
	var rules []glossaryRule
	for line := range strings.SplitSeq(string(b), "\n") {
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		if len(cells) != 4 || strings.HasPrefix(cells[0], "---") || strings.Contains(cells[0], "Понятие") {
			continue
		}
		r := glossaryRule{concept: strings.TrimSpace(cells[0])}
		for w := range strings.SplitSeq(cells[2], ",") {
			if w = strings.ToLower(strings.TrimSpace(w)); w != "" {
				r.forbidden = append(r.forbidden, w)
			}
		}
		for e := range strings.SplitSeq(cells[3], ";") {
			switch e = strings.TrimSpace(e); {
			case e == "":
			case strings.HasSuffix(e, "*") || strings.Contains(e, "_") || !strings.Contains(e, " ") && strings.Contains(e, "."):
				r.keys = append(r.keys, strings.TrimSuffix(e, "*"))
			default:
				r.phrases = append(r.phrases, strings.ToLower(e))
			}
		}
		rules = append(rules, r)
	}
	if len(rules) < 8 {
		t.Fatalf("the glossary has %d rules; its table was not read", len(rules))
	}
	return rules
}

// russianCatalogue is every Russian string the desk shows or sends, by
// key: the web catalogues' messages (plural forms as key.form) and the
// notification catalogue's source, line by line.
func russianCatalogue(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	files, err := filepath.Glob("../web/i18n/ru/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no Russian web catalogue: %v", err)
	}
	// The desk's own reasons, on pages and in mail, and every other
	// package's Russian catalogue (the public status page, …).
	more, err := filepath.Glob("../*/i18n/ru.json")
	if err != nil {
		t.Fatal(err)
	}
	files = append(append(files, "../reasons/ru.json"), more...)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for k, v := range m {
			switch v := v.(type) {
			case string:
				out[k] = v
			case map[string]any:
				for form, s := range v {
					out[k+"."+form], _ = s.(string)
				}
			}
		}
	}
	// The notification catalogues: every file of internal/notify but the
	// tests (English lines hold no Russian word to forbid).
	sources, err := filepath.Glob("../notify/*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range sources {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if !strings.HasPrefix(strings.TrimSpace(line), "//") {
				out[filepath.Base(f)+":"+itoa(i+1)] = line
			}
		}
	}
	goLiterals(t, out)
	return out
}

// goLiteralSkip are the sources whose Russian is not the desk speaking:
// generated sample data, the store suite's rows, and the words mail
// intake and text analysis recognise (stop words, auto-reply phrases).
var goLiteralSkip = []string{"devgen/", "store/storetest/", "textan/", "mailmsg/", "triage/", "notify/", "langcheck/"}

// goLiterals adds the Russian string literals of the desk's Go source
// (tests aside) by file:line: text kept in Go rather than a catalogue —
// the shipped playbook, the breach notice documents, the built-in names —
// reaches readers all the same.
func goLiterals(t *testing.T, out map[string]string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(path, ".."+string(filepath.Separator)))
		for _, skip := range goLiteralSkip {
			if strings.HasPrefix(rel, skip) {
				return nil
			}
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(x ast.Node) bool {
			lit, ok := x.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			if v, err := strconv.Unquote(lit.Value); err == nil && strings.IndexFunc(v, isCyrillic) >= 0 {
				out[rel+":"+itoa(fset.Position(lit.Pos()).Line)] = v
				n++
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Fatalf("found %d Russian literals in the Go source: the playbook and notice documents were not read", n)
	}
}

func isCyrillic(r rune) bool {
	return r >= 'а' && r <= 'я' || r >= 'А' && r <= 'Я' || r == 'ё' || r == 'Ё'
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// knownGlossaryDefects are strings of other slices that break the glossary,
// reported to their owners: logged, not failed, until they are fixed (by
// key, or file:line for Go catalogues, so an edit there brings them back).
var knownGlossaryDefects = map[string]string{}

// TestGlossary: no Russian catalogue says what the glossary forbids (for
// example «обращение» for a ticket, «услуга» for a service, «норматив»
// for a clock), outside the phrases and keys the glossary excepts.
func TestGlossary(t *testing.T) {
	rules := readGlossary(t)
	cat := russianCatalogue(t)
	keys := make([]string, 0, len(cat))
	for k := range cat {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, r := range rules {
	key:
		for _, k := range keys {
			for _, p := range r.keys {
				if strings.HasPrefix(k, p) {
					continue key
				}
			}
			s := strings.ToLower(cat[k])
			for _, p := range r.phrases {
				s = strings.ReplaceAll(s, p, " ")
			}
			for _, w := range r.forbidden {
				switch {
				case !hasWordStart(s, w):
				case knownGlossaryDefects[k] != "":
					t.Logf("known, left to its owner (%s): %s: %q says «%s»", knownGlossaryDefects[k], k, cat[k], w)
				default:
					t.Errorf("%s: %q says «%s» (%s): the glossary says otherwise", k, cat[k], w, r.concept)
				}
			}
		}
	}
}

// hasWordStart reports whether w occurs in s at the start of a word.
func hasWordStart(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		j += i
		if j == 0 || !isLetter(lastRune(s[:j])) {
			return true
		}
		i = j + len(w)
	}
}

func lastRune(s string) rune {
	r := []rune(s)
	return r[len(r)-1]
}

func isLetter(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'а' && r <= 'я' || r == 'ё' || r == '-'
}

// TestGlossaryCatches: a forbidden word is found at a word's start in any
// case and form, not inside another word, and not in an excepted phrase.
func TestGlossaryCatches(t *testing.T) {
	for s, want := range map[string]bool{
		"ваше обращение":               true,
		"Обращения":                    true,
		"решение при первом обращении": false,
		"SLA-политики":                 true,
		"услуга":                       true,
		"переуслуга":                   false,
	} {
		s := strings.ToLower(strings.ReplaceAll(s, "при первом обращении", " "))
		got := hasWordStart(s, "обращени") || hasWordStart(s, "sla-политик") || hasWordStart(s, "услуг")
		if got != want {
			t.Errorf("%q: found = %v, want %v", s, got, want)
		}
	}
}
