package langcheck

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// TestCatalogue_NoGenderBrackets: no Russian string leaves agreement to the
// reader with «(а)» («подтвердил(а)»): it agrees with the person's gender
// where known (the masculine/feminine forms) and is worded without a
// gendered verb otherwise.
func TestCatalogue_NoGenderBrackets(t *testing.T) {
	for k, v := range russianCatalogue(t) {
		for _, b := range []string{"(а)", "(ла)", "(ый)", "(ая)"} {
			if strings.Contains(v, b) {
				t.Errorf("%s: %q leaves agreement to the reader (%s)", k, v, b)
			}
		}
	}
}

// TestCatalogue_GenderForms: every message that agrees with a person has
// both genders and a wording for an unknown one; the feminine form is the
// masculine verb with its ending («подтвердил» → «подтвердила»), and the
// unknown one starts with no past-tense verb.
func TestCatalogue_GenderForms(t *testing.T) {
	cat := russianCatalogue(t)
	n := 0
	for k, masc := range cat {
		key, ok := strings.CutSuffix(k, ".masculine")
		if !ok {
			continue
		}
		n++
		fem, other := cat[key+".feminine"], cat[key+".other"]
		mv, mrest, _ := strings.Cut(masc, " ")
		fv, frest, _ := strings.Cut(fem, " ")
		if !strings.HasSuffix(mv, "л") || fv != mv+"а" || frest != mrest {
			t.Errorf("%s: masculine %q, feminine %q do not agree", key, masc, fem)
		}
		if first, _, _ := strings.Cut(other, " "); other == "" || strings.HasSuffix(first, "л") || strings.HasSuffix(first, "ла") {
			t.Errorf("%s: the wording for an unknown gender %q should have no gendered verb", key, other)
		}
	}
	if n < 10 {
		t.Fatalf("found %d gendered messages: the timeline's verbs are not in the catalogue", n)
	}
}

// TestCatalogue_PluralForms: every counted Russian message shows the
// number in the form its rules pick for 1, 2, 5, 11, 21, 22 and 25, and
// its one, few and many forms differ (so «1 круг, 2 круга, 5 кругов»).
func TestCatalogue_PluralForms(t *testing.T) {
	cat := russianCatalogue(t)
	want := map[int]string{1: "one", 2: "few", 5: "many", 11: "many", 21: "one", 22: "few", 25: "many"}
	names := map[plural.Form]string{plural.One: "one", plural.Few: "few", plural.Many: "many", plural.Other: "other"}
	counted := 0
	for k, one := range cat {
		key, ok := strings.CutSuffix(k, ".one")
		if _, counts := cat[key+".other"]; !ok || !counts {
			continue
		}
		counted++
		few, many := cat[key+".few"], cat[key+".many"]
		if few == "" || many == "" || one == few && strings.Contains(one, "{n}") && !sameWords(one) {
			t.Errorf("%s: forms one %q, few %q, many %q", key, one, few, many)
		}
		for n, form := range want {
			if got := names[plural.Cardinal.MatchPlural(language.Russian, n, 0, 0, 0, 0)]; got != form {
				t.Fatalf("the plural rules give %s for %d, want %s", got, n, form)
			}
			text := strings.ReplaceAll(cat[key+"."+form], "{n}", strconv.Itoa(n))
			if strings.Contains(cat[key+"."+form], "{n}") && !strings.Contains(text, strconv.Itoa(n)) {
				t.Errorf("%s for %d: %q", key, n, text)
			}
		}
	}
	if counted < 10 {
		t.Fatalf("found %d counted messages", counted)
	}
}

// sameWords reports whether a counted message's words after the number do
// not change with it (an abbreviation such as «мин»).
func sameWords(s string) bool {
	_, after, _ := strings.Cut(s, "{n}")
	after = strings.TrimSpace(after)
	return strings.Trim(after, ".,:;!?)") == "" || strings.HasPrefix(after, "мин") || strings.HasPrefix(after, "ч") ||
		strings.HasPrefix(after, "%") || strings.HasPrefix(after, "или") // «{n} или больше»
}

// countBeforeNoun is a placeholder followed by a word in the genitive
// plural («{0} заявок», «{1} инцидентов», «{0}+ открытых»): right for 5
// and wrong for 1, 2, 21, 22 («1 заявок»).
var countBeforeNoun = regexp.MustCompile(`\{\w+\}\+?\s+[а-яё]*(?:ов|ев|ей|ок|ек|ых|их)(?:[^а-яё]|$)`)

// TestCatalogue_CountsAgree: a message without plural forms never puts
// a number before a noun that must agree with it; such a message has
// forms for one, few and many (web catalogues' {n}, reasons' counts), or
// is worded so that nothing agrees: «{0} или больше заявок», «заявок: {0}»,
// «{0} дн.».
func TestCatalogue_CountsAgree(t *testing.T) {
	for k, v := range russianCatalogue(t) {
		if strings.HasSuffix(k, ".one") || strings.HasSuffix(k, ".few") || strings.HasSuffix(k, ".many") || strings.HasSuffix(k, ".other") {
			continue
		}
		if m := countBeforeNoun.FindString(v); m != "" {
			t.Errorf("%s: %q puts a number before «%s» with no plural forms", k, v, strings.TrimSpace(m))
		}
	}
}

// genitiveHeader is a short label that starts with an adjective in the
// genitive plural («Оценок», «Активных оповещений», «Неудачных попыток
// подряд»): a column header or field label reads in the nominative with
// its noun («Число оценок», «Неудачные попытки подряд»).
var genitiveHeader = regexp.MustCompile(`^[А-ЯЁ][а-яё]+(?:ых|их)\s`)

// TestCatalogue_HeadersNominative: no label of the catalogues (a short
// text with no sentence's full stop) starts in the genitive plural.
func TestCatalogue_HeadersNominative(t *testing.T) {
	for k, v := range russianCatalogue(t) {
		if strings.Contains(k, ":") || len(strings.Fields(v)) > 5 || strings.HasSuffix(v, ".") {
			continue // a line of Go source, or a sentence
		}
		if genitiveHeader.MatchString(v) {
			t.Errorf("%s: the label %q starts in the genitive plural: name the noun in the nominative («Число …»)", k, v)
		}
	}
}

// verbAfterPlaceholder is a placeholder followed by a verb in the past
// tense («{0} подтвердил», «{{.Actor}} назначила»): it agrees with a
// person's gender the message cannot know.
var verbAfterPlaceholder = regexp.MustCompile(`(?:\{\w+\}|\{\{\.\w+\}\})\s+(?:не\s+)?[а-яё]{2,}[аиеяуоы]л(?:а|о|и)?(?:ся|сь)?(?:[^а-яё]|$)`)

// TestCatalogue_NoVerbAfterAName: a message without gender forms never
// puts a past-tense verb after a placeholder (a person's name): it has
// masculine, feminine and other forms (TestCatalogue_GenderForms), or is
// worded without one («Сохранено: {0}», «{{.Actor}} пишет»).
func TestCatalogue_NoVerbAfterAName(t *testing.T) {
	for k, v := range russianCatalogue(t) {
		if strings.HasSuffix(k, ".masculine") || strings.HasSuffix(k, ".feminine") || strings.HasSuffix(k, ".other") {
			continue
		}
		if m := verbAfterPlaceholder.FindString(strings.ReplaceAll(v, "{n}", "")); m != "" { // {n} is a count
			t.Errorf("%s: %q puts a gendered verb after a name: «%s»", k, v, strings.TrimSpace(m))
		}
	}
}
