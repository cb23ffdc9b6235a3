package web

import (
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// allParams has a value for every parameter key rules use, so that a
// message naming one the test forgot shows as an unfilled placeholder.
var allParams = desk.Params{"max": 5, "min": 1, "allowed": []string{"a", "b"}, "state": "closed", "from": "new",
	"to": "resolved", "after": "start", "with": "assignee_id", "format": "date", "owner": "Vera"}

// TestCatalogue_EveryRuleHasAMessage: every rule desk can produce (desk's
// own test keeps desk.Rules complete) has a message in every language,
// with its placeholders filled, in each plural form.
func TestCatalogue_EveryRuleHasAMessage(t *testing.T) {
	c, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	if len(desk.Rules) < 30 {
		t.Fatalf("only %d rules", len(desk.Rules))
	}
	for code, l := range c.langs {
		for _, r := range desk.Rules {
			for _, n := range []int{1, 2, 5, 21} {
				p := desk.Params{}
				for k, v := range allParams {
					p[k] = v
				}
				p["max"] = n
				text, ok := l.ruleText(r, p)
				if !ok {
					t.Errorf("%s has no message for the rule %q", code, r)
					break
				}
				if strings.ContainsAny(text, "{}") || text == "rule."+string(r) {
					t.Errorf("%s: rule %q with %v reads %q", code, r, p, text)
				}
			}
		}
	}
}

// TestRuleText_Russian checks the Russian words of a few rules: counted
// forms, state names, sizes and the fallback for a rule-less error.
func TestRuleText_Russian(t *testing.T) {
	c, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	ru := c.langs["ru"]
	for _, tc := range []struct {
		rule   desk.Rule
		params desk.Params
		want   string
	}{
		{desk.RuleTooLong, desk.Params{"max": 250}, "Не длиннее 250 символов."},
		{desk.RuleTooLong, desk.Params{"max": 21}, "Не длиннее 21 символа."},
		{desk.RuleOutOfRange, desk.Params{"min": 1, "max": 480, "unit": "minutes"}, "Введите от 1 до 480 минут."},
		{desk.RuleTransition, desk.Params{"from": "new", "to": "closed"}, "Заявку нельзя перевести из состояния «Новая» в «Закрыта»."},
		{desk.RuleTooLarge, desk.Params{"max": int64(10 << 20), "unit": "bytes"}, "Размер слишком большой: не больше " + sizeText(ru, 10<<20) + "."},
		{desk.RuleInvalidFmt, desk.Params{"format": "time_of_day"}, "Укажите время суток, например 09:30."},
		{desk.RuleInvalidFmt, desk.Params{"format": "something new"}, "Значение записано не в том виде."},
	} {
		if got, _ := ru.ruleText(tc.rule, tc.params); got != tc.want {
			t.Errorf("%s %v: %q, want %q", tc.rule, tc.params, got, tc.want)
		}
	}
	if _, ok := ru.ruleText("", nil); ok {
		t.Error("an error without a rule has no catalogue message")
	}
}
